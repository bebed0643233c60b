import { HttpError, ZendeskError } from '../shared/errors';
import { StreamingStatusError } from './errors';

/** What to do after the socket could not be opened, or closed without being asked to. */
export type ReconnectDecision =
	/** The token was refused: ask the TokenProvider for a fresh one, then connect again. */
	| { action: 'refresh' }
	/** Wait, then connect again. */
	| { action: 'retry'; delayMs: number }
	/** Stop: retrying cannot help (the error says why). */
	| { action: 'fatal' };

export interface ReconnectState {
	/** How many failed attempts in a row, 0 for the first. */
	attempt: number;
	/** Whether the provider can refresh and has not been asked to since the socket was last healthy. */
	canRefresh: boolean;
	backoff: (attempt: number) => number;
}

/**
 * The single place that decides whether to retry (as graphql-ws's shouldRetry): the fatal list is
 * kept short, because a false "fatal" stops a healthy trigger for good.
 * - 401 on the upgrade, or a 401 frame ("unauthenticated"): refresh once, then fatal.
 * - 429 on the upgrade (too many connections, or the 200/min budget): retry with backoff, never
 *   sooner than Retry-After.
 * - Any other 4xx on the upgrade (403 no access, 404 wrong URL…) except 408: fatal.
 * - Everything else (drops, timeouts, 5xx, half-open sockets): retry with backoff.
 */
export function decideReconnect(error: unknown, state: ReconnectState): ReconnectDecision {
	const wait = state.backoff(state.attempt);
	if (isTokenRefused(error)) return state.canRefresh ? { action: 'refresh' } : { action: 'fatal' };
	if (error instanceof HttpError) {
		if (error.statusCode === 429)
			return { action: 'retry', delayMs: Math.max(wait, error.retryAfterMs ?? 0) };
		if (error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 408)
			return { action: 'fatal' };
		return { action: 'retry', delayMs: wait };
	}
	// Failing to get a token at all (the credential is gone) is not something waiting fixes.
	if (!(error instanceof ZendeskError)) return { action: 'fatal' };
	return { action: 'retry', delayMs: wait };
}

export function isTokenRefused(error: unknown): boolean {
	return (
		(error instanceof HttpError || error instanceof StreamingStatusError) &&
		error.statusCode === 401
	);
}
