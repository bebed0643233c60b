import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/** A bad value in a node field, reported before any request: the message names the field, the description the fix. */
export function fieldError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description,
		level: 'warning',
	});
}

/** A text field that must not be empty (after trimming); numbers from expressions are taken as text. */
export function requiredText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const text =
		typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (text === '') {
		const given =
			typeof value === 'string' || value === undefined || value === null
				? 'empty'
				: `not a text (${Array.isArray(value) ? 'a list' : typeof value})`;
		throw fieldError(
			ctx,
			itemIndex,
			`${label} is ${given}`,
			`Give the ${label}, e.g. with an expression such as {{ $json.id }}.`,
		);
	}
	return text;
}

/**
 * The value of a field added to a collection, or `absent` when it was not added. An added field
 * whose expression gave nothing (undefined or null) is an empty text, so that it fails its check
 * instead of silently dropping out (a search filter that drops out widens the search).
 */
export function addedValue(collection: Record<string, unknown>, key: string): unknown {
	if (!Object.prototype.hasOwnProperty.call(collection, key)) return absent;
	const value = collection[key];
	return value === undefined || value === null ? '' : value;
}

/** What addedValue gives for a field that was not added. */
export const absent: unique symbol = Symbol('absent');

/**
 * A list given as a comma-separated text or, through an expression, as an array: trimmed, without
 * empty entries. Array entries are passed on as they are, for the core to check.
 */
export function listValue(value: unknown): unknown[] {
	if (Array.isArray(value))
		return value
			.filter((entry) => !(typeof entry === 'string' && entry.trim() === ''))
			.map(trimmed);
	if (typeof value === 'string')
		return value
			.split(',')
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '');
	if (value === undefined || value === null) return [];
	return [value];
}

function trimmed(value: unknown): unknown {
	return typeof value === 'string' ? value.trim() : value;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WALL_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A date from an n8n date field, for the core: the editor's date picker gives a wall time without an
 * offset ("2024-05-01T09:00:00"), which n8n reads in the workflow's time zone (the core would read it
 * as UTC); an expression may give a Luxon DateTime or a Date. A date without a time is the start of
 * that day, or its last second when `endOfDay` is set ("until 12 May" includes 12 May). Texts with an
 * offset, and anything unreadable, go to the core as they are (it names what is wrong).
 * Undefined when the field is absent; an empty text stays empty, so an added but blank filter fails.
 */
export function dateValue(
	value: unknown,
	timeZone: string,
	options: { endOfDay?: boolean } = {},
): unknown {
	if (value === undefined || value === null) return undefined;
	if (value instanceof Date) return value;
	if (
		typeof value === 'object' &&
		typeof (value as { toJSDate?: unknown }).toJSDate === 'function'
	) {
		return (value as { toJSDate(): Date }).toJSDate();
	}
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (DATE_ONLY.test(text)) {
		const start = calendarDay(text);
		return start === undefined
			? value
			: new Date(wallTimeToUtc(start + (options.endOfDay ? 86_399_000 : 0), timeZone));
	}
	if (WALL_TIME.test(text)) {
		const wall = Date.parse(`${text.replace(' ', 'T')}Z`);
		return Number.isFinite(wall) && calendarDay(text.slice(0, 10)) !== undefined
			? new Date(wallTimeToUtc(wall, timeZone))
			: value;
	}
	return value;
}

/** Midnight UTC of a YYYY-MM-DD day that exists (JavaScript would turn 30 February into 1 March). */
function calendarDay(text: string): number | undefined {
	const [year, month, day] = text.split('-').map(Number);
	const ms = Date.UTC(year, month - 1, day);
	return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

/** The instant at which clocks in `timeZone` show `wallMs` (a wall time written as if it were UTC). */
function wallTimeToUtc(wallMs: number, timeZone: string): number {
	const first = wallMs - zoneOffsetMs(wallMs, timeZone);
	// Near a daylight-saving change the offset at the guess can differ from the offset at the answer.
	return wallMs - zoneOffsetMs(first, timeZone);
}

/** How far `timeZone` is ahead of UTC at the instant `utcMs`, in milliseconds. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	let format: Intl.DateTimeFormat;
	try {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
	} catch {
		// An unknown zone name: read the time as UTC rather than fail on a setting the user did not make here.
		return 0;
	}
	const parts = Object.fromEntries(
		format.formatToParts(new Date(utcMs)).map((part) => [part.type, part.value]),
	);
	const shown = Date.UTC(
		Number(parts.year),
		Number(parts.month) - 1,
		Number(parts.day),
		Number(parts.hour),
		Number(parts.minute),
		Number(parts.second),
	);
	return shown - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}
