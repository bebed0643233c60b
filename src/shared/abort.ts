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
