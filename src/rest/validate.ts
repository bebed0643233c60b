/**
 * Checks on every value a caller gives, run before any request is sent. Each failure is an
 * InvalidInputError that names the field and says how to fix it. Values that become part of a
 * path are checked here and then encoded, so none can reach another endpoint.
 */
import { InvalidInputError, quoteValue } from '../shared';

/**
 * Chat ids look like "123" or "1704.2314815.QHgVx6SOrRuSx" (seeds; NOTES.md section 3). Letters,
 * digits, ".", "_" and "-" cover both; a dot-only id would walk up the path.
 */
const CHAT_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function chatId(value: unknown, field = 'chatId'): string {
	const id =
		typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
	if (typeof id !== 'string' || !CHAT_ID.test(id.trim()) || /^\.+$/.test(id.trim())) {
		throw new InvalidInputError(
			field,
			`${describe(value)} is not a chat id`,
			'A chat id looks like "1704.2314815.QHgVx6SOrRuSx" (letters, digits, ".", "_" and "-").',
		);
	}
	return id.trim();
}

/** A list of chat ids without duplicates, in the order given. */
export function chatIds(value: unknown, field = 'chatIds'): string[] {
	if (!Array.isArray(value) || value.length === 0) {
		throw new InvalidInputError(field, 'give at least one chat id', 'Pass an array of chat ids.');
	}
	return [...new Set(value.map((id, index) => chatId(id, `${field}[${index}]`)))];
}

/** Department and agent ids are positive integers (given as a number or a string of digits). */
export function numericId(value: unknown, field: string): number {
	const id =
		typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : value;
	if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
		throw new InvalidInputError(
			field,
			`${describe(value)} is not an id`,
			'Use the numeric id (a positive whole number).',
		);
	}
	return id;
}

/** A name or other text that goes into a path segment: not blank, no control characters, not "." or "..". */
export function pathText(value: unknown, field: string, maxLength = 255): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '' || text.length > maxLength || hasControlCharacters(text) || /^\.+$/.test(text)) {
		throw new InvalidInputError(
			field,
			`${describe(value)} is not a valid ${field}`,
			`Give a non-empty text of at most ${maxLength} characters.`,
		);
	}
	return text;
}

/** An email address, loosely: something@something, with no spaces (RFC 5321 length limit). */
export function email(value: unknown, field = 'email'): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text.length > 254 || !/^[^\s@"\\]+@[^\s@"\\]+$/.test(text) || hasControlCharacters(text)) {
		throw new InvalidInputError(
			field,
			`${describe(value)} is not an email address`,
			'e.g. agent@example.com',
		);
	}
	return text;
}

/** A whole number in [min, max]. */
export function integerIn(value: unknown, field: string, min: number, max: number): number {
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
		throw new InvalidInputError(
			field,
			`${describe(value)} is not allowed for ${field}`,
			`Use a whole number from ${min} to ${max}.`,
		);
	}
	return value;
}

/**
 * Accepts a Date or an ISO 8601 text (what n8n's date fields give); returns epoch milliseconds.
 * A text without an offset is read as UTC, as Zendesk's own search timestamps are (JavaScript would
 * read it as local time).
 */
export function dateInput(value: unknown, field: string): number {
	let ms = NaN;
	if (value instanceof Date) ms = value.getTime();
	else if (
		typeof value === 'string' &&
		/^\d{4}-\d{2}-\d{2}/.test(value.trim()) &&
		isCalendarDay(value.trim().slice(0, 10))
	) {
		const text = value.trim();
		ms = Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text);
	}
	if (!Number.isFinite(ms)) {
		throw new InvalidInputError(
			field,
			`${describe(value)} is not a date`,
			'Use a date or an ISO 8601 text such as 2024-05-01T12:00:00Z.',
		);
	}
	return ms;
}

/** Whether YYYY-MM-DD names a day that exists: Date.parse turns "2024-02-30" into 1 March. */
function isCalendarDay(text: string): boolean {
	const [year, month, day] = text.split('-').map(Number);
	return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) === text;
}

export function hasControlCharacters(text: string): boolean {
	// eslint-disable-next-line no-control-regex
	return /[\u0000-\u001f\u007f]/.test(text);
}

/** How a bad value is shown in a message: a short excerpt (src/shared/excerpt.ts), and never a whole object. */
function describe(value: unknown): string {
	if (
		typeof value === 'string' ||
		typeof value === 'number' ||
		typeof value === 'boolean' ||
		value === null ||
		value === undefined
	)
		return quoteValue(value);
	return `a ${Array.isArray(value) ? 'list' : typeof value}`;
}
