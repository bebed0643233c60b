/**
 * How an error quotes a value the user gave. An error is kept with the execution, shown in the
 * editor and written to logs: a 100 KB tag quoted whole would make a 100 KB error, so a long value
 * is cut to a short excerpt, marked as cut, with its length.
 */

/** How much of a value an error quotes, in characters of the quoted text. */
export const EXCERPT_LENGTH = 60;

/**
 * A value as an error message quotes it: a string in double quotes (JSON escapes, so control
 * characters and quotes stay visible); a long one cut to about its first `max` characters and
 * marked, e.g. `"aaaa…" (100000 characters)`. Numbers, booleans, null and undefined as themselves;
 * lists and objects as their JSON, cut the same way.
 */
export function quoteValue(value: unknown, max = EXCERPT_LENGTH): string {
	if (typeof value === 'string') {
		const { text, cut, length } = excerpt(value, max, true);
		return cut ? `"${text}…" (${length} characters)` : `"${text}"`;
	}
	if (
		value === null ||
		value === undefined ||
		typeof value === 'number' ||
		typeof value === 'boolean' ||
		typeof value === 'bigint'
	) {
		return String(value);
	}
	let json: string | undefined;
	try {
		json = JSON.stringify(value);
	} catch {
		json = undefined;
	}
	if (json === undefined) return `a ${typeof value}`;
	const { text, cut, length } = excerpt(json, max, false);
	return cut ? `${text}… (${length} characters of JSON)` : text;
}

/**
 * `text` cut to at most about `max` characters, as an error may show it; the whole text when it is
 * short. For error descriptions and other free text that holds a user's value.
 */
export function clipText(text: string, max = 300): string {
	const { text: shown, cut, length } = excerpt(text, max, false);
	return cut ? `${shown}… (${length} characters)` : shown;
}

/**
 * The start of `value` that fits in `max` characters (JSON-escaped when `escape`), never splitting
 * a character, and the value's length in characters (code points, so an emoji counts as one).
 */
function excerpt(
	value: string,
	max: number,
	escape: boolean,
): { text: string; cut: boolean; length: number } {
	let text = '';
	let width = 0;
	let cut = false;
	for (const char of value) {
		// An escape (\n, \u0001) is as wide as it is written; any other character counts one.
		const shown = escape ? JSON.stringify(char).slice(1, -1) : char;
		const shownWidth = shown === char ? 1 : shown.length;
		if (width + shownWidth > max) {
			cut = true;
			break;
		}
		text += shown;
		width += shownWidth;
	}
	if (!cut) return { text, cut, length: 0 };
	let length = 0;
	for (const _ of value) length++;
	return { text, cut, length };
}
