/**
 * Exponential backoff with full jitter (as graphql-ws's retryWait and undici's RetryHandler do):
 * attempt 0 waits up to `initialMs`, each later attempt up to twice as long, never above `maxMs`.
 */
export interface BackoffOptions {
	/** @default 250 */
	initialMs?: number;
	/** @default 30_000 */
	maxMs?: number;
	/** @default 2 */
	factor?: number;
	/** A source of [0, 1) numbers; tests pass a fixed one. @default Math.random */
	random?: () => number;
}

export type Backoff = (attempt: number) => number;

export function exponentialBackoff(options: BackoffOptions = {}): Backoff {
	const { initialMs = 250, maxMs = 30_000, factor = 2, random = Math.random } = options;
	return (attempt) => {
		const ceiling = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt));
		// Half fixed, half random: never 0 (no hot loop), still spread out across clients.
		return Math.round(ceiling / 2 + (random() * ceiling) / 2);
	};
}
