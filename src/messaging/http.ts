import { CallDeadline, sleep, throwIfAborted } from '../shared/abort';
import {
	AbortedError,
	ClosedError,
	ConnectionError,
	InvalidInputError,
	ProtocolError,
	TimeoutError,
} from '../shared/errors';
import type { Logger } from '../shared/logger';
import {
	classifyTransportError,
	leasePool,
	type HttpMethod as SharedHttpMethod,
	type PoolLease,
} from '../shared/http';
import { viaProxy } from '../shared/proxy';
import { toHttpError } from './api-error';
import { tryParseJson } from './json';
import type { Authorizer } from './auth';
import { MAX_JSON_BODY_BYTES } from './constants';
import { parseRetryAfter } from '../shared/retry-after';
import { retryDelayMs, type RetryPolicy } from './retry-policy';

/**
 * The only file in src/messaging that sends HTTP, through src/shared/http.ts: one keep-alive pool
 * per origin (and proxy settings) shared by every client that talks to it, reference-counted and
 * closed when the last client closes, so nothing stays open after a workflow finishes.
 */
export type HttpMethod = Extract<SharedHttpMethod, 'GET' | 'POST' | 'PATCH' | 'DELETE'>;

export interface SunshineRequest {
	method: HttpMethod;
	/** Path below the app, already percent-encoded: `/users/abc`. */
	path: string;
	/** The path template for messages and logs: `/users/{userIdOrExternalId}`. */
	route: string;
	query?: Record<string, string | number | undefined>;
	body?: unknown;
	/** Safe to repeat after a 5xx or a dropped connection (see retry-policy.ts). */
	idempotent: boolean;
	signal?: AbortSignal;
}

export interface TransportOptions {
	baseUrl: string;
	appId: string;
	authorizer: Authorizer;
	retry: RetryPolicy;
	/** Per attempt: the time for the headers, then again for the body. */
	timeoutMs: number;
	/** The whole call: every attempt and the waits between them. */
	deadlineMs: number;
	/** Aborts every call, as a call's own signal does. */
	signal?: AbortSignal;
	logger: Logger;
}

/** Sends requests under `{baseUrl}/v2/apps/{appId}` with auth, retries and error mapping. */
export class SunshineTransport {
	private readonly origin: string;
	private readonly appPath: string;
	private pool: PoolLease | undefined;

	constructor(private readonly options: TransportOptions) {
		if (!URL.canParse(options.baseUrl)) {
			throw new InvalidInputError(
				'baseUrl',
				'baseUrl is not a valid URL',
				'Use https://{subdomain}.zendesk.com/sc (see messagingBaseUrl).',
			);
		}
		const url = new URL(options.baseUrl);
		if (url.protocol !== 'https:' && url.protocol !== 'http:') {
			throw new InvalidInputError(
				'baseUrl',
				`baseUrl must be an http or https URL, got ${url.protocol}`,
			);
		}
		if (url.search || url.hash || url.username || url.password) {
			throw new InvalidInputError(
				'baseUrl',
				'baseUrl must not carry a query, a fragment or credentials',
			);
		}
		this.origin = url.origin;
		this.appPath = `${url.pathname.replace(/\/+$/, '')}/v2/apps/${encodeURIComponent(options.appId)}`;
		this.pool = leasePool(this.origin);
	}

	get closed(): boolean {
		return this.pool === undefined;
	}

	/**
	 * Sends, retrying as the policy allows, within the call's time limit (`deadlineMs`, retries and
	 * their waits included); resolves with the parsed JSON body (`{}` when empty).
	 * @throws TimeoutError when the time limit runs out; a retry wait that would outlast it is not
	 *   started (the last error is thrown at once).
	 */
	async request(req: SunshineRequest): Promise<unknown> {
		const body = req.body === undefined ? undefined : JSON.stringify(req.body);
		if (body !== undefined && Buffer.byteLength(body) > MAX_JSON_BODY_BYTES) {
			throw new InvalidInputError(
				'body',
				`the request body is ${Buffer.byteLength(body)} bytes; Sunshine Conversations accepts at most ${MAX_JSON_BODY_BYTES}`,
				'Send less data in one request.',
			);
		}
		const deadline = new CallDeadline(this.options.deadlineMs, [req.signal, this.options.signal]);
		deadline.start();
		try {
			return await this.attempts(req, body, deadline.signal, deadline);
		} catch (error) {
			if (deadline.expired && !req.signal?.aborted && !this.options.signal?.aborted) {
				const seconds = Math.round(deadline.ms / 100) / 10;
				throw new TimeoutError(
					'messaging',
					`Sunshine Conversations ${req.method} ${req.route} did not finish within ${seconds} s (the call's time limit, retries included)`,
				);
			}
			throw error;
		} finally {
			deadline.dispose();
		}
	}

	private async attempts(
		req: SunshineRequest,
		body: string | undefined,
		signal: AbortSignal,
		deadline: CallDeadline,
	): Promise<unknown> {
		for (let attempt = 0; ; attempt++) {
			throwIfAborted(signal, 'messaging');
			const outcome = await this.once(req, body, signal).then(
				(value) => ({ ok: true as const, value }),
				(error: unknown) => ({ ok: false as const, error }),
			);
			if (outcome.ok) return outcome.value;
			const wait = signal.aborted
				? undefined
				: retryDelayMs(outcome.error, attempt, req.idempotent, this.options.retry);
			// A wait that would outlast the call's time limit is not started: the failure is the answer.
			if (wait === undefined || wait >= deadline.remainingMs()) throw outcome.error;
			this.options.logger.debug('Sunshine Conversations request failed; retrying', {
				route: `${req.method} ${req.route}`,
				attempt: attempt + 1,
				waitMs: wait,
				error: (outcome.error as Error).message,
			});
			await sleep(wait, signal, 'messaging');
		}
	}

	private async once(
		req: SunshineRequest,
		body: string | undefined,
		signal: AbortSignal,
	): Promise<unknown> {
		const pool = this.pool;
		if (!pool) throw new ClosedError('messaging');
		const route = `${req.method} ${req.route}`;
		const headers: Record<string, string> = {
			authorization: this.options.authorizer.header(),
			accept: 'application/json',
		};
		if (body !== undefined) headers['content-type'] = 'application/json';
		let status: number;
		let responseHeaders: Record<string, string | string[] | undefined>;
		let text: string;
		try {
			const response = await pool.send({
				method: req.method,
				path: this.appPath + req.path + queryString(req.query),
				headers,
				body,
				signal,
				timeoutMs: this.options.timeoutMs,
			});
			status = response.statusCode;
			responseHeaders = response.headers;
			text = response.text;
		} catch (error) {
			throw this.transportError(error, signal, route);
		}
		if (status < 200 || status >= 300) {
			throw toHttpError(
				status,
				text,
				responseHeaders,
				route,
				parseRetryAfter(responseHeaders['retry-after']),
			);
		}
		if (text.trim() === '') return {};
		const parsed = tryParseJson(text);
		if (!parsed.ok) {
			throw new ProtocolError(
				'messaging',
				`Sunshine Conversations ${route} answered ${status} with a body that is not JSON`,
				text.slice(0, 2000),
			);
		}
		return parsed.value;
	}

	private transportError(error: unknown, signal: AbortSignal, route: string): Error {
		if (signal.aborted) return new AbortedError('messaging');
		const failure = classifyTransportError(error);
		if (failure === 'timeout')
			return new TimeoutError(
				'messaging',
				`Sunshine Conversations ${route} did not answer within ${this.options.timeoutMs} ms`,
			);
		if (failure === 'closed') return new ClosedError('messaging');
		return new ConnectionError(
			'messaging',
			`Sunshine Conversations ${route}: the connection failed${viaProxy(this.origin)} (${(error as Error)?.message ?? String(error)})`,
			error,
		);
	}

	/** Releases this client's share of the pool; in-flight requests finish first. Idempotent. */
	async close(): Promise<void> {
		const pool = this.pool;
		if (!pool) return;
		this.pool = undefined;
		await pool.release();
	}
}

/** `?a=1&page%5Bafter%5D=x`: keys and values are encoded by URLSearchParams, never concatenated raw. */
function queryString(query: SunshineRequest['query']): string {
	if (!query) return '';
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query))
		if (value !== undefined) params.append(key, String(value));
	const text = params.toString();
	return text ? `?${text}` : '';
}
