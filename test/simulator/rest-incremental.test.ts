import {
	ManualClock,
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	startSimulator,
	type Simulator,
} from '../../simulator';
import { EXPORT_FIELDS } from '../../simulator/rest/render';
import type { ChatRecord } from '../../simulator/world/types';
import { restClient } from './rest-helpers';

/**
 * The incremental chat export (NOTES.md section 3): {chats, count, end_id, end_time, next_page},
 * ordered by update_timestamp then id, continued with start_time=end_time&start_id=end_id.
 */
describe('Chat REST API: incremental chat export', () => {
	let sim: Simulator;
	let clock: ManualClock;
	let call: ReturnType<typeof restClient>;

	const second = (c: ChatRecord) => Math.floor(c.updatedAt / 1000);
	const exportOrder = (chats: ChatRecord[]) =>
		[...chats].sort((a, b) => second(a) - second(b) || (a.id < b.id ? -1 : 1)).map((c) => c.id);
	const nowSeconds = () => Math.floor(clock.now() / 1000);

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
		call = restClient(sim);
		sim.rest.control.seedChats({
			count: 2_500,
			offlineEvery: 10,
			from: '2025-12-01T00:00:00Z',
			to: '2026-01-05T08:00:00Z',
		});
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.rest.control.resetBudget());

	it('walks every chat with the end_time / end_id cursor, without loss or repetition', async () => {
		const expected = exportOrder([...sim.world.chats.values()]);
		const seen: string[] = [];
		const counts: number[] = [];
		let path = '/incremental/chats?start_time=0';
		for (;;) {
			const res = await call('GET', path);
			expect(res.status).toBe(200);
			expect(Object.keys(res.body).sort()).toEqual([
				'chats',
				'count',
				'end_id',
				'end_time',
				'next_page',
			]);
			const page: any[] = res.body.chats;
			counts.push(res.body.count);
			expect(res.body.count).toBe(page.length);
			seen.push(...page.map((c) => c.id));
			if (page.length > 0) {
				const last = sim.world.requireChat(page[page.length - 1].id);
				expect(res.body.end_id).toBe(last.id);
				expect(res.body.end_time).toBe(second(last));
				expect(page[page.length - 1].update_timestamp).toBe(
					new Date(second(last) * 1000).toISOString().replace('.000', ''),
				);
			}
			const next = `/incremental/chats?start_time=${res.body.end_time}&start_id=${encodeURIComponent(res.body.end_id)}&limit=1000`;
			expect(res.body.next_page).toBe(`${sim.urls.rest}${next}`);
			if (res.body.count < 1000) break;
			path = next;
		}
		expect(counts).toEqual([1000, 1000, 500]);
		expect(seen).toEqual(expected);
		expect(new Set(seen).size).toBe(2_500);

		// From the last cursor: nothing new, and the cursor stays where it was.
		const last = sim.world.requireChat(seen[seen.length - 1]);
		const after = await call(
			'GET',
			`/incremental/chats?start_time=${second(last)}&start_id=${last.id}`,
		);
		expect(after.body).toEqual({
			chats: [],
			count: 0,
			end_id: last.id,
			end_time: second(last),
			next_page: `${sim.urls.rest}/incremental/chats?start_time=${second(last)}&start_id=${encodeURIComponent(last.id)}&limit=1000`,
		});
	});

	it('splits chats updated in the same second between pages by id', async () => {
		const seeded = sim.rest.control.seedChats({
			count: 300,
			from: '2025-11-01T00:00:00Z',
			to: '2025-11-01T00:00:02Z',
		});
		const window = seeded.ids.map((id) => sim.world.requireChat(id));
		const expected = exportOrder(window);
		const lastSecond = Math.max(...window.map(second));
		const perSecond = new Map<number, number>();
		for (const c of window) perSecond.set(second(c), (perSecond.get(second(c)) ?? 0) + 1);
		expect(Math.max(...perSecond.values())).toBeGreaterThan(7);

		const seen: string[] = [];
		let startTime = Date.parse('2025-11-01T00:00:00Z') / 1000;
		let startId = '';
		for (let request = 0; request < 100; request++) {
			const res = await call(
				'GET',
				`/incremental/chats?start_time=${startTime}&start_id=${encodeURIComponent(startId)}&limit=7`,
			);
			expect(res.body.count).toBe(7);
			seen.push(...res.body.chats.map((c: any) => c.id));
			startTime = res.body.end_time;
			startId = res.body.end_id;
			if (startTime > lastSecond) break;
		}
		const inWindow = new Set(seeded.ids);
		expect(seen.filter((id) => inWindow.has(id))).toEqual(expected);
		expect(new Set(seen).size).toBe(seen.length);
	});

	it('exports a chat with its engagements', async () => {
		const chat = sim.world.startChat({ visitor: { name: 'Ginny' }, message: 'Hi' });
		clock.advance(20_000);
		sim.world.agentSays(chat.id, SIM_HUMAN_AGENT_ID, { text: 'Hello Ginny' });
		clock.advance(10_000);
		sim.world.visitorSays(chat.id, 'Bye');
		clock.advance(5_000);
		sim.world.agentLeaves(chat.id, SIM_HUMAN_AGENT_ID);
		sim.world.agentSays(chat.id, SIM_BOT_AGENT_ID, { text: 'Bot here' });
		clock.advance(5_000);
		sim.world.endChat(chat.id);
		clock.advance(10 * 60_000);

		const shown = await call('GET', `/chats/${chat.id}`);
		const exported = await call(
			'GET',
			`/incremental/chats?start_time=${Date.parse('2026-01-05T09:00:00Z') / 1000}`,
		);
		expect(exported.body.count).toBe(1);
		const engagement = {
			accepted: true,
			assigned: false,
			comment: null,
			department_id: null,
			rating: null,
			skills_fulfilled: false,
			skills_requested: [],
		};
		expect(exported.body.chats[0]).toEqual({
			...shown.body,
			engagements: [
				{
					...engagement,
					agent_full_name: 'Grace Hopper',
					agent_id: '1002',
					agent_name: 'Grace Hopper',
					count: { agent: 1, total: 2, visitor: 1 },
					duration: 15,
					id: `${chat.id}.1`,
					response_time: { avg: 20, first: 20, max: 20 },
					started_by: 'visitor',
					timestamp: '2026-01-05T09:00:20Z',
				},
				{
					...engagement,
					agent_full_name: 'Ada Bot',
					agent_id: '1001',
					agent_name: 'Ada Bot',
					count: { agent: 1, total: 1, visitor: 0 },
					duration: 5,
					id: `${chat.id}.2`,
					response_time: { avg: 5, first: 5, max: 5 },
					started_by: 'agent',
					timestamp: '2026-01-05T09:00:35Z',
				},
			],
		});
		expect(shown.body.response_time).toEqual({ avg: 12.5, first: 20, max: 20 });
		expect(shown.body.update_timestamp).toBe('2026-01-05T09:00:40Z');
	});

	it('adds engagements [] and update_timestamp to exported offline messages', async () => {
		const offline = [...sim.world.chats.values()].find((c) => c.type === 'offline_msg')!;
		const res = await call('GET', `/incremental/chats?start_time=${second(offline)}&limit=1`);
		const shown = await call('GET', `/chats/${offline.id}`);
		expect(res.body.chats[0]).toEqual({
			...shown.body,
			engagements: [],
			update_timestamp: shown.body.timestamp,
		});
		// fields=chats(...) accepts exactly the fields an exported chat or offline message has.
		const chat = (await call('GET', '/incremental/chats?start_time=0&limit=1')).body.chats[0];
		expect([...new Set([...Object.keys(chat), ...Object.keys(res.body.chats[0])])].sort()).toEqual(
			[...EXPORT_FIELDS].sort(),
		);
	});

	it('returns only the fields asked for with fields=chats(...)', async () => {
		const res = await call(
			'GET',
			`/incremental/chats?start_time=0&limit=3&fields=${encodeURIComponent('chats(id,update_timestamp,engagements)')}`,
		);
		expect(res.body.count).toBe(3);
		for (const chat of res.body.chats)
			expect(Object.keys(chat)).toEqual(['id', 'update_timestamp', 'engagements']);
		expect(res.body.next_page).toContain('fields=chats%28id%2Cupdate_timestamp%2Cengagements%29');
		const all = await call(
			'GET',
			`/incremental/chats?start_time=0&limit=3&fields=${encodeURIComponent('chats(*)')}`,
		);
		expect(all.body.chats[0].history).toBeDefined();
	});

	it('returns a chat again after it changes, at its new update_timestamp', async () => {
		const first = await call('GET', '/incremental/chats?start_time=0&limit=1');
		const id = first.body.chats[0].id;
		const before = await call('GET', `/incremental/chats?start_time=${nowSeconds() - 300}`);
		expect(before.body.count).toBe(0);
		const put = await call('PUT', `/chats/${id}`, { body: { tags: ['exported-again'] } });
		expect(put.status).toBe(200);
		clock.advance(5 * 60_000);
		const after = await call('GET', `/incremental/chats?start_time=${before.body.end_time}`);
		expect(after.body.chats.map((c: any) => [c.id, c.tags])).toEqual([[id, ['exported-again']]]);
	});

	it('takes a start_time at least 5 minutes in the past, and defaults it to 0', async () => {
		expect((await call('GET', `/incremental/chats?start_time=${nowSeconds() - 300}`)).status).toBe(
			200,
		);
		const recent = await call('GET', `/incremental/chats?start_time=${nowSeconds() - 299}`);
		expect(recent.status).toBe(400);
		expect(recent.body).toEqual({
			error: 'Bad Request',
			description: `start_time must be at least 5 minutes in the past (at most ${nowSeconds() - 300} now)`,
		});
		const future = await call('GET', `/incremental/chats?start_time=${nowSeconds() + 60}`);
		expect(future.body).toEqual({
			error: 'Bad Request',
			description: `start_time ${nowSeconds() + 60} is in the future`,
		});
		const defaulted = await call('GET', '/incremental/chats?limit=2');
		expect(defaulted.body.chats.map((c: any) => c.id)).toEqual(
			exportOrder([...sim.world.chats.values()]).slice(0, 2),
		);
	});

	it('clamps limit to 1000 and refuses bad parameters with 400', async () => {
		const big = await call('GET', '/incremental/chats?start_time=0&limit=5000');
		expect(big.body.count).toBe(1000);
		expect(big.body.next_page).toMatch(/&limit=1000$/);
		const bad: Array<[string, string]> = [
			['start_time=yesterday', 'start_time must be an integer, not "yesterday"'],
			['start_time=-5', 'start_time must be an integer, not "-5"'],
			['start_time=1.5', 'start_time must be an integer, not "1.5"'],
			['limit=0', 'limit must be at least 1'],
			['limit=ten', 'limit must be an integer, not "ten"'],
			['fields=tickets(*)', 'fields must be chats(*) or chats(field,…), not "tickets(*)"'],
			[
				'fields=chats(visitor(name))',
				'fields must be chats(*) or chats(field,…), not "chats(visitor(name))"',
			],
			['fields=chats(id,nope)', 'fields: unknown chat field(s) "nope"'],
		];
		for (const [query, description] of bad) {
			const res = await call('GET', `/incremental/chats?${query}`);
			expect([query, res.status, res.body]).toEqual([
				query,
				400,
				{ error: 'Bad Request', description },
			]);
		}
	});
});
