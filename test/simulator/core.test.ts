import { ManualClock, SIM_DEPARTMENTS, startSimulator, type Simulator } from '../../simulator';

/** The simulator's own plumbing: control API over HTTP, the world, faults and the manual clock. */
describe('simulator core', () => {
	let sim: Simulator;
	let clock: ManualClock;

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());

	async function control(path: string, body: unknown = {}) {
		const res = await fetch(`${sim.urls.control}/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as any };
	}

	it('listens on loopback and lists its control operations', async () => {
		expect(sim.urls.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const res = await fetch(sim.urls.control);
		const body = (await res.json()) as any;
		expect(res.status).toBe(200);
		expect(body.operations.world).toEqual(
			expect.arrayContaining(['startChat', 'visitorSays', 'deliveredToVisitor']),
		);
		expect(body.operations.faults).toEqual(
			expect.arrayContaining(['failNextHttp', 'dropAllSockets', 'setDelay']),
		);
	});

	it('scripts a chat over the control API and keeps its history', async () => {
		const started = await control('world/startChat', {
			visitor: { name: 'Harry' },
			departmentId: SIM_DEPARTMENTS.sales,
			message: 'Hi',
		});
		expect(started.status).toBe(200);
		const chatId: string = started.body.result.id;
		expect(chatId).toMatch(/^\d{4}\.10001\.[0-9A-Za-z]{13}$/);
		expect(started.body.result.history.map((h: any) => [h.type, h.senderType, h.msg])).toEqual([
			['chat.memberjoin', 'Visitor', undefined],
			['chat.msg', 'Visitor', 'Hi'],
		]);
		expect(started.body.result.history[1].timestamp).toBe(Date.parse('2026-01-05T09:00:00Z'));

		clock.advance(5000);
		const reply = await control('world/agentSays', { chatId, agentId: 1001, text: 'Hello Harry' });
		expect(reply.body.result).toMatchObject({
			type: 'chat.msg',
			senderType: 'Agent',
			msg: 'Hello Harry',
			agentId: 1001,
		});
		const delivered = await control('world/deliveredToVisitor', { chatId });
		expect(delivered.body.result).toEqual([
			expect.objectContaining({
				agentId: 1001,
				text: 'Hello Harry',
				timestamp: Date.parse('2026-01-05T09:00:05Z'),
			}),
		]);
		const chat = sim.world.requireChat(chatId);
		expect(chat.history.map((h) => h.type)).toEqual([
			'chat.memberjoin',
			'chat.msg',
			'chat.memberjoin',
			'chat.msg',
		]);
		expect(chat.agentIds).toEqual([1001]);
	});

	it('answers unknown operations, bad JSON and unknown chats with errors, and keeps serving', async () => {
		expect((await control('world/noSuchThing')).status).toBe(404);
		const bad = await fetch(`${sim.urls.control}/world/startChat`, {
			method: 'POST',
			body: '{not json',
		});
		expect(bad.status).toBe(400);
		expect(await bad.json()).toMatchObject({ error: 'malformed_json' });
		const missing = await control('world/visitorSays', { chatId: 'nope', text: 'x' });
		expect(missing.status).toBe(404);
		expect((await control('world/listDepartments')).status).toBe(200);
	});

	it('serves 404 for paths no API owns', async () => {
		const res = await fetch(`${sim.urls.base}/nowhere`);
		expect(res.status).toBe(404);
	});

	it('moves the manual clock only when told to, firing due timers in order', () => {
		const fired: string[] = [];
		const c = new ManualClock(0);
		c.setTimeout(() => fired.push('b'), 20);
		c.setTimeout(() => fired.push('a'), 10);
		const cancelled = c.setTimeout(() => fired.push('never'), 15);
		c.clearTimeout(cancelled);
		c.advance(9);
		expect(fired).toEqual([]);
		c.advance(11);
		expect(fired).toEqual(['a', 'b']);
		expect(c.now()).toBe(20);
	});

	it('advances the clock over the control API', async () => {
		const before = sim.clock.now();
		const res = await control('clock/advance', { ms: 3_600_000 });
		expect(res.body.result.now).toBe(before + 3_600_000);
	});
});

describe('simulator close', () => {
	it('cancels injected delays still waiting, so no timer outlives the simulator', async () => {
		const sim = await startSimulator();
		sim.faults.setDelay({ ms: 60_000 });
		const pending = fetch(`${sim.urls.base}/api/v2/chat/chats`).then(
			(res) => res.status,
			(error: Error) => error.name,
		);
		for (let i = 0; i < 50 && sim.faults.pendingWaitCount === 0; i++)
			await new Promise((r) => setTimeout(r, 10));
		expect(sim.faults.pendingWaitCount).toBe(1);
		await sim.close();
		expect(sim.faults.pendingWaitCount).toBe(0);
		// The request ends with the simulator (answered or cut off), not 60 s later.
		expect([401, 'TypeError']).toContain(await pending);
	});
});

describe('injected HTTP faults', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(() => sim.close());

	it('answer in each API’s own error shape, with Retry-After', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 429, retryAfter: 7 });
		const rest = await fetch(`${sim.urls.rest}/chats`);
		expect(rest.status).toBe(429);
		expect(rest.headers.get('retry-after')).toBe('7');
		expect(await rest.json()).toEqual({
			error: 'Too Many Requests',
			description: 'injected fault: HTTP 429',
		});

		sim.faults.failNextHttp({ api: 'sunshine', status: 503 });
		const sunshine = await fetch(`${sim.urls.sunshine}/v2/apps/x/users`);
		expect(sunshine.status).toBe(503);
		expect(await sunshine.json()).toEqual({
			errors: [{ code: 'uncategorized_error', title: 'injected fault: HTTP 503' }],
		});

		sim.faults.failNextHttp({ api: 'conversations', status: 429 });
		const conversations = await fetch(sim.urls.conversationsHttp, { method: 'POST', body: '{}' });
		expect(conversations.status).toBe(429);
		expect(await conversations.json()).toEqual({
			errors: [
				{
					name: 'RATE_LIMITED',
					message: 'injected fault: HTTP 429',
					UUID: expect.stringMatching(/^[0-9a-f-]{36}$/),
				},
			],
		});
		sim.faults.failNextHttp({ api: 'conversations', status: 503 });
		const down = await fetch(sim.urls.conversationsHttp, { method: 'POST', body: '{}' });
		expect(down.status).toBe(503);
		expect(await down.json()).toEqual({
			body: 'injected fault: the Conversations API GraphQL server is unavailable (HTTP 503)',
		});
		expect(sim.faults.served).toEqual({
			conversations: 2,
			rest: 1,
			streaming: 0,
			sunshine: 1,
			support: 0,
			model: 0,
		});
	});
});
