import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { awaitCustomerReply, type Message } from '../../../../src/messaging';
import {
	messageFields,
	messageViewOf,
	objectOf,
	stringOf,
} from '../../../../src/messaging/message-view';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { inputModeOf } from '../../helpers/content';
import { invalidParameter, nodeError } from '../../helpers/errors';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator } from '../common.descriptions';
import { displayNameField, optionsOf, sendAsBusiness, sendOptions } from './common';
import { textContentOf, textFields, textLabeler } from './text';

/*
 * The wait is a bounded poll of List Messages inside the execution, not n8n's wait-and-resume
 * (putExecutionToWait and a resume webhook): Sunshine Conversations only calls the webhooks of an
 * integration, so a webhook per wait would be an integration receiving every conversation's events,
 * to be deleted again even when the execution dies; and in queue mode the Messaging Trigger runs on
 * the webhook processor while this execution runs on a worker. Polling works on any worker, with no
 * webhook and no shared state. (The value is not n8n's `sendAndWait`, which the editor and the AI
 * Agent treat as a wait-and-resume operation with a resume URL.)
 */

/** One hour: the execution keeps running (and holds its worker slot) while it waits. */
const MAX_TIMEOUT_SECONDS = 3600;

const properties: INodeProperties[] = [
	{
		displayName:
			'The execution keeps running while it waits for the reply (up to the timeout), polling the conversation. For waits longer than an hour, send the message with Send Text and start another workflow from the Zendesk Messaging Trigger.',
		name: 'waitNotice',
		type: 'notice',
		default: '',
	},
	...conversationLocator,
	...textFields({
		types: ['reply', 'link', 'webview'],
		actionsDescription:
			'Optional quick replies (chips the customer taps: the tap is their reply, with its payload) and link or webview buttons under the text. Postback buttons are left out: a tap on one is not a message, so it would not end the wait.',
		jsonDescription:
			'A JSON array of actions as Zendesk documents them: {"type": "reply", "text", "payload"}, {"type": "link", "text", "uri"}, {"type": "webview", "text", "uri", "fallback"}, {"type": "locationRequest", "text"}',
	}),
	displayNameField,
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
		default: 300,
		description:
			"How long to wait for the customer's reply (1 to 3600 seconds); without one by then the item says timedOut",
	},
	sendOptions([
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 2,
			description:
				'How often to look for the reply (at least every second): each look is one request to Zendesk',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendAndWaitForReply'] } },
	properties,
);

/**
 * Sends a text as the business (as Send Text does), then waits for the customer's next message in
 * the conversation: `{replied: true, timedOut: false, reply, sent}`, or `{replied: false, timedOut:
 * true, sent}` after the timeout, so that an IF can branch on `replied`.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	const wait = waitSettings(this, itemIndex);
	const mode = inputModeOf(this, itemIndex);
	const sent = await sendAsBusiness(this, itemIndex, context, textLabeler(mode), (options) =>
		textContentOf(this, itemIndex, mode, options),
	);
	const conversationId = sent.conversationId as string;
	try {
		const client = await context.messaging.get();
		const after = { id: sent.id as string, received: sent.received as string | undefined };
		const result = await awaitCustomerReply(client, conversationId, {
			after,
			...wait,
			signal: context.signal,
		});
		if (!result.replied) return { replied: false, timedOut: true, sent };
		return { replied: true, timedOut: false, reply: replyOf(result.reply), sent };
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}

/** Timeout and poll interval in ms, checked before anything is sent. */
function waitSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { timeoutMs: number; pollIntervalMs: number } {
	const timeout = ctx.getNodeParameter('timeout', itemIndex, 300) as unknown;
	if (
		typeof timeout !== 'number' ||
		!Number.isFinite(timeout) ||
		timeout < 1 ||
		timeout > MAX_TIMEOUT_SECONDS
	) {
		throw invalidParameter(
			ctx,
			'Timeout (Seconds)',
			`must be a number from 1 to ${MAX_TIMEOUT_SECONDS}, got ${String(timeout)}`,
			itemIndex,
		);
	}
	const pollInterval = optionsOf(ctx, itemIndex).pollInterval ?? 2;
	if (typeof pollInterval !== 'number' || !Number.isFinite(pollInterval) || pollInterval < 1) {
		throw invalidParameter(
			ctx,
			'Poll Interval (Seconds)',
			`must be a number of at least 1, got ${String(pollInterval)}`,
			itemIndex,
		);
	}
	return { timeoutMs: timeout * 1000, pollIntervalMs: pollInterval * 1000 };
}

/**
 * The customer's reply with the fields the Messaging Trigger's items have (message-view.ts), when it
 * came, who sent it and from where, and a quick reply's payload.
 */
function replyOf(message: Message): IDataObject {
	return {
		...(messageFields(messageViewOf(message)) as unknown as IDataObject),
		payload: stringOf(objectOf(message.content)?.payload),
		received: message.received ?? null,
		userId: message.author.userId ?? null,
		channel: message.source?.type ?? null,
	};
}
