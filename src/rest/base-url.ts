import { InvalidInputError } from '../shared';

/** Where the Chat REST API lives: an origin for the connection pool, and the path every call goes under. */
export interface RestBase {
	/** scheme://host[:port] */
	origin: string;
	/** e.g. "/api/v2/chat"; "" at the root; never a trailing slash. */
	basePath: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks a base URL such as `https://acme.zendesk.com/api/v2/chat` (`chatEndpoints()` in
 * src/shared builds it from a credential). The token is sent to it, so plain http is only accepted
 * for this machine (the local simulator) unless `allowHttp` says otherwise.
 */
export function parseRestBase(raw: string, allowHttp = false): RestBase {
	let url: URL | undefined;
	try {
		url = new URL(raw);
	} catch {
		url = undefined;
	}
	if (!url)
		throw new InvalidInputError(
			'baseUrl',
			`"${raw}" is not a URL`,
			'e.g. https://acme.zendesk.com/api/v2/chat',
		);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InvalidInputError('baseUrl', 'the base URL must start with https://');
	}
	if (url.protocol === 'http:' && !allowHttp && !LOOPBACK_HOSTS.has(url.hostname)) {
		throw new InvalidInputError(
			'baseUrl',
			'the token would travel unencrypted over http://',
			'Use https:// (http:// is accepted for localhost only).',
		);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new InvalidInputError(
			'baseUrl',
			'the base URL must not carry credentials, a query or a fragment',
		);
	}
	return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}
