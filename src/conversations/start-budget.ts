import { GraphqlError, RateLimiter } from '../shared';
import { START_SESSION_LIMITS } from './constants';
import { withRetryHint } from './start-session';

/**
 * startAgentSession is limited to 1 per second and 50 per hour, and "there is currently no endpoint
 * to retrieve rate limits status ... please track your own usage" (overview, "Rate limits"). The
 * budget is tracked per credential for the whole process, so every session of an agent draws on
 * the same one.
 */
const budgets = new Map<string, RateLimiter>();

/** The process-wide startAgentSession budget of one credential (keyed by its hash, never the token). */
export function startBudgetFor(key: string): RateLimiter {
	let budget = budgets.get(key);
	if (!budget) {
		budget = new RateLimiter(
			START_SESSION_LIMITS.map((l) => ({ ...l })),
			'conversations',
		);
		budgets.set(key, budget);
	}
	return budget;
}

/** A fresh, unshared budget with the documented limits (tests, or a custom clock). */
export function createStartBudget(now?: () => number): RateLimiter {
	return new RateLimiter(
		START_SESSION_LIMITS.map((l) => ({ ...l })),
		'conversations',
		now,
	);
}

/**
 * Takes one startAgentSession slot, waiting for it when it is near. When the next slot is more than
 * `maxWaitMs` away (the hourly budget is spent), fails at once with a retryable RATE_LIMITED
 * instead of hanging for up to an hour.
 */
export async function acquireStartSlot(
	budget: RateLimiter,
	maxWaitMs: number,
	signal?: AbortSignal,
): Promise<void> {
	const wait = budget.delayMs();
	if (wait > maxWaitMs) {
		const error = new GraphqlError(
			'RATE_LIMITED',
			`startAgentSession budget spent (1 per second and 50 per hour, counted by this client); the next start is possible in ${Math.ceil(wait / 1000)} s`,
			undefined,
		);
		throw withRetryHint(error, wait);
	}
	await budget.acquire(signal);
}
