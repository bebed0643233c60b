import { InvalidInputError } from '../shared/errors';
import { quoteValue } from '../shared/excerpt';
import type { PageEnvelope } from './schemas';

/**
 * Zendesk's two ways of paging ("Pagination" in the API reference introduction):
 * - cursor: send `page[size]` (most endpoints allow at most 100); the answer's `meta.has_more` says
 *   whether more follow and `meta.after_cursor` is what `page[after]` takes next; `links.next` is
 *   the same request ready-made;
 * - offset: `page` and `per_page` (at most 100), `next_page` null on the last page. The two search
 *   endpoints the pickers use only page this way.
 */
export const MAX_PAGE_SIZE = 100;

/** Where the next page starts. Encoded into the opaque token the caller hands back. */
export type PageToken = { type: 'cursor'; after: string } | { type: 'offset'; page: number };

export function encodePageToken(token: PageToken): string {
	return token.type === 'cursor' ? `after:${token.after}` : `page:${token.page}`;
}

/** @throws InvalidInputError for a token this module did not make. */
export function decodePageToken(raw: string | undefined): PageToken | undefined {
	if (raw === undefined || raw === '') return undefined;
	if (raw.startsWith('after:') && raw.length > 'after:'.length)
		return { type: 'cursor', after: raw.slice('after:'.length) };
	const page = /^page:([1-9][0-9]{0,5})$/.exec(raw);
	if (page) return { type: 'offset', page: Number(page[1]) };
	throw new InvalidInputError(
		'paginationToken',
		`paginationToken ${quoteValue(raw)} was not made by this client`,
		'Start the list again from its first page.',
	);
}

/**
 * The cursor of the page after this one. `meta.after_cursor` first; failing that, the
 * `page[after]` of `links.next`, read from the link rather than followed, so the request (and its
 * credentials) never goes to a host the answer names.
 */
export function nextCursor(envelope: PageEnvelope): string | undefined {
	if (envelope.meta?.has_more !== true) return undefined;
	if (envelope.meta.after_cursor) return envelope.meta.after_cursor;
	const next = envelope.links?.next;
	if (!next || !URL.canParse(next)) return undefined;
	return new URL(next).searchParams.get('page[after]') ?? undefined;
}

/** The next offset page, or undefined on the last one. */
export function nextOffsetPage(envelope: PageEnvelope, page: number): number | undefined {
	return typeof envelope.next_page === 'string' && envelope.next_page !== '' ? page + 1 : undefined;
}
