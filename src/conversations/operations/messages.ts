import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import {
	argumentList,
	booleanLiteral,
	listLiteral,
	optionalBoolean,
	stringLiteral,
} from '../literals';
import type { Operation } from '../operation';
import { actionMutation, type ActionResult } from './action';
import { flag, optionalText, parseInput, relayId, text } from './validate';

export interface SendMessageInput {
	/** The channel (chat) to write in: a Relay id from the `message` subscription or `channels` query. */
	channelId: string;
	/** The text; any characters (written as an escaped string literal). */
	message: string;
	/**
	 * A client-chosen id of this message (`msg_id`, changelog 9 Sept 2020), so a retry of the same
	 * send is recognisable. @default a random UUID
	 */
	msgId?: string;
	/**
	 * Discrete answers the visitor can pick (the schema page of `sendMessage`: "options"; a "/"
	 * inside an option splits it in two, so it is refused here).
	 */
	options?: string[];
	/** The API's `backoff` flag, passed through when given. */
	backoff?: boolean;
}

export interface SendMessageResult extends ActionResult {
	/** The msg_id the message was sent with (the generated one when none was given). */
	msgId: string;
}

const option = text('an option').refine((o) => !o.includes('/'), {
	message: 'an option must not contain "/": Zendesk splits an option at "/" into two',
});

const sendMessageInput = z
	.object({
		channelId: relayId('channelId'),
		message: text('message'),
		msgId: optionalText('msgId'),
		options: z
			.array(option, { invalid_type_error: 'options must be a list of strings' })
			.optional(),
		backoff: flag('backoff'),
	})
	.strict();

/**
 * `sendMessage(backoff, channel_id, msg, msg_id, options)` (the schema page's argument names): a
 * plain text message, optionally with answers to pick. Always carries a msg_id, which makes it safe
 * to send again after a dropped connection.
 * @throws InvalidInputError before anything is sent when an argument is missing or malformed.
 */
export function sendMessage(input: SendMessageInput): Operation<SendMessageResult> {
	const valid = validSendMessageInput(input) ?? parseInput('sendMessage', sendMessageInput, input);
	const msgId = valid.msgId ?? randomUUID();
	const options = valid.options ?? [];
	// What argumentList() would write, in its order, without the intermediate object (the hot path).
	let args = valid.backoff === undefined ? '' : `backoff: ${booleanLiteral(valid.backoff)}, `;
	args += `channel_id: ${stringLiteral(valid.channelId)}, msg: ${stringLiteral(valid.message)}, msg_id: ${stringLiteral(msgId)}`;
	if (options.length > 0) args += `, options: ${listLiteral(options.map(stringLiteral))}`;
	const operation = actionMutation('SendMessage', 'sendMessage', args, true);
	return {
		...operation,
		parse: (data) => ({ ...operation.parse(data), msgId }),
		delivery: { msgId, result: () => ({ success: true, msgId }) },
	};
}

const SEND_MESSAGE_FIELDS = new Set(['channelId', 'message', 'msgId', 'options', 'backoff']);

/**
 * The checks of `sendMessageInput`, by hand, for the input every send of the action node gives (a
 * plain object of valid fields): the warm send's hot path, where the zod parse cost about as much as
 * the whole round trip's own work. Undefined for anything else, which then goes through the schema:
 * it alone words the errors, so they are the same either way.
 */
function validSendMessageInput(input: unknown): z.output<typeof sendMessageInput> | undefined {
	if (input === null || typeof input !== 'object') return undefined;
	const proto = Object.getPrototypeOf(input);
	if (proto !== Object.prototype && proto !== null) return undefined;
	for (const key of Object.keys(input)) if (!SEND_MESSAGE_FIELDS.has(key)) return undefined;
	const { channelId, message, msgId, options, backoff } = input as Record<string, unknown>;
	if (typeof channelId !== 'string' || channelId.trim() === '') return undefined;
	if (typeof message !== 'string' || message.trim() === '') return undefined;
	if (msgId !== undefined && typeof msgId !== 'string') return undefined;
	if (backoff !== undefined && typeof backoff !== 'boolean') return undefined;
	if (options !== undefined) {
		if (!Array.isArray(options)) return undefined;
		for (let i = 0; i < options.length; i++) {
			const o: unknown = options[i];
			if (typeof o !== 'string' || o.trim() === '' || o.includes('/')) return undefined;
		}
	}
	return {
		channelId,
		message,
		msgId: msgId === '' ? undefined : msgId,
		options: options === undefined ? undefined : [...(options as string[])],
		backoff,
	};
}

export interface SetTypingIndicatorInput {
	channelId: string;
	typing: boolean;
	backoff?: boolean;
}

const typingInput = z
	.object({
		channelId: relayId('channelId'),
		typing: z.boolean({
			required_error: 'typing is required',
			invalid_type_error: 'typing must be true or false',
		}),
		backoff: flag('backoff'),
	})
	.strict();

/** `setTypingIndicator(channel_id, typing)`: shows or hides "agent is typing" to the visitor. */
export function setTypingIndicator(input: SetTypingIndicatorInput): Operation<ActionResult> {
	const valid = parseInput('setTypingIndicator', typingInput, input);
	const args = argumentList({
		channel_id: stringLiteral(valid.channelId),
		typing: booleanLiteral(valid.typing),
		backoff: optionalBoolean(valid.backoff),
	});
	return actionMutation('SetTypingIndicator', 'setTypingIndicator', args, true);
}
