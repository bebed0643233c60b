import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Message } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import { limitParameter } from '../../helpers/pages';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator, returnAllOrLimit } from '../common.descriptions';

const properties: INodeProperties[] = [...conversationLocator, ...returnAllOrLimit];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['listMessages'] } },
	properties,
);

/** The conversation's messages, oldest first: all of them, or the most recent `limit`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject[]> {
	try {
		const limit = limitParameter(this, itemIndex);
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		let messages: Message[];
		if (limit !== undefined) {
			messages = await client.recentMessages(conversation.id, limit, { signal });
		} else {
			// Pages come newest first; each page is oldest first.
			const pages: Message[][] = [];
			for await (const page of client.messagePages(conversation.id, { signal }))
				pages.unshift(page.items);
			messages = pages.flat();
		}
		return messages.map((message) => ({ ...message, conversationId: conversation.id }));
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}
