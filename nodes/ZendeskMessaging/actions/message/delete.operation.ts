import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import { requireId } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import { stringParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '5f9b0a1c2d3e4f5a6b7c8d9e',
		description: 'The ID of the message to delete, e.g. the ID a Send operation returned',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['delete'] } },
	properties,
);

/** Deletes one message of the conversation (it disappears for the customer and the agent). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const messageId = requireId('messageId', stringParameter(this, 'messageId', itemIndex));
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		await client.deleteMessage(conversation.id, messageId, { signal });
		return { conversationId: conversation.id, messageId, deleted: true };
	} catch (error) {
		throw nodeError(this, error, itemIndex, { ...conversationLabels, messageId: 'Message ID' });
	}
}
