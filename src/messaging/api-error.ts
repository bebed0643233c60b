import { HttpError } from '../shared/errors';
import { tryParseJson } from './json';

/** One entry of the spec's `errorResponse`: `{errors:[{code, title}]}`. */
export interface SunshineApiError {
	code: string;
	title: string;
}

/** The `{code, title}` entries of an error body; empty when the body is not the documented shape. */
export function apiErrorsOf(body: unknown): SunshineApiError[] {
	if (typeof body !== 'object' || body === null) return [];
	const errors = (body as { errors?: unknown }).errors;
	if (!Array.isArray(errors)) return [];
	return errors.flatMap((entry) =>
		typeof entry === 'object' &&
		entry !== null &&
		typeof (entry as SunshineApiError).code === 'string'
			? [
					{
						code: (entry as SunshineApiError).code,
						title: String((entry as SunshineApiError).title ?? ''),
					},
				]
			: [],
	);
}

/** The first Sunshine error code (`conflict`, `conversation_not_found`, …) of a messaging HttpError. */
export function sunshineErrorCode(error: unknown): string | undefined {
	if (!(error instanceof HttpError) || error.api !== 'messaging') return undefined;
	return apiErrorsOf(error.body)[0]?.code;
}

/** What to do about each status, so the message says whether and how to fix it. */
function hintFor(statusCode: number): string {
	if (statusCode === 400) return 'Check the request fields named above.';
	if (statusCode === 401)
		return 'Check the key id and secret (Admin Center › Apps and integrations › Conversations API).';
	if (statusCode === 403) return "The API key's scope does not allow this operation.";
	if (statusCode === 404) return 'Check the app id and the ids in the request.';
	if (statusCode === 409) return 'The resource already exists.';
	if (statusCode === 413)
		return 'The request body is larger than Sunshine Conversations accepts (100 KB of JSON).';
	if (statusCode === 423)
		return 'The conversation reached its 30,000-message limit; delete messages to post more.';
	if (statusCode === 429) return 'Rate limited; retry later.';
	if (statusCode >= 500) return 'Zendesk had a problem; retrying later may help.';
	return '';
}

/** A proxy or gateway may answer `{error: "…"}` or `{message: "…"}` instead of the documented shape. */
function otherErrorText(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { error, message } = body as { error?: unknown; message?: unknown };
	const text =
		typeof error === 'string' ? error : typeof message === 'string' ? message : undefined;
	return text === undefined || text.length === 0 ? undefined : text.slice(0, 200);
}

/** Keeps a non-JSON body (a proxy's HTML page) small enough to carry around. */
const MAX_RAW_BODY_CHARS = 2000;

/**
 * Turns a non-2xx answer into an HttpError whose message carries the documented code and title.
 * `route` is the path template (`POST /conversations/{conversationId}/messages`), never the
 * filled-in path, so user data does not leak into messages and logs.
 */
export function toHttpError(
	statusCode: number,
	rawBody: string,
	headers: Record<string, string | string[] | undefined>,
	route: string,
	retryAfterMs: number | undefined,
): HttpError {
	const parsed = tryParseJson(rawBody);
	// Not JSON (a proxy's error page): keep the text, truncated.
	const body = parsed.ok ? parsed.value : rawBody.slice(0, MAX_RAW_BODY_CHARS);
	const errors = apiErrorsOf(body);
	const detail =
		errors.length > 0
			? errors.map((e) => (e.title ? `${e.code}: ${e.title}` : e.code)).join('; ')
			: (otherErrorText(body) ?? 'no error details');
	const hint = hintFor(statusCode);
	const message = `Sunshine Conversations ${route} failed with ${statusCode} (${detail}).${hint ? ` ${hint}` : ''}`;
	return new HttpError('messaging', statusCode, message, body, headers, retryAfterMs);
}
