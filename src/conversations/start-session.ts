import { z } from 'zod';

import {
	HttpError,
	parseRetryAfter,
	ProtocolError,
	TimeoutError,
	toZendeskError,
	type ZendeskError,
} from '../shared';
import { classifyTransportError, sendOnce, type HttpResponse } from '../shared/http';
import { errorFromPayload } from './errors';

/**
 * startAgentSession over HTTP, the one request of the Conversations API that is not made on the
 * WebSocket (getting-started, "Start agent session"). Sent through src/shared/http.ts.
 * The token travels as a GraphQL variable, never inside the document.
 */

/** What startAgentSession answers: where the session's WebSocket is. */
export interface AgentSessionInfo {
	websocket_url: string;
	session_id: string;
	client_id: string;
}

export const START_DOCUMENT =
	'mutation StartAgentSession($access_token: String!) { startAgentSession(access_token: $access_token) { websocket_url session_id client_id } }';

const sessionInfo = z.object({
	websocket_url: z
		.string()
		.refine((url) => /^wss?:\/\//i.test(url), 'websocket_url must be a ws:// or wss:// URL'),
	session_id: z.string(),
	client_id: z.string(),
});

const answer = z.object({ data: z.object({ startAgentSession: sessionInfo }) });

export interface StartRequest {
	httpUrl: string;
	token: string;
	timeoutMs: number;
	signal?: AbortSignal;
}

/**
 * Calls startAgentSession.
 * @throws GraphqlError for an API error (UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, ...), HttpError for
 *   another non-2xx answer, ProtocolError for an answer it cannot read, TimeoutError,
 *   ConnectionError or AbortedError.
 */
export async function startAgentSessionOverHttp({
	httpUrl,
	token,
	timeoutMs,
	signal,
}: StartRequest): Promise<AgentSessionInfo> {
	// A dispatcher of its own, closed right after (sendOnce): starts are rare (50 an hour at most), and
	// no keep-alive socket outlives the call. It goes through HTTP_PROXY/HTTPS_PROXY unless NO_PROXY exempts the host.
	let response: HttpResponse;
	try {
		response = await sendOnce(httpUrl, {
			method: 'POST',
			signal: signal ?? new AbortController().signal,
			timeoutMs,
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({
				query: START_DOCUMENT,
				variables: { access_token: token },
				operationName: 'StartAgentSession',
			}),
		});
	} catch (error) {
		if (!signal?.aborted && classifyTransportError(error) === 'timeout')
			throw new TimeoutError('conversations', 'startAgentSession did not answer in time');
		throw toZendeskError(error, 'conversations', {
			what: 'startAgentSession could not reach the server',
			signal,
		});
	}
	const { text } = response;
	let body: unknown;
	try {
		body = text === '' ? undefined : JSON.parse(text);
	} catch {
		body = text;
	}
	const retryAfter = parseRetryAfter(response.headers['retry-after']);
	const apiError = errorFromPayload(
		body,
		response.statusCode >= 400 ? response.statusCode : undefined,
	);
	if (apiError) throw withRetryHint(apiError, retryAfter);
	if (response.statusCode >= 400) {
		throw new HttpError(
			'conversations',
			response.statusCode,
			`startAgentSession failed with HTTP ${response.statusCode}`,
			body,
			response.headers,
			retryAfter,
		);
	}
	const parsed = answer.safeParse(body);
	if (!parsed.success)
		throw new ProtocolError(
			'conversations',
			'startAgentSession answered without a websocket_url, session_id and client_id',
			body,
		);
	return parsed.data.data.startAgentSession;
}

/** Retry-After of API errors that came with one (GraphqlError has no field for it). */
const retryHints = new WeakMap<object, number>();

/** Attaches how long the server (or the start budget) asked to wait to `error`, when known. */
export function withRetryHint<E extends ZendeskError>(
	error: E,
	retryAfterMs: number | undefined,
): E {
	if (retryAfterMs !== undefined) retryHints.set(error, retryAfterMs);
	return error;
}

/** How long the server asked to wait before trying again (Retry-After), if it said. */
export function retryAfterHint(error: ZendeskError): number | undefined {
	return retryHints.get(error) ?? (error instanceof HttpError ? error.retryAfterMs : undefined);
}
