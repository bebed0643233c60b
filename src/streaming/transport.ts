/**
 * The Streaming API's socket (made by src/shared/websocket.ts, STYLE.md "Hard module boundaries"): opening the metrics socket,
 * turning a refused upgrade into an HttpError, and closing without leaving a socket behind.
 */
import type { IncomingMessage } from 'node:http';

import { AbortedError, ConnectionError, HttpError, TimeoutError } from '../shared/errors';
import { viaProxy } from '../shared/proxy';
import { openWebSocket, WebSocket } from '../shared/websocket';
import { parseRetryAfter } from '../shared/retry-after';

/** Metric frames are a few hundred bytes; anything far larger is not the Streaming API talking. */
const MAX_FRAME_BYTES = 1024 * 1024;
/** How much of a refused upgrade's body is kept for the error (it "details the reason"). */
const MAX_REFUSAL_BODY_BYTES = 16 * 1024;

export interface MetricsSocketEvents {
	message(text: string): void;
	pong(): void;
	/** Once, after the socket was open and then closed (by either side). */
	close(code: number, reason: string): void;
}

/** An open metrics socket. */
export interface MetricsSocket {
	/** Sends a text frame; false when the socket is no longer open. */
	send(text: string): boolean;
	/** A WebSocket ping control frame; the server answers with a pong. */
	ping(): void;
	/** Close handshake; the socket is terminated when the server does not finish it within `closeTimeoutMs`. Resolves once closed. */
	close(code?: number, reason?: string): Promise<void>;
	/** Drops the connection at once (a half-open socket will not answer a close handshake). */
	terminate(): void;
}

export interface OpenMetricsSocketOptions {
	url: string;
	token: string;
	connectTimeoutMs: number;
	closeTimeoutMs: number;
	signal: AbortSignal;
}

/**
 * Opens the socket with `Authorization: Bearer <token>` (seeds/chat-streaming-api.txt
 * "Establishing a connection").
 * @throws HttpError when the server refuses the upgrade (401, 429 with Retry-After, …),
 *   ConnectionError on a network failure, TimeoutError, AbortedError.
 */
export function openMetricsSocket(
	options: OpenMetricsSocketOptions,
	events: MetricsSocketEvents,
): Promise<MetricsSocket> {
	const { url, token, connectTimeoutMs, closeTimeoutMs, signal } = options;
	if (signal.aborted) return Promise.reject(new AbortedError('streaming'));
	return new Promise((resolve, reject) => {
		// Through a CONNECT tunnel when HTTP_PROXY/HTTPS_PROXY name a proxy for this host (and NO_PROXY does not exempt it).
		const ws = openWebSocket(url, {
			headers: { Authorization: `Bearer ${token}` },
			handshakeTimeout: connectTimeoutMs,
			maxPayload: MAX_FRAME_BYTES,
			perMessageDeflate: false,
			// The token must only ever go where the credential says: never follow a redirect.
			followRedirects: false,
		});
		let settled = false;
		const timer = setTimeout(
			() =>
				fail(
					new TimeoutError(
						'streaming',
						`the Streaming API did not accept the connection within ${connectTimeoutMs} ms`,
					),
				),
			connectTimeoutMs,
		);
		timer.unref();
		const onAbort = () => fail(new AbortedError('streaming'));
		signal.addEventListener('abort', onAbort, { once: true });

		function settle(): boolean {
			if (settled) return false;
			settled = true;
			clearTimeout(timer);
			signal.removeEventListener('abort', onAbort);
			return true;
		}
		function fail(error: Error): void {
			if (!settle()) return;
			ws.terminate();
			reject(error);
		}

		// After the handshake, errors are always followed by 'close', which is what the client acts on.
		ws.on('error', (error) =>
			fail(
				new ConnectionError(
					'streaming',
					`could not connect to the Streaming API${viaProxy(url)}: ${error.message}`,
					error,
				),
			),
		);
		ws.once('unexpected-response', (_request, response) => {
			void readRefusal(response).then(fail);
		});
		ws.once('open', () => {
			if (!settle()) return;
			ws.on('message', (data, isBinary) => {
				if (!isBinary) events.message(data.toString());
			});
			ws.on('pong', () => events.pong());
			ws.once('close', (code, reason) => events.close(code, reason.toString()));
			resolve(wrap(ws, closeTimeoutMs));
		});
	});
}

function wrap(ws: WebSocket, closeTimeoutMs: number): MetricsSocket {
	return {
		send(text) {
			if (ws.readyState !== WebSocket.OPEN) return false;
			ws.send(text);
			return true;
		},
		ping() {
			if (ws.readyState === WebSocket.OPEN) ws.ping();
		},
		close(code = 1000, reason = '') {
			if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
			return new Promise<void>((resolve) => {
				const timer = setTimeout(() => ws.terminate(), closeTimeoutMs);
				timer.unref();
				ws.once('close', () => {
					clearTimeout(timer);
					resolve();
				});
				if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
			});
		},
		terminate() {
			ws.terminate();
		},
	};
}

/** The refused upgrade as an HttpError: status, the server's reason from the body, Retry-After. */
async function readRefusal(response: IncomingMessage): Promise<HttpError> {
	const status = response.statusCode ?? 0;
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of response as AsyncIterable<Buffer>) {
			if (size < MAX_REFUSAL_BODY_BYTES) chunks.push(chunk);
			size += chunk.length;
		}
	} catch {
		// A body cut short still leaves the status, which is what matters.
	}
	const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_REFUSAL_BODY_BYTES);
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// Not JSON: keep the text.
	}
	const reason =
		typeof body === 'object' &&
		body !== null &&
		typeof (body as { message?: unknown }).message === 'string'
			? (body as { message: string }).message
			: undefined;
	return new HttpError(
		'streaming',
		status,
		`the Streaming API refused the connection with HTTP ${status}${reason ? `: ${reason}` : ''}`,
		body,
		response.headers,
		parseRetryAfter(response.headers['retry-after']),
	);
}
