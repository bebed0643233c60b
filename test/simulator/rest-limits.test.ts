import { once } from 'node:events';

import WebSocket from 'ws';

import { ManualClock, SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import { restClient } from './rest-helpers';

/** The 200 requests/min budget (NOTES.md section 3) and the REST control operations. */
describe('Chat REST API: rate limit and control', () => {
	let sim: Simulator;
	let clock: ManualClock;
	let call: ReturnType<typeof restClient>;

	async function control(operation: string, body: unknown = {}) {
		const res = await fetch(`${sim.urls.control}/rest/${operation}`, {
			method: 'POST',
			body: JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as any };
	}

	/** `n` requests at once, returning their statuses. */
	async function burst(n: number, path = '/departments'): Promise<number[]> {
		const statuses: number[] = [];
		for (let done = 0; done < n; done += 50) {
			const batch = await Promise.all(
				Array.from({ length: Math.min(50, n - done) }, () => call('GET', path)),
			);
			statuses.push(...batch.map((r) => r.status));
		}
		return statuses;
	}

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
		call = restClient(sim);
	});
	afterAll(() => sim.close());

	it('serves 200 requests a minute, then 429 with Retry-After until the window moves on', async () => {
		expect(new Set(await burst(200))).toEqual(new Set([200]));
		expect(sim.rest.control.budgetUsed()).toEqual({
			used: 200,
			limit: 200,
			remaining: 0,
			windowMs: 60_000,
		});

		const refused = await call('GET', '/departments');
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('60');
		expect(refused.body).toEqual({
			error: 'Too Many Requests',
			description:
				'Rate limit exceeded: 200 requests per minute per account (Chat REST API requests and Streaming API connections together). Retry after 60 seconds.',
		});
		// Every endpoint draws on the same budget; an unauthenticated request is still a 401.
		expect((await call('GET', '/chats/search?q=x')).status).toBe(429);
		expect((await call('GET', '/chats', { token: null })).status).toBe(401);

		clock.advance(30_000);
		const later = await call('GET', '/agents/me');
		expect(later.status).toBe(429);
		expect(later.headers.get('retry-after')).toBe('30');
		expect(sim.rest.control.budgetUsed().used).toBe(200);

		clock.advance(30_000);
		const again = await call('GET', '/agents/me');
		expect(again.status).toBe(200);
		expect(sim.rest.control.budgetUsed().used).toBe(1);
	});

	it('slides: requests leave the window a minute after they were made', async () => {
		clock.advance(60_000);
		expect(new Set(await burst(100))).toEqual(new Set([200]));
		clock.advance(30_000);
		expect(new Set(await burst(100, '/nowhere'))).toEqual(new Set([404]));
		expect((await call('GET', '/departments')).status).toBe(429);
		clock.advance(30_000);
		// The first hundred have left the window, the second hundred have not.
		expect(new Set(await burst(100))).toEqual(new Set([200]));
		const refused = await call('GET', '/departments');
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('30');
	});

	it('shares the budget with Streaming API connections (each connection counts as one request)', async () => {
		clock.advance(60_000);
		expect(new Set(await burst(199))).toEqual(new Set([200]));
		const ws = new WebSocket(sim.urls.streaming, {
			headers: { authorization: `Bearer ${SIM_TOKENS.bot}` },
		});
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('unexpected-response', (_req, res) =>
				reject(new Error(`streaming upgrade answered ${res.statusCode}`)),
			);
			ws.once('error', reject);
		});
		expect(sim.rest.control.budgetUsed().used).toBe(200);
		expect((await call('GET', '/departments')).status).toBe(429);
		ws.close();
		await once(ws, 'close');
	});

	it('logs every request it answered, with its status, over the control API', async () => {
		clock.advance(120_000);
		await control('clearRequestLog');
		await call('GET', '/agents/me');
		await call('GET', '/chats/nope');
		await call('GET', '/chats', { token: 'bad' });
		await call('PUT', '/chats/nope?x=1', { body: { unread: true } });
		const log = await control('requestLog');
		expect(log.status).toBe(200);
		const at = new Date(clock.now()).toISOString();
		expect(log.body.result).toEqual([
			{ method: 'GET', path: '/api/v2/chat/agents/me', status: 200, at },
			{ method: 'GET', path: '/api/v2/chat/chats/nope', status: 404, at },
			{ method: 'GET', path: '/api/v2/chat/chats', status: 401, at },
			{ method: 'PUT', path: '/api/v2/chat/chats/nope?x=1', status: 404, at },
		]);
		expect((await control('requestLog', { limit: 1 })).body.result).toEqual([
			{ method: 'PUT', path: '/api/v2/chat/chats/nope?x=1', status: 404, at },
		]);
		expect((await control('clearRequestLog')).body.result).toEqual({ cleared: 4 });
		expect(sim.rest.control.requestLog()).toEqual([]);
	});

	it('does not log faults the server injected before the API saw the request', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 502 });
		expect((await call('GET', '/agents/me')).status).toBe(502);
		expect(sim.rest.control.requestLog()).toEqual([]);
		expect(sim.faults.served.rest).toBe(1);
	});

	it('reports and resets the budget over the control API', async () => {
		clock.advance(60_000);
		await call('GET', '/agents/me');
		expect((await control('budgetUsed')).body.result).toEqual({
			used: 1,
			limit: 200,
			remaining: 199,
			windowMs: 60_000,
		});
		expect((await control('resetBudget')).body.result).toEqual({ reset: true });
		expect(sim.rest.control.budgetUsed().used).toBe(0);
	});

	it('seeds finished chats over the control API, spread over time', async () => {
		const seeded = await control('seedChats', {
			count: 30,
			from: '2025-12-01T00:00:00Z',
			to: '2025-12-01T00:30:00Z',
			offlineEvery: 5,
		});
		expect(seeded.status).toBe(200);
		expect(seeded.body.result).toMatchObject({
			created: 30,
			from: '2025-12-01T00:00:00.000Z',
			to: '2025-12-01T00:30:00.000Z',
		});
		const chats = (seeded.body.result.ids as string[]).map((id) => sim.world.requireChat(id));
		expect(chats.map((c) => c.startedAt)).toEqual(
			chats.map((_, i) => Date.parse('2025-12-01T00:00:00Z') + i * 60_000),
		);
		expect(chats.filter((c) => c.type === 'offline_msg')).toHaveLength(6);
		expect(
			chats.every(
				(c) => c.endedAt !== null && c.endedAt >= c.startedAt && c.updatedAt === c.endedAt,
			),
		).toBe(true);
		const withAgents = chats.filter((c) => c.agentIds.length > 0);
		expect(new Set(withAgents.flatMap((c) => c.agentIds))).toEqual(new Set([1001, 1002]));
		expect(new Set(chats.map((c) => c.rating))).toEqual(new Set(['good', 'bad', null]));
		expect(new Set(chats.map((c) => c.visitor.name)).size).toBeGreaterThan(5);
		const shown = await call('GET', `/chats/${withAgents[0].id}`);
		expect(shown.body.timestamp).toBe(
			new Date(withAgents[0].startedAt).toISOString().replace('.000', ''),
		);
		expect(shown.body.history.every((h: any) => h.timestamp >= shown.body.timestamp)).toBe(true);
	});

	it.each([
		[{}, 'count must be an integer from 1 to 50000'],
		[{ count: 0 }, 'count must be an integer from 1 to 50000'],
		[{ count: 50_001 }, 'count must be an integer from 1 to 50000'],
		[{ count: 2, from: 'soon' }, 'from must be an ISO 8601 date or epoch ms'],
		[
			{ count: 2, from: '2026-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' },
			'from must be before to',
		],
		[{ count: 2, offlineEvery: -1 }, 'offlineEvery must be a non-negative integer'],
	])('refuses seedChats %j with 400', async (args, description) => {
		const res = await control('seedChats', args);
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ error: 'invalid', description });
	});

	it('lists its control operations', async () => {
		const res = await fetch(sim.urls.control);
		const body = (await res.json()) as any;
		expect(body.operations.rest).toEqual([
			'requestLog',
			'clearRequestLog',
			'budgetUsed',
			'resetBudget',
			'seedChats',
		]);
	});
});
