import { GraphqlError, ProtocolError, type ZendeskError } from '../shared';

/**
 * Reading the Conversations API's error payloads (seeds/chat-conversations-api-getting-started.txt,
 * "Error response"): `{errors: [{name, message, UUID}]}` for a GraphQL failure, `{body}` for a
 * protocol failure such as the GraphQL server being unavailable.
 */

interface ErrorEntry {
	name?: unknown;
	message?: unknown;
	UUID?: unknown;
}

/**
 * The error a response payload carries, or undefined when it carries none. `errorCode` is the
 * frame's `errorCode` / `error_code` (an HTTP status), when present.
 */
export function errorFromPayload(payload: unknown, errorCode?: unknown): ZendeskError | undefined {
	if (payload === null || typeof payload !== 'object') return undefined;
	const { errors, body } = payload as { errors?: unknown; body?: unknown };
	const status = typeof errorCode === 'number' ? errorCode : undefined;
	if (Array.isArray(errors) && errors.length > 0) {
		const first = (errors[0] ?? {}) as ErrorEntry;
		// A document the server's GraphQL layer rejects carries no name: it is an execution error.
		const name =
			typeof first.name === 'string' && first.name !== '' ? first.name : 'GRAPHQL_EXEC_ERROR';
		const messages = errors
			.map((e) =>
				typeof (e as ErrorEntry)?.message === 'string' ? (e as ErrorEntry).message : undefined,
			)
			.filter(Boolean);
		const message = messages.length > 0 ? messages.join('; ') : name;
		return new GraphqlError(
			name,
			String(message),
			typeof first.UUID === 'string' ? first.UUID : undefined,
			status,
		);
	}
	if (typeof body === 'string' && !('data' in (payload as object))) {
		return new ProtocolError(
			'conversations',
			`the Conversations API could not serve the request: ${body}`,
			payload,
		);
	}
	return undefined;
}

/** Errors no retry can fix: the documented "Retryable: No" names. */
export const FATAL_ERROR_NAMES: readonly string[] = [
	'UNAUTHORIZED',
	'FORBIDDEN',
	'MAX_SUB',
	'GRAPHQL_EXEC_ERROR',
];

/** Codes of errors that are never retried: the caller's own doing, or the end of the client. */
const FATAL_CODES = new Set(['ZCHAT_ERR_INVALID_INPUT', 'ZCHAT_ERR_ABORTED', 'ZCHAT_ERR_CLOSED']);

/** The explicit fatal list: true when retrying cannot help. */
export function isFatal(error: ZendeskError): boolean {
	if (FATAL_CODES.has(error.code)) return true;
	if (error instanceof GraphqlError) {
		// GRAPHQL_EXEC_ERROR is "an invalid request structure, invalid request parameters, or an internal
		// server error": with a 5xx errorCode it is the server's failure, which a later try can escape.
		if (error.errorName === 'GRAPHQL_EXEC_ERROR' && (error.errorCode ?? 0) >= 500) return false;
		return FATAL_ERROR_NAMES.includes(error.errorName);
	}
	return !error.retryable;
}

/** What a retry decision is given. */
export interface RetryContext {
	/** Consecutive failures so far (0 for the first), reset once a connection opens. */
	retries: number;
	/** Has the session been connected at least once? Before that, a failure fails `connect()` sooner. */
	connectedBefore: boolean;
}

/** Decides whether the session tries again after `error`; false ends the session with that error. */
export type ShouldRetry = (error: ZendeskError, context: RetryContext) => boolean;

/**
 * The default policy: never the fatal list; up to `startAttempts` tries to open the first
 * connection (so an action fails in seconds, not minutes); unlimited reconnects afterwards, with
 * backoff (so a trigger outlives an outage).
 */
export function defaultShouldRetry(startAttempts = 5): ShouldRetry {
	return (error, { retries, connectedBefore }) =>
		!isFatal(error) && (connectedBefore || retries + 1 < startAttempts);
}
