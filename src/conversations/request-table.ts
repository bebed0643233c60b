import { AbortedError, ConnectionError, ProtocolError, TimeoutError, type ZendeskError } from '../shared';
import { errorFromPayload } from './errors';
import type { ServerFrame } from './frames';
import type { SessionSocket } from './socket';

interface PendingRequest {
	socket: SessionSocket;
	settle(frame: ServerFrame): void;
	fail(error: ZendeskError): void;
}

/**
 * Requests sent on the session's sockets and waiting for their answer: each frame carries an id,
 * and the answer echoes it (getting-started, "Request payload"). One request ends exactly once: by
 * its answer, its timeout, its abort signal, or the end of its socket.
 */
export class RequestTable {
	private lastId = 0;
	private readonly pending = new Map<number, PendingRequest>();

	/**
	 * Sends one frame and waits for the answer with the same id. `onAnswer` runs synchronously when
	 * the answer is read, before any later frame: a subscription is registered before its first DATA.
	 */
	exchange(
		ws: SessionSocket,
		encode: (id: number) => string,
		timeoutMs: number,
		signal?: AbortSignal,
		onAnswer?: (data: unknown) => void,
	): Promise<unknown> {
		return new Promise((resolve, reject) => {
			const id = ++this.lastId;
			const cleanup = () => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
			};
			const request: PendingRequest = {
				socket: ws,
				settle: (frame) => {
					cleanup();
					const errorCode = frame.errorCode ?? frame.error_code;
					const error = errorFromPayload(frame.payload, errorCode);
					if (error) return reject(error);
					if (typeof errorCode === 'number' && errorCode >= 400) {
						return reject(new ProtocolError('conversations', `the request failed with errorCode ${errorCode}`, frame));
					}
					const data = (frame.payload as { data?: unknown } | null | undefined)?.data;
					try {
						onAnswer?.(data);
					} catch (answerError) {
						return reject(answerError);
					}
					resolve(data);
				},
				fail: (error) => {
					cleanup();
					reject(error);
				},
			};
			const onAbort = () => {
				this.pending.delete(id);
				request.fail(new AbortedError('conversations'));
			};
			const timer = setTimeout(() => {
				this.pending.delete(id);
				request.fail(new TimeoutError('conversations', `no answer from the Conversations API within ${Math.round(timeoutMs)} ms`));
			}, Math.max(0, timeoutMs));
			timer.unref();
			if (signal?.aborted) return onAbort();
			signal?.addEventListener('abort', onAbort, { once: true });
			this.pending.set(id, request);
			try {
				ws.send(encode(id));
			} catch (error) {
				this.pending.delete(id);
				request.fail(new ConnectionError('conversations', 'the request could not be sent', error));
			}
		});
	}

	/** An answer frame (it has an `id` and no `sig`); one nobody waits for any more is dropped. */
	settle(frame: ServerFrame): void {
		const id = typeof frame.id === 'number' ? frame.id : Number(frame.id);
		const request = this.pending.get(id);
		if (request === undefined) return;
		this.pending.delete(id);
		request.settle(frame);
	}

	/** Fails every request sent on `ws` (it ended before they were answered). */
	failSocket(ws: SessionSocket, error: ZendeskError): void {
		for (const [id, request] of this.pending) {
			if (request.socket !== ws) continue;
			this.pending.delete(id);
			request.fail(error);
		}
	}

	/** Fails every request (the session is over). */
	failAll(error: ZendeskError): void {
		for (const [id, request] of this.pending) {
			this.pending.delete(id);
			request.fail(error);
		}
	}
}
