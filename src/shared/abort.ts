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

/** Rejects with AbortedError as soon as `signal` aborts; the promise itself goes on (it may be shared). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, api: ZendeskApi = 'conversations'): Promise<T> {
	if (!signal) return promise;
	if (signal.aborted) return Promise.reject(new AbortedError(api));
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(new AbortedError(api));
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
