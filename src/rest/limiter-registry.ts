import { RateLimiter, type RateLimit } from '../shared';
import type { RestClock } from './clock';
import { REST_RATE_LIMIT } from './constants';

/**
 * One RateLimiter per credential for the whole process: every client built on the same credential
 * draws from the same 200 requests/min, so two workflows (or a trigger and an action) cannot
 * together exceed what Zendesk allows. A limiter outlives its last client by one window, so a
 * client created right after another one closed still sees the requests already spent.
 */
interface LimiterEntry {
	limiter: RateLimiter;
	holders: number;
	/** When the last holder let go (only meaningful when holders is 0). */
	releasedAt: number;
	/** The longest window: how long the limiter's memory matters after its last use. */
	memoryMs: number;
}

const limiters = new Map<string, LimiterEntry>();
/** A number per injected clock: clients on different clocks must not share a limiter. */
const clockIds = new WeakMap<RestClock, number>();
let lastClockId = 0;

export interface LimiterLease {
	readonly limiter: RateLimiter;
	release(): void;
}

/**
 * Takes a share of the limiter for `key` (a `credentialKey(...)` hash, never a token). Clients that
 * configure different limits for the same key get different limiters.
 */
export function leaseRateLimiter(
	key: string,
	limits: RateLimit[],
	clock?: RestClock,
): LimiterLease {
	sweep();
	let clockId = '';
	if (clock) {
		if (!clockIds.has(clock)) clockIds.set(clock, ++lastClockId);
		clockId = `|clock ${clockIds.get(clock)}`;
	}
	const id = `${key}|${limits.map((l) => `${l.limit}/${l.windowMs}`).join(',')}${clockId}`;
	let entry = limiters.get(id);
	if (!entry) {
		const paced = limits.map((l) => ({
			limit: l.limit,
			windowMs: l.windowMs + pacingAllowanceMs(l.windowMs),
		}));
		entry = {
			limiter: clock
				? new RateLimiter(
						paced,
						'rest',
						() => clock.now(),
						(ms, signal) => clock.sleep(ms, signal),
					)
				: new RateLimiter(paced, 'rest'),
			holders: 0,
			releasedAt: 0,
			memoryMs: Math.max(0, ...limits.map((l) => l.windowMs)),
		};
		limiters.set(id, entry);
	}
	entry.holders += 1;
	const held = entry;
	let released = false;
	return {
		limiter: held.limiter,
		release: () => {
			if (released) return;
			released = true;
			held.holders -= 1;
			if (held.holders === 0) held.releasedAt = Date.now();
		},
	};
}

/**
 * How much longer than its window a request counts here. Zendesk counts a request when it arrives
 * and the client when it sends it, so the two windows are apart by the request's one-way delay,
 * which differs from request to request: a client that lets request n + 200 go the very moment
 * request n left its own window is refused with 429 whenever n + 200 travels faster than n did.
 * An allowance of a 60th of the window (1 s of a minute, the least Retry-After Zendesk gives) covers
 * that jitter, for 1.7% of the budget's pace. At most 1 s.
 */
export function pacingAllowanceMs(windowMs: number): number {
	return Math.min(1_000, Math.round(windowMs / 60));
}

/** Forgets limiters nobody has held for longer than their window (no timer needed). */
function sweep(): void {
	const now = Date.now();
	for (const [id, entry] of limiters) {
		if (entry.holders === 0 && now - entry.releasedAt > entry.memoryMs) limiters.delete(id);
	}
}

/**
 * The credential's REST budget for other clients whose requests count against it: each Streaming
 * API connect is "one request in the 200 requests per minute" (seeds/chat-streaming-api.txt), so
 * pass `lease.limiter` as the streaming client's `connectBudget`, with the same `credentialKey` the
 * ChatRestClient was given. Call `release()` when that client closes.
 */
export function leaseRestRateLimiter(
	credentialKey: string,
	limits: RateLimit[] = [REST_RATE_LIMIT],
): LimiterLease {
	return leaseRateLimiter(credentialKey, limits);
}
