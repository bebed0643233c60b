import {
	ManualClock,
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../simulator';
import { WsProbe } from '../helpers/ws-probe';
import {
	control,
	dataFrames,
	gql,
	openSession,
	sleep,
	startSessionHttp,
	subscribe,
	waitForData,
} from './conversations-helpers';

const MESSAGE_SUBSCRIPTION = 'subscription { message { node { content } } }';

/** The session life cycle: one session per agent, EOS, stopAgentSession, drops, resume and grace. */
describe('conversations agent sessions', () => {
	let sim: Simulator;
	let clock: ManualClock;

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await control(sim, 'reset');
		sim.faults.reset();
	});

	it('ends the old session with EOS "concurrent session limit reached" when the agent starts another', async () => {
		const first = await openSession(sim, clock);
		const other = await openSession(sim, clock, SIM_TOKENS.human);
		const second = await openSession(sim, clock);
		const eos = await first.probe.next((f) => f.sig === 'EOS');
		expect(eos).toEqual({ sig: 'EOS', reason: 'concurrent session limit reached' });
		await first.probe.closed();
		expect(first.probe.closeCode).toBe(1000);

		// The old URL is dead; the new one and the other agent's session work.
		const stale = await WsProbe.open(first.websocketUrl);
		expect(await stale.next((f) => f.sig === 'EOS')).toEqual({
			reason: 'unexpected session state',
			sig: 'EOS',
		});
		await stale.closed();
		expect(
			(await gql(second.probe, '{ agents { edges { node { id } } } }')).payload.data.agents.edges,
		).toHaveLength(2);
		expect(
			(await gql(other.probe, '{ agents { edges { node { id } } } }')).payload.data.agents.edges,
		).toHaveLength(2);
		expect(other.probe.frames.some((f: any) => f.sig === 'EOS')).toBe(false);
		expect(
			sim.conversations.control.sessions().map((s) => [s.sessionId, s.agentId, s.connected]),
		).toEqual([
			[other.sessionId, SIM_HUMAN_AGENT_ID, true],
			[second.sessionId, SIM_BOT_AGENT_ID, true],
		]);
		await Promise.all([second.probe.close(), other.probe.close()]);
	});

	it('also ends a session that was started but never connected', async () => {
		clock.advance(1000);
		const unused = (await startSessionHttp(sim)).body.data.startAgentSession.websocket_url;
		const used = await openSession(sim, clock);
		const stale = await WsProbe.open(unused);
		expect(await stale.next((f) => f.sig === 'EOS')).toEqual({
			reason: 'unexpected session state',
			sig: 'EOS',
		});
		await used.probe.close();
	});

	it('answers a socket on an unknown URL with the documented EOS and closes it', async () => {
		for (const path of ['zzzzzz:1234567890', 'nonsense', '', '%E0%A4%A']) {
			const probe = await WsProbe.open(`${sim.urls.conversationsWs}${path}`);
			expect(await probe.next((f) => f.sig === 'EOS')).toEqual({
				reason: 'unexpected session state',
				sig: 'EOS',
			});
			await probe.closed();
			expect(probe.rawFrames).toHaveLength(1);
		}
	});

	it('stopAgentSession answers success, then EOS, then closes; the URL is dead', async () => {
		const { probe, websocketUrl } = await openSession(sim, clock);
		const answer = await gql(probe, 'mutation { stopAgentSession { success } }', undefined, {
			id: 'stop-1',
		});
		expect(answer).toEqual({
			payload: { data: { stopAgentSession: { success: true } } },
			id: 'stop-1',
		});
		await probe.closed();
		expect(probe.frames).toEqual([answer, { reason: 'agent session stopped', sig: 'EOS' }]);
		expect(probe.closeCode).toBe(1000);
		expect(sim.conversations.control.sessions()).toEqual([]);
		const stale = await WsProbe.open(websocketUrl);
		expect(await stale.next((f) => f.sig === 'EOS')).toEqual({
			reason: 'unexpected session state',
			sig: 'EOS',
		});
	});

	it('serves nothing the client sends after stopAgentSession', async () => {
		const { chat } = { chat: sim.world.startChat() };
		const channelId = Buffer.from(
			JSON.stringify([
				['localId', chat.id],
				['type', 'CHANNEL'],
			]),
		).toString('base64');
		const { probe } = await openSession(sim, clock);
		probe.send({
			type: 'request',
			id: 1,
			payload: { query: 'mutation { stopAgentSession { success } }' },
		});
		probe.send({
			type: 'request',
			id: 2,
			payload: {
				query: 'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "too late") { success } }',
				variables: { c: channelId },
			},
		});
		await probe.closed();
		expect(probe.frames).toEqual([
			{ payload: { data: { stopAgentSession: { success: true } } }, id: 1 },
			{ reason: 'agent session stopped', sig: 'EOS' },
		]);
		expect(sim.world.requireChat(chat.id).delivered).toEqual([]);
	});

	describe('abnormal close', () => {
		it('keeps the session resumable at the same URL; subscriptions end with the socket', async () => {
			const { probe, websocketUrl, sessionId } = await openSession(sim, clock);
			await subscribe(probe, MESSAGE_SUBSCRIPTION);
			const dropped = await control(sim, 'dropSockets', { sessionId });
			expect(dropped.body.result).toEqual({ dropped: [sessionId] });
			await probe.closed();
			expect(probe.closeCode).toBe(1006);
			expect(sim.conversations.control.sessions()).toEqual([
				expect.objectContaining({
					sessionId,
					state: 'detached',
					connected: false,
					subscriptions: [],
				}),
			]);

			clock.advance(59_999);
			const resumed = await WsProbe.open(websocketUrl);
			const listed = await gql(resumed, '{ graphQLSubscriptions { id } }');
			expect(listed.payload).toEqual({ data: { graphQLSubscriptions: [] } });
			expect(sim.conversations.control.sessions()).toEqual([
				expect.objectContaining({ sessionId, state: 'connected', connected: true }),
			]);
			const fresh = await subscribe(resumed, MESSAGE_SUBSCRIPTION);
			sim.world.startChat({ message: 'after resume' });
			const [data] = await waitForData(resumed, fresh, 1);
			expect(data).toEqual({
				payload: { data: { message: { node: { content: 'after resume' } } } },
				sig: 'DATA',
				subscription_id: fresh,
			});
			await resumed.close();
		});

		it('treats a close by the client without stopAgentSession the same way', async () => {
			const { probe, websocketUrl } = await openSession(sim, clock);
			await probe.close();
			await sleep(20);
			expect(sim.conversations.control.sessions()[0].state).toBe('detached');
			const resumed = await WsProbe.open(websocketUrl);
			expect((await gql(resumed, '{ graphQLSubscriptions { id } }')).payload.data).toEqual({
				graphQLSubscriptions: [],
			});
			await resumed.close();
		});

		it('ends the session after the grace period (60 s by default)', async () => {
			const { probe, websocketUrl } = await openSession(sim, clock);
			probe.ws.terminate();
			await sleep(20);
			clock.advance(60_000);
			expect(sim.conversations.control.sessions()).toEqual([]);
			const stale = await WsProbe.open(websocketUrl);
			expect(await stale.next((f) => f.sig === 'EOS')).toEqual({
				reason: 'unexpected session state',
				sig: 'EOS',
			});
		});

		it('uses the grace period set over the control API', async () => {
			expect((await control(sim, 'setResumeGraceMs', { ms: 5000 })).body.result).toEqual({
				resumeGraceMs: 5000,
			});
			const { probe, websocketUrl, sessionId } = await openSession(sim, clock);
			await control(sim, 'dropSockets', { sessionId });
			await probe.closed();
			clock.advance(4999);
			const resumed = await WsProbe.open(websocketUrl);
			expect((await gql(resumed, '{ graphQLSubscriptions { id } }')).payload.data).toBeDefined();
			await control(sim, 'dropSockets', {});
			await resumed.closed();
			clock.advance(5000);
			const stale = await WsProbe.open(websocketUrl);
			expect(await stale.next((f) => f.sig === 'EOS')).toEqual({
				reason: 'unexpected session state',
				sig: 'EOS',
			});
			expect((await control(sim, 'setResumeGraceMs', { ms: -1 })).status).toBe(400);
		});

		it('expires a started session that nobody connects to after the grace period', async () => {
			clock.advance(1000);
			const url = (await startSessionHttp(sim)).body.data.startAgentSession.websocket_url;
			clock.advance(60_000);
			const stale = await WsProbe.open(url);
			expect(await stale.next((f) => f.sig === 'EOS')).toEqual({
				reason: 'unexpected session state',
				sig: 'EOS',
			});
		});

		it('keeps subscriptions across a drop when told to', async () => {
			await control(sim, 'setSubscriptionsSurviveDrop', { survive: true });
			const { probe, websocketUrl, sessionId } = await openSession(sim, clock);
			const subscriptionId = await subscribe(probe, MESSAGE_SUBSCRIPTION);
			await control(sim, 'dropSockets', { sessionId });
			await probe.closed();
			// While nobody is connected, data is not kept for later (documented choice).
			sim.world.startChat({ message: 'while away' });
			const resumed = await WsProbe.open(websocketUrl);
			sim.world.startChat({ message: 'back again' });
			const frames = await waitForData(resumed, subscriptionId, 1);
			expect(frames).toEqual([
				{
					payload: { data: { message: { node: { content: 'back again' } } } },
					sig: 'DATA',
					subscription_id: subscriptionId,
				},
			]);
			await resumed.close();
		});

		it('lets a second socket on the same URL take the session over', async () => {
			const { probe, websocketUrl } = await openSession(sim, clock);
			const takeover = await WsProbe.open(websocketUrl);
			await probe.closed();
			expect(probe.closeCode).toBe(4000);
			expect(probe.frames).toEqual([]);
			expect((await gql(takeover, '{ graphQLSubscriptions { id } }')).payload.data).toEqual({
				graphQLSubscriptions: [],
			});
			expect(sim.conversations.control.sessions()).toEqual([
				expect.objectContaining({ state: 'connected', connected: true }),
			]);
			await takeover.close();
		});
	});

	describe('control operations', () => {
		it('sendEos sends EOS with the given reason to the selected session only', async () => {
			const bot = await openSession(sim, clock);
			const human = await openSession(sim, clock, SIM_TOKENS.human);
			const sent = await control(sim, 'sendEos', {
				agentId: SIM_BOT_AGENT_ID,
				reason: 'maintenance',
			});
			expect(sent.body.result).toEqual({ ended: [bot.sessionId] });
			expect(await bot.probe.next((f) => f.sig === 'EOS')).toEqual({
				reason: 'maintenance',
				sig: 'EOS',
			});
			await bot.probe.closed();
			expect((await gql(human.probe, '{ graphQLSubscriptions { id } }')).payload).toBeDefined();
			const byId = await control(sim, 'sendEos', { sessionId: human.sessionId });
			expect(byId.body.result).toEqual({ ended: [human.sessionId] });
			expect(await human.probe.next((f) => f.sig === 'EOS')).toEqual({
				reason: 'unexpected session state',
				sig: 'EOS',
			});
			const missing = await control(sim, 'sendEos', { sessionId: 'nope' });
			expect(missing.status).toBe(404);
		});

		it('dropSockets drops only the selected sessions', async () => {
			const bot = await openSession(sim, clock);
			const human = await openSession(sim, clock, SIM_TOKENS.human);
			await control(sim, 'dropSockets', { agentId: SIM_HUMAN_AGENT_ID });
			await human.probe.closed();
			expect(human.probe.closeCode).toBe(1006);
			expect((await gql(bot.probe, '{ graphQLSubscriptions { id } }')).payload).toBeDefined();
			await bot.probe.close();
		});

		it('sendMalformedFrame sends text that is not JSON, and the session keeps working', async () => {
			const { probe, sessionId } = await openSession(sim, clock);
			const sent = await control(sim, 'sendMalformedFrame', { sessionId });
			expect(sent.body.result).toEqual({ sent: [sessionId] });
			await probe.next((f) => f.__unparsed !== undefined);
			expect(probe.rawFrames).toEqual(['{"sig":"DATA","payload":{"data":']);
			await control(sim, 'sendMalformedFrame', { text: 'garbage' });
			await probe.next((f) => f.__unparsed === 'garbage');
			expect((await gql(probe, '{ graphQLSubscriptions { id } }')).payload.data).toEqual({
				graphQLSubscriptions: [],
			});
			await probe.close();
		});

		it('sessions lists id, agent, connection and subscriptions', async () => {
			const { probe, sessionId, clientId, websocketUrl } = await openSession(sim, clock);
			const subscriptionId = await subscribe(probe, MESSAGE_SUBSCRIPTION);
			const listed = await control(sim, 'sessions');
			expect(listed.body.result).toEqual([
				{
					sessionId,
					clientId,
					agentId: SIM_BOT_AGENT_ID,
					websocketUrl,
					state: 'connected',
					connected: true,
					startedAt: clock.now(),
					subscriptions: [{ id: subscriptionId, field: 'message' }],
					listenedChats: [],
				},
			]);
			expect(dataFrames(probe, subscriptionId)).toEqual([]);
			await probe.close();
		});
	});
});

describe('conversations module shutdown', () => {
	it('closes its sockets and cancels its timers when the simulator closes', async () => {
		const clock = new ManualClock('2026-01-05T09:00:00Z');
		const sim = await startSimulator({ clock });
		const connected = await openSession(sim, clock);
		const dropped = await openSession(sim, clock, SIM_TOKENS.human);
		const before = clock.pendingTimers;
		dropped.probe.ws.terminate();
		await sleep(20);
		// The dropped session's grace timer.
		expect(clock.pendingTimers).toBe(before + 1);
		sim.faults.setDelay({ api: 'conversations', ms: 10_000 });
		connected.probe.send({ sig: 'PING', payload: 'never answered' });
		await sleep(20);
		const started = Date.now();
		await sim.conversations.close();
		await connected.probe.closed();
		expect(Date.now() - started).toBeLessThan(2000);
		expect(connected.probe.frames).toEqual([]);
		expect(clock.pendingTimers).toBe(before);
		await sim.close();
	});
});
