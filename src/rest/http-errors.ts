import { HttpError } from '../shared';
import type { HttpMethod, HttpResponse } from '../shared/http';
import { parseRetryAfter } from '../shared/retry-after';

/** What to tell the user for each status, so a failure says whether retrying helps and what to do. */
function hintFor(statusCode: number, pathname: string): string {
	if (statusCode === 400 && pathname.endsWith('/chats/search')) {
		return 'The search was refused as invalid; check the query (a search cannot go past page 250).';
	}
	if (statusCode === 400) return 'The request was refused as invalid; check its parameters.';
	if (statusCode === 401)
		return 'The access token was refused; reconnect the credential (the Chat REST API needs scope "read").';
	if (statusCode === 403)
		return 'The agent behind the token may not do this (most Chat REST endpoints need an Administrator or Owner).';
	if (statusCode === 404) return 'Nothing exists at this id or name.';
	if (statusCode === 429)
		return 'The Chat REST API allows 200 requests per minute; wait and retry.';
	if (statusCode >= 500) return 'Zendesk had a problem; retrying later may help.';
	return '';
}

/** The server's own words, from the usual error-body fields, if it sent any. */
function describeBody(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
	if (typeof body !== 'object' || body === null) return undefined;
	const record = body as Record<string, unknown>;
	const parts = ['error', 'description', 'message', 'title']
		.map((key) => record[key])
		.filter((value): value is string => typeof value === 'string' && value.length > 0);
	return parts.length > 0 ? [...new Set(parts)].join(': ').slice(0, 300) : undefined;
}

/** JSON when the body is JSON, else the text itself (kept for the error's `body`). */
export function readBody(text: string): { ok: true; value: unknown } | { ok: false; text: string } {
	if (text.trim() === '') return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false, text };
	}
}

/** An HttpError for a non-2xx answer; the message names the request by method and path only. */
export function httpErrorFrom(
	method: HttpMethod,
	pathname: string,
	response: HttpResponse,
	now: number = Date.now(),
): HttpError {
	const parsed = readBody(response.text);
	const body = parsed.ok ? parsed.value : parsed.text.slice(0, 2000);
	const detail = describeBody(body);
	const hint = hintFor(response.statusCode, pathname);
	const message =
		`Chat REST API answered ${response.statusCode} to ${method} ${pathname}` +
		(detail ? ` (${detail})` : '') +
		(hint ? `. ${hint}` : '');
	return new HttpError(
		'rest',
		response.statusCode,
		message,
		body,
		response.headers,
		parseRetryAfter(response.headers['retry-after'], now),
	);
}
