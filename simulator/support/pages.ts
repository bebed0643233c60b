import { invalidPagination } from './errors';

/**
 * Zendesk's two ways of paging ("Pagination" in the API reference introduction):
 * - cursor, chosen by sending `page[size]` ("Most endpoints limit this to a maximum of 100"):
 *   `meta: {has_more, after_cursor, before_cursor}` and `links: {next, prev}`; the client goes on
 *   while `meta.has_more` is true. `after_cursor` is given even on the last page, so a client that
 *   stops on a missing cursor instead of on `has_more` is caught;
 * - offset, without `page[size]`: `page`, `per_page` (at most 100), and `next_page` /
 *   `previous_page` URLs (null at the ends) with a `count`.
 * Cursors are opaque to clients; here they are the base64url of the record id they follow.
 */
export const MAX_PAGE_SIZE = 100;
/** (unverified) offset pages without per_page: 100, as "List Users" says ("Returns a maximum of 100 records per page"). */
export const DEFAULT_OFFSET_PER_PAGE = 100;

export interface CursorPage<T> {
	items: T[];
	meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
	links: { next: string | null; prev: string | null };
}

export interface OffsetPage<T> {
	items: T[];
	next_page: string | null;
	previous_page: string | null;
	count: number;
}

const encodeCursor = (id: number) => Buffer.from(`after:${id}`).toString('base64url');

function decodeCursor(cursor: string): number {
	const text = Buffer.from(cursor, 'base64url').toString('utf8');
	const match = /^after:(\d+)$/.exec(text);
	if (!match) throw invalidPagination('page[after] is not a cursor this API gave out');
	return Number(match[1]);
}

/** Whether the request asks for cursor pagination. */
export function wantsCursor(query: URLSearchParams): boolean {
	return query.has('page[size]');
}

export function cursorPage<T extends { id: number }>(
	records: T[],
	query: URLSearchParams,
	url: URL,
): CursorPage<T> {
	const sizeText = query.get('page[size]') ?? '';
	const size = Number(sizeText);
	if (!/^\d+$/.test(sizeText) || size < 1)
		throw invalidPagination('page[size] must be a positive integer');
	if (size > MAX_PAGE_SIZE) throw invalidPagination(`page[size] must be at most ${MAX_PAGE_SIZE}`);
	if (query.has('page[before]')) throw invalidPagination('page[before] is not simulated');
	const after = query.get('page[after]');
	const start = after === null ? 0 : records.findIndex((record) => record.id > decodeCursor(after));
	const items = start < 0 ? [] : records.slice(start, start + size);
	const hasMore = start >= 0 && start + size < records.length;
	const last = items.at(-1);
	const first = items[0];
	const link = (name: 'page[after]' | 'page[before]', cursor: string) => {
		const next = new URL(url);
		next.searchParams.delete('page[after]');
		next.searchParams.delete('page[before]');
		next.searchParams.set(name, cursor);
		return next.toString();
	};
	return {
		items,
		meta: {
			has_more: hasMore,
			after_cursor: last ? encodeCursor(last.id) : null,
			before_cursor: first ? encodeCursor(first.id - 1) : null,
		},
		links: {
			next: hasMore && last ? link('page[after]', encodeCursor(last.id)) : null,
			prev: first && start > 0 ? link('page[before]', encodeCursor(first.id - 1)) : null,
		},
	};
}

export function offsetPage<T>(records: T[], query: URLSearchParams, url: URL): OffsetPage<T> {
	const page = positive(query.get('page'), 1, 'page');
	// (unverified) per_page over 100 is cut to 100 rather than refused.
	const perPage = Math.min(
		positive(query.get('per_page'), DEFAULT_OFFSET_PER_PAGE, 'per_page'),
		MAX_PAGE_SIZE,
	);
	const start = (page - 1) * perPage;
	const at = (n: number) => {
		const next = new URL(url);
		next.searchParams.set('page', String(n));
		next.searchParams.set('per_page', String(perPage));
		return next.toString();
	};
	return {
		items: records.slice(start, start + perPage),
		next_page: start + perPage < records.length ? at(page + 1) : null,
		previous_page: page > 1 ? at(page - 1) : null,
		count: records.length,
	};
}

function positive(text: string | null, fallback: number, name: string): number {
	if (text === null || text === '') return fallback;
	if (!/^\d+$/.test(text) || Number(text) < 1)
		throw invalidPagination(`${name} must be a positive integer`);
	return Number(text);
}
