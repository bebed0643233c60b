/**
 * The Chat REST API's error answers. The reference documents give no error body; the one real
 * answer seen in public (zenpy issue #466, a 401 from /api/v2/chats) is
 * `{"error": "Unauthorized", "description": "The server could not verify that you are authorized
 * to access the requested resource"}`: the HTTP status text plus a sentence. Every error here uses
 * that shape (unverified for statuses other than 401).
 */
export interface RestErrorBody {
	error: string;
	description: string;
}

const STATUS_TEXTS: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	413: 'Payload Too Large',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
};

/** Thrown by a handler to answer with an error; the module renders it. */
export class RestError extends Error {
	constructor(
		readonly status: number,
		description: string,
		readonly headers: Record<string, string> = {},
	) {
		super(description);
	}

	get body(): RestErrorBody {
		return errorBody(this.status, this.message);
	}
}

export function errorBody(status: number, description: string): RestErrorBody {
	return { error: STATUS_TEXTS[status] ?? 'Error', description };
}

/** The exact sentence of the real 401 answer (zenpy issue #466). */
export const UNAUTHORIZED_DESCRIPTION =
	'The server could not verify that you are authorized to access the requested resource';

export const badRequest = (description: string) => new RestError(400, description);
export const notFound = (description: string) => new RestError(404, description);
