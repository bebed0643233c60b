/**
 * Calls that would rather go without than wait for the credential's 200 requests a minute
 * (NOTES.md section 3): `getChats(ids, { waitForBudget: false })` and `budget()`, over real sockets
 * against the simulator, plus the limiter's non-waiting turn they rest on.
 */
import { SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import { ChatRestClient, RestBudgetSpentError } from '../../src/rest';
import { openPoolCount } from '../../src/shared/http';
import { credentialKey, HttpError, RateLimiter, staticToken } from '../../src/shared';
import { queryOf, requestsSeen, simClient } from './helpers';

let sim: Simulator;
let chatIds: string[];

beforeAll(async () => {
	sim = await startSimulator();
	chatIds = sim.rest.control.seedChats({ count: 3 }).ids;
});

afterAll(async () => {
	await sim.close();
	expect(openPoolCount()).toBe(0);
});

beforeEach(() => {
	sim.faults.reset();
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

describe('RateLimiter: a turn without waiting', () => {
	it('tryAcquire takes a slot only when one is free now, and room() counts what is left', () => {
		let now = 0;
		const limiter = new RateLimiter([{ limit: 3, windowMs: 1000 }], 'rest', () => now);
		expect(limiter.room()).toBe(3);
		expect([limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire()]).toEqual([
			true,
			true,
			true,
		]);
		expect(limiter.room()).toBe(0);
		expect(limiter.tryAcquire()).toBe(false);
		// Refused turns are not counted: the window frees on time.
		now = 1000;
		expect(limiter.room()).toBe(3);
		expect(limiter.tryAcquire()).toBe(true);
		limiter.penalize(500);
		expect(limiter.room()).toBe(0);
		expect(limiter.tryAcquire()).toBe(false);
	});

	it('does not jump ahead of callers already waiting (FIFO)', async () => {
		const limiter = new RateLimiter([{ limit: 1, windowMs: 50 }], 'rest');
		await limiter.acquire();
		const waiting = limiter.acquire();
		// The window frees, but the queued caller comes first.
		await new Promise((resolve) => setTimeout(resolve, 60));
		expect(limiter.room()).toBe(0);
		expect(limiter.tryAcquire()).toBe(false);
		await waiting;
	});
});

describe('getChats with waitForBudget: false', () => {
	function sharedClients(limit: number) {
		const key = credentialKey('rest-budget-test', String(Math.random()));
		const make = () =>
			new ChatRestClient({
				baseUrl: sim.urls.rest,
				token: staticToken(SIM_TOKENS.bot),
				credentialKey: key,
				rateLimits: [{ limit, windowMs: 60_000 }],
			});
		return [make(), make()] as const;
	}

	it('with room, fetches the chats as usual and reports the budget spent', async () => {
		const [client, other] = sharedClients(5);
		try {
			expect(client.budget()).toEqual({ remaining: 5, limit: 5, windowMs: 60_000 });
			const result = await client.getChats(chatIds, { waitForBudget: false });
			expect(result.chats.map((c) => c.id)).toEqual(chatIds);
			expect(client.budget().remaining).toBe(4);
			expect(other.budget().remaining).toBe(4);
			expect(requestsSeen(sim).map((r) => queryOf(r.path).get('ids'))).toEqual([chatIds.join(',')]);
		} finally {
			await Promise.all([client.close(), other.close()]);
		}
	});

	it('without room, sends nothing and fails at once with RestBudgetSpentError (an HttpError 429)', async () => {
		const [spender, client] = sharedClients(2);
		try {
			// Another client of the same credential spends the budget.
			await spender.getChat(chatIds[0]);
			await spender.getChat(chatIds[1]);
			expect(client.budget().remaining).toBe(0);
			sim.rest.control.clearRequestLog();
			const error = await client
				.getChats(chatIds, { waitForBudget: false })
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(RestBudgetSpentError);
			expect(error).toBeInstanceOf(HttpError);
			expect(error).toMatchObject({ statusCode: 429, sent: false });
			expect((error as RestBudgetSpentError).retryAfterMs).toBeGreaterThan(0);
			expect(requestsSeen(sim)).toEqual([]);
		} finally {
			await Promise.all([spender.close(), client.close()]);
		}
	});

	it('a 429 from Zendesk is not retried; every client of the credential then waits its Retry-After', async () => {
		const [client, other] = sharedClients(200);
		try {
			sim.faults.failNextHttp({ api: 'rest', status: 429, retryAfter: 30 });
			const served = sim.faults.served.rest;
			const error = await client
				.getChats(chatIds, { waitForBudget: false })
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(RestBudgetSpentError);
			expect(error).toMatchObject({ statusCode: 429, sent: true, retryAfterMs: 30_000 });
			expect(sim.faults.served.rest - served).toBe(1);
			expect(requestsSeen(sim)).toEqual([]);
			// The shared limiter learnt of the wait: the other client's optional call is not even sent.
			expect(other.budget().remaining).toBe(0);
			expect(
				await other.getChats(chatIds, { waitForBudget: false }).catch((e: unknown) => e),
			).toMatchObject({ sent: false });
			expect(requestsSeen(sim)).toEqual([]);
		} finally {
			await Promise.all([client.close(), other.close()]);
		}
	});

	it('by default a call still waits for its turn (the usual behaviour is kept)', async () => {
		const client = simClient(sim, { rateLimits: [{ limit: 1, windowMs: 300 }] });
		try {
			await client.getChats([chatIds[0]]);
			const started = Date.now();
			const result = await client.getChats([chatIds[1]]);
			expect(result.chats.map((c) => c.id)).toEqual([chatIds[1]]);
			expect(Date.now() - started).toBeGreaterThanOrEqual(250);
		} finally {
			await client.close();
		}
	});
});
