import type { Clock } from './clock';

export interface RateDecision {
	allowed: boolean;
	/** When refused: how long until one more would be allowed. */
	retryAfterMs: number;
}

/**
 * A sliding-window limit ("N per window") per key, on the simulator's clock. Each API uses it for
 * its documented limits: 200 REST requests a minute, startAgentSession 1/s and 50/h, 100 requests a
 * second per Conversations session.
 */
export class SlidingWindowLimiter {
	private readonly hits = new Map<string, number[]>();

	constructor(
		private readonly clock: Clock,
		readonly limit: number,
		readonly windowMs: number,
	) {}

	/** Counts one request for `key` if the limit allows it. */
	take(key = 'default'): RateDecision {
		const decision = this.check(key);
		if (decision.allowed) this.hits.get(key)!.push(this.clock.now());
		return decision;
	}

	/** Would one more request for `key` be allowed now? (counts nothing) */
	check(key = 'default'): RateDecision {
		const now = this.clock.now();
		const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
		this.hits.set(key, recent);
		if (recent.length < this.limit) return { allowed: true, retryAfterMs: 0 };
		return { allowed: false, retryAfterMs: recent[0] + this.windowMs - now };
	}

	/** How many requests for `key` fall in the current window. */
	used(key = 'default'): number {
		const now = this.clock.now();
		return (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs).length;
	}

	reset(): void {
		this.hits.clear();
	}
}

/** Retry-After in whole seconds, never 0 (a client that waits 0 s would just be refused again). */
export function retryAfterSeconds(ms: number): number {
	return Math.max(1, Math.ceil(ms / 1000));
}
