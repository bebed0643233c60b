/**
 * One error taxonomy for every client in src/. Each error has a stable `code` (ZCHAT_ERR_*), says
 * whether retrying can help, and names the API it came from, so the n8n layer can map it to a
 * NodeApiError / NodeOperationError without guessing. Classes are branded with Symbol.for so that
 * `instanceof` works across duplicate copies of this package (as undici's errors do).
 */
export type ZendeskApi = 'conversations' | 'rest' | 'streaming' | 'messaging' | 'support';

export type ZendeskErrorCode =
	| 'ZCHAT_ERR_INVALID_INPUT'
	| 'ZCHAT_ERR_HTTP'
	| 'ZCHAT_ERR_GRAPHQL'
	| 'ZCHAT_ERR_PROTOCOL'
	| 'ZCHAT_ERR_TIMEOUT'
	| 'ZCHAT_ERR_CONNECTION'
	| 'ZCHAT_ERR_SESSION_ENDED'
	| 'ZCHAT_ERR_ABORTED'
	| 'ZCHAT_ERR_CLOSED'
	| 'ZCHAT_ERR_STREAMING_STATUS';

const kZendeskError = Symbol.for('n8n-nodes-zendesk-chat.ZendeskError');

export interface ZendeskErrorOptions {
	api?: ZendeskApi;
	retryable?: boolean;
	cause?: unknown;
}

export class ZendeskError extends Error {
	readonly code: ZendeskErrorCode;
	readonly api: ZendeskApi | undefined;
	readonly retryable: boolean;

	constructor(code: ZendeskErrorCode, message: string, options: ZendeskErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'ZendeskError';
		this.code = code;
		this.api = options.api;
		this.retryable = options.retryable ?? false;
		Object.defineProperty(this, kZendeskError, { value: true });
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return (
			typeof value === 'object' &&
			value !== null &&
			(value as Record<symbol, unknown>)[kZendeskError] === true
		);
	}
}

/** Bad input caught before any request is sent; `field` names the parameter to fix. */
export class InvalidInputError extends ZendeskError {
	constructor(
		readonly field: string,
		message: string,
		readonly hint?: string,
	) {
		super('ZCHAT_ERR_INVALID_INPUT', message);
		this.name = 'InvalidInputError';
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return (
			value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_INVALID_INPUT'
		);
	}
}

/** An HTTP answer that is not a success. */
export class HttpError extends ZendeskError {
	constructor(
		api: ZendeskApi,
		readonly statusCode: number,
		message: string,
		readonly body: unknown,
		readonly headers: Record<string, string | string[] | undefined> = {},
		/** From Retry-After, when the server sent one. */
		readonly retryAfterMs?: number,
	) {
		super('ZCHAT_ERR_HTTP', message, { api, retryable: statusCode === 429 || statusCode >= 500 });
		this.name = 'HttpError';
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_HTTP';
	}
}

/**
 * A Conversations API error (seeds/chat-conversations-api-getting-started.txt, "graphQLErrorPayload"):
 * `name` is the documented error name, `uuid` what Zendesk support asks for.
 */
export type GraphqlErrorName =
	| 'UNAUTHORIZED'
	| 'FORBIDDEN'
	| 'RATE_LIMITED'
	| 'MAX_SUB'
	| 'GRAPHQL_EXEC_ERROR'
	| 'GRAPHQL_SUB_START_ERROR'
	| (string & {});

/** Retryable per the documented table; GRAPHQL_SUB_START_ERROR only a few times (3–5 in 30 s). */
const RETRYABLE_GRAPHQL_ERRORS = new Set<string>(['RATE_LIMITED', 'GRAPHQL_SUB_START_ERROR']);

export class GraphqlError extends ZendeskError {
	constructor(
		readonly errorName: GraphqlErrorName,
		message: string,
		readonly uuid: string | undefined,
		/** The frame's errorCode (an HTTP status), when it had one. */
		readonly errorCode?: number,
	) {
		super('ZCHAT_ERR_GRAPHQL', message, {
			api: 'conversations',
			retryable: RETRYABLE_GRAPHQL_ERRORS.has(errorName),
		});
		this.name = 'GraphqlError';
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_GRAPHQL';
	}
}

/** The server said something the client does not understand (a malformed frame or body). */
export class ProtocolError extends ZendeskError {
	constructor(
		api: ZendeskApi,
		message: string,
		readonly raw?: unknown,
	) {
		super('ZCHAT_ERR_PROTOCOL', message, { api, retryable: true });
		this.name = 'ProtocolError';
	}

	// Without this, ZendeskError's check (inherited) would match every ZendeskError.
	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_PROTOCOL';
	}
}

export class TimeoutError extends ZendeskError {
	constructor(api: ZendeskApi, message: string) {
		super('ZCHAT_ERR_TIMEOUT', message, { api, retryable: true });
		this.name = 'TimeoutError';
	}

	// Without this, ZendeskError's check (inherited) would match every ZendeskError.
	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_TIMEOUT';
	}
}

/** The connection failed or dropped; the client may already be reconnecting. */
export class ConnectionError extends ZendeskError {
	constructor(api: ZendeskApi, message: string, cause?: unknown) {
		super('ZCHAT_ERR_CONNECTION', message, { api, retryable: true, cause });
		this.name = 'ConnectionError';
	}

	// Without this, ZendeskError's check (inherited) would match every ZendeskError.
	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_CONNECTION';
	}
}

/** The Conversations API ended the agent session (EOS) and it could not be started again. */
export class SessionEndedError extends ZendeskError {
	constructor(
		readonly reason: string,
		message?: string,
	) {
		super('ZCHAT_ERR_SESSION_ENDED', message ?? `the agent session ended: ${reason}`, {
			api: 'conversations',
		});
		this.name = 'SessionEndedError';
	}

	// Without this, ZendeskError's check (inherited) would match every ZendeskError.
	static [Symbol.hasInstance](value: unknown): boolean {
		return (
			value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_SESSION_ENDED'
		);
	}
}

export class AbortedError extends ZendeskError {
	constructor(api?: ZendeskApi) {
		super('ZCHAT_ERR_ABORTED', 'the operation was aborted', { api });
		this.name = 'AbortedError';
	}

	// Without this, ZendeskError's check (inherited) would match every ZendeskError.
	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_ABORTED';
	}
}

/** The client was closed; nothing more can be sent on it. */
export class ClosedError extends ZendeskError {
	constructor(api: ZendeskApi) {
		super('ZCHAT_ERR_CLOSED', 'the client is closed', { api });
		this.name = 'ClosedError';
	}

	// Without this, ZendeskError's check (inherited) would match every ZendeskError.
	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof ZendeskError && (value as ZendeskError).code === 'ZCHAT_ERR_CLOSED';
	}
}

/**
 * Any failure as a ZendeskError: ours pass through; an abort (when `signal` says so) is an
 * AbortedError; anything else (a socket error, a token provider's failure) becomes a retryable
 * ConnectionError of `api` that keeps the original as its cause.
 */
export function toZendeskError(
	error: unknown,
	api: ZendeskApi,
	options: { what?: string; signal?: AbortSignal } = {},
): ZendeskError {
	if (error instanceof ZendeskError) return error;
	if (options.signal?.aborted) return new AbortedError(api);
	const message = error instanceof Error ? error.message : String(error);
	return new ConnectionError(api, options.what ? `${options.what}: ${message}` : message, error);
}
