import { at, dropUndefined, optionalBoolean, optionalText, requireUrl } from './checks';
import { textFields, type TextFields } from './text-fields';

/** What image and file messages share (spec: imageMessage, fileMessage). */
export interface MediaFields extends TextFields {
	/** Where Zendesk fetches the media from: an http(s) URL. */
	mediaUrl: string;
	/** The media described for screen readers; at most 128 characters (Zendesk uses the file name when absent). */
	altText?: string;
	blockChatInput?: boolean;
}

export const MEDIA_FIELDS = [
	'type',
	'mediaUrl',
	'altText',
	'text',
	'markdownText',
	'htmlText',
	'blockChatInput',
];

export function mediaFields(
	path: string,
	content: Record<string, unknown>,
	type: 'image' | 'file',
): Record<string, unknown> {
	return dropUndefined({
		// Spec imageMessage/fileMessage.mediaUrl: required, format uri.
		mediaUrl: requireUrl(at(path, 'mediaUrl'), content.mediaUrl),
		altText: optionalText(
			at(path, 'altText'),
			content.altText,
			128,
			`${type}Message.altText maxLength 128`,
		),
		...textFields(path, content),
		blockChatInput: optionalBoolean(at(path, 'blockChatInput'), content.blockChatInput),
	});
}
