import {
	AbortedError,
	ConnectionError,
	ProtocolError,
	TimeoutError,
	type ZendeskError,
} from '../shared';
import { errorFromPayload } from './errors';
import type { ServerFrame } from './frames';
import type { SessionSocket } from './socket';

interface PendingRequest {
	socket: SessionSocket;
	/** Epoch ms after which the request fails with TimeoutError. */
	deadline: number;
	timeoutMs: number;
	done(error: unknown, data?: unknown): void;
	onAnswer: ((data: unknown) => void) | undefined;
	signal: AbortSignal | undefined;
	onAbort: (() => void) | undefined;
}

/**
 * Requests sent on the session's sockets and waiting for their answer: each frame carries an id,
 * and the answer echoes it (getting-started, "Request payload"). One request ends exactly once: by
 * its answer, its timeout, its abort signal, or the end of its socket.
 *
 * The timeouts share one timer, armed for the soonest deadline. A request answered in time costs no
 * timer of its own (on a warm send, arming and clearing a timer per request was a measurable part
 * of the round trip); when the timer fires it fails whatever is overdue and re-arms for the next.
 */
export class RequestTable {
	private lastId = 0;
	private readonly pending = new Map<number, PendingRequest>();
	private timer: NodeJS.Timeout | undefined;
	/** When the timer fires (Infinity when it is not armed). */
	private timerAt = Number.POSITIVE_INFINITY;

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
			this.send(ws, encode, timeoutMs, signal, onAnswer, (error, data) =>
				error === undefined ? resolve(data) : reject(error),
			);
		});
	}

	/**
	 * `exchange` with a callback: `done(undefined, data)` on the answer, `done(error)` otherwise, once.
	 * For the session's warm request path, which reads the answer in the callback and so resolves its
	 * caller one promise hop sooner.
	 */
	send(
		ws: SessionSocket,
		encode: (id: number) => string,
		timeoutMs: number,
		signal: AbortSignal | undefined,
		onAnswer: ((data: unknown) => void) | undefined,
		done: (error: unknown, data?: unknown) => void,
	): void {
		if (signal?.aborted) return done(new AbortedError('conversations'));
		const id = ++this.lastId;
		const wait = Math.max(0, timeoutMs);
		const request: PendingRequest = {
			socket: ws,
			deadline: Date.now() + wait,
			timeoutMs: wait,
			done,
			onAnswer,
			signal,
			onAbort: undefined,
		};
		if (signal) {
			request.onAbort = () => {
				if (this.pending.get(id) !== request) return;
				this.pending.delete(id);
				done(new AbortedError('conversations'));
			};
			signal.addEventListener('abort', request.onAbort, { once: true });
		}
		this.pending.set(id, request);
		this.arm(request.deadline);
		try {
			ws.send(encode(id));
		} catch (error) {
			this.pending.delete(id);
			this.fail(
				request,
				new ConnectionError('conversations', 'the request could not be sent', error),
			);
		}
	}

	/** An answer frame (it has an `id` and no `sig`); one nobody waits for any more is dropped. */
	settle(frame: ServerFrame): void {
		const id = typeof frame.id === 'number' ? frame.id : Number(frame.id);
		const request = this.pending.get(id);
		if (request === undefined) return;
		this.pending.delete(id);
		if (request.signal) request.signal.removeEventListener('abort', request.onAbort!);
		const errorCode = frame.errorCode ?? frame.error_code;
		const payload = frame.payload as
			| { data?: unknown; errors?: unknown; body?: unknown }
			| null
			| undefined;
		// The common answer, `{data}` and nothing else to read, skips the error reading.
		if (
			errorCode !== undefined ||
			payload === null ||
			typeof payload !== 'object' ||
			payload.errors !== undefined ||
			payload.body !== undefined
		) {
			const error = errorFromPayload(payload, errorCode);
			if (error) return request.done(error);
			if (typeof errorCode === 'number' && errorCode >= 400) {
				return request.done(
					new ProtocolError(
						'conversations',
						`the request failed with errorCode ${errorCode}`,
						frame,
					),
				);
			}
		}
		const data = payload?.data;
		if (request.onAnswer) {
			try {
				request.onAnswer(data);
			} catch (answerError) {
				return request.done(answerError);
			}
		}
		request.done(undefined, data);
	}

	/** Fails every request sent on `ws` (it ended before they were answered). */
	failSocket(ws: SessionSocket, error: ZendeskError): void {
		for (const [id, request] of this.pending) {
			if (request.socket !== ws) continue;
			this.pending.delete(id);
			this.fail(request, error);
		}
		if (this.pending.size === 0) this.disarm();
	}

	/** Fails every request (the session is over). */
	failAll(error: ZendeskError): void {
		for (const [id, request] of this.pending) {
			this.pending.delete(id);
			this.fail(request, error);
		}
		this.disarm();
	}

	private fail(request: PendingRequest, error: unknown): void {
		if (request.signal) request.signal.removeEventListener('abort', request.onAbort!);
		request.done(error);
	}

	/** Makes sure the timer fires no later than `deadline`. */
	private arm(deadline: number): void {
		if (this.timer !== undefined) {
			if (this.timerAt <= deadline) return;
			clearTimeout(this.timer);
		}
		this.timerAt = deadline;
		this.timer = setTimeout(() => this.expire(), Math.max(0, deadline - Date.now()));
		this.timer.unref();
	}

	private disarm(): void {
		if (this.timer !== undefined) clearTimeout(this.timer);
		this.timer = undefined;
		this.timerAt = Number.POSITIVE_INFINITY;
	}

	/** The timer fired: fails the overdue requests, and re-arms for the next deadline if any is left. */
	private expire(): void {
		this.timer = undefined;
		this.timerAt = Number.POSITIVE_INFINITY;
		const now = Date.now();
		let next = Number.POSITIVE_INFINITY;
		for (const [id, request] of this.pending) {
			if (request.deadline <= now) {
				this.pending.delete(id);
				this.fail(
					request,
					new TimeoutError(
						'conversations',
						`no answer from the Conversations API within ${Math.round(request.timeoutMs)} ms`,
					),
				);
			} else if (request.deadline < next) {
				next = request.deadline;
			}
		}
		if (next !== Number.POSITIVE_INFINITY) this.arm(next);
	}
}
