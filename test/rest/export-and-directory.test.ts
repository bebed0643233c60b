/**
 * The incremental export (cursor start_time/start_id → end_time/end_id, stop when count < limit,
 * resumable), departments and agents (since_id paging) over real sockets.
 */
import {
	SIM_BOT_AGENT_ID,
	SIM_DEPARTMENTS,
	SIM_HUMAN_AGENT_ID,
	startSimulator,
	type Simulator,
} from '../../simulator';
import type { ChatRestClient } from '../../src/rest';
import { HttpError, InvalidInputError } from '../../src/shared';
import { collect, queryOf, requestsSeen, simClient } from './helpers';

let sim: Simulator;
let client: ChatRestClient;
let seededIds: string[];
const DAY = 86_400_000;

beforeAll(async () => {
	sim = await startSimulator();
	seededIds = sim.rest.control.seedChats({ count: 25 }).ids;
	client = simClient(sim);
});

afterAll(async () => {
	await client.close();
	await sim.close();
});

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

describe('exportChats', () => {
	it('pages with the cursor the API gives until count < limit, each chat once', async () => {
		const pages = await collect(
			client.exportChats({ startTime: new Date(Date.now() - 31 * DAY), limit: 10 }),
		);
		expect(pages.map((p) => [p.count, p.done])).toEqual([
			[10, false],
			[10, false],
			[5, true],
		]);
		expect(pages.flatMap((p) => p.chats.map((c) => c.id))).toEqual(seededIds);

		// Each request continues from the previous answer's end_time and end_id.
		const sent = requestsSeen(sim).map((r) => queryOf(r.path));
		expect(sent[0].get('start_id')).toBeNull();
		expect(sent[0].get('limit')).toBe('10');
		expect(sent[0].get('fields')).toBe('chats(*)');
		for (let i = 1; i < 3; i++) {
			expect(sent[i].get('start_time')).toBe(String(pages[i - 1].cursor.startTime));
			expect(sent[i].get('start_id')).toBe(pages[i - 1].cursor.startId);
		}
		expect(pages[0].cursor.startId).toBe(seededIds[9]);
	});

	it('resumes from a stored cursor with nothing lost or repeated', async () => {
		const [first] = await collect(
			take(client.exportChats({ startTime: new Date(Date.now() - 31 * DAY), limit: 10 }), 1),
		);
		const rest = await collect(client.exportChats({ cursor: first.cursor, limit: 10 }));
		expect([...first.chats, ...rest.flatMap((p) => p.chats)].map((c) => c.id)).toEqual(seededIds);
		const last = rest[rest.length - 1];
		expect(last.done).toBe(true);

		// Caught up: resuming from the last cursor finds nothing new.
		const again = await collect(client.exportChats({ cursor: last.cursor, limit: 10 }));
		expect(again).toEqual([{ chats: [], count: 0, cursor: last.cursor, done: true }]);
	});

	it('gives a chat updated since, then holds a cursor younger than 5 minutes back instead of sending it', async () => {
		const [page] = await collect(
			client.exportChats({ startTime: new Date(Date.now() - 31 * DAY) }),
		);
		await client.updateChat(seededIds[3], { tags: ['exported-again'] });
		const [changed] = await collect(client.exportChats({ cursor: page.cursor }));
		expect(changed.chats.map((c) => [c.id, c.tags])).toEqual([[seededIds[3], ['exported-again']]]);
		expect(changed.done).toBe(true);

		// The new cursor is the update time, just now: Zendesk refuses start_time less than 5 minutes old.
		sim.rest.control.clearRequestLog();
		expect(await collect(client.exportChats({ cursor: changed.cursor }))).toEqual([]);
		expect(requestsSeen(sim)).toHaveLength(0);
	});

	it('checks its options when called', () => {
		expect(() => client.exportChats({ startTime: new Date() })).toThrow(InvalidInputError);
		expect(() => client.exportChats({ startTime: new Date(Date.now() - DAY), limit: 0 })).toThrow(
			expect.objectContaining({ field: 'limit' }),
		);
		expect(requestsSeen(sim)).toHaveLength(0);
	});
});

describe('departments', () => {
	it('lists, gets by id and by name', async () => {
		const departments = await client.listDepartments();
		expect(departments.map((d) => [d.id, d.name])).toEqual([
			[SIM_DEPARTMENTS.sales, 'Sales'],
			[SIM_DEPARTMENTS.support, 'Support'],
			[SIM_DEPARTMENTS.billing, 'Billing'],
		]);
		expect(await client.getDepartment(SIM_DEPARTMENTS.support)).toEqual(
			expect.objectContaining({ id: SIM_DEPARTMENTS.support, name: 'Support' }),
		);
		expect(await client.getDepartmentByName('Billing')).toEqual(
			expect.objectContaining({ id: SIM_DEPARTMENTS.billing }),
		);
	});

	it('encodes a name with "/", "&", "?" and spaces as one path segment', async () => {
		sim.world.addDepartment({ id: 2100, name: 'EU / Sales & Support?' });
		expect((await client.getDepartmentByName('EU / Sales & Support?')).id).toBe(2100);
		expect(requestsSeen(sim)[0].path).toBe(
			'/api/v2/chat/departments/name/EU%20%2F%20Sales%20%26%20Support%3F',
		);
		await expect(client.getDepartmentByName('Nobody')).rejects.toBeInstanceOf(HttpError);
	});
});

describe('agents', () => {
	it('pages with since_id and limit, each agent once', async () => {
		for (let id = 1003; id <= 1007; id++)
			sim.world.addAgent({ id, displayName: `Agent ${id}`, email: `agent${id}@sim.example.com` });
		const agents = await collect(client.listAgents({ limit: 2 }));
		expect(agents.map((a) => a.id)).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007]);
		const sent = requestsSeen(sim).map((r) => [
			queryOf(r.path).get('since_id'),
			queryOf(r.path).get('limit'),
		]);
		expect(sent).toEqual([
			[null, '2'],
			['1003', '2'],
			['1005', '2'],
			['1007', '2'],
		]);
	});

	it("gets one agent by id, by email, and the token's own", async () => {
		expect(await client.getAgent(SIM_HUMAN_AGENT_ID)).toEqual(
			expect.objectContaining({ id: SIM_HUMAN_AGENT_ID }),
		);
		expect((await client.getAgentByEmail('grace@sim.example.com')).id).toBe(SIM_HUMAN_AGENT_ID);
		expect((await client.getCurrentAgent()).id).toBe(SIM_BOT_AGENT_ID);
		await expect(client.getAgent(999_999)).rejects.toMatchObject({ statusCode: 404 });
		expect(() => client.listAgents({ limit: 101 })).toThrow(
			expect.objectContaining({ field: 'limit' }),
		);
	});
});

async function* take<T>(items: AsyncIterable<T>, count: number): AsyncGenerator<T> {
	if (count <= 0) return;
	let taken = 0;
	for await (const item of items) {
		yield item;
		if (++taken === count) return;
	}
}
