import { badRequest } from './errors';
import { integerParam } from './params';
import { renderSearchResult } from './render';
import { matchesQuery, parseSearchQuery, SearchQueryError, type SearchQuery } from './search-query';
import type { RestEnv, RestReply, RestRequest } from './types';

/** seeds/chat-rest-api-chats.txt "Search Chats": "250 pages with 40 results per page". */
export const SEARCH_PAGE_SIZE = 40;
export const SEARCH_MAX_PAGES = 250;

/**
 * GET /chats/search?q=&page=: `{results, count, next_url, prev_url}` with JSON null (not the list's
 * string "null") where there is no page, as the doc's Search example shows. Results are oldest first
 * (unverified, like the list); `count` is the total number of matches, which may exceed the 10,000
 * that can be paged through (unverified). A page past the cap ("?page=251") is a 400, as documented;
 * next_url is null on page 250 even when more chats match. A missing or malformed q is a 400.
 */
export function searchChats(env: RestEnv, req: RestRequest): RestReply {
	const q = req.url.searchParams.get('q');
	if (q === null || q.trim() === '') throw badRequest('q is required: the search query');
	const page = integerParam(req.url, 'page', { min: 1 }) ?? 1;
	if (page > SEARCH_MAX_PAGES) {
		throw badRequest(
			`page ${page} is past the limit of ${SEARCH_MAX_PAGES * SEARCH_PAGE_SIZE} results per query ` +
				`(${SEARCH_MAX_PAGES} pages of ${SEARCH_PAGE_SIZE}); narrow the query with a timestamp range`,
		);
	}
	const query = parseOrReject(q);
	const context = { agentName: (id: number) => env.world.agents.get(id)?.displayName };
	const matches = env.world.listChats().filter((chat) => matchesQuery(query, chat, context));
	const results = matches.slice((page - 1) * SEARCH_PAGE_SIZE, page * SEARCH_PAGE_SIZE);
	const pageUrl = (n: number) =>
		`${env.restBase()}/chats/search?q=${encodeURIComponent(q)}&page=${n}`;
	const hasNext = page * SEARCH_PAGE_SIZE < matches.length && page < SEARCH_MAX_PAGES;
	return {
		status: 200,
		body: {
			count: matches.length,
			next_url: hasNext ? pageUrl(page + 1) : null,
			prev_url: page > 1 ? pageUrl(page - 1) : null,
			results: results.map((chat) => renderSearchResult(chat, env.restBase())),
		},
	};
}

function parseOrReject(q: string): SearchQuery {
	try {
		return parseSearchQuery(q);
	} catch (error) {
		if (error instanceof SearchQueryError)
			throw badRequest(`invalid search query: ${error.message}`);
		throw error;
	}
}
