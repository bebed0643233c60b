import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['get'] } }, conversationLocator);

/** The conversation, with who has control of it (activeSwitchboardIntegration). */
export async function execute(this: IExecuteFunctions, itemIndex: number, { messaging, signal }: OperationContext): Promise<IDataObject> {
	try {
		const client = await messaging.get();
		const found = await findConversation(this, client, itemIndex, { signal });
		return (found.conversation ?? (await client.getConversation(found.id, { signal }))) as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}
