/**
 * Failures over real sockets, injected with the simulator's faults: 429 with Retry-After (waited in
 * the credential's shared limiter), 5xx and dropped connections retried with bounded attempts,
 * 401 answered by one token refresh, the shared 200/min budget, timeouts, abort and close.
 */
import { randomUUID } from 'node:crypto';

import { SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import { ChatRestClient } from '../../src/rest';
import { openPoolCount } from '../../src/shared/http';
import {
	AbortedError,
	ClosedError,
	ConnectionError,
	credentialKey,
	HttpError,
	silentLogger,
	staticToken,
	TimeoutError,
	type TokenProvider,
} from '../../src/shared';
import { collect, requestsSeen, simClient, until } from './helpers';

let sim: Simulator;
let chatIds: string[];
/** Injected faults served before the current test (the simulator counts for its whole life). */
let servedBefore = 0;
const served = () => sim.faults.served.rest - servedBefore;

beforeAll(async () => {
	sim = await startSimulator();
	chatIds = sim.rest.control.seedChats({ count: 3 }).ids;
});

afterAll(async () => {
	await sim.close();
	// Every client below was closed: no pool (and no socket) is left behind.
	expect(openPoolCount()).toBe(0);
});

beforeEach(() => {
	sim.faults.reset();
	servedBefore = sim.faults.served.rest;
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

/** Runs `body` with a client that is closed afterwards, whatever happens. */
async function withClient<T>(
	options: Parameters<typeof simClient>[1],
	body: (client: ChatRestClient) => Promise<T>,
): Promise<T> {
	const client = simClient(sim, options);
	try {
		return await body(client);
	} finally {
		await client.close();
	}
}

/** A token provider that starts with `first` and refreshes to `fresh`, counting refreshes. */
function rotatingToken(first: string, fresh: string | Error) {
	let current = first;
	const provider = {
		refreshes: 0,
		getToken: async () => current,
		refresh: async () => {
			provider.refreshes += 1;
			if (fresh instanceof Error) throw fresh;
			current = fresh;
			return fresh;
		},
	};
	return provider;
}

describe('429 Too Many Requests', () => {
	it('waits the Retry-After, then succeeds', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 429, retryAfter: 1 });
		const chat = await withClient({}, (client) => client.getChat(chatIds[0]));
		expect(chat.id).toBe(chatIds[0]);
		expect(served()).toBe(1);
		expect(requestsSeen(sim)).toHaveLength(1);
	});

	it('makes every client of the credential wait, not only the one refused', async () => {
		const key = credentialKey('rest-test', randomUUID());
		const retries: Array<Record<string, unknown> | undefined> = [];
		const logger = {
			...silentLogger,
			debug: (_message: string, meta?: Record<string, unknown>) => retries.push(meta),
		};
		const a = simClient(sim, { credentialKey: key, logger });
		const b = simClient(sim, { credentialKey: key });
		try {
			sim.faults.failNextHttp({ api: 'rest', status: 429, retryAfter: 1 });
			const first = a.getChat(chatIds[0]);
			// a has read the 429 and paused the credential's limiter.
			await until(() => retries.length === 1);
			expect(retries[0]).toMatchObject({ reason: 429, waitMs: 1000, credential: key });
			// b starts while a waits out the Retry-After: b waits too, behind a's retry.
			const second = b.getChat(chatIds[1]);
			await Promise.all([first, second]);
			expect(requestsSeen(sim).map((r) => r.path.split('/').pop())).toEqual([
				chatIds[0],
				chatIds[1],
			]);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});

	it('gives up after maxAttempts with an HttpError that carries retryAfterMs and the headers', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 429, retryAfter: 1, count: 2 });
		const error = await withClient({ maxAttempts: 2 }, (client) =>
			client.getChat(chatIds[0]).catch((e: unknown) => e),
		);
		expect(error).toBeInstanceOf(HttpError);
		expect(error).toMatchObject({
			statusCode: 429,
			retryAfterMs: 1000,
			retryable: true,
			api: 'rest',
		});
		expect((error as HttpError).headers['retry-after']).toBe('1');
		expect(served()).toBe(2);
	});

	it('fails at once when Retry-After is longer than maxRetryAfterMs', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 429, retryAfter: 600 });
		const error = await withClient({}, (client) =>
			client.getChat(chatIds[0]).catch((e: unknown) => e),
		);
		expect(error).toMatchObject({ statusCode: 429, retryAfterMs: 600_000 });
		expect(served()).toBe(1);
	});
});

describe('5xx and dropped connections', () => {
	it('retries 5xx with backoff and succeeds', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 503, count: 2 });
		sim.faults.failNextHttp({ api: 'rest', status: 500 });
		const waits: number[] = [];
		const backoff = (attempt: number) => {
			waits.push(attempt);
			return 5;
		};
		const chat = await withClient({ backoff }, (client) => client.getChat(chatIds[0]));
		expect(chat.id).toBe(chatIds[0]);
		expect(served()).toBe(3);
		expect(waits).toEqual([0, 1, 2]);
	});

	it('stops after maxAttempts and reports the last answer', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 502, count: 5 });
		const error = await withClient({ maxAttempts: 3 }, (client) =>
			client.getChat(chatIds[0]).catch((e: unknown) => e),
		);
		expect(error).toMatchObject({ statusCode: 502, retryable: true });
		expect(served()).toBe(3);
		expect(requestsSeen(sim)).toHaveLength(0);
	});

	it('does not retry a 4xx other than 401 and 429', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 403 });
		await expect(withClient({}, (client) => client.getChat(chatIds[0]))).rejects.toMatchObject({
			statusCode: 403,
			retryable: false,
		});
		expect(served()).toBe(1);
	});

	it('retries a request whose connection was reset', async () => {
		sim.faults.setDelay({ api: 'rest', ms: 300 });
		const result = withClient({}, async (client) => {
			const pending = client.getChat(chatIds[1]);
			await new Promise((resolve) => setTimeout(resolve, 100));
			sim.faults.setDelay({ api: 'rest', ms: 0 });
			expect(sim.dropAllSockets()).toBeGreaterThan(0);
			return pending;
		});
		expect((await result).id).toBe(chatIds[1]);
		// The simulator still answers the dropped attempt into the void once its delay is over; both
		// attempts asked for the same chat, and only the retry's answer was read.
		await until(() => requestsSeen(sim).length === 2);
		expect(requestsSeen(sim).map((r) => r.path)).toEqual([
			`/api/v2/chat/chats/${chatIds[1]}`,
			`/api/v2/chat/chats/${chatIds[1]}`,
		]);
	});

	it('reports a connection that cannot be made as ConnectionError', async () => {
		const closed = await startSimulator();
		const baseUrl = closed.urls.rest;
		await closed.close();
		const client = new ChatRestClient({
			baseUrl,
			token: staticToken('x'),
			maxAttempts: 2,
			backoff: () => 5,
		});
		try {
			await expect(client.getCurrentAgent()).rejects.toBeInstanceOf(ConnectionError);
		} finally {
			await client.close();
		}
	});

	it('times out an answer that does not come, as TimeoutError', async () => {
		// undici checks its timeouts about once a second, so the answer is held well past that.
		sim.faults.setDelay({ api: 'rest', ms: 2500 });
		await expect(
			withClient({ timeoutMs: 100, maxAttempts: 2 }, (client) => client.getChat(chatIds[0])),
		).rejects.toBeInstanceOf(TimeoutError);
		// Both attempts reached the simulator, which answers them late (and leaves no timer behind).
		await until(() => requestsSeen(sim).length === 2, 10_000);
	});
});

describe('401 Unauthorized', () => {
	it('asks the provider for a fresh token once, and retries with it', async () => {
		const tokens = rotatingToken(SIM_TOKENS.revoked, SIM_TOKENS.bot);
		const agent = await withClient({ token: tokens }, (client) => client.getCurrentAgent());
		expect(agent.id).toBeGreaterThan(0);
		expect(tokens.refreshes).toBe(1);
	});

	it('refreshes once for calls refused together', async () => {
		const tokens = rotatingToken(SIM_TOKENS.revoked, SIM_TOKENS.bot);
		const chats = await withClient({ token: tokens }, (client) =>
			Promise.all(chatIds.map((id) => client.getChat(id))),
		);
		expect(chats.map((c) => c.id)).toEqual(chatIds);
		expect(tokens.refreshes).toBe(1);
	});

	it('gives up with HttpError 401 when the fresh token is refused too', async () => {
		const tokens = rotatingToken(SIM_TOKENS.revoked, 'still-not-valid');
		await expect(
			withClient({ token: tokens }, (client) => client.getCurrentAgent()),
		).rejects.toMatchObject({ statusCode: 401, retryable: false });
		expect(tokens.refreshes).toBe(1);
	});

	it('says why when refreshing fails, and does not try without a refresh()', async () => {
		const tokens = rotatingToken(SIM_TOKENS.revoked, new Error('refresh token expired'));
		const error = await withClient({ token: tokens }, (client) =>
			client.getCurrentAgent().catch((e: unknown) => e),
		);
		expect(error).toMatchObject({
			statusCode: 401,
			message: expect.stringContaining('refresh token expired'),
		});
		const fixed: TokenProvider = staticToken(SIM_TOKENS.revoked);
		await expect(
			withClient({ token: fixed }, (client) => client.getCurrentAgent()),
		).rejects.toMatchObject({ statusCode: 401 });
	});

	it('never puts the token in an error', async () => {
		const error = await withClient({ token: staticToken(SIM_TOKENS.revoked) }, (client) =>
			client.getCurrentAgent().catch((e: unknown) => e),
		);
		expect(
			JSON.stringify({ message: (error as Error).message, body: (error as HttpError).body }),
		).not.toContain(SIM_TOKENS.revoked);
	});
});

describe('200 requests per minute, shared per credential', () => {
	it('two clients of one credential send 200 between them, and the 201st waits', async () => {
		const key = credentialKey('rest-test', randomUUID());
		// The documented limit: no rateLimits override here.
		const a = new ChatRestClient({
			baseUrl: sim.urls.rest,
			token: staticToken(SIM_TOKENS.bot),
			credentialKey: key,
		});
		const b = new ChatRestClient({
			baseUrl: sim.urls.rest,
			token: staticToken(SIM_TOKENS.bot),
			credentialKey: key,
		});
		try {
			await Promise.all(
				Array.from({ length: 100 }, (_, i) => [
					a.getChat(chatIds[i % 3]),
					b.getChat(chatIds[i % 3]),
				]).flat(),
			);
			expect(sim.rest.control.budgetUsed()).toMatchObject({ used: 200 });

			const controller = new AbortController();
			const waiting = b.getCurrentAgent({ signal: controller.signal }).catch((e: unknown) => e);
			await new Promise((resolve) => setTimeout(resolve, 300));
			// Held back by the shared limiter: the simulator never saw it, and never had to refuse anything.
			expect(requestsSeen(sim)).toHaveLength(200);
			expect(requestsSeen(sim).every((r) => r.status === 200)).toBe(true);
			controller.abort();
			expect(await waiting).toBeInstanceOf(AbortedError);
			expect(requestsSeen(sim)).toHaveLength(200);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});
});

describe('abort and close', () => {
	it('an aborted signal sends nothing', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(
			withClient({}, (client) => client.getChat(chatIds[0], { signal: controller.signal })),
		).rejects.toBeInstanceOf(AbortedError);
		expect(requestsSeen(sim)).toHaveLength(0);
	});

	it('aborting stops a request in flight, and a walk between pages', async () => {
		sim.faults.setDelay({ api: 'rest', ms: 500 });
		const controller = new AbortController();
		const pending = withClient({}, (client) =>
			client.getChat(chatIds[0], { signal: controller.signal }),
		);
		setTimeout(() => controller.abort(), 50);
		await expect(pending).rejects.toBeInstanceOf(AbortedError);
		sim.faults.setDelay({ api: 'rest', ms: 0 });
		await until(() => requestsSeen(sim).length === 1);
		sim.rest.control.clearRequestLog();

		// An export of one chat a page: the abort lands between pages, before the next request.
		const walk = new AbortController();
		const pages = withClient({}, async (client) => {
			const iterator = client.exportChats({
				startTime: new Date(Date.now() - 31 * 86_400_000),
				limit: 1,
				signal: walk.signal,
			});
			const first = await iterator.next();
			expect(first.value.chats.map((c: { id: string }) => c.id)).toEqual([chatIds[0]]);
			walk.abort();
			return iterator.next();
		});
		await expect(pages).rejects.toBeInstanceOf(AbortedError);
		expect(requestsSeen(sim).filter((r) => r.path.includes('/incremental/'))).toHaveLength(1);
	});

	it('close() rejects calls in flight with ClosedError and refuses new ones', async () => {
		const client = simClient(sim);
		sim.faults.setDelay({ api: 'rest', ms: 500 });
		const pending = client.getChat(chatIds[0]).catch((e: unknown) => e);
		const walk = client.listChats();
		await new Promise((resolve) => setTimeout(resolve, 50));
		await client.close();
		expect(await pending).toBeInstanceOf(ClosedError);
		await expect(walk.next()).rejects.toBeInstanceOf(ClosedError);
		await expect(client.getChat(chatIds[0])).rejects.toBeInstanceOf(ClosedError);
		expect(() => client.searchChats({ rating: 'good' })).toThrow(ClosedError);
		await client.close();
		// Only the call in flight reached the simulator (answered late, into the void).
		await until(() => requestsSeen(sim).length === 1);
	});

	it('an iterator abandoned halfway leaves nothing running', async () => {
		const all = await withClient({}, async (client) => {
			const first = await client.listChats().next();
			expect(first.done).toBe(false);
			return collect(client.listChats());
		});
		expect(all.map((c) => c.id)).toEqual(chatIds);
	});
});
