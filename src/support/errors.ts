import { HttpError } from '../shared/errors';
import { parseRetryAfter } from '../shared/retry-after';

/**
 * Zendesk Support's error bodies come in several shapes ("Errors" in the API reference, and the
 * endpoints' own examples): `{"error": "RecordNotFound", "description": "Not found"}`,
 * `{"error": "Couldn't authenticate you"}`, `{"error": {"title", "message"}}`, and the autocomplete
 * endpoints' `{"errors": [{"code", "title"}]}`. Each is read into one line.
 */
export function supportErrorDetail(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { error, description, message, errors } = body as Record<string, unknown>;
	const parts: string[] = [];
	if (typeof error === 'string' && error) parts.push(error);
	else if (typeof error === 'object' && error !== null) {
		const { title, message: text } = error as Record<string, unknown>;
		for (const part of [title, text]) if (typeof part === 'string' && part) parts.push(part);
	}
	if (Array.isArray(errors)) {
		for (const entry of errors) {
			if (typeof entry !== 'object' || entry === null) continue;
			const { code, title } = entry as Record<string, unknown>;
			const line = [code, title]
				.filter((part): part is string => typeof part === 'string' && part.length > 0)
				.join(': ');
			if (line) parts.push(line);
		}
	}
	for (const part of [description, message])
		if (typeof part === 'string' && part && !parts.includes(part)) parts.push(part);
	return parts.length > 0 ? parts.join(': ').slice(0, 300) : undefined;
}

function hintFor(status: number, noun: string, retryAfterMs: number | undefined): string {
	if (status === 400) return 'Zendesk refused the request as malformed.';
	if (status === 401)
		return 'Check the Zendesk Support credential: its email and API token, or reconnect it (OAuth2).';
	if (status === 403)
		return `The credential's Zendesk user or OAuth token may not read ${noun}: the pickers need an agent or admin and the read scope.`;
	if (status === 404) return "Check the Zendesk Support credential's Subdomain.";
	if (status === 429) {
		const seconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
		return seconds === undefined
			? "Zendesk's rate limit was reached; try again in a minute."
			: `Zendesk's rate limit was reached; try again in ${seconds} seconds.`;
	}
	if (status >= 500) return 'Zendesk had a problem; retrying later may help.';
	return '';
}

/**
 * A non-2xx Support answer as an HttpError (api "support"). `route` is the endpoint
 * (`GET /groups`), never the full URL, so search text does not end up in messages and logs.
 */
export function toSupportHttpError(
	status: number,
	body: unknown,
	headers: Record<string, string | string[] | undefined>,
	route: string,
	noun: string,
): HttpError {
	const retryAfterMs = parseRetryAfter(headers['retry-after']);
	const hint = hintFor(status, noun, retryAfterMs);
	const message = `Zendesk Support ${route} failed with ${status} (${supportErrorDetail(body) ?? 'no error details'}).${hint ? ` ${hint}` : ''}`;
	return new HttpError('support', status, message, body, headers, retryAfterMs);
}
