import { randomUUID } from 'node:crypto';

import type { Simulator } from '../../simulator';
import { SIM_TOKENS } from '../../simulator';
import { ChatRestClient, type ChatRestClientOptions } from '../../src/rest';
import { credentialKey, staticToken } from '../../src/shared';

/**
 * A client on the simulator with its own credential key and a budget far above 200/min, so tests
 * that are not about the rate limit neither wait for it nor share it. Retries wait 10 ms.
 */
export function simClient(
	sim: Simulator,
	overrides: Partial<ChatRestClientOptions> = {},
): ChatRestClient {
	return new ChatRestClient({
		baseUrl: sim.urls.rest,
		token: staticToken(SIM_TOKENS.bot),
		credentialKey: credentialKey('rest-test', randomUUID()),
		rateLimits: [{ limit: 1_000_000, windowMs: 60_000 }],
		backoff: () => 10,
		...overrides,
	});
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const item of items) out.push(item);
	return out;
}

/** What the simulator's REST API answered since the log was last cleared: "GET /api/v2/chat/…?…". */
export function requestsSeen(
	sim: Simulator,
): Array<{ method: string; path: string; status: number }> {
	return sim.rest.control.requestLog();
}

/** The query of a logged path. */
export function queryOf(path: string): URLSearchParams {
	return new URL(path, 'http://sim').searchParams;
}

/** Waits until `check` holds, polling every 10 ms (for events inside the simulator). */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
