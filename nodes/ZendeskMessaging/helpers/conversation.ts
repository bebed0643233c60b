import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import {
	latestPersonalConversation,
	MAX_EXTERNAL_ID_LENGTH,
	requireId,
	requireString,
	type CallOptions,
	type Conversation,
	type MessagingClient,
} from '../../../src/messaging';
import { stringParameter } from './parameters';

export type ConversationTarget = { id: string; conversation?: Conversation };

/**
 * The conversation an operation acts on: the given ID, or the latest conversation of the user with
 * the given external ID, found again from Zendesk on every run (so nothing has to be kept between
 * executions). Checks the parameter before any request.
 */
export async function findConversation(
	ctx: IExecuteFunctions,
	client: MessagingClient,
	itemIndex: number,
	options: CallOptions,
): Promise<ConversationTarget> {
	const by = ctx.getNodeParameter('conversationBy', itemIndex, 'userExternalId') as string;
	if (by === 'conversationId')
		return { id: requireId('conversationId', stringParameter(ctx, 'conversationId', itemIndex)) };
	const userExternalId = requireString(
		'userExternalId',
		stringParameter(ctx, 'userExternalId', itemIndex),
		MAX_EXTERNAL_ID_LENGTH,
	);
	const conversation = await latestPersonalConversation(client, { userExternalId }, options);
	if (!conversation) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The user with external ID "${userExternalId}" has no conversation yet`,
			{
				itemIndex,
				description:
					'Run Escalate to Agent for this user first (it creates the conversation), or find the conversation by its ID.',
				level: 'warning',
			},
		);
	}
	return { id: conversation.id, conversation };
}
