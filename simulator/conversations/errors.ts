import { randomUUID } from 'node:crypto';

/**
 * The error names of seeds/chat-conversations-api-getting-started.txt, "graphQLErrorPayload":
 * UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, MAX_SUB, GRAPHQL_EXEC_ERROR, GRAPHQL_SUB_START_ERROR.
 */
export const ERROR_NAMES = [
	'UNAUTHORIZED',
	'FORBIDDEN',
	'RATE_LIMITED',
	'MAX_SUB',
	'GRAPHQL_EXEC_ERROR',
	'GRAPHQL_SUB_START_ERROR',
] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];

export function isErrorName(value: unknown): value is ErrorName {
	return typeof value === 'string' && (ERROR_NAMES as readonly string[]).includes(value);
}

/**
 * The httpStatusCode of each error name. The doc's error response carries `errorCode:
 * httpStatusCode` but never says which status goes with which name: these are (unverified) the
 * obvious ones. GRAPHQL_EXEC_ERROR is 400 for a bad request and 500 for an internal failure.
 */
export const HTTP_STATUS: Record<ErrorName, number> = {
	UNAUTHORIZED: 401,
	FORBIDDEN: 403,
	RATE_LIMITED: 429,
	MAX_SUB: 400,
	GRAPHQL_EXEC_ERROR: 400,
	GRAPHQL_SUB_START_ERROR: 500,
};

/** A failure with a documented error name, thrown by resolvers and the protocol layer. */
export class ConversationsError extends Error {
	constructor(
		readonly errorName: ErrorName,
		message: string,
		readonly status: number = HTTP_STATUS[errorName],
		/** Seconds, for RATE_LIMITED over HTTP (a Retry-After header; unverified). */
		readonly retryAfter?: number,
	) {
		super(message);
	}
}

/** One entry of graphQLErrorPayload.errors: `{name, message, UUID}`. */
export interface ApiErrorEntry {
	name: ErrorName;
	message: string;
	UUID: string;
}

export interface ApiFailure {
	status: number;
	errors: ApiErrorEntry[];
	retryAfter?: number;
}

export function errorEntry(name: ErrorName, message: string): ApiErrorEntry {
	return { name, message, UUID: randomUUID() };
}

export function failure(name: ErrorName, message: string, status = HTTP_STATUS[name]): ApiFailure {
	return { status, errors: [errorEntry(name, message)] };
}

/** The documented error name for an HTTP status, for injected faults (unverified mapping). */
export function errorNameForStatus(status: number): ErrorName {
	if (status === 401) return 'UNAUTHORIZED';
	if (status === 403) return 'FORBIDDEN';
	if (status === 429) return 'RATE_LIMITED';
	return 'GRAPHQL_EXEC_ERROR';
}

export function failureFrom(error: ConversationsError): ApiFailure {
	return {
		status: error.status,
		errors: [errorEntry(error.errorName, error.message)],
		retryAfter: error.retryAfter,
	};
}
