import {
	ManualClock,
	SIM_DEPARTMENTS,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../simulator';
import { WsProbe } from '../helpers/ws-probe';

/**
 * The Streaming API's messages over a real socket: subscribe / unsubscribe, the documented update
 * shapes (seeds/chat-streaming-api.txt "Example chat events", "Example agent events"), windows,
 * departments, derived metrics, "updates only when a value changes", errors, and the REST twin.
 */
describe('streaming API: metrics over the socket', () => {
	let sim: Simulator;
	let clock: ManualClock;
	const probes: WsProbe[] = [];

	beforeEach(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
	});
	afterEach(async () => {
		await Promise.all(probes.splice(0).map((p) => p.close()));
		await sim.close();
	});

	async function open(token: string = SIM_TOKENS.bot): Promise<WsProbe> {
		const probe = await WsProbe.open(sim.urls.streaming, {
			headers: { Authorization: `Bearer ${token}` },
		});
		probes.push(probe);
		return probe;
	}

	/** The documented update message, every field. */
	function update(
		data: Record<string, unknown>,
		departmentId: number | null = null,
		topic: 'chats' | 'agents' = 'chats',
	) {
		return {
			status_code: 200,
			content: { topic, type: 'update', data, department_id: departmentId },
		};
	}

	/** Subscribes and returns the first answer (the current value). */
	function subscribe(probe: WsProbe, frame: Record<string, unknown>): Promise<any> {
		return probe.request({ ...frame, action: 'subscribe' }, () => true);
	}

	/** The values a probe received for one metric (optionally one window / department), in order. */
	function received(
		probe: WsProbe,
		key: string,
		options: { window?: 30 | 60; departmentId?: number | null } = {},
	): unknown[] {
		return probe.frames
			.filter((f: any) => f?.status_code === 200 && f.content?.data && key in f.content.data)
			.filter((f: any) => f.content.department_id === (options.departmentId ?? null))
			.filter(
				(f: any) => options.window === undefined || String(options.window) in f.content.data[key],
			)
			.map((f: any) =>
				options.window === undefined
					? f.content.data[key]
					: f.content.data[key][String(options.window)],
			);
	}

	const isUpdateOf =
		(key: string, departmentId: number | null = null) =>
		(f: any) =>
			f?.content?.data && key in f.content.data && f.content.department_id === departmentId;

	describe('documented message shapes', () => {
		it('sends the documented chat events, field for field', async () => {
			sim.world.startChat({ message: 'Hi' });
			sim.world.startChat({ message: 'Hello?' });
			const missed = sim.world.startChat({});
			sim.world.endChat(missed.id);
			clock.advance(12_000);
			const probe = await open();

			// seeds/chat-streaming-api.txt "Example chat events", verbatim.
			expect(await subscribe(probe, { topic: 'chats.incoming_chats' })).toEqual(
				JSON.parse(
					'{"content":{"topic":"chats","data":{"incoming_chats":2},"type":"update","department_id":null},"status_code":200}',
				),
			);
			expect(await subscribe(probe, { topic: 'chats.assigned_chats' })).toEqual(
				JSON.parse(
					'{"content":{"topic":"chats","data":{"assigned_chats":0},"type":"update","department_id":null},"status_code":200}',
				),
			);
			expect(await subscribe(probe, { topic: 'chats.waiting_time_avg' })).toEqual(
				JSON.parse(
					'{"content":{"topic":"chats","data":{"waiting_time_avg":12},"type":"update","department_id":null},"status_code":200}',
				),
			);
			expect(await subscribe(probe, { topic: 'chats.missed_chats', window: 30 })).toEqual(
				JSON.parse(
					'{"content":{"topic":"chats","data":{"missed_chats":{"30":1}},"type":"update","department_id":null},"status_code":200}',
				),
			);
			// Exactly two top-level fields and four content fields: nothing else leaks into the frame.
			const raw = JSON.parse(probe.rawFrames[0]);
			expect(Object.keys(raw).sort()).toEqual(['content', 'status_code']);
			expect(Object.keys(raw.content).sort()).toEqual(['data', 'department_id', 'topic', 'type']);
		});

		it('sends the documented agent events for a department', async () => {
			const online = Array.from(
				{ length: 26 },
				(_, i) =>
					sim.world.addAgent({ id: 7000 + i, displayName: `Agent ${i}`, status: 'ONLINE' }).id,
			);
			const invisible = sim.world.addAgent({
				id: 7100,
				displayName: 'Hidden Agent',
				status: 'INVISIBLE',
			}).id;
			sim.world.addDepartment({ id: 5, name: 'Docs example', members: [...online, invisible] });
			const probe = await open();

			// seeds/chat-streaming-api.txt "Example agent events", verbatim.
			expect(await subscribe(probe, { topic: 'agents.agents_online', department_id: 5 })).toEqual(
				JSON.parse(
					'{"content":{"topic":"agents","data":{"agents_online":26},"type":"update","department_id":5},"status_code":200}',
				),
			);
			expect(await subscribe(probe, { topic: 'agents.agents_away', department_id: 5 })).toEqual(
				JSON.parse(
					'{"content":{"topic":"agents","data":{"agents_away":0},"type":"update","department_id":5},"status_code":200}',
				),
			);
			expect(
				await subscribe(probe, { topic: 'agents.agents_invisible', department_id: 5 }),
			).toEqual(
				JSON.parse(
					'{"content":{"topic":"agents","data":{"agents_invisible":1},"type":"update","department_id":5},"status_code":200}',
				),
			);
			// The whole account also counts the seeded human agent, who is online.
			expect(await subscribe(probe, { topic: 'agents.agents_online' })).toEqual(
				update({ agents_online: 27 }, null, 'agents'),
			);
		});

		it('sends null for time metrics while nothing applies (no queue, no chat served)', async () => {
			const probe = await open();
			for (const key of [
				'waiting_time_avg',
				'waiting_time_max',
				'chat_duration_avg',
				'chat_duration_max',
				'response_time_avg',
				'response_time_max',
			]) {
				expect(await subscribe(probe, { topic: `chats.${key}` })).toEqual(update({ [key]: null }));
			}
			for (const key of ['incoming_chats', 'assigned_chats', 'active_chats']) {
				expect(await subscribe(probe, { topic: `chats.${key}` })).toEqual(update({ [key]: 0 }));
			}
		});
	});

	describe('updates only when a value changes', () => {
		it('pushes a changed value once, and nothing when the same value is set again', async () => {
			const probe = await open();
			expect(await subscribe(probe, { topic: 'chats.incoming_chats' })).toEqual(
				update({ incoming_chats: 0 }),
			);
			expect(await subscribe(probe, { topic: 'chats.active_chats' })).toEqual(
				update({ active_chats: 0 }),
			);

			let from = probe.frames.length;
			sim.streaming.control.setMetric({ key: 'incoming_chats', value: 5 });
			expect(await probe.next(() => true, { from })).toEqual(update({ incoming_chats: 5 }));
			from = probe.frames.length;
			expect(sim.streaming.control.setMetric({ key: 'incoming_chats', value: 5 }).sent).toBe(0);
			expect(await probe.framesAfter(from)).toEqual([]);

			sim.streaming.control.setMetric({ key: 'chats.incoming_chats', value: 6 });
			expect(await probe.next(() => true, { from })).toEqual(update({ incoming_chats: 6 }));
			// Back to the derived value (no chat: 0).
			from = probe.frames.length;
			expect(sim.streaming.control.clearMetric({ key: 'incoming_chats' })).toEqual({
				cleared: 1,
				sent: 1,
			});
			expect(await probe.next(() => true, { from })).toEqual(update({ incoming_chats: 0 }));
			// A world event that changes none of the subscribed values sends nothing.
			from = probe.frames.length;
			sim.world.setAgentStatus(SIM_HUMAN_AGENT_ID, 'AWAY');
			expect(await probe.framesAfter(from)).toEqual([]);
			expect(received(probe, 'active_chats')).toEqual([0]);
		});

		it('sends an override of null, and of a department only to that department', async () => {
			const probe = await open();
			await subscribe(probe, { topic: 'chats.incoming_chats' });
			await subscribe(probe, {
				topic: 'chats.incoming_chats',
				department_id: SIM_DEPARTMENTS.sales,
			});
			const from = probe.frames.length;
			sim.streaming.control.setMetric({
				key: 'incoming_chats',
				value: 3,
				departmentId: SIM_DEPARTMENTS.sales,
			});
			expect(await probe.next(() => true, { from })).toEqual(
				update({ incoming_chats: 3 }, SIM_DEPARTMENTS.sales),
			);
			sim.streaming.control.setMetric({ key: 'incoming_chats', value: null });
			expect(await probe.next(isUpdateOf('incoming_chats'), { from })).toEqual(
				update({ incoming_chats: null }),
			);
			expect(await probe.framesAfter(from)).toHaveLength(2);
		});

		it('keeps separate subscriptions per (topic, window, department_id), and a repeated subscribe re-sends the value', async () => {
			const probe = await open();
			await subscribe(probe, { topic: 'chats.missed_chats', window: 30 });
			await subscribe(probe, { topic: 'chats.missed_chats', window: 60 });
			await subscribe(probe, {
				topic: 'chats.missed_chats',
				window: 30,
				department_id: SIM_DEPARTMENTS.sales,
			});
			expect(await subscribe(probe, { topic: 'chats.missed_chats', window: 30 })).toEqual(
				update({ missed_chats: { 30: 0 } }),
			);
			const subscriptions = sim.streaming.control.connections().connections[0].subscriptions;
			expect(subscriptions.map((s) => [s.topic, s.window, s.department_id])).toEqual([
				['chats.missed_chats', 30, null],
				['chats.missed_chats', 60, null],
				['chats.missed_chats', 30, SIM_DEPARTMENTS.sales],
			]);
		});

		it('sends each connection its own updates', async () => {
			const a = await open();
			const b = await open(SIM_TOKENS.human);
			await subscribe(a, { topic: 'chats.incoming_chats' });
			await subscribe(b, { topic: 'agents.agents_online' });
			const fromA = a.frames.length;
			const fromB = b.frames.length;
			sim.world.startChat({ message: 'Hi' });
			expect(await a.next(() => true, { from: fromA })).toEqual(update({ incoming_chats: 1 }));
			expect(await b.framesAfter(fromB)).toEqual([]);
		});
	});

	describe('unsubscribe', () => {
		it('stops the updates of that topic', async () => {
			const probe = await open();
			await subscribe(probe, { topic: 'chats.incoming_chats' });
			await subscribe(probe, { topic: 'agents.agents_online' });
			probe.send({ topic: 'chats.incoming_chats', action: 'unsubscribe' });
			await waitFor(
				() => sim.streaming.control.connections().connections[0].subscriptions.length === 1,
			);
			const from = probe.frames.length;
			sim.world.setAgentStatus(1001, 'ONLINE'); // still subscribed to agents_online: that frame does come
			expect(await probe.next(() => true, { from })).toEqual(
				update({ agents_online: 2 }, null, 'agents'),
			);
			sim.world.startChat({ message: 'Hi' });
			expect(await probe.framesAfter(from)).toEqual([update({ agents_online: 2 }, null, 'agents')]);
		});

		it('without a window or department_id, stops every window and department of that metric', async () => {
			const probe = await open();
			await subscribe(probe, { topic: 'chats.missed_chats', window: 30 });
			await subscribe(probe, { topic: 'chats.missed_chats', window: 60 });
			await subscribe(probe, {
				topic: 'chats.missed_chats',
				window: 60,
				department_id: SIM_DEPARTMENTS.support,
			});
			await subscribe(probe, { topic: 'chats.satisfaction_good', window: 30 });
			probe.send({
				topic: 'chats.missed_chats',
				action: 'unsubscribe',
				window: 60,
				department_id: SIM_DEPARTMENTS.support,
			});
			await waitFor(
				() => sim.streaming.control.connections().connections[0].subscriptions.length === 3,
			);
			probe.send({ topic: 'chats.missed_chats', action: 'unsubscribe' });
			await waitFor(
				() => sim.streaming.control.connections().connections[0].subscriptions.length === 1,
			);
			expect(
				sim.streaming.control.connections().connections[0].subscriptions.map((s) => s.topic),
			).toEqual(['chats.satisfaction_good']);
			const from = probe.frames.length;
			const chat = sim.world.startChat({ departmentId: SIM_DEPARTMENTS.support });
			sim.world.endChat(chat.id);
			expect(await probe.framesAfter(from)).toEqual([]);
		});
	});

	describe('windows', () => {
		it('counts a missed chat in the 30 and 60 minute windows until it leaves each one', async () => {
			const probe = await open();
			expect(await subscribe(probe, { topic: 'chats.missed_chats', window: 30 })).toEqual(
				update({ missed_chats: { 30: 0 } }),
			);
			expect(await subscribe(probe, { topic: 'chats.missed_chats', window: 60 })).toEqual(
				update({ missed_chats: { 60: 0 } }),
			);
			expect(
				await subscribe(probe, {
					topic: 'chats.missed_chats',
					window: 30,
					department_id: SIM_DEPARTMENTS.sales,
				}),
			).toEqual(update({ missed_chats: { 30: 0 } }, SIM_DEPARTMENTS.sales));
			const chat = sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'Anyone?' });
			sim.world.endChat(chat.id); // no agent ever joined: missed
			await probe.next(isUpdateOf('missed_chats', SIM_DEPARTMENTS.sales), { from: 3 });
			expect(probe.frames.slice(3)).toEqual([
				update({ missed_chats: { 30: 1 } }),
				update({ missed_chats: { 60: 1 } }),
				update({ missed_chats: { 30: 1 } }, SIM_DEPARTMENTS.sales),
			]);

			clock.advance(30 * 60_000 - 1);
			expect(await probe.framesAfter(6)).toEqual([]);
			clock.advance(1);
			await probe.next(isUpdateOf('missed_chats', SIM_DEPARTMENTS.sales), { from: 6 });
			expect(probe.frames.slice(6)).toEqual([
				update({ missed_chats: { 30: 0 } }),
				update({ missed_chats: { 30: 0 } }, SIM_DEPARTMENTS.sales),
			]);
			clock.advance(30 * 60_000);
			expect(await probe.next(() => true, { from: 8 })).toEqual(
				update({ missed_chats: { 60: 0 } }),
			);
			expect(await probe.framesAfter(9)).toEqual([]);
		});

		it('sends time-based metrics on events only, not when a window expires', async () => {
			const probe = await open();
			await subscribe(probe, { topic: 'chats.missed_chats', window: 30 });
			await subscribe(probe, { topic: 'chats.waiting_time_max' });
			const missed = sim.world.startChat({});
			sim.world.endChat(missed.id);
			sim.world.startChat({ message: 'still waiting' });
			await probe.next(isUpdateOf('waiting_time_max'), { from: 2 });
			const from = probe.frames.length;
			clock.advance(30 * 60_000);
			// seeds/chat-streaming-api.txt: time-based metrics change "in response to an event"; the
			// window expiring is none, so only missed_chats is sent.
			expect(await probe.next(() => true, { from })).toEqual(update({ missed_chats: { 30: 0 } }));
			expect(await probe.framesAfter(from + 1)).toEqual([]);
			sim.world.setAgentStatus(1001, 'AWAY'); // an event: now the waiting time is recomputed
			expect(await probe.next(() => true, { from: from + 1 })).toEqual(
				update({ waiting_time_max: 1800 }),
			);
		});

		it('does not count a chat an agent joined as missed', async () => {
			const probe = await open();
			await subscribe(probe, { topic: 'chats.missed_chats', window: 30 });
			const chat = sim.world.startChat({ message: 'Hi' });
			sim.world.agentSays(chat.id, SIM_HUMAN_AGENT_ID, { text: 'Hello' });
			sim.world.endChat(chat.id);
			await subscribe(probe, { topic: 'chats.active_chats' }); // a later frame, so everything before it has arrived
			expect(received(probe, 'missed_chats', { window: 30 })).toEqual([0]);
		});

		it('counts good and bad ratings given within the window', async () => {
			const probe = await open();
			await subscribe(probe, { topic: 'chats.satisfaction_good', window: 30 });
			await subscribe(probe, { topic: 'chats.satisfaction_bad', window: 60 });
			const chat = sim.world.startChat({ message: 'Hi' });
			sim.world.agentSays(chat.id, SIM_HUMAN_AGENT_ID, { text: 'Hello' });
			sim.world.rate(chat.id, 'good');
			expect(await probe.next(isUpdateOf('satisfaction_good'), { from: 2 })).toEqual(
				update({ satisfaction_good: { 30: 1 } }),
			);
			clock.advance(10 * 60_000);
			sim.world.rate(chat.id, 'bad');
			await probe.next(isUpdateOf('satisfaction_bad'), { from: 3 });
			expect(probe.frames.slice(3)).toEqual([
				update({ satisfaction_good: { 30: 0 } }),
				update({ satisfaction_bad: { 60: 1 } }),
			]);
			clock.advance(60 * 60_000);
			expect(await probe.next(() => true, { from: 5 })).toEqual(
				update({ satisfaction_bad: { 60: 0 } }),
			);
		});
	});

	describe('derived metrics', () => {
		it('follows a chat from the queue to an agent and to its end', async () => {
			const probe = await open();
			const keys = [
				'incoming_chats',
				'assigned_chats',
				'active_chats',
				'waiting_time_avg',
				'waiting_time_max',
				'chat_duration_avg',
				'chat_duration_max',
				'response_time_avg',
				'response_time_max',
			];
			for (const key of keys) await subscribe(probe, { topic: `chats.${key}` });
			await subscribe(probe, {
				topic: 'chats.incoming_chats',
				department_id: SIM_DEPARTMENTS.sales,
			});
			await subscribe(probe, {
				topic: 'chats.incoming_chats',
				department_id: SIM_DEPARTMENTS.support,
			});

			const chat = sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'Hi' });
			clock.advance(12_000);
			sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID); // assigned, not yet served
			clock.advance(8_000);
			sim.world.agentSays(chat.id, SIM_HUMAN_AGENT_ID, { text: 'Hello, how can I help?' }); // served
			clock.advance(10_000);
			sim.world.visitorSays(chat.id, 'My order is late');
			clock.advance(5_000);
			sim.world.endChat(chat.id);
			await probe.next((f) => f?.content?.data?.active_chats === 0, { from: keys.length + 2 });
			await probe.framesAfter(0, 50);

			expect(received(probe, 'incoming_chats')).toEqual([0, 1, 0]);
			expect(received(probe, 'assigned_chats')).toEqual([0, 1, 0]);
			expect(received(probe, 'active_chats')).toEqual([0, 1, 0]);
			expect(received(probe, 'waiting_time_avg')).toEqual([null, 0, 12, null]);
			expect(received(probe, 'waiting_time_max')).toEqual([null, 0, 12, null]);
			expect(received(probe, 'chat_duration_avg')).toEqual([null, 20, 30, null]);
			expect(received(probe, 'chat_duration_max')).toEqual([null, 20, 30, null]);
			expect(received(probe, 'response_time_avg')).toEqual([null, 12, null, 0, null]);
			expect(received(probe, 'response_time_max')).toEqual([null, 12, null, 0, null]);
			expect(received(probe, 'incoming_chats', { departmentId: SIM_DEPARTMENTS.sales })).toEqual([
				0, 1, 0,
			]);
			expect(received(probe, 'incoming_chats', { departmentId: SIM_DEPARTMENTS.support })).toEqual([
				0,
			]);
		});

		it('averages and maximises waiting time over the queue', async () => {
			sim.world.startChat({ message: 'first' });
			clock.advance(30_000);
			sim.world.startChat({ message: 'second' });
			clock.advance(10_000);
			const probe = await open();
			expect(await subscribe(probe, { topic: 'chats.waiting_time_avg' })).toEqual(
				update({ waiting_time_avg: 25 }),
			);
			expect(await subscribe(probe, { topic: 'chats.waiting_time_max' })).toEqual(
				update({ waiting_time_max: 40 }),
			);
		});

		it('counts agents online, away and invisible as their status changes, per department', async () => {
			const probe = await open();
			const { sales, support, billing } = SIM_DEPARTMENTS;
			await subscribe(probe, { topic: 'agents.agents_online' });
			await subscribe(probe, { topic: 'agents.agents_away' });
			await subscribe(probe, { topic: 'agents.agents_invisible' });
			await subscribe(probe, { topic: 'agents.agents_online', department_id: sales });
			await subscribe(probe, { topic: 'agents.agents_online', department_id: support });
			await subscribe(probe, { topic: 'agents.agents_invisible', department_id: billing });
			// Seed: the bot (1001, sales) is offline, the human (1002, sales and support) online.
			expect(probe.frames).toEqual([
				update({ agents_online: 1 }, null, 'agents'),
				update({ agents_away: 0 }, null, 'agents'),
				update({ agents_invisible: 0 }, null, 'agents'),
				update({ agents_online: 1 }, sales, 'agents'),
				update({ agents_online: 1 }, support, 'agents'),
				update({ agents_invisible: 0 }, billing, 'agents'),
			]);

			sim.world.setAgentStatus(1001, 'ONLINE');
			await probe.next(isUpdateOf('agents_online', sales), { from: 6 });
			expect(probe.frames.slice(6)).toEqual([
				update({ agents_online: 2 }, null, 'agents'),
				update({ agents_online: 2 }, sales, 'agents'),
			]);

			sim.world.setAgentStatus(SIM_HUMAN_AGENT_ID, 'AWAY');
			await probe.next(isUpdateOf('agents_online', support), { from: 8 });
			expect(probe.frames.slice(8)).toEqual([
				update({ agents_online: 1 }, null, 'agents'),
				update({ agents_away: 1 }, null, 'agents'),
				update({ agents_online: 1 }, sales, 'agents'),
				update({ agents_online: 0 }, support, 'agents'),
			]);

			sim.world.setAgentStatus(1001, 'INVISIBLE');
			await probe.next(isUpdateOf('agents_online', sales), { from: 12 });
			// The bot is not in billing: billing's invisible count stays 0 and is not sent.
			expect(probe.frames.slice(12)).toEqual([
				update({ agents_online: 0 }, null, 'agents'),
				update({ agents_invisible: 1 }, null, 'agents'),
				update({ agents_online: 0 }, sales, 'agents'),
			]);
			expect(await probe.framesAfter(15)).toEqual([]);
		});

		it('reports the same values through metrics() and the control API over HTTP', async () => {
			const chat = sim.world.startChat({ departmentId: SIM_DEPARTMENTS.support, message: 'Hi' });
			sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID);
			const res = await fetch(`${sim.urls.control}/streaming/metrics`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ departmentId: SIM_DEPARTMENTS.support }),
			});
			const body = (await res.json()) as any;
			expect(res.status).toBe(200);
			expect(body.result.chats).toMatchObject({
				incoming_chats: 0,
				assigned_chats: 1,
				active_chats: 0,
				missed_chats: { 30: 0, 60: 0 },
			});
			expect(body.result.agents).toEqual({ agents_online: 1, agents_away: 0, agents_invisible: 0 });
			const bad = await fetch(`${sim.urls.control}/streaming/setMetric`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ key: 'missed_chats', value: 1 }),
			});
			expect(bad.status).toBe(400);
			expect(await bad.json()).toEqual({
				error: 'invalid',
				description: 'missed_chats needs a window of 30 or 60',
			});
		});
	});

	describe('errors', () => {
		const unsupported = (pattern: RegExp) => ({
			status_code: 500,
			message: expect.stringMatching(pattern),
		});

		it.each([
			[
				'a windowed metric without a window',
				{ topic: 'chats.missed_chats', action: 'subscribe' },
				/needs a window of 30 or 60/,
			],
			[
				'a window that is not 30 or 60',
				{ topic: 'chats.satisfaction_good', action: 'subscribe', window: 45 },
				/window must be 30 or 60/,
			],
			[
				'a window given as a string',
				{ topic: 'chats.satisfaction_bad', action: 'subscribe', window: '30' },
				/window must be 30 or 60/,
			],
			[
				'a window on a chat metric without one',
				{ topic: 'chats.incoming_chats', action: 'subscribe', window: 30 },
				/has no time window/,
			],
			[
				'a window on an agent metric',
				{ topic: 'agents.agents_online', action: 'subscribe', window: 60 },
				/has no time window/,
			],
			[
				'an unknown metric key',
				{ topic: 'chats.response_time_first_avg', action: 'subscribe' },
				/unknown topic/,
			],
			[
				'an agent key under chats',
				{ topic: 'chats.agents_online', action: 'subscribe' },
				/unknown topic/,
			],
			['an unknown topic', { topic: 'visitors.count', action: 'subscribe' }, /unknown topic/],
			['no topic', { action: 'subscribe' }, /topic must be a string/],
			['an unknown action', { topic: 'chats.incoming_chats', action: 'watch' }, /action must be/],
			['no action', { topic: 'chats.incoming_chats' }, /action must be/],
			[
				'a department_id that is not a number',
				{ topic: 'chats.incoming_chats', action: 'subscribe', department_id: '2001' },
				/department_id must be/,
			],
			[
				'an unknown department',
				{ topic: 'agents.agents_online', action: 'subscribe', department_id: 999 },
				/no department 999/,
			],
			[
				'a window on unsubscribe of a metric without one',
				{ topic: 'chats.incoming_chats', action: 'unsubscribe', window: 30 },
				/has no time window/,
			],
		])('answers %s with an error and keeps the connection', async (_name, frame, pattern) => {
			const probe = await open();
			expect(await probe.request(frame, () => true)).toEqual(unsupported(pattern));
			expect(sim.streaming.control.connections().connections[0].subscriptions).toEqual([]);
			expect(await subscribe(probe, { topic: 'chats.incoming_chats' })).toEqual(
				update({ incoming_chats: 0 }),
			);
		});

		it.each([
			['text that is not JSON', '{"topic":"chats.incoming_chats",', /not JSON/],
			['a JSON array', '[{"topic":"chats.incoming_chats","action":"subscribe"}]', /JSON object/],
			['a JSON string', '"subscribe"', /JSON object/],
			['JSON null', 'null', /JSON object/],
		])('answers %s with an error', async (_name, text, pattern) => {
			const probe = await open();
			expect(await probe.request(text, () => true)).toEqual(unsupported(pattern));
			expect(await subscribe(probe, { topic: 'agents.agents_away' })).toEqual(
				update({ agents_away: 0 }, null, 'agents'),
			);
		});

		it('answers a binary frame with an error', async () => {
			const probe = await open();
			const from = probe.frames.length;
			probe.ws.send(
				Buffer.from(JSON.stringify({ topic: 'chats.incoming_chats', action: 'subscribe' })),
				{ binary: true },
			);
			expect(await probe.next(() => true, { from })).toEqual(unsupported(/binary/));
		});
	});

	describe('control pushes', () => {
		it('sendError pushes {status_code, message} to every connection', async () => {
			const a = await open();
			const b = await open(SIM_TOKENS.human);
			expect(
				sim.streaming.control.sendError({ status_code: 503, message: 'service unavailable' }),
			).toEqual({ sent: 2 });
			expect(await a.next(() => true)).toEqual({
				status_code: 503,
				message: 'service unavailable',
			});
			expect(await b.next(() => true)).toEqual({
				status_code: 503,
				message: 'service unavailable',
			});
			expect(a.closeCode).toBeUndefined();
		});

		it('sendMalformedFrame sends a text frame that is not JSON', async () => {
			const probe = await open();
			expect(sim.streaming.control.sendMalformedFrame({ text: '{"status_code":200,' })).toEqual({
				sent: 1,
			});
			expect(await probe.next(() => true)).toEqual({ __unparsed: '{"status_code":200,' });
			// The socket is still usable afterwards.
			expect(await subscribe(probe, { topic: 'chats.active_chats' })).toEqual(
				update({ active_chats: 0 }),
			);
		});

		it('setNotComputed makes every value null until it is cleared', async () => {
			const probe = await open();
			await subscribe(probe, { topic: 'chats.incoming_chats' });
			sim.streaming.control.setNotComputed({ notComputed: true });
			expect(await probe.next(() => true, { from: 1 })).toEqual(update({ incoming_chats: null }));
			sim.streaming.control.setNotComputed({ notComputed: false });
			expect(await probe.next(() => true, { from: 2 })).toEqual(update({ incoming_chats: 0 }));
		});
	});

	describe('an invalid token on an open socket', () => {
		it('answers 401 "unauthenticated" and closes when the token expires', async () => {
			sim.world.addToken({
				accessToken: 'short-lived',
				agentId: SIM_HUMAN_AGENT_ID,
				expiresAt: clock.now() + 60_000,
			});
			const probe = await open('short-lived');
			await subscribe(probe, { topic: 'chats.incoming_chats' });
			clock.advance(60_000);
			expect(await probe.next(() => true, { from: 1 })).toEqual({
				status_code: 401,
				message: 'unauthenticated',
			});
			await probe.closed();
			expect(probe.closeCode).toBe(1008);
		});

		it('answers 401 to the next message after the token is revoked', async () => {
			sim.world.addToken({ accessToken: 'to-revoke', agentId: SIM_HUMAN_AGENT_ID });
			const probe = await open('to-revoke');
			sim.world.revokeToken('to-revoke');
			expect(
				await probe.request({ topic: 'chats.incoming_chats', action: 'subscribe' }, () => true),
			).toEqual({
				status_code: 401,
				message: 'unauthenticated',
			});
			await probe.closed();
			expect(probe.closeCode).toBe(1008);
		});

		it('revalidateTokens closes only the sockets whose token is no longer valid', async () => {
			sim.world.addToken({ accessToken: 'to-revoke', agentId: SIM_HUMAN_AGENT_ID });
			const revoked = await open('to-revoke');
			const fine = await open();
			sim.world.revokeToken('to-revoke');
			expect(sim.streaming.control.revalidateTokens()).toEqual({ closed: 1 });
			expect(await revoked.next(() => true)).toEqual({
				status_code: 401,
				message: 'unauthenticated',
			});
			await revoked.closed();
			expect(fine.closeCode).toBeUndefined();
		});
	});

	describe('REST twin (GET /stream/chats, /stream/agents)', () => {
		async function get(path: string, token: string | null = SIM_TOKENS.readOnly) {
			const res = await fetch(`${sim.urls.base}${path}`, {
				headers: token !== null ? { authorization: `Bearer ${token}` } : {},
			});
			return { status: res.status, headers: res.headers, body: (await res.json()) as any };
		}

		it('returns every chat metric in the update shape', async () => {
			const missed = sim.world.startChat({});
			sim.world.endChat(missed.id);
			sim.world.startChat({ message: 'Hi' });
			clock.advance(12_000);
			sim.world.startChat({ message: 'Hi again' });
			const { status, body } = await get('/stream/chats');
			expect(status).toBe(200);
			expect(body).toEqual({
				content: {
					topic: 'chats',
					data: {
						incoming_chats: 2,
						assigned_chats: 0,
						active_chats: 0,
						waiting_time_avg: 6,
						waiting_time_max: 12,
						chat_duration_avg: null,
						chat_duration_max: null,
						response_time_avg: null,
						response_time_max: null,
						missed_chats: { 30: 1, 60: 1 },
						satisfaction_good: { 30: 0, 60: 0 },
						satisfaction_bad: { 30: 0, 60: 0 },
					},
					type: 'update',
					department_id: null,
				},
				status_code: 200,
			});
		});

		it('returns one metric, of a department', async () => {
			expect(
				(await get(`/stream/agents/agents_online?department_id=${SIM_DEPARTMENTS.sales}`)).body,
			).toEqual({
				content: {
					topic: 'agents',
					data: { agents_online: 1 },
					type: 'update',
					department_id: SIM_DEPARTMENTS.sales,
				},
				status_code: 200,
			});
			expect((await get('/stream/chats/missed_chats')).body.content.data).toEqual({
				missed_chats: { 30: 0, 60: 0 },
			});
		});

		it('answers errors: no token, unknown key, unknown department, Not Computed', async () => {
			expect(await get('/stream/chats', null)).toMatchObject({
				status: 401,
				body: { status_code: 401, message: 'unauthenticated' },
			});
			expect(await get('/stream/chats', SIM_TOKENS.revoked)).toMatchObject({ status: 401 });
			expect(await get('/stream/agents/incoming_chats')).toMatchObject({
				status: 404,
				body: { status_code: 404 },
			});
			expect(await get('/stream/agents?department_id=999')).toMatchObject({
				status: 404,
				body: { status_code: 404 },
			});
			sim.streaming.control.setNotComputed({ notComputed: true });
			expect(await get('/stream/chats')).toEqual(
				expect.objectContaining({
					status: 200,
					body: { status_code: 200, message: 'Not Computed!' },
				}),
			);
		});

		it('answers a plain GET /stream with 426 Upgrade Required', async () => {
			const { status, body } = await get('/stream');
			expect(status).toBe(426);
			expect(body).toEqual({ status_code: 426, message: expect.stringContaining('WebSocket') });
		});
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 5));
	}
}
