import { AbortedError, type ZendeskApi } from './errors';

/** Resolves after `ms`, or rejects with AbortedError when `signal` aborts first. The timer never keeps the process alive. */
export function sleep(ms: number, signal?: AbortSignal, api?: ZendeskApi): Promise<void> {
	if (signal?.aborted) return Promise.reject(new AbortedError(api));
	return new Promise((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(new AbortedError(api));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		timer.unref?.();
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/** Throws AbortedError if the signal has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, api?: ZendeskApi): void {
	if (signal?.aborted) throw new AbortedError(api);
}

/**
 * Races `promise` against `signal`: rejects as soon as it aborts, with AbortedError(api), or with
 * what `rejectWith` gives (the signal's own reason, say); the promise itself goes on (it may be
 * shared). The listener is removed either way.
 */
export function raceAbort<T>(
	promise: Promise<T>,
	signal: AbortSignal | undefined,
	api: ZendeskApi = 'conversations',
	rejectWith?: (signal: AbortSignal) => unknown,
): Promise<T> {
	if (!signal) return promise;
	const reason = () => (rejectWith ? rejectWith(signal) : new AbortedError(api));
	if (signal.aborted) return Promise.reject(reason());
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(reason());
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

/**
 * How long one HTTP call may take, its retries and their waits included, unless the caller says
 * otherwise: long enough for a retry or two after a slow answer, short enough that a stuck call
 * fails well before n8n's own execution timeout would make it look hung.
 */
export const DEFAULT_CALL_DEADLINE_MS = 60_000;

/**
 * The time limit of one call across all its attempts and the waits between them: `signal` aborts
 * when any of `sources` does (the caller's cancel signal, a client's close signal) or when the
 * limit runs out after `start()`. `expired` tells the two apart, so the caller can report a timeout
 * rather than an abort. Call `dispose()` when the call ends: it clears the timer and the listeners.
 */
export class CallDeadline {
	private readonly controller = new AbortController();
	private readonly sources: AbortSignal[];
	private timer: ReturnType<typeof setTimeout> | undefined;
	private endsAt: number | undefined;
	private ranOut = false;

	constructor(
		/** The limit in ms. */
		readonly ms: number,
		sources: Array<AbortSignal | undefined>,
	) {
		this.sources = sources.filter((s): s is AbortSignal => s !== undefined);
		for (const source of this.sources) {
			if (source.aborted) {
				this.controller.abort();
				break;
			}
			source.addEventListener('abort', this.onAbort, { once: true });
		}
	}

	/** Aborted by a source or when the limit runs out. */
	get signal(): AbortSignal {
		return this.controller.signal;
	}

	/** True when the limit ran out (and not a source aborted first). */
	get expired(): boolean {
		return this.ranOut;
	}

	/** Starts the clock (once; later calls do nothing). */
	start(): void {
		if (this.endsAt !== undefined || this.controller.signal.aborted) return;
		this.endsAt = Date.now() + this.ms;
		this.timer = setTimeout(() => {
			this.ranOut = true;
			this.controller.abort();
		}, this.ms);
		this.timer.unref?.();
	}

	/** Time left before the limit, in ms (all of it before `start()`). */
	remainingMs(): number {
		return this.endsAt === undefined ? this.ms : Math.max(0, this.endsAt - Date.now());
	}

	dispose(): void {
		clearTimeout(this.timer);
		for (const source of this.sources) source.removeEventListener('abort', this.onAbort);
	}

	private readonly onAbort = (): void => {
		if (!this.ranOut) this.controller.abort();
	};
}
