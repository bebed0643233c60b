import type { RestBase } from './base-url';

/**
 * Turns a `next_url` into the next request, so that the token only ever goes to the credential's
 * base URL. A next_url on the base URL is followed as given; one on another host (the search
 * example's result urls point at scribe.zopim.com, and legacy accounts answer with
 * www.zopim.com urls) is not: its query (the page or cursor) is carried over to the endpoint being
 * paged, on the base URL.
 */
export interface PageRequest {
	/** Path under the base URL, starting with "/". */
	path: string;
	query: URLSearchParams;
}

export function nextPageRequest(
	nextUrl: string,
	base: RestBase,
	endpointPath: string,
): PageRequest {
	const { origin, basePath } = base;
	const next = new URL(nextUrl, `${origin}${basePath}/`);
	const underBase = next.origin === origin && next.pathname.startsWith(`${basePath}/`);
	const path = underBase ? next.pathname.slice(basePath.length) : endpointPath;
	return { path, query: next.searchParams };
}

/** A key that identifies a page request, to stop a server that sends the same next_url forever. */
export function pageKey(request: PageRequest): string {
	const query = new URLSearchParams(request.query);
	query.sort();
	return `${request.path}?${query.toString()}`;
}
