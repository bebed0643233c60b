/**
 * Walks every result of a chat search. Search stops at 10,000 results (250 pages of 40; page 251
 * answers 400), and Zendesk's advice is to "serialize the search into smaller chunks by limiting
 * results by timestamp range" (seeds/chat-rest-api-chats.txt, Search Chats). So when a query
 * matches more than that, its time range is halved, and halved again, until each slice is under the
 * cap; the slices are walked oldest first and every chat is given once.
 */
import { InvalidInputError, ProtocolError } from '../shared';
import type { RestBase } from './base-url';
import { SEARCH_MAX_PAGES, SEARCH_RESULT_CAP } from './constants';
import { nextPageRequest, pageKey, type PageRequest } from './next-page';
import type { RestTransport } from './rest-transport';
import { searchPageSchema, type SearchResult } from './schemas';
import {
	formatSearchTime,
	renderSearchQuery,
	type SearchSpec,
	type SecondsRange,
} from './search-query';

export const SEARCH_PATH = '/chats/search';

/**
 * Where bisection starts when the range has no lower end: 2007-01-01, before any Zendesk Chat
 * (Zopim) chat existed. The slice keeps its open end, so nothing older is lost, it is only
 * reached by fewer halvings.
 */
const SLICING_FLOOR_SECONDS = Date.UTC(2007, 0, 1) / 1000;
/** Without an upper end, bisection stops a day past now (a margin for clock skew); the last slice stays open. */
const SLICING_CEILING_MARGIN_SECONDS = 86_400;

export interface SearchWalkOptions {
	signal?: AbortSignal;
	/** Split a query matching more than 10,000 chats into time slices. */
	slice: boolean;
	/** Epoch milliseconds now (bisection's upper end for an open range). */
	now: () => number;
}

export async function* walkSearch(
	transport: RestTransport,
	base: RestBase,
	spec: SearchSpec,
	options: SearchWalkOptions,
): AsyncGenerator<SearchResult> {
	const seen = new Set<string>();
	// A stack of slices, the oldest on top: walked depth-first, so results come oldest slice first.
	const slices: Array<SecondsRange | undefined> = [spec.timestamp];
	while (slices.length > 0) {
		const slice = slices.pop();
		const query = renderSearchQuery({ ...spec, timestamp: slice });
		const first: PageRequest = { path: SEARCH_PATH, query: new URLSearchParams({ q: query }) };
		const page = await fetchPage(transport, first, options.signal);
		// At the cap, not only past it: whether `count` can exceed 10,000 is not documented, so a count
		// of exactly 10,000 may hide more (splitting a slice that did not need it costs a request or two).
		if (options.slice && (page.count ?? 0) >= SEARCH_RESULT_CAP) {
			const halves = halve(slice ?? { from: null, to: null }, Math.floor(options.now() / 1000));
			if (!halves) {
				throw new InvalidInputError(
					'query',
					`${SEARCH_RESULT_CAP} or more chats match within one second (${formatSearchTime(slice?.from ?? 0)})`,
					'Add criteria to narrow the search.',
				);
			}
			slices.push(halves[1], halves[0]);
			continue;
		}
		yield* walkPages(transport, base, first, page, seen, options.signal);
	}
}

/**
 * Every result of a query written by hand, each once. It is never sliced: the client cannot narrow a
 * query whose operators it does not parse (an added `AND timestamp:[…]` could bind to one side of an
 * OR), so it gives at most the first 10,000 matches, as the API pages them.
 */
export async function* walkQueryText(
	transport: RestTransport,
	base: RestBase,
	query: string,
	signal: AbortSignal | undefined,
): AsyncGenerator<SearchResult> {
	const first: PageRequest = { path: SEARCH_PATH, query: new URLSearchParams({ q: query }) };
	const page = await fetchPage(transport, first, signal);
	yield* walkPages(transport, base, first, page, new Set(), signal);
}

async function* walkPages(
	transport: RestTransport,
	base: RestBase,
	first: PageRequest,
	firstPage: Awaited<ReturnType<typeof fetchPage>>,
	seen: Set<string>,
	signal: AbortSignal | undefined,
): AsyncGenerator<SearchResult> {
	const visited = new Set([pageKey(first)]);
	let page = firstPage;
	for (let pages = 1; ; pages++) {
		for (const result of page.results) {
			// Chats added while walking shift later pages; the same chat is still given once.
			if (seen.has(result.id)) continue;
			seen.add(result.id);
			yield result as SearchResult;
		}
		// Page 251 is refused with 400: a slice never needs it, and an unsliced search ends at the cap.
		if (!page.next_url || pages >= SEARCH_MAX_PAGES) return;
		const next = nextPageRequest(page.next_url, base, SEARCH_PATH);
		if (visited.has(pageKey(next))) {
			throw new ProtocolError(
				'rest',
				'the search answered with a next_url that does not move forward',
				page.next_url,
			);
		}
		visited.add(pageKey(next));
		page = await fetchPage(transport, next, signal);
	}
}

function fetchPage(
	transport: RestTransport,
	request: PageRequest,
	signal: AbortSignal | undefined,
) {
	return transport.request({
		method: 'GET',
		path: request.path,
		query: request.query,
		schema: searchPageSchema,
		signal,
	});
}

/**
 * Two inclusive halves in whole seconds that together cover `range` exactly ([a, m] and [m+1, b]):
 * search ranges are inclusive at both ends and timestamps are whole seconds, so nothing falls
 * between them and nothing is in both. Undefined when the range is one second and cannot be split.
 */
export function halve(
	range: SecondsRange,
	nowSeconds: number,
): [SecondsRange, SecondsRange] | undefined {
	const low =
		range.from ??
		(range.to !== null && range.to <= SLICING_FLOOR_SECONDS ? 0 : SLICING_FLOOR_SECONDS);
	const high = range.to ?? Math.max(low, nowSeconds) + SLICING_CEILING_MARGIN_SECONDS;
	if (low >= high) return undefined;
	const middle = Math.floor((low + high) / 2);
	return [
		{ from: range.from, to: middle },
		{ from: middle + 1, to: range.to },
	];
}
