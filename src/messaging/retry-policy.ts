import type { Backoff } from '../shared/backoff';
import { ConnectionError, HttpError, TimeoutError } from '../shared/errors';

export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	backoff: Backoff;
	/** A Retry-After longer than this is not waited for: the error is thrown (it still says retryable). */
	maxRetryDelayMs: number;
}

/**
 * How long to wait before retrying `error` (undefined: do not retry). 429 and 503 mean the request
 * was not processed, so every request is retried. Other 5xx, timeouts and dropped connections may
 * come after the server acted, so only requests that are safe to repeat are retried: posting a
 * message twice would show the customer a duplicate.
 */
export function retryDelayMs(
	error: unknown,
	attempt: number,
	idempotent: boolean,
	policy: RetryPolicy,
): number | undefined {
	if (attempt >= policy.maxRetries) return undefined;
	if (error instanceof HttpError) {
		const status = error.statusCode;
		const notProcessed = status === 429 || status === 503;
		if (!notProcessed && !(status >= 500 && idempotent)) return undefined;
		const retryAfter = error.retryAfterMs;
		if (retryAfter !== undefined && retryAfter > policy.maxRetryDelayMs) return undefined;
		return Math.max(retryAfter ?? 0, policy.backoff(attempt));
	}
	if ((error instanceof ConnectionError || error instanceof TimeoutError) && idempotent)
		return policy.backoff(attempt);
	return undefined;
}
