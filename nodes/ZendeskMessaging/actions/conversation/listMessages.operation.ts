import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Message } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { invalidParameter, nodeError } from '../../helpers/errors';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['listMessages'] } }, properties);

/** The conversation's messages, oldest first: all of them, or the most recent `limit`. */
export async function execute(this: IExecuteFunctions, itemIndex: number, { messaging, signal }: OperationContext): Promise<IDataObject[]> {
	try {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
			throw invalidParameter(this, 'Limit', `must be a whole number of at least 1, got ${String(limit)}`, itemIndex);
		}
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		let messages: Message[];
		if (limit !== undefined) {
			messages = await client.recentMessages(conversation.id, limit, { signal });
		} else {
			// Pages come newest first; each page is oldest first.
			const pages: Message[][] = [];
			for await (const page of client.messagePages(conversation.id, { signal })) pages.unshift(page.items);
			messages = pages.flat();
		}
		return messages.map((message) => ({ ...message, conversationId: conversation.id }));
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}
