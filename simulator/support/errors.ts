/**
 * Zendesk Support error answers. Shapes from the API reference: `{"error": "RecordNotFound",
 * "description": "Not found"}` (Users, "Show User" 404), `{"error": "Couldn't authenticate you"}`
 * for a refused credential, and the autocomplete endpoints' `{"errors": [{"code", "title"}]}`
 * (Organizations, "Autocomplete Organizations" 400 and 429). The wording of the others is
 * (unverified), in the same `{error, description}` shape.
 */
export class SupportError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(
			typeof body === 'object' && body !== null && 'error' in body
				? String((body as { error: unknown }).error)
				: `HTTP ${status}`,
		);
	}
}

export const unauthorized = () =>
	new SupportError(
		401,
		{ error: "Couldn't authenticate you" },
		{ 'www-authenticate': 'Basic realm="Web Password"' },
	);

/** (unverified) wording; the status for a user or token that may not read something is 403. */
export const forbidden = (
	description = 'You do not have access to this page. Please contact the account owner of this help desk for further help.',
) => new SupportError(403, { error: 'Forbidden', description });

export const recordNotFound = () =>
	new SupportError(404, { error: 'RecordNotFound', description: 'Not found' });

/** (unverified) an unknown endpoint. */
export const invalidEndpoint = () =>
	new SupportError(404, { error: 'InvalidEndpoint', description: 'Not found' });

/** (unverified) a page[size] over the documented maximum of 100, or a cursor the server did not make. */
export const invalidPagination = (description: string) =>
	new SupportError(400, { error: 'InvalidPaginationParameter', description });

/** (unverified) a search without its query. */
export const invalidSearch = (description: string) =>
	new SupportError(400, { error: 'InvalidSearch', description });

/** "Autocomplete Organizations" documents its 400 as `{"errors": [{"code": "QueryError", "title": …}]}`. */
export const autocompleteQueryError = (title: string) =>
	new SupportError(400, { errors: [{ code: 'QueryError', title }] });

export const methodNotAllowed = () =>
	new SupportError(405, {
		error: 'MethodNotAllowed',
		description: 'The simulated Support API is read-only',
	});

/** The body of an injected fault of this status. (unverified) wording for 429. */
export function supportFaultBody(status: number): unknown {
	if (status === 401) return { error: "Couldn't authenticate you" };
	if (status === 403) return forbidden().body;
	if (status === 404) return recordNotFound().body;
	if (status === 429)
		return {
			error: 'APIRateLimitExceeded',
			description: 'Number of allowed API requests per minute exceeded',
		};
	return { error: 'InternalError', description: `injected fault: HTTP ${status}` };
}
