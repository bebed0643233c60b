import { InvalidInputError } from '../../shared/errors';
import { at, dropUndefined, messageText } from './checks';

/** The text a text, image or file message can carry, plain or rich. */
export interface TextFields {
	/**
	 * Plain text. Beside markdownText or htmlText it is what channels without rich text show; left
	 * out, Zendesk derives it from the rich text (spec: htmlText, markdownText).
	 */
	text?: string;
	/** Markdown, converted to htmlText by Zendesk. Not with htmlText. */
	markdownText?: string;
	/** HTML. Not with markdownText. */
	htmlText?: string;
}

/** text, markdownText and htmlText: 1–4096 characters each, not markdownText and htmlText together (spec: htmlText). */
export function textFields(path: string, content: Record<string, unknown>): TextFields {
	const fields = dropUndefined({
		text: content.text === undefined ? undefined : messageText(at(path, 'text'), content.text),
		markdownText:
			content.markdownText === undefined
				? undefined
				: messageText(at(path, 'markdownText'), content.markdownText),
		htmlText:
			content.htmlText === undefined
				? undefined
				: messageText(at(path, 'htmlText'), content.htmlText),
	});
	if (fields.markdownText !== undefined && fields.htmlText !== undefined) {
		throw new InvalidInputError(
			at(path, 'htmlText'),
			'give markdownText or htmlText, not both (spec: htmlText "Cannot be used with markdownText")',
		);
	}
	return fields;
}
