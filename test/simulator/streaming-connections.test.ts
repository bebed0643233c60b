import {
	ManualClock,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../simulator';
import { WsProbe } from '../helpers/ws-probe';

interface RefusedUpgrade {
	statusCode: number;
	headers: Record<string, string>;
	body: string;
}

/**
 * The Streaming API's connection rules over real sockets: authentication on the upgrade, the
 * documented limits (seeds/chat-streaming-api.txt "Rate Limits": 10 concurrent connections per
 * agent, 1000 per account, each new connection one request of the REST API's 200 a minute),
 * keepalive PINGs and dropped sockets.
 */
describe('streaming API: connections', () => {
	let sim: Simulator;
	let clock: ManualClock;
	const probes: WsProbe[] = [];

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());

	beforeEach(() => clock.advance(61_000)); // a fresh minute of the REST budget for every test
	afterEach(async () => {
		await Promise.all(probes.splice(0).map((p) => p.close()));
		await waitFor(() => sim.streaming.control.connections().total === 0);
	});

	async function open(token: string = SIM_TOKENS.bot): Promise<WsProbe> {
		const probe = await WsProbe.open(sim.urls.streaming, {
			headers: { Authorization: `Bearer ${token}` },
		});
		probes.push(probe);
		return probe;
	}

	async function refused(promise: Promise<WsProbe>): Promise<RefusedUpgrade & { json: any }> {
		const error = (await promise.then(
			(probe) => {
				probes.push(probe);
				throw new Error('the upgrade was accepted');
			},
			(e: unknown) => e,
		)) as RefusedUpgrade;
		return { ...error, json: JSON.parse(error.body) };
	}

	/** Adds agents (with one token each) so a test can open more than one agent's 10 sockets. */
	function addAgents(count: number, firstId: number): string[] {
		return Array.from({ length: count }, (_, i) => {
			const agent = sim.world.addAgent({ id: firstId + i, displayName: `Load Agent ${i}` });
			return sim.world.addToken({ accessToken: `load-token-${agent.id}`, agentId: agent.id })
				.accessToken;
		});
	}

	describe('authentication', () => {
		it('refuses a missing, unknown or revoked token with HTTP 401 on the upgrade', async () => {
			const expected = { statusCode: 401, json: { status_code: 401, message: 'unauthenticated' } };
			expect(await refused(WsProbe.open(sim.urls.streaming))).toMatchObject(expected);
			expect(await refused(open('no-such-token'))).toMatchObject(expected);
			expect(await refused(open(SIM_TOKENS.revoked))).toMatchObject(expected);
			const basic = await refused(
				WsProbe.open(sim.urls.streaming, { headers: { Authorization: `Basic ${SIM_TOKENS.bot}` } }),
			);
			expect(basic).toMatchObject(expected);
			expect(sim.streaming.control.connections().total).toBe(0);
		});

		it('needs the read scope: a read-only token connects, a token without read gets 403', async () => {
			await open(SIM_TOKENS.readOnly);
			sim.world.addToken({
				accessToken: 'chat-only',
				agentId: SIM_HUMAN_AGENT_ID,
				scopes: ['chat'],
			});
			const error = await refused(open('chat-only'));
			expect(error.statusCode).toBe(403);
			expect(error.json).toEqual({ status_code: 403, message: expect.stringContaining('read') });
		});

		it('serves the WebSocket at /stream only', async () => {
			expect(
				(
					await refused(
						WsProbe.open(`${sim.urls.streaming}/chats`, {
							headers: { Authorization: `Bearer ${SIM_TOKENS.bot}` },
						}),
					)
				).statusCode,
			).toBe(404);
			const probe = await open();
			expect(probe.ws.readyState).toBe(probe.ws.OPEN);
		});
	});

	describe('concurrent connections', () => {
		it('refuses the 11th connection of one agent with 429 while 10 are open, and allows one after a close', async () => {
			const ten = await Promise.all(Array.from({ length: 10 }, () => open(SIM_TOKENS.bot)));
			const error = await refused(open(SIM_TOKENS.bot));
			expect(error.statusCode).toBe(429);
			expect(error.json).toEqual({
				status_code: 429,
				message: expect.stringMatching(/agent 1001.*at most 10 per agent/),
			});
			// Another token of the same agent counts against the same 10.
			expect((await refused(open(SIM_TOKENS.readOnly))).statusCode).toBe(429);
			// Another agent is not affected.
			await open(SIM_TOKENS.human);
			expect(sim.streaming.control.connections()).toMatchObject({
				total: 11,
				perAgent: { 1001: 10, 1002: 1 },
			});

			await ten[0].close();
			const eleventh = await open(SIM_TOKENS.bot);
			expect(eleventh.ws.readyState).toBe(eleventh.ws.OPEN);
			expect(sim.streaming.control.connections().perAgent).toEqual({ 1001: 10, 1002: 1 });
		});

		it('refuses connection 1001 of the account with 429, whichever agent opens it', async () => {
			const tokens = addAgents(101, 30_000);
			for (let batch = 0; batch < 5; batch++) {
				// 200 new connections a minute at most: each batch of 20 agents x 10 sockets takes one minute.
				await Promise.all(
					tokens
						.slice(batch * 20, batch * 20 + 20)
						.flatMap((t) => Array.from({ length: 10 }, () => open(t))),
				);
				clock.advance(60_000);
			}
			expect(sim.streaming.control.connections().total).toBe(1000);
			const error = await refused(open(tokens[100]));
			expect(error.statusCode).toBe(429);
			expect(error.json).toEqual({
				status_code: 429,
				message: expect.stringMatching(/account: at most 1000 per account/),
			});

			expect(sim.streaming.control.dropSockets()).toEqual({ dropped: 1000 });
			await waitFor(() => sim.streaming.control.connections().total === 0);
			await open(tokens[100]);
		});
	});

	describe('the REST budget (200 requests a minute)', () => {
		it('counts each new connection, and refuses the 201st of a minute with 429 and Retry-After', async () => {
			expect(sim.streaming.control.limits()).toEqual({
				perAgent: 10,
				perAccount: 1000,
				budget: { used: 0, limit: 200, windowMs: 60_000 },
			});
			const tokens = addAgents(21, 40_000);
			await open(tokens[0]);
			expect(sim.streaming.control.limits().budget.used).toBe(1);
			clock.advance(10_000);
			await Promise.all(
				tokens.slice(1, 20).flatMap((t) => Array.from({ length: 10 }, () => open(t))),
			);
			await Promise.all(Array.from({ length: 9 }, () => open(tokens[0])));
			expect(sim.streaming.control.limits().budget.used).toBe(200);

			const error = await refused(open(tokens[20]));
			expect(error.statusCode).toBe(429);
			expect(error.headers['retry-after']).toBe('50'); // the first connection leaves the window in 50 s
			expect(error.json).toEqual({
				status_code: 429,
				message: expect.stringContaining('200 requests per minute'),
			});

			// A refused upgrade counts nothing; nor does a refused token.
			expect((await refused(open('no-such-token'))).statusCode).toBe(401);
			expect(sim.streaming.control.limits().budget.used).toBe(200);

			clock.advance(50_000);
			await open(tokens[20]);
			expect(sim.streaming.control.limits().budget.used).toBe(200);
		});

		it('shares the budget with the Chat REST API: 190 requests and 10 connections fill the minute', async () => {
			// seeds/chat-streaming-api.txt: "in one minute you can make 190 REST API requests and establish
			// 10 new connections before both are rate limited."
			const rest = () =>
				fetch(`${sim.urls.rest}/departments`, {
					headers: { authorization: `Bearer ${SIM_TOKENS.bot}` },
				});
			for (let i = 0; i < 190; i++) expect((await rest()).status).toBe(200);
			await Promise.all(Array.from({ length: 10 }, () => open(SIM_TOKENS.bot)));
			expect((await refused(open(SIM_TOKENS.human))).statusCode).toBe(429);
			const limited = await rest();
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('60');
		});

		it('shares the budget with the REST twin of the Streaming API', async () => {
			for (let i = 0; i < 199; i++) {
				const res = await fetch(`${sim.urls.base}/stream/agents`, {
					headers: { authorization: `Bearer ${SIM_TOKENS.bot}` },
				});
				expect(res.status).toBe(200);
			}
			await open();
			const error = await refused(open(SIM_TOKENS.human));
			expect(error.statusCode).toBe(429);
			const rest = await fetch(`${sim.urls.base}/stream/agents`, {
				headers: { authorization: `Bearer ${SIM_TOKENS.bot}` },
			});
			expect(rest.status).toBe(429);
			expect(rest.headers.get('retry-after')).toBe('60');
		});
	});

	describe('keepalive', () => {
		function pinged(probe: WsProbe, payload: string, waitMs = 300): Promise<string | undefined> {
			return new Promise((resolve) => {
				const timer = setTimeout(() => {
					probe.ws.off('pong', onPong);
					resolve(undefined);
				}, waitMs);
				const onPong = (data: Buffer) => {
					clearTimeout(timer);
					probe.ws.off('pong', onPong);
					resolve(data.toString());
				};
				probe.ws.on('pong', onPong);
				probe.ws.ping(payload);
			});
		}

		it('answers PINGs with their payload, and leaves them unanswered while silenced', async () => {
			const probe = await open();
			expect(await pinged(probe, 'hb-1')).toBe('hb-1');
			sim.faults.setPingSilenced({ api: 'streaming', silenced: true });
			try {
				expect(await pinged(probe, 'hb-2')).toBeUndefined();
				// Only PINGs go unanswered: the socket still carries messages.
				expect(
					await probe.request({ topic: 'chats.incoming_chats', action: 'subscribe' }, () => true),
				).toMatchObject({ status_code: 200 });
			} finally {
				sim.faults.setPingSilenced({ api: 'streaming', silenced: false });
			}
			expect(await pinged(probe, 'hb-3')).toBe('hb-3');
		});

		it('keeps answering PINGs when another API is silenced', async () => {
			const probe = await open();
			sim.faults.setPingSilenced({ api: 'conversations', silenced: true });
			try {
				expect(await pinged(probe, 'hb')).toBe('hb');
			} finally {
				sim.faults.setPingSilenced({ api: 'conversations', silenced: false });
			}
		});
	});

	describe('faults', () => {
		it('dropSockets ends every Streaming socket abnormally (1006), and new connections still work', async () => {
			const a = await open();
			const b = await open(SIM_TOKENS.human);
			expect(sim.streaming.control.dropSockets()).toEqual({ dropped: 2 });
			await Promise.all([a.closed(), b.closed()]);
			expect([a.closeCode, b.closeCode]).toEqual([1006, 1006]);
			expect(sim.streaming.control.connections().total).toBe(0);
			const again = await open();
			expect(
				await again.request({ topic: 'agents.agents_online', action: 'subscribe' }, () => true),
			).toMatchObject({ status_code: 200 });
		});

		it('dropSockets over the control API', async () => {
			const probe = await open();
			const res = await fetch(`${sim.urls.control}/streaming/dropSockets`, { method: 'POST' });
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ result: { dropped: 1 } });
			await probe.closed();
			expect(probe.closeCode).toBe(1006);
		});

		it('an injected HTTP fault refuses the upgrade with that status', async () => {
			sim.faults.failNextHttp({ api: 'streaming', status: 503, retryAfter: 7 });
			const error = await refused(open());
			expect(error.statusCode).toBe(503);
			expect(error.headers['retry-after']).toBe('7');
			await open();
		});

		it('closeSockets closes with a close frame and code', async () => {
			const probe = await open();
			expect(sim.streaming.control.closeSockets({ code: 1012, reason: 'restart' })).toEqual({
				closed: 1,
			});
			await probe.closed();
			expect([probe.closeCode, probe.closeReason]).toEqual([1012, 'restart']);
		});

		it('survives frames larger than it reads by closing that socket with 1009', async () => {
			const probe = await open();
			probe.send('x'.repeat(70 * 1024));
			await probe.closed();
			expect(probe.closeCode).toBe(1009);
			await open();
		});
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 5));
	}
}
