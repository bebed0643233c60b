/**
 * Builds the `q` of `GET /chats/search` from structured criteria (seeds/chat-rest-api-chats.txt,
 * "Searchable fields" and "Example queries"): `field:value` clauses and free-text terms joined by
 * ` AND `, date ranges `[a TO b]` with `*` for an open end.
 *
 * User values only ever become *terms*: a value made of letters, digits, "_", "." and "@" is written
 * as is; anything else (spaces, brackets, ":", "*", "-", words such as AND) is written as a quoted
 * phrase, so no value can add a clause, widen a range or become a wildcard. Inside a phrase, `"` and
 * `\` become spaces instead of being backslash-escaped: the documents show no escape syntax, so a
 * reader that does not know one must not be able to see the phrase end early; and both are word
 * separators to a full-text search anyway, so the phrase still finds the same words.
 */
import { InvalidInputError, quoteValue } from '../shared';
import { dateInput, email, hasControlCharacters } from './validate';

/** An inclusive time range; a missing end is open (`*`). Dates without an offset are UTC. */
export interface TimeRange {
	from?: Date | string;
	to?: Date | string;
}

export type ChatType = 'chat' | 'offline_msg';
export type ChatRating = 'good' | 'bad';

/** What to search for; every given criterion must match (they are joined with AND). */
export interface ChatSearchCriteria {
	/** `agent_names`: chats that involved this agent (every one of them, when several are given). */
	agentNames?: string | string[];
	/** `visitor_name` */
	visitorName?: string;
	/** `visitor_email` */
	visitorEmail?: string;
	/** `timestamp`: when the chat started. */
	timestamp?: TimeRange;
	/** `end_timestamp`: when the chat ended. */
	endTimestamp?: TimeRange;
	/** The chat type: "chat" or "offline_msg" (written `type:`, as the documented examples do). */
	chatType?: ChatType;
	/** `rating`: "good" or "bad". */
	rating?: ChatRating;
	/** Free text: every word must appear in the chat. */
	text?: string;
}

/** A range in whole epoch seconds; null is an open end. */
export interface SecondsRange {
	from: number | null;
	to: number | null;
}

/** Criteria after validation: what the query is rendered from, and what slicing narrows. */
export interface SearchSpec {
	agentNames: string[];
	visitorName?: string;
	visitorEmail?: string;
	timestamp?: SecondsRange;
	endTimestamp?: SecondsRange;
	chatType?: ChatType;
	rating?: ChatRating;
	textTerms: string[];
}

const KNOWN_FIELDS = new Set([
	'agentNames',
	'visitorName',
	'visitorEmail',
	'timestamp',
	'endTimestamp',
	'chatType',
	'rating',
	'text',
]);
const NAME_MAX = 255;
const TEXT_MAX = 1000;

/** The longest query text accepted, criteria or written by hand (a URL stays far below server limits). */
const QUERY_MAX = 2000;

/**
 * Checks a query written by hand in the search syntax (`visitor_email:jane@example.com AND rating:good`):
 * it is sent as written, so only what no valid query holds is refused here; a query the API cannot
 * parse is answered with 400. @throws InvalidInputError
 */
export function checkQueryText(value: unknown, field = 'query'): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '')
		throw new InvalidInputError(
			field,
			'the query is empty',
			'e.g. visitor_email:jane@example.com AND rating:good',
		);
	if (text.length > QUERY_MAX)
		throw new InvalidInputError(field, `the query is longer than ${QUERY_MAX} characters`);
	if (hasControlCharacters(text))
		throw new InvalidInputError(
			field,
			'the query contains control characters (such as a line break)',
		);
	return text;
}

/** Builds the query text for `criteria`. @throws InvalidInputError naming the criterion to fix. */
export function buildSearchQuery(criteria: ChatSearchCriteria): string {
	return renderSearchQuery(normalizeSearchCriteria(criteria));
}

/** Validates criteria and brings them to one shape. @throws InvalidInputError */
export function normalizeSearchCriteria(criteria: ChatSearchCriteria): SearchSpec {
	if (typeof criteria !== 'object' || criteria === null || Array.isArray(criteria)) {
		throw new InvalidInputError(
			'query',
			'the search criteria must be an object',
			'e.g. { visitorEmail: "jane@example.com" }',
		);
	}
	for (const key of Object.keys(criteria)) {
		if (!KNOWN_FIELDS.has(key)) {
			throw new InvalidInputError(
				`query.${key}`,
				`"${key}" is not a searchable field`,
				`Use one of: ${[...KNOWN_FIELDS].join(', ')}.`,
			);
		}
	}
	const rawAgents = criteria.agentNames;
	const agentList =
		rawAgents === undefined ? [] : Array.isArray(rawAgents) ? rawAgents : [rawAgents];
	const spec: SearchSpec = {
		agentNames: agentList.map((name, i) =>
			searchText(
				name,
				Array.isArray(rawAgents) ? `query.agentNames[${i}]` : 'query.agentNames',
				NAME_MAX,
			),
		),
		// A word with no letter or digit (a lone "*" or "-") has nothing to find; it is left out.
		textTerms:
			criteria.text === undefined
				? []
				: searchText(criteria.text, 'query.text', TEXT_MAX)
						.split(/\s+/)
						.filter((word) => /[\p{L}\p{N}]/u.test(word)),
	};
	if (criteria.visitorName !== undefined)
		spec.visitorName = searchText(criteria.visitorName, 'query.visitorName', NAME_MAX);
	if (criteria.visitorEmail !== undefined)
		spec.visitorEmail = email(criteria.visitorEmail, 'query.visitorEmail');
	if (criteria.timestamp !== undefined)
		spec.timestamp = secondsRange(criteria.timestamp, 'query.timestamp');
	if (criteria.endTimestamp !== undefined)
		spec.endTimestamp = secondsRange(criteria.endTimestamp, 'query.endTimestamp');
	if (criteria.chatType !== undefined)
		spec.chatType = oneOf(criteria.chatType, ['chat', 'offline_msg'] as const, 'query.chatType');
	if (criteria.rating !== undefined)
		spec.rating = oneOf(criteria.rating, ['good', 'bad'] as const, 'query.rating');
	const clauses = renderClauses(spec);
	if (clauses.length === 0) {
		throw new InvalidInputError(
			'query',
			'give at least one search criterion',
			'e.g. a visitor email, an agent name, a time range or some text.',
		);
	}
	return spec;
}

/** The query text for validated criteria. */
export function renderSearchQuery(spec: SearchSpec): string {
	return renderClauses(spec).join(' AND ');
}

function renderClauses(spec: SearchSpec): string[] {
	const clauses = spec.agentNames.map((name) => `agent_names:${searchTerm(name)}`);
	if (spec.visitorName !== undefined) clauses.push(`visitor_name:${searchTerm(spec.visitorName)}`);
	if (spec.visitorEmail !== undefined)
		clauses.push(`visitor_email:${searchTerm(spec.visitorEmail)}`);
	if (spec.chatType !== undefined) clauses.push(`type:${spec.chatType}`);
	if (spec.rating !== undefined) clauses.push(`rating:${spec.rating}`);
	if (spec.timestamp && !isOpen(spec.timestamp))
		clauses.push(`timestamp:${renderRange(spec.timestamp)}`);
	if (spec.endTimestamp && !isOpen(spec.endTimestamp))
		clauses.push(`end_timestamp:${renderRange(spec.endTimestamp)}`);
	for (const term of spec.textTerms) clauses.push(searchTerm(term));
	return clauses;
}

/** Letters (with their marks), digits, "_", "." and "@": nothing the query syntax gives a meaning to. */
const BARE_TERM = /^[\p{L}\p{M}\p{N}_.@]+$/u;
/** Operator words are only operators in capitals, but quoting them in any case costs nothing. */
const OPERATOR_WORD = /^(and|or|not|to)$/i;

/** One value as a query term: as is when it is plain, otherwise a quoted phrase (with no `"` or `\` inside). */
export function searchTerm(value: string): string {
	if (BARE_TERM.test(value) && !OPERATOR_WORD.test(value)) return value;
	return `"${value
		.replace(/["\\]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()}"`;
}

/** Seconds as the documented examples write them: `2016-02-02T16:00:00` (UTC). */
export function formatSearchTime(seconds: number): string {
	return new Date(seconds * 1000).toISOString().slice(0, 19);
}

function renderRange(range: SecondsRange): string {
	const end = (value: number | null) => (value === null ? '*' : formatSearchTime(value));
	return `[${end(range.from)} TO ${end(range.to)}]`;
}

function isOpen(range: SecondsRange): boolean {
	return range.from === null && range.to === null;
}

function searchText(value: unknown, field: string, maxLength: number): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '')
		throw new InvalidInputError(
			field,
			'the value is empty',
			'Give a text, or leave the criterion out.',
		);
	if (text.length > maxLength)
		throw new InvalidInputError(field, `the value is longer than ${maxLength} characters`);
	if (hasControlCharacters(text))
		throw new InvalidInputError(
			field,
			'the value contains control characters (such as a line break)',
		);
	if (!/[\p{L}\p{N}]/u.test(text))
		throw new InvalidInputError(field, 'the value has no letters or digits to search for');
	return text;
}

/**
 * Whole seconds, since search timestamps have no finer unit: `from` rounds up and `to` down, so the
 * range never reaches outside what was asked. A date without a time as `to` means the end of that
 * day, as the documented example "[2014-10-10 TO 2014-12-12]" ("between 2014-10-10 and 2014-12-12")
 * reads.
 */
function secondsRange(range: TimeRange, field: string): SecondsRange {
	if (
		typeof range !== 'object' ||
		range === null ||
		range instanceof Date ||
		Array.isArray(range)
	) {
		throw new InvalidInputError(
			field,
			'a time range is an object { from?, to? }',
			'e.g. { from: "2024-05-01T00:00:00Z", to: "2024-05-31T23:59:59Z" }',
		);
	}
	for (const key of Object.keys(range)) {
		if (key !== 'from' && key !== 'to')
			throw new InvalidInputError(
				`${field}.${key}`,
				`"${key}" is not part of a time range`,
				'Use from and to.',
			);
	}
	const from =
		range.from === undefined ? null : Math.ceil(dateInput(range.from, `${field}.from`) / 1000);
	const to =
		range.to === undefined
			? null
			: Math.floor(dateInput(range.to, `${field}.to`) / 1000) + (isDateOnly(range.to) ? 86_399 : 0);
	if (from === null && to === null)
		throw new InvalidInputError(field, 'a time range needs from, to, or both');
	if (from !== null && to !== null && from > to)
		throw new InvalidInputError(field, '"from" is after "to"', 'Swap them, or widen the range.');
	return { from, to };
}

function isDateOnly(value: unknown): boolean {
	return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	throw new InvalidInputError(
		field,
		`${quoteValue(value)} is not allowed`,
		`Use one of: ${allowed.join(', ')}.`,
	);
}
