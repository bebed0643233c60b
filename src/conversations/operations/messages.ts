import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import { DocumentVariables, type Operation } from '../operation';
import { actionMutation, booleanLiteral, type ActionResult } from './action';
import { flag, optionalText, parseInput, relayId, text } from './validate';

export interface SendMessageInput {
	/** The channel (chat) to write in: a Relay id from the `message` subscription or `channels` query. */
	channelId: string;
	/** The text; any characters, sent as a variable. */
	message: string;
	/**
	 * A client-chosen id of this message (`msg_id`, changelog 9 Sept 2020), so a retry of the same
	 * send is recognisable. @default a random UUID
	 */
	msgId?: string;
	/** The API's `backoff` flag, passed through when given. */
	backoff?: boolean;
}

export interface SendMessageResult extends ActionResult {
	/** The msg_id the message was sent with (the generated one when none was given). */
	msgId: string;
}

const sendMessageInput = z
	.object({
		channelId: relayId('channelId'),
		message: text('message'),
		msgId: optionalText('msgId'),
		backoff: flag('backoff'),
	})
	.strict();

/**
 * `sendMessage(channel_id, msg, msg_id)`: a plain text message. Always carries a msg_id, which
 * makes it safe to send again after a dropped connection.
 * @throws InvalidInputError before anything is sent when an argument is missing or malformed.
 */
export function sendMessage(input: SendMessageInput): Operation<SendMessageResult> {
	const valid = parseInput('sendMessage', sendMessageInput, input);
	const msgId = valid.msgId ?? randomUUID();
	const v = new DocumentVariables();
	let args = `channel_id: ${v.bind('channel_id', 'ID!', valid.channelId)}, msg: ${v.bind('msg', 'String!', valid.message)}, msg_id: ${v.bind('msg_id', 'String!', msgId)}`;
	if (valid.backoff !== undefined) args += `, backoff: ${booleanLiteral(valid.backoff)}`;
	const operation = actionMutation('SendMessage', 'sendMessage', v, args, true);
	return { ...operation, parse: (data) => ({ ...operation.parse(data), msgId }) };
}

export interface SetTypingIndicatorInput {
	channelId: string;
	typing: boolean;
	backoff?: boolean;
}

const typingInput = z
	.object({
		channelId: relayId('channelId'),
		typing: z.boolean({ required_error: 'typing is required', invalid_type_error: 'typing must be true or false' }),
		backoff: flag('backoff'),
	})
	.strict();

/** `setTypingIndicator(channel_id, typing)`: shows or hides "agent is typing" to the visitor. */
export function setTypingIndicator(input: SetTypingIndicatorInput): Operation<ActionResult> {
	const valid = parseInput('setTypingIndicator', typingInput, input);
	const v = new DocumentVariables();
	let args = `channel_id: ${v.bind('channel_id', 'ID!', valid.channelId)}, typing: ${booleanLiteral(valid.typing)}`;
	if (valid.backoff !== undefined) args += `, backoff: ${booleanLiteral(valid.backoff)}`;
	return actionMutation('SetTypingIndicator', 'setTypingIndicator', v, args, true);
}
