import type { ZodType, ZodTypeDef } from 'zod';

import {
	AbortedError,
	CallDeadline,
	ClosedError,
	ConnectionError,
	credentialKey as hashOf,
	HttpError,
	InvalidInputError,
	ProtocolError,
	sleep,
	TimeoutError,
	type Backoff,
	type Logger,
	type RateLimiter,
	type TokenProvider,
} from '../shared';
import type { RestBase } from './base-url';
import { RestBudgetSpentError } from './budget';
import { USER_AGENT } from './constants';
import { httpErrorFrom, readBody } from './http-errors';
import { viaProxy } from '../shared/proxy';
import {
	classifyTransportError,
	type HttpMethod,
	type HttpResponse,
	type PoolLease,
	type TransportFailure,
} from '../shared/http';

export type QueryParams = Record<string, string | number | undefined>;

/** One call to the API, before retries. */
export interface RestCall<T> {
	method: HttpMethod;
	/** Path under the base URL, starting with "/", with every user-given segment already encoded. */
	path: string;
	query?: QueryParams | URLSearchParams;
	/** Sent as JSON. */
	body?: unknown;
	/** Checks (and shapes) a 2xx answer's JSON. */
	schema: ZodType<T, ZodTypeDef, unknown>;
	signal?: AbortSignal;
	/**
	 * false: never wait for the credential's budget. The call is sent only if the shared limiter has
	 * room now, and a 429 is not retried; either way it fails with RestBudgetSpentError. @default true
	 */
	waitForBudget?: boolean;
}

export interface RestTransportSettings {
	/** The validated base URL; `pool` is for its origin. */
	base: RestBase;
	tokens: TokenProvider;
	pool: PoolLease;
	limiter: RateLimiter;
	/** Tries per call for retryable failures (429, 5xx, connection resets, timeouts). */
	maxAttempts: number;
	backoff: Backoff;
	/** A 429/503 asking to wait longer than this fails at once (with its retryAfterMs) instead. */
	maxRetryAfterMs: number;
	/** Per attempt: the time for the headers, then again for the body. */
	timeoutMs: number;
	/**
	 * The whole call, retries and their waits included, from its first attempt (a wait for the
	 * shared budget before it is pacing, not the call, and does not count).
	 */
	deadlineMs: number;
	logger: Logger;
	/** A hash naming the credential in logs; never the token. */
	credentialKey: string;
	/** Aborts every call in flight when the client closes. */
	closeSignal: AbortSignal;
}

type SendOutcome = { response: HttpResponse } | { failure: TransportFailure; error: unknown };

/** Methods a retry cannot repeat the effect of (RFC 9110 section 9.2.2); POST is left out. */
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'DELETE']);

/**
 * Sends Chat REST API calls: takes a turn from the credential's shared rate limiter for every
 * attempt, retries what can be retried, refreshes the token once on a 401, and maps every failure
 * to the shared error taxonomy. The retry loop is ours rather than undici's RetryHandler because
 * each retry must wait its turn in the shared limiter, and a 429 must slow every client of the
 * credential, not only the request that got it.
 */
export class RestTransport {
	private refreshing: { staleKey: string; fresh: Promise<string> } | undefined;

	constructor(private readonly settings: RestTransportSettings) {}

	async request<T>(call: RestCall<T>): Promise<T> {
		const deadline = new CallDeadline(this.settings.deadlineMs, [
			this.settings.closeSignal,
			call.signal,
		]);
		try {
			return await this.run(call, deadline).catch((error: unknown) =>
				Promise.reject(this.explainStop(error, call, deadline)),
			);
		} finally {
			deadline.dispose();
		}
	}

	/** The path and query as sent (tests and logs use it; it never contains the token). */
	target(path: string, query?: QueryParams | URLSearchParams): string {
		const params = query instanceof URLSearchParams ? query : toSearchParams(query);
		const search = params.toString();
		return `${this.settings.base.basePath}${path}${search ? `?${search}` : ''}`;
	}

	private async run<T>(call: RestCall<T>, deadline: CallDeadline): Promise<T> {
		const { settings } = this;
		const { signal } = deadline;
		const target = this.target(call.path, call.query);
		const pathname = `${settings.base.basePath}${call.path}`;
		const body = call.body === undefined ? undefined : JSON.stringify(call.body);
		let token = checkToken(await settings.tokens.getToken());
		let failures = 0;
		let refreshed = false;
		for (;;) {
			if (signal.aborted) throw new AbortedError('rest');
			if (call.waitForBudget !== false) await settings.limiter.acquire(signal);
			else if (!settings.limiter.tryAcquire()) {
				throw new RestBudgetSpentError(
					false,
					`${call.method} ${pathname} was not sent: the Chat REST API budget of this credential has no room now`,
					settings.limiter.delayMs(),
				);
			}
			deadline.start();
			const outcome = await this.sendOnce(call.method, target, body, token, signal);
			const canRetry = failures + 1 < settings.maxAttempts;
			// A wait that would outlast the call's time limit is not started: the failure is the answer.
			const fits = (waitMs: number) => waitMs < deadline.remainingMs();
			if ('failure' in outcome) {
				if (outcome.failure === 'aborted' || signal.aborted) throw new AbortedError('rest');
				const transient = outcome.failure === 'connection' || outcome.failure === 'timeout';
				const waitMs = settings.backoff(failures);
				if (transient && IDEMPOTENT.has(call.method) && canRetry && fits(waitMs)) {
					this.logRetry(call.method, pathname, outcome.failure, waitMs, failures);
					await sleep(waitMs, signal, 'rest');
					failures += 1;
					continue;
				}
				throw transportError(outcome, call.method, pathname, viaProxy(settings.base.origin));
			}
			const { response } = outcome;
			if (response.statusCode >= 200 && response.statusCode < 300)
				return this.parse(call, pathname, response);
			if (response.statusCode === 401 && !refreshed && settings.tokens.refresh) {
				refreshed = true;
				settings.logger.debug('Chat REST API refused the token; refreshing it once', {
					credential: settings.credentialKey,
				});
				token = checkToken(await this.refreshToken(token, call.method, pathname, response));
				continue;
			}
			const error = httpErrorFrom(call.method, pathname, response);
			if (error.statusCode === 429 && call.waitForBudget === false) {
				// Every client of the credential still learns of the wait; this call does not take part in it.
				const waitMs = error.retryAfterMs ?? settings.backoff(failures);
				if (waitMs <= settings.maxRetryAfterMs) settings.limiter.penalize(waitMs);
				throw new RestBudgetSpentError(
					true,
					error.message,
					error.retryAfterMs,
					error.body,
					error.headers,
				);
			}
			if (error.statusCode === 429 && canRetry) {
				const waitMs = error.retryAfterMs ?? settings.backoff(failures);
				if (waitMs <= settings.maxRetryAfterMs) {
					// The wait happens in the shared limiter, so every client of this credential pauses,
					// also when this call cannot wait that long and fails now.
					settings.limiter.penalize(waitMs);
					if (fits(waitMs)) {
						this.logRetry(call.method, pathname, 429, waitMs, failures);
						failures += 1;
						continue;
					}
				}
			}
			if (error.statusCode >= 500 && IDEMPOTENT.has(call.method) && canRetry) {
				const waitMs = error.retryAfterMs ?? settings.backoff(failures);
				if (waitMs <= settings.maxRetryAfterMs && fits(waitMs)) {
					this.logRetry(call.method, pathname, error.statusCode, waitMs, failures);
					await sleep(waitMs, signal, 'rest');
					failures += 1;
					continue;
				}
			}
			throw error;
		}
	}

	private sendOnce(
		method: HttpMethod,
		path: string,
		body: string | undefined,
		token: string,
		signal: AbortSignal,
	): Promise<SendOutcome> {
		const headers: Record<string, string> = {
			authorization: `Bearer ${token}`,
			accept: 'application/json',
			'user-agent': USER_AGENT,
		};
		if (body !== undefined) headers['content-type'] = 'application/json';
		return this.settings.pool
			.send({ method, path, headers, body, signal, timeoutMs: this.settings.timeoutMs })
			.then(
				(response): SendOutcome => ({ response }),
				(error: unknown): SendOutcome => ({
					failure: signal.aborted ? 'aborted' : classifyTransportError(error),
					error,
				}),
			);
	}

	private parse<T>(call: RestCall<T>, pathname: string, response: HttpResponse): T {
		const body = readBody(response.text);
		if (!body.ok)
			throw new ProtocolError(
				'rest',
				`Chat REST API answered ${call.method} ${pathname} with a body that is not JSON`,
				body.text.slice(0, 2000),
			);
		const result = call.schema.safeParse(body.value);
		if (!result.success) {
			const issues = result.error.issues
				.slice(0, 3)
				.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
				.join('; ');
			throw new ProtocolError(
				'rest',
				`Chat REST API answered ${call.method} ${pathname} with an unexpected body (${issues})`,
				body.value,
			);
		}
		return result.data;
	}

	/**
	 * One refresh for all the calls refused with the same token: calls that fail together share the
	 * refresh instead of each asking the provider for a new token.
	 */
	private refreshToken(
		stale: string,
		method: HttpMethod,
		pathname: string,
		response: HttpResponse,
	): Promise<string> {
		const staleKey = hashOf(stale);
		if (this.refreshing?.staleKey !== staleKey) {
			const refresh = this.settings.tokens.refresh!.bind(this.settings.tokens);
			this.refreshing = { staleKey, fresh: Promise.resolve().then(refresh) };
		}
		return this.refreshing.fresh.catch((cause: unknown) => {
			const refused = httpErrorFrom(method, pathname, response);
			const reason = cause instanceof Error ? cause.message : String(cause);
			return Promise.reject(
				new HttpError(
					'rest',
					401,
					`${refused.message} Refreshing the token failed: ${reason}`,
					refused.body,
					refused.headers,
				),
			);
		});
	}

	/**
	 * An abort caused by close() is reported as ClosedError, one asked for by the caller as
	 * AbortedError, and the call's time limit running out as TimeoutError.
	 */
	private explainStop(error: unknown, call: RestCall<unknown>, deadline: CallDeadline): unknown {
		if (!(error instanceof AbortedError) || call.signal?.aborted) return error;
		if (deadline.expired) {
			const seconds = Math.round(deadline.ms / 100) / 10;
			return new TimeoutError(
				'rest',
				`Chat REST API ${call.method} ${this.settings.base.basePath}${call.path} did not finish within ${seconds} s (the call's time limit, retries included)`,
			);
		}
		if (this.settings.closeSignal.aborted) return new ClosedError('rest');
		return error;
	}

	private logRetry(
		method: HttpMethod,
		pathname: string,
		reason: string | number,
		waitMs: number,
		failures: number,
	): void {
		this.settings.logger.debug('Chat REST API call will be retried', {
			credential: this.settings.credentialKey,
			request: `${method} ${pathname}`,
			reason,
			waitMs,
			attempt: failures + 2,
		});
	}
}

/** A bearer token is visible ASCII (RFC 6750 b64token); anything else would break the header. */
function checkToken(token: string): string {
	if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
		throw new InvalidInputError(
			'accessToken',
			'the access token is empty or contains characters a token cannot have',
			'Reconnect the credential or paste the token again.',
		);
	}
	return token;
}

function toSearchParams(query: QueryParams | undefined): URLSearchParams {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query ?? {}))
		if (value !== undefined) params.set(key, String(value));
	return params;
}

function transportError(
	outcome: { failure: TransportFailure; error: unknown },
	method: HttpMethod,
	pathname: string,
	via: string,
): Error {
	const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
	if (outcome.failure === 'timeout')
		return new TimeoutError(
			'rest',
			`Chat REST API did not answer ${method} ${pathname} in time (${reason})`,
		);
	return new ConnectionError(
		'rest',
		`Chat REST API could not be reached${via} for ${method} ${pathname} (${reason})`,
		outcome.error,
	);
}
