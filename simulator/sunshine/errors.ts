/**
 * Sunshine Conversations errors: `{errors:[{code, title}]}`; several errors only in a 400
 * (openapi.yaml, Introduction "Errors").
 */
export interface SunshineErrorItem {
	code: string;
	title: string;
}

export class SunshineError extends Error {
	readonly errors: SunshineErrorItem[];

	constructor(
		readonly status: number,
		code: string,
		title: string,
		more: SunshineErrorItem[] = [],
	) {
		super(title);
		this.errors = [{ code, title }, ...more];
	}

	get body(): { errors: SunshineErrorItem[] } {
		return { errors: this.errors };
	}
}

/** openapi.yaml Introduction "Errors": `unauthorized` / "Authorization is required". */
export const unauthorized = (title = 'Authorization is required') =>
	new SunshineError(401, 'unauthorized', title);
/** openapi.yaml ReleaseControl/AcceptControl 403 example. */
export const forbidden = (title = 'Forbidden') => new SunshineError(403, 'forbidden', title);

/** Every problem found in a body, in one 400 (the only status that may carry several errors). */
export function badRequest(titles: string | string[]): SunshineError {
	const list = typeof titles === 'string' ? [titles] : titles;
	const [first, ...rest] = list;
	return new SunshineError(
		400,
		'bad_request',
		first,
		rest.map((title) => ({ code: 'bad_request', title })),
	);
}

export const notFound = (code: string, title: string) => new SunshineError(404, code, title);
export const appNotFound = () => notFound('app_not_found', 'App not found');
export const userNotFound = () => notFound('user_not_found', 'User not found');
export const conversationNotFound = () =>
	notFound('conversation_not_found', 'Conversation not found');
export const integrationNotFound = () => notFound('integration_not_found', 'Integration not found');
export const switchboardNotFound = () => notFound('switchboard_not_found', 'Switchboard not found');
export const switchboardIntegrationNotFound = () =>
	notFound('switchboard_integration_not_found', 'SwitchboardIntegration not found');
/** openapi.yaml GetWebhook / ListMessages 404: the generic `not_found`. */
export const resourceNotFound = () => notFound('not_found', 'Resource not found');

/** Thrown by control operations; the server maps `not_found` to 404 and the rest to 400. */
export class ControlError extends Error {
	constructor(
		readonly code: 'not_found' | 'invalid',
		message: string,
	) {
		super(message);
	}
}
