import type { ChatRecord } from '../world/types';

/**
 * The Search Chats query language (seeds/chat-rest-api-chats.txt, "Searchable fields" and
 * "Example queries"): `field:value` terms and free text joined by `AND`, ranges `[a TO b]` with
 * `*` for an open end, dates `2014-10-10` or `2016-02-02T16:00:00`.
 *
 * What the doc does not say, decided here (unverified) and refused loudly rather than guessed:
 * - Terms side by side without `AND` are also all required (free text "late delivery").
 * - `OR`, `NOT`, `+`/`-` prefixes, parentheses, `{a TO b}` and `*` wildcards are refused.
 * - An unknown field name is refused (write `"a:b"` in quotes to search that text).
 * - Dates are UTC unless they carry `Z` or an offset; a date-only bound covers its whole day, so
 *   `[2014-10-10 TO 2014-12-12]` includes all of 12 December; a time covers its stated precision.
 * - Names and free text match whole words, case-insensitively; a quoted or multi-word value must
 *   appear as consecutive words. Free text looks in the messages (and an offline message's text).
 */
export type SearchTerm =
	| { kind: 'name'; field: 'agent_names' | 'visitor_name'; words: string[] }
	| { kind: 'email'; email: string }
	| { kind: 'time'; field: 'timestamp' | 'end_timestamp'; from: number | null; to: number | null }
	| { kind: 'type'; value: 'chat' | 'offline_msg' }
	| { kind: 'rating'; value: 'good' | 'bad' }
	| { kind: 'text'; words: string[] };

export interface SearchQuery {
	terms: SearchTerm[];
}

/** A query the API answers with 400. */
export class SearchQueryError extends Error {}

/** The searchable fields; `type` is what the doc's own examples use for `chat_type`. */
const FIELDS = [
	'agent_names',
	'visitor_name',
	'visitor_email',
	'timestamp',
	'end_timestamp',
	'chat_type',
	'type',
	'rating',
];

export function parseSearchQuery(q: string): SearchQuery {
	const scanner = new Scanner(q);
	const terms: SearchTerm[] = [];
	let pendingAnd = false;
	for (;;) {
		const token = scanner.next();
		if (!token) break;
		if (token.kind === 'and') {
			if (terms.length === 0 || pendingAnd)
				throw new SearchQueryError('AND must stand between two terms');
			pendingAnd = true;
			continue;
		}
		terms.push(token.term);
		pendingAnd = false;
	}
	if (pendingAnd) throw new SearchQueryError('AND must stand between two terms');
	if (terms.length === 0) throw new SearchQueryError('the query is empty');
	return { terms };
}

export interface MatchContext {
	agentName(agentId: number): string | undefined;
}

export function matchesQuery(query: SearchQuery, chat: ChatRecord, context: MatchContext): boolean {
	return query.terms.every((term) => matchesTerm(term, chat, context));
}

function matchesTerm(term: SearchTerm, chat: ChatRecord, context: MatchContext): boolean {
	switch (term.kind) {
		case 'name': {
			const names =
				term.field === 'visitor_name'
					? [chat.visitor.name]
					: chat.agentIds.map((id) => context.agentName(id) ?? '');
			return names.some((name) => containsPhrase(words(name), term.words));
		}
		case 'email':
			return chat.visitor.email.toLowerCase() === term.email;
		case 'time': {
			const at = term.field === 'timestamp' ? chat.startedAt : chat.endedAt;
			if (at === null) return false;
			return (term.from === null || at >= term.from) && (term.to === null || at <= term.to);
		}
		case 'type':
			return chat.type === term.value;
		case 'rating':
			return chat.rating === term.value;
		case 'text':
			return (
				chat.history.some(
					(h) => h.type === 'chat.msg' && containsPhrase(cachedWords(h, h.msg ?? ''), term.words),
				) ||
				(chat.message !== null && containsPhrase(cachedWords(chat, chat.message), term.words))
			);
	}
}

/** Lower-cased words (letters and digits) of a text. */
export function words(text: string): string[] {
	return text
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean);
}

/** Words of a message, kept per record: messages do not change, and 10,000 chats are searched often. */
const wordCache = new WeakMap<object, { text: string; words: string[] }>();

function cachedWords(owner: object, text: string): string[] {
	const cached = wordCache.get(owner);
	if (cached && cached.text === text) return cached.words;
	const found = words(text);
	wordCache.set(owner, { text, words: found });
	return found;
}

function containsPhrase(haystack: string[], phrase: string[]): boolean {
	outer: for (let i = 0; i + phrase.length <= haystack.length; i++) {
		for (let j = 0; j < phrase.length; j++) if (haystack[i + j] !== phrase[j]) continue outer;
		return true;
	}
	return false;
}

// ---- scanning -----------------------------------------------------------------------------------

type Token = { kind: 'and' } | { kind: 'term'; term: SearchTerm };

class Scanner {
	private at = 0;

	constructor(private readonly text: string) {}

	next(): Token | undefined {
		while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
		if (this.at >= this.text.length) return undefined;
		const ch = this.text[this.at];
		if (ch === '"') return { kind: 'term', term: textTerm(this.quoted()) };
		if ('(){}'.includes(ch))
			throw new SearchQueryError(`"${ch}" is not supported: join terms with AND`);
		const field = /^([A-Za-z_]+):/.exec(this.text.slice(this.at));
		if (field) {
			this.at += field[0].length;
			return { kind: 'term', term: this.fieldTerm(field[1]) };
		}
		const word = this.bareWord();
		if (word === 'AND') return { kind: 'and' };
		if (word === 'OR' || word === 'NOT' || word === '&&' || word === '||') {
			throw new SearchQueryError(`${word} is not supported: only AND is`);
		}
		if (/^[+-]/.test(word))
			throw new SearchQueryError(`"${word}": + and - prefixes are not supported`);
		if (word.includes('*'))
			throw new SearchQueryError(`"${word}": wildcards are not supported (* only in ranges)`);
		return { kind: 'term', term: textTerm(word) };
	}

	private fieldTerm(name: string): SearchTerm {
		if (!FIELDS.includes(name)) {
			throw new SearchQueryError(
				`unknown field "${name}"; searchable fields are ${FIELDS.join(', ')}`,
			);
		}
		const ch = this.text[this.at];
		if (ch === '[') return rangeTerm(name, this.range());
		if (ch === '{')
			throw new SearchQueryError(
				`${name}: exclusive ranges {a TO b} are not supported; use [a TO b]`,
			);
		const value = ch === '"' ? this.quoted() : this.bareWord();
		if (value === '') throw new SearchQueryError(`${name}: has no value`);
		return valueTerm(name, value);
	}

	private bareWord(): string {
		const start = this.at;
		while (this.at < this.text.length && !/\s/.test(this.text[this.at])) this.at++;
		return this.text.slice(start, this.at);
	}

	private quoted(): string {
		const close = this.text.indexOf('"', this.at + 1);
		if (close < 0) throw new SearchQueryError('a quote is not closed');
		const value = this.text.slice(this.at + 1, close);
		this.at = close + 1;
		this.requireSeparator();
		return value;
	}

	private range(): [string, string] {
		const close = this.text.indexOf(']', this.at);
		if (close < 0) throw new SearchQueryError('a range [a TO b] is not closed');
		const inner = this.text.slice(this.at + 1, close).trim();
		this.at = close + 1;
		this.requireSeparator();
		const parts = inner.split(/\s+TO\s+/);
		if (parts.length !== 2 || parts.some((p) => p === '' || /\s/.test(p))) {
			throw new SearchQueryError(
				`"[${inner}]" is not a range: write [from TO to], * for an open end`,
			);
		}
		return [parts[0], parts[1]];
	}

	private requireSeparator(): void {
		if (this.at < this.text.length && !/\s/.test(this.text[this.at])) {
			throw new SearchQueryError(`expected a space after position ${this.at}`);
		}
	}
}

function textTerm(value: string): SearchTerm {
	const found = words(value);
	if (found.length === 0) throw new SearchQueryError(`"${value}" has no words to search for`);
	return { kind: 'text', words: found };
}

function valueTerm(field: string, value: string): SearchTerm {
	switch (field) {
		case 'agent_names':
		case 'visitor_name': {
			const found = words(value);
			if (found.length === 0) throw new SearchQueryError(`${field}: "${value}" has no words`);
			return { kind: 'name', field, words: found };
		}
		case 'visitor_email':
			return { kind: 'email', email: value.toLowerCase() };
		case 'timestamp':
		case 'end_timestamp': {
			const span = parseDateSpan(field, value);
			return { kind: 'time', field, from: span.from, to: span.to };
		}
		case 'chat_type':
		case 'type': {
			const type = value.toLowerCase();
			if (type !== 'chat' && type !== 'offline_msg')
				throw new SearchQueryError(`${field}: must be chat or offline_msg, not "${value}"`);
			return { kind: 'type', value: type };
		}
		default: {
			const rating = value.toLowerCase();
			if (rating !== 'good' && rating !== 'bad')
				throw new SearchQueryError(`rating: must be good or bad, not "${value}"`);
			return { kind: 'rating', value: rating };
		}
	}
}

function rangeTerm(field: string, [low, high]: [string, string]): SearchTerm {
	if (field !== 'timestamp' && field !== 'end_timestamp') {
		throw new SearchQueryError(`${field}: ranges are only for timestamp and end_timestamp`);
	}
	const from = low === '*' ? null : parseDateSpan(field, low).from;
	const to = high === '*' ? null : parseDateSpan(field, high).to;
	if (from !== null && to !== null && from > to)
		throw new SearchQueryError(`${field}: the range ends before it starts`);
	return { kind: 'time', field, from, to };
}

const DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The instants a date or time covers, inclusive: a day, a minute, a second or a millisecond. */
export function parseDateSpan(field: string, value: string): { from: number; to: number } {
	const m = DATE_TIME.exec(value);
	if (!m)
		throw new SearchQueryError(
			`${field}: "${value}" is not a date (2014-10-10 or 2016-02-02T16:00:00)`,
		);
	const [, y, mo, d, h, mi, s, frac, zone] = m;
	const start = Date.UTC(
		+y,
		+mo - 1,
		+d,
		h ? +h : 0,
		mi ? +mi : 0,
		s ? +s : 0,
		frac ? Math.floor(+`0.${frac}` * 1000) : 0,
	);
	const check = new Date(start);
	const valid =
		check.getUTCFullYear() === +y &&
		check.getUTCMonth() === +mo - 1 &&
		check.getUTCDate() === +d &&
		(h === undefined ||
			(check.getUTCHours() === +h &&
				check.getUTCMinutes() === +mi &&
				(s === undefined || check.getUTCSeconds() === +s)));
	if (!valid) throw new SearchQueryError(`${field}: "${value}" is not a valid date`);
	const offset = zone && zone !== 'Z' ? zoneOffsetMs(zone) : 0;
	const length =
		h === undefined ? 86_400_000 : s === undefined ? 60_000 : frac === undefined ? 1000 : 1;
	return { from: start - offset, to: start - offset + length - 1 };
}

function zoneOffsetMs(zone: string): number {
	const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
	const minutes = +m[2] * 60 + +m[3];
	return (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}
