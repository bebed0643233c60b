import { Agent, errors as undiciErrors, request } from 'undici';
import { z } from 'zod';

import { AbortedError, ConnectionError, HttpError, ProtocolError, TimeoutError, type ZendeskError } from '../shared';
import { errorFromPayload } from './errors';

/**
 * startAgentSession over HTTP, the one request of the Conversations API that is not made on the
 * WebSocket (getting-started, "Start agent session"). This is the only file that imports undici.
 * The token travels as a GraphQL variable, never inside the document.
 */

/** What startAgentSession answers: where the session's WebSocket is. */
export interface AgentSessionInfo {
	websocket_url: string;
	session_id: string;
	client_id: string;
}

const START_DOCUMENT =
	'mutation StartAgentSession($access_token: String!) { startAgentSession(access_token: $access_token) { websocket_url session_id client_id } }';

const sessionInfo = z.object({
	websocket_url: z.string().refine((url) => /^wss?:\/\//i.test(url), 'websocket_url must be a ws:// or wss:// URL'),
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
export async function startAgentSessionOverHttp({ httpUrl, token, timeoutMs, signal }: StartRequest): Promise<AgentSessionInfo> {
	// A dispatcher of its own, closed right after: starts are rare (50 an hour at most), and no
	// keep-alive socket outlives the call.
	const dispatcher = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
	try {
		const response = await request(httpUrl, {
			method: 'POST',
			dispatcher,
			signal,
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({ query: START_DOCUMENT, variables: { access_token: token }, operationName: 'StartAgentSession' }),
		});
		const text = await response.body.text();
		let body: unknown;
		try {
			body = text === '' ? undefined : JSON.parse(text);
		} catch {
			body = text;
		}
		const retryAfter = retryAfterMs(response.headers['retry-after']);
		const apiError = errorFromPayload(body, response.statusCode >= 400 ? response.statusCode : undefined);
		if (apiError) {
			if (retryAfter !== undefined) retryHints.set(apiError, retryAfter);
			throw apiError;
		}
		if (response.statusCode >= 400) {
			throw new HttpError('conversations', response.statusCode, `startAgentSession failed with HTTP ${response.statusCode}`, body, response.headers, retryAfter);
		}
		const parsed = answer.safeParse(body);
		if (!parsed.success) throw new ProtocolError('conversations', 'startAgentSession answered without a websocket_url, session_id and client_id', body);
		return parsed.data.data.startAgentSession;
	} catch (error) {
		throw toZendeskError(error, signal);
	} finally {
		dispatcher.destroy().catch(() => undefined);
	}
}

/** Retry-After of API errors that came with one (GraphqlError has no field for it). */
const retryHints = new WeakMap<object, number>();

/** How long the server asked to wait before trying again (Retry-After), if it said. */
export function retryAfterHint(error: ZendeskError): number | undefined {
	return retryHints.get(error) ?? (error instanceof HttpError ? error.retryAfterMs : undefined);
}

function toZendeskError(error: unknown, signal?: AbortSignal): ZendeskError {
	if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ZCHAT_ERR_')) {
		return error as ZendeskError;
	}
	if (signal?.aborted) return new AbortedError('conversations');
	if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError) {
		return new TimeoutError('conversations', 'startAgentSession did not answer in time');
	}
	return new ConnectionError('conversations', `startAgentSession could not reach the server: ${(error as Error)?.message ?? String(error)}`, error);
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
