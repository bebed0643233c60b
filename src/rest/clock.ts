/**
 * The time a ChatRestClient paces itself by. The system clock by default; a test or a bench on the
 * simulator's ManualClock passes one whose `sleep` moves that clock, so minutes of rate limit pass
 * in milliseconds.
 */
export interface RestClock {
	/** Epoch milliseconds. */
	now(): number;
	/** Resolves once `ms` have passed on this clock; rejects with the signal's abort. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
