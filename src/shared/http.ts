/**
 * The one module of the package that imports undici (lint enforces it): every HTTP request the
 * package sends goes through here. It owns one keep-alive dispatcher per origin for the whole
 * process, shared by every client that talks to that origin and closed when the last of them lets
 * go, turns undici's outcomes into plain values, and honours HTTP_PROXY, HTTPS_PROXY and NO_PROXY
 * through undici's own EnvHttpProxyAgent (which hosts are proxied: src/shared/proxy.ts).
 */
import { EnvHttpProxyAgent, type Agent, type Dispatcher } from 'undici';

import { proxyEnvironmentKey } from './proxy';

export type HttpMethod = 'GET' | 'PUT' | 'DELETE' | 'POST' | 'PATCH';

export interface HttpRequest {
	method: HttpMethod;
	/** Path and query, already encoded (e.g. `/api/v2/chat/chats?ids=1%2C2`). */
	path: string;
	headers: Record<string, string>;
	body?: string;
	signal: AbortSignal;
	/** Time allowed for the headers, then again for the body. */
	timeoutMs: number;
}

export interface HttpResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

/** How a request failed before a status code arrived; decides whether a retry can help. */
export type TransportFailure = 'aborted' | 'connection' | 'timeout' | 'closed' | 'other';

/** A client's share of the process-wide pool for one origin. */
export interface PoolLease {
	readonly origin: string;
	send(request: HttpRequest): Promise<HttpResponse>;
	/** Gives the share back; the pool closes (its sockets end) when no client holds it. */
	release(): Promise<void>;
}

/**
 * An undici dispatcher for any origin that goes through HTTP_PROXY / HTTPS_PROXY unless NO_PROXY
 * says otherwise (undici's EnvHttpProxyAgent, which reads the variables itself), and connects
 * directly when none is set. `options` are undici Agent options (connections per origin,
 * keep-alive, timeouts, TLS), applied to the direct and the proxied connections alike.
 */
export function createHttpDispatcher(options: Agent.Options = {}): Dispatcher {
	return new EnvHttpProxyAgent(options);
}

/** @default 8 connections: the 200 requests/min budget never needs more. */
const CONNECTIONS_PER_ORIGIN = 8;
/** How long an idle keep-alive socket is kept (undici lowers it to what the server announces). */
const KEEP_ALIVE_TIMEOUT_MS = 10_000;

interface PoolEntry {
	pool: Dispatcher;
	holders: number;
}

/** By origin and proxy settings: a changed HTTP_PROXY gets a new dispatcher, not the old route. */
const pools = new Map<string, PoolEntry>();

/** Takes a share of the keep-alive pool for `origin` (scheme://host:port), creating it if needed. */
export function leasePool(origin: string): PoolLease {
	const key = `${origin}\n${proxyEnvironmentKey()}`;
	let entry = pools.get(key);
	if (!entry) {
		entry = {
			pool: createHttpDispatcher({
				connections: CONNECTIONS_PER_ORIGIN,
				keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
			}),
			holders: 0,
		};
		pools.set(key, entry);
	}
	entry.holders += 1;
	const held = entry;
	let released = false;
	return {
		origin,
		send: (request) => send(held.pool, origin, request),
		release: async () => {
			if (released) return;
			released = true;
			held.holders -= 1;
			if (held.holders > 0) return;
			if (pools.get(key) === held) pools.delete(key);
			await held.pool.close();
		},
	};
}

/** How many origins have an open pool (tests check that nothing is left behind). */
export function openPoolCount(): number {
	return pools.size;
}

async function send(pool: Dispatcher, origin: string, request: HttpRequest): Promise<HttpResponse> {
	const response = await pool.request({
		origin,
		method: request.method,
		path: request.path,
		headers: request.headers,
		body: request.body,
		signal: request.signal,
		headersTimeout: request.timeoutMs,
		bodyTimeout: request.timeoutMs,
	});
	// Always read the body to the end: an unread body keeps its socket from going back to the pool.
	const text = await response.body.text();
	return { statusCode: response.statusCode, headers: response.headers, text };
}

const CONNECTION_CODES = new Set([
	'UND_ERR_SOCKET',
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'EAI_AGAIN',
]);
const TIMEOUT_CODES = new Set([
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'ETIMEDOUT',
]);
/** The dispatcher was closed or destroyed under the request (the client is closing). */
const CLOSED_CODES = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

/** Classifies an error thrown by `send` by its code (undici's `UND_ERR_*` or a system errno). */
export function classifyTransportError(error: unknown): TransportFailure {
	const code = (error as { code?: unknown } | undefined)?.code;
	const name = (error as { name?: unknown } | undefined)?.name;
	// A proxy that refuses the tunnel is reported by undici as an aborted request; the caller's own
	// aborts are recognised by their signal before this is asked.
	if (
		code === 'UND_ERR_ABORTED' &&
		/^Proxy response/.test(String((error as { message?: unknown }).message))
	)
		return 'other';
	if (code === 'UND_ERR_ABORTED' || name === 'AbortError') return 'aborted';
	if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return 'timeout';
	if (typeof code === 'string' && CLOSED_CODES.has(code)) return 'closed';
	if (typeof code === 'string' && CONNECTION_CODES.has(code)) return 'connection';
	return 'other';
}

/**
 * One request on a dispatcher of its own, closed right after: for rare calls (startAgentSession,
 * 50 an hour at most) that should leave no keep-alive socket behind. `timeoutMs` bounds the
 * connect, the headers and the body each.
 */
export async function sendOnce(
	url: string,
	request: Omit<HttpRequest, 'path'>,
): Promise<HttpResponse> {
	const target = new URL(url);
	const dispatcher = createHttpDispatcher({ connect: { timeout: request.timeoutMs } });
	try {
		return await send(dispatcher, target.origin, {
			...request,
			path: `${target.pathname}${target.search}`,
		});
	} finally {
		dispatcher.destroy().catch(() => undefined);
	}
}
