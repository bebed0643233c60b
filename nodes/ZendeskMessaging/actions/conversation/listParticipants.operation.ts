import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import { collectPages, limitParameter } from '../../helpers/pages';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator, returnAllOrLimit } from '../common.descriptions';

const properties: INodeProperties[] = [...conversationLocator, ...returnAllOrLimit];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['listParticipants'] } },
	properties,
);

/** The users taking part in the conversation, one item each (with the conversation ID): all, or up to Limit. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject[]> {
	try {
		const limit = limitParameter(this, itemIndex);
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		const participants = await collectPages(
			(page) => client.listParticipants(conversation.id, page, { signal }),
			limit,
		);
		return participants.map((participant) => ({ ...participant, conversationId: conversation.id }));
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}
