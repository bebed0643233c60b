import { badRequest } from './errors';
import type { Json } from './validate';

/**
 * Cursor pages (openapi.yaml Introduction "API Pagination and Records Limits", schemas `page`,
 * `meta`, `links`): `page[after]` or `page[before]` (a 24-character record id, not both) and
 * `page[size]` 1–100, default 25.
 */
export interface PageQuery {
	after?: string;
	before?: string;
	size: number;
	/** Whether page[size] was given (links repeat it). */
	sizeGiven: boolean;
}

export const DEFAULT_PAGE_SIZE = 25;
/** openapi.yaml ListMessages: "The page size limit is fixed at 100 messages per page." */
export const MESSAGE_PAGE_SIZE = 100;

const INVALID = 'Invalid page query parameters';

export function readPage(query: URLSearchParams): PageQuery {
	const after = query.get('page[after]') ?? undefined;
	const before = query.get('page[before]') ?? undefined;
	const sizeText = query.get('page[size]');
	if (after !== undefined && before !== undefined) throw badRequest(INVALID);
	for (const cursor of [after, before]) {
		if (cursor !== undefined && cursor.length !== 24) throw badRequest(INVALID);
	}
	let size = DEFAULT_PAGE_SIZE;
	if (sizeText !== null) {
		size = Number(sizeText);
		if (!/^\d+$/.test(sizeText) || size < 1 || size > 100) throw badRequest(INVALID);
	}
	return { after, before, size, sizeGiven: sizeText !== null };
}

export interface Page<T> {
	items: T[];
	meta: Json;
	links: Json;
}

/**
 * One page of `items` (in list order). Without a cursor, a forward list starts at its beginning; a
 * backward one (messages) at its end. `hasMore` tells whether more records lie in the direction
 * being paged. A cursor that names no record of the list is a bad page query. (unverified)
 */
export function pageOf<T extends { id: string }>(
	items: T[],
	page: PageQuery,
	link: (cursor: { after?: string; before?: string }) => string,
	backwardByDefault = false,
): Page<T> {
	const size = page.size;
	let start: number;
	let end: number;
	let backward: boolean;
	if (page.after !== undefined) {
		const index = items.findIndex((item) => item.id === page.after);
		if (index < 0) throw badRequest(INVALID);
		start = index + 1;
		end = Math.min(items.length, start + size);
		backward = false;
	} else if (page.before !== undefined) {
		const index = items.findIndex((item) => item.id === page.before);
		if (index < 0) throw badRequest(INVALID);
		end = index;
		start = Math.max(0, end - size);
		backward = true;
	} else if (backwardByDefault) {
		end = items.length;
		start = Math.max(0, end - size);
		backward = true;
	} else {
		start = 0;
		end = Math.min(items.length, size);
		backward = false;
	}
	const slice = items.slice(start, end);
	const olderExist = start > 0 && slice.length > 0;
	const newerExist = end < items.length && slice.length > 0;
	const meta: Json = { hasMore: backward ? start > 0 : end < items.length };
	const links: Json = {};
	if (newerExist) {
		meta.afterCursor = slice[slice.length - 1].id;
		links.next = link({ after: slice[slice.length - 1].id });
	}
	if (olderExist) {
		meta.beforeCursor = slice[0].id;
		links.prev = link({ before: slice[0].id });
	}
	return { items: slice, meta, links };
}

/** A page link: the same path and filters, with the new cursor (brackets kept literal, as in the spec's examples). */
export function pageLinkBuilder(base: string, query: URLSearchParams, page: PageQuery) {
	return (cursor: { after?: string; before?: string }): string => {
		const parts: string[] = [];
		for (const [key, value] of query) {
			if (key.startsWith('page[')) continue;
			parts.push(`${key}=${encodeURIComponent(value)}`);
		}
		if (cursor.after) parts.push(`page[after]=${cursor.after}`);
		if (cursor.before) parts.push(`page[before]=${cursor.before}`);
		if (page.sizeGiven) parts.push(`page[size]=${page.size}`);
		return `${base}?${parts.join('&')}`;
	};
}

/** `meta`, and `links` only when there is a link (the spec's list examples carry meta alone). */
export function pageBody(page: Page<unknown & { id: string }>): Json {
	return Object.keys(page.links).length > 0
		? { meta: page.meta, links: page.links }
		: { meta: page.meta };
}
