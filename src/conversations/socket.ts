import { AbortedError, ConnectionError, TimeoutError } from '../shared';
import { viaProxy } from '../shared/proxy';
import { openWebSocket, WebSocket } from '../shared/websocket';

/**
 * Opening the session's WebSocket (src/shared/websocket.ts makes it); the session talks to the
 * socket through the small `SessionSocket` surface below.
 */

export type SessionSocket = WebSocket;

export type SocketData = Buffer | ArrayBuffer | Buffer[];

/** An open socket, holding the frames that arrived before anyone listened. */
export interface OpenedSocket {
	ws: SessionSocket;
	/**
	 * Stops holding frames back: hands over the ones that came with the handshake (a server may send
	 * EOS right away), then `onMessage` gets every later frame. Returns false when the socket already
	 * closed in the meantime (its close event was missed).
	 */
	adopt(onMessage: (data: SocketData) => void): boolean;
}

const kUpgradeRejected = Symbol.for('n8n-nodes-zendesk-chat.UpgradeRejectedError');

/** The WebSocket was refused with an HTTP status: the URL no longer leads to a live session. */
export class UpgradeRejectedError extends ConnectionError {
	constructor(readonly statusCode: number) {
		super('conversations', `the server refused the session's WebSocket (HTTP ${statusCode})`);
		this.name = 'UpgradeRejectedError';
		Object.defineProperty(this, kUpgradeRejected, { value: true });
	}

	// ConnectionError's own check matches every connection error; this one needs its brand.
	static [Symbol.hasInstance](value: unknown): boolean {
		return (
			typeof value === 'object' &&
			value !== null &&
			(value as Record<symbol, unknown>)[kUpgradeRejected] === true
		);
	}
}

export interface OpenOptions {
	timeoutMs: number;
	signal?: AbortSignal;
}

/**
 * Opens `url` and resolves once the socket is open.
 * @throws UpgradeRejectedError when the server answers the upgrade with an HTTP error,
 *   TimeoutError, AbortedError, or ConnectionError for a network failure.
 */
export function openSocket(url: string, { timeoutMs, signal }: OpenOptions): Promise<OpenedSocket> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(new AbortedError('conversations'));
		// Frames are small JSON; compressing them costs more CPU than it saves on the hot path.
		// Through a CONNECT tunnel when HTTP_PROXY/HTTPS_PROXY name a proxy for this host (and NO_PROXY does not exempt it).
		const ws = openWebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
		let rejectedStatus: number | undefined;
		const cleanup = () => {
			ws.off('open', onOpen);
			ws.off('error', onError);
			ws.off('unexpected-response', onUnexpectedResponse);
			signal?.removeEventListener('abort', onAbort);
		};
		const onOpen = () => {
			cleanup();
			// Frames can arrive in the same tick as 'open', before the promise's continuation runs.
			const early: SocketData[] = [];
			const hold = (data: SocketData) => early.push(data);
			ws.on('message', hold);
			ws.on('error', noop);
			resolve({
				ws,
				adopt: (onMessage) => {
					ws.off('message', hold);
					for (const data of early) onMessage(data);
					ws.on('message', onMessage);
					return ws.readyState !== WebSocket.CLOSED;
				},
			});
		};
		const onError = (error: Error) => {
			cleanup();
			// ws emits one more error after terminate(); nobody must be left to see it unhandled.
			ws.on('error', noop);
			if (signal?.aborted) reject(new AbortedError('conversations'));
			else if (rejectedStatus !== undefined) reject(new UpgradeRejectedError(rejectedStatus));
			else if (/timed out/i.test(error.message))
				reject(new TimeoutError('conversations', 'the session WebSocket did not open in time'));
			// The URL holds the session id: it is kept out of messages, which end up in logs.
			else
				reject(
					new ConnectionError(
						'conversations',
						`the session WebSocket could not be opened${viaProxy(url)}: ${error.message.split(url).join('<websocket_url>')}`,
						error,
					),
				);
		};
		const onUnexpectedResponse = (_req: unknown, res: { statusCode?: number; resume(): void }) => {
			rejectedStatus = res.statusCode ?? 0;
			res.resume();
			ws.terminate();
		};
		const onAbort = () => ws.terminate();
		ws.once('open', onOpen);
		ws.once('error', onError);
		ws.once('unexpected-response', onUnexpectedResponse);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

function noop(): void {}

/** Is the socket open for sending? */
export function isOpen(ws: SessionSocket): boolean {
	return ws.readyState === WebSocket.OPEN;
}

/**
 * Closes `ws` politely (code 1000) and resolves once it is closed; a peer that does not complete
 * the closing handshake within `timeoutMs` has its socket destroyed instead.
 */
export function closeSocket(ws: SessionSocket, timeoutMs: number, reason = ''): Promise<void> {
	if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => ws.terminate(), timeoutMs);
		timer.unref();
		ws.once('close', () => {
			clearTimeout(timer);
			resolve();
		});
		if (ws.readyState === WebSocket.OPEN) ws.close(1000, reason);
		else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
	});
}
