import { InvalidInputError } from '../../shared/errors';
import { buildActions, MESSAGE_ACTION_TYPES, type MessageAction } from './actions';
import { at, dropUndefined, onlyKeys, optionalBoolean } from './checks';
import { textFields, type TextFields } from './text-fields';

/** Text, optionally with buttons or quick replies (spec: textMessage). */
export interface TextContent extends TextFields {
	type: 'text';
	/** Any action type; no count limit in the spec. */
	actions?: MessageAction[];
	/** Disables the chat input while this is the latest message, on clients that support it. */
	blockChatInput?: boolean;
}

const FIELDS = ['type', 'text', 'markdownText', 'htmlText', 'actions', 'blockChatInput'];

export function buildText(path: string, content: Record<string, unknown>): Record<string, unknown> {
	onlyKeys(path, content, FIELDS, 'a text message');
	const texts = textFields(path, content);
	let actions: Record<string, unknown>[] | undefined;
	if (content.actions !== undefined) {
		if (!Array.isArray(content.actions))
			throw new InvalidInputError(
				at(path, 'actions'),
				`${at(path, 'actions')} must be a list of actions`,
			);
		actions = buildActions(
			at(path, 'actions'),
			content.actions,
			MESSAGE_ACTION_TYPES,
			'a text message',
		);
	}
	// Spec textMessage.text: "Required unless `actions`, `htmlText` or `markdownText` is provided."
	if (
		texts.text === undefined &&
		texts.markdownText === undefined &&
		texts.htmlText === undefined &&
		!actions?.length
	) {
		throw new InvalidInputError(
			at(path, 'text'),
			`${at(path, 'text')} must be a non-empty string unless actions, markdownText or htmlText carry the message`,
		);
	}
	return dropUndefined({
		type: 'text',
		...texts,
		actions,
		blockChatInput: optionalBoolean(at(path, 'blockChatInput'), content.blockChatInput),
	});
}
