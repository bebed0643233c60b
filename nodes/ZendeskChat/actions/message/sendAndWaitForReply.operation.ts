import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { sendAndWaitForReply } from '../../../../src/conversations';
import { chatMessageItem } from '../../../shared/chatMessageItem';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelIdField } from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';
import type { PreparedSend } from './common';
import { prepareQuickReplies, quickRepliesFields } from './sendQuickReplies.operation';
import { prepareText, textMessageFields } from './sendText.operation';

/**
 * Send and Wait for Reply: sends a text or quick replies, then waits, inside the execution, for the
 * visitor's next message in that chat. A bounded wait and not n8n's wait-and-resume (the Wait node's
 * "resume on webhook call"): Zendesk calls no URL when a visitor writes; the message reaches only the
 * agent's live Conversations API session, held by one n8n process, so the execution has to listen
 * on that session while it waits. Its value is `sendAndWaitForReply`, not `sendAndWait`: n8n reserves
 * that one (SEND_AND_WAIT_OPERATION) for its own wait-and-resume operations.
 */

export const TIMEOUT_MIN_SECONDS = 1;
export const TIMEOUT_MAX_SECONDS = 3_600;
const TIMEOUT_LABEL = 'Timeout (Seconds)';

const onlyText = { show: { messageType: ['text'] } };
const onlyQuickReplies = { show: { messageType: ['quickReplies'] } };

const properties: INodeProperties[] = [
	channelIdField,
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Text',
				value: 'text',
				description: 'A plain text message, optionally with answers to pick',
			},
			{
				name: 'Quick Replies',
				value: 'quickReplies',
				description: 'A question with 1 to 11 reply chips',
			},
		],
		default: 'text',
	},
	...updateDisplayOptions(onlyText, textMessageFields),
	...updateDisplayOptions(onlyQuickReplies, quickRepliesFields),
	{
		displayName: TIMEOUT_LABEL,
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: TIMEOUT_MIN_SECONDS, maxValue: TIMEOUT_MAX_SECONDS },
		default: 300,
		description:
			"How long to wait for the visitor's reply, 1 to 3600 seconds. The execution keeps running (and counts as running) while it waits; when no reply comes in time, the item says timedOut: true. In queue mode the wait listens through the n8n process that holds the agent's session; if the session moves to another process meanwhile, the wait goes on there, and a reply written during the switch may be missed.",
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendAndWaitForReply'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	// Every field is checked (and a chat id looked up) before anything is sent.
	const timeoutMs = timeoutOf(this, itemIndex) * 1000;
	const prepared: PreparedSend<unknown> =
		this.getNodeParameter('messageType', itemIndex, 'text') === 'quickReplies'
			? ((await prepareQuickReplies(this, itemIndex, resources)) as PreparedSend<unknown>)
			: ((await prepareText(this, itemIndex, resources)) as PreparedSend<unknown>);
	const session = await resources.session();
	const outcome = await sendAndWaitForReply(session, {
		channelId: prepared.channel.channelId,
		send: prepared.operation,
		text: prepared.text,
		timeoutMs,
		signal: resources.signal,
		onNotice: (error) =>
			this.logger.warn(`Zendesk Chat: waiting for the visitor's reply: ${error.message}`, {
				node: this.getNode().name,
			}),
	});
	const sent = prepared.output(outcome.sent);
	if (!outcome.reply) return { replied: false, timedOut: true, sent };
	return {
		replied: true,
		timedOut: false,
		reply: chatMessageItem(outcome.reply, outcome.receivedAt),
		sent,
	};
}

function timeoutOf(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw = ctx.getNodeParameter('timeout', itemIndex, 300) as unknown;
	const seconds = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (
		typeof seconds !== 'number' ||
		!Number.isFinite(seconds) ||
		seconds < TIMEOUT_MIN_SECONDS ||
		seconds > TIMEOUT_MAX_SECONDS
	) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${TIMEOUT_LABEL} must be a number from ${TIMEOUT_MIN_SECONDS} to ${TIMEOUT_MAX_SECONDS}, got ${JSON.stringify(raw)}`,
			{
				itemIndex,
				description: `Field: ${TIMEOUT_LABEL}. Give how many seconds to wait for the visitor's reply (at most an hour).`,
				level: 'warning',
			},
		);
	}
	return seconds;
}
