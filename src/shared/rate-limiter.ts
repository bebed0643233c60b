import { sleep, throwIfAborted } from './abort';
import type { ZendeskApi } from './errors';

export interface RateLimit {
	/** How many requests… */
	limit: number;
	/** …in how many milliseconds (a sliding window). */
	windowMs: number;
}

/**
 * Keeps a client under documented limits ("100 requests per second", "200 requests per minute",
 * "1 per second and 50 per hour") by waiting, instead of letting the server refuse. Several limits
 * can apply at once. Callers are served in the order they asked (FIFO), so no caller starves.
 */
export class RateLimiter {
	private readonly windows: Array<RateLimit & { hits: number[] }>;
	private queue: Promise<void> = Promise.resolve();
	/** Callers queued behind one another (FIFO); while any wait, nobody may jump the queue. */
	private waiting = 0;

	constructor(
		limits: RateLimit[],
		private readonly api?: ZendeskApi,
		private readonly now: () => number = Date.now,
		/** How a wait is waited: a test or a bench on a simulated clock moves that clock instead. */
		private readonly wait: (
			ms: number,
			signal: AbortSignal | undefined,
			api: ZendeskApi | undefined,
		) => Promise<void> = sleep,
	) {
		this.windows = limits.map((l) => ({ ...l, hits: [] }));
	}

	/** Waits until one more request is allowed, then counts it. */
	acquire(signal?: AbortSignal): Promise<void> {
		// The common case, room and nobody waiting, costs no promise chain (the warm-send hot path).
		if (this.waiting === 0 && !signal?.aborted && this.delayMs() <= 0) {
			this.count(this.now());
			return Promise.resolve();
		}
		this.waiting++;
		const turn = this.queue.then(() => this.waitForRoom(signal)).finally(() => this.waiting--);
		// The next caller waits for this one, whether it succeeded or was aborted.
		this.queue = turn.catch(() => undefined);
		return turn;
	}

	/**
	 * Counts one request and returns true if it can go at once (room, and nobody queued ahead);
	 * otherwise counts nothing and returns false. For callers that would rather do without the
	 * request than wait for it (an optional lookup).
	 */
	tryAcquire(): boolean {
		if (this.waiting > 0 || this.delayMs() > 0) return false;
		this.count(this.now());
		return true;
	}

	/**
	 * How many requests could go at once now: the room left in the tightest window, 0 while callers
	 * are queued (they take the room first).
	 */
	room(): number {
		if (this.waiting > 0) return 0;
		const now = this.now();
		let room = Number.POSITIVE_INFINITY;
		for (const w of this.windows) {
			w.hits = w.hits.filter((t) => t > now - w.windowMs);
			room = Math.min(room, Math.max(0, w.limit - w.hits.length));
		}
		return room;
	}

	/** How long one more request would wait now (0 when it could go at once). */
	delayMs(): number {
		const now = this.now();
		let wait = 0;
		for (const w of this.windows) {
			w.hits = w.hits.filter((t) => t > now - w.windowMs);
			if (w.hits.length >= w.limit)
				wait = Math.max(wait, w.hits[w.hits.length - w.limit] + w.windowMs - now);
		}
		return wait;
	}

	/** Pushes every window's next slot back by `ms` (after the server said 429 with Retry-After). */
	penalize(ms: number): void {
		const until = this.now() + ms;
		for (const w of this.windows) {
			// Filling the window with hits that expire at `until` blocks it exactly that long.
			w.hits = Array.from({ length: w.limit }, () => until - w.windowMs);
		}
	}

	private async waitForRoom(signal?: AbortSignal): Promise<void> {
		for (;;) {
			throwIfAborted(signal, this.api);
			const wait = this.delayMs();
			if (wait <= 0) break;
			await this.wait(wait, signal, this.api);
		}
		this.count(this.now());
	}

	private count(now: number): void {
		for (const w of this.windows) w.hits.push(now);
	}
}
