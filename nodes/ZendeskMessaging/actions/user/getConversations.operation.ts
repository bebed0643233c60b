import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { execute, properties } from '../conversation/getAll.operation';

/** The same operation as Conversation › Get Many, offered where one looks for it from the user's side. */
export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getConversations'] } },
	properties,
);

export { execute };
