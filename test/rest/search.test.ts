/**
 * Search over real sockets: each documented field finds exactly the chats the simulator's records
 * say it should, values that look like syntax stay values, and hydration fetches 50 chats a request.
 */
import { SIM_HUMAN_AGENT_ID, startSimulator, type Simulator } from '../../simulator';
import type { ChatRestClient, ChatSearchCriteria } from '../../src/rest';
import { collect, queryOf, requestsSeen, simClient } from './helpers';

type Record = ReturnType<Simulator['world']['listChats']>[number];

let sim: Simulator;
let client: ChatRestClient;
let records: Record[];
let special: Record;

beforeAll(async () => {
	sim = await startSimulator();
	sim.rest.control.seedChats({ count: 150, offlineEvery: 10 });
	special = sim.world.startChat({
		visitor: { name: 'Zoë "Zed" O\'Brien-Smith', email: 'zoe+vip@example.com' },
		message: 'Where is my parcel?',
	});
	sim.world.endChat(special.id);
	records = sim.world.listChats();
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

async function searchIds(criteria: ChatSearchCriteria): Promise<string[]> {
	const ids = (await collect(client.searchChats(criteria))).map((r) => r.id);
	expect(new Set(ids).size).toBe(ids.length);
	return ids;
}

function idsWhere(test: (chat: Record) => boolean): string[] {
	return records.filter(test).map((c) => c.id);
}

const second = (ms: number) => Math.floor(ms / 1000);
const iso = (ms: number) => new Date(ms).toISOString();
const mentions = (chat: Record, word: string) =>
	[...chat.history.map((h) => h.msg ?? ''), chat.message ?? ''].some((text) =>
		new RegExp(`\\b${word}\\b`, 'i').test(text),
	);

describe('each documented field finds the right chats', () => {
	it('agent_names', async () => {
		const expected = idsWhere((c) => c.agentIds.includes(SIM_HUMAN_AGENT_ID));
		expect(expected.length).toBeGreaterThan(40);
		expect(await searchIds({ agentNames: 'Grace Hopper' })).toEqual(expected);
		expect(queryOf(requestsSeen(sim)[0].path).get('q')).toBe('agent_names:"Grace Hopper"');
	});

	it('visitor_name', async () => {
		expect(await searchIds({ visitorName: 'Luna Lovegood' })).toEqual(
			idsWhere((c) => c.visitor.name === 'Luna Lovegood'),
		);
	});

	it('visitor_email', async () => {
		const expected = idsWhere((c) => c.visitor.email === 'ron.weasley@example.com');
		expect(expected.length).toBeGreaterThan(0);
		expect(await searchIds({ visitorEmail: 'ron.weasley@example.com' })).toEqual(expected);
	});

	it('timestamp, inclusive at both ends, to the second', async () => {
		const from = records[20].startedAt;
		const to = records[45].startedAt;
		const expected = idsWhere(
			(c) => second(c.startedAt) >= Math.ceil(from / 1000) && second(c.startedAt) <= second(to),
		);
		expect(expected.length).toBeGreaterThanOrEqual(25);
		expect(await searchIds({ timestamp: { from: iso(from), to: iso(to) } })).toEqual(expected);
		expect(await searchIds({ timestamp: { from: iso(records[140].startedAt) } })).toEqual(
			idsWhere((c) => c.startedAt >= Math.ceil(records[140].startedAt / 1000) * 1000),
		);
	});

	it('end_timestamp', async () => {
		const to = records[30].endedAt!;
		const expected = idsWhere((c) => c.endedAt !== null && second(c.endedAt) <= second(to));
		expect(expected.length).toBeGreaterThanOrEqual(30);
		expect(await searchIds({ endTimestamp: { to: iso(to) } })).toEqual(expected);
	});

	it('chat type', async () => {
		const offline = idsWhere((c) => c.type === 'offline_msg');
		expect(offline).toHaveLength(15);
		expect(await searchIds({ chatType: 'offline_msg' })).toEqual(offline);
		const chats = await searchIds({ chatType: 'chat' });
		expect(chats).toEqual(idsWhere((c) => c.type === 'chat'));
		// 136 results: four pages of 40.
		expect(requestsSeen(sim).filter((r) => queryOf(r.path).get('q') === 'type:chat')).toHaveLength(
			4,
		);
	});

	it('rating', async () => {
		expect(await searchIds({ rating: 'good' })).toEqual(idsWhere((c) => c.rating === 'good'));
		expect(await searchIds({ rating: 'bad' })).toEqual(idsWhere((c) => c.rating === 'bad'));
	});

	it('free text', async () => {
		const expected = idsWhere((c) => mentions(c, 'chocolate'));
		expect(expected.length).toBeGreaterThan(0);
		expect(await searchIds({ text: 'chocolate' })).toEqual(expected);
		expect(await searchIds({ text: 'chocolate refund' })).toEqual(
			idsWhere((c) => mentions(c, 'chocolate') && mentions(c, 'refund')),
		);
	});

	it('several criteria at once (AND)', async () => {
		const expected = idsWhere(
			(c) => c.visitor.name === 'Harry Potter' && c.rating === 'good' && c.type === 'chat',
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(
			await searchIds({ visitorName: 'Harry Potter', rating: 'good', chatType: 'chat' }),
		).toEqual(expected);
	});
});

describe('user values never change the query', () => {
	it('finds a visitor whose name and email carry quotes, apostrophes, "-" and "+"', async () => {
		expect(await searchIds({ visitorName: 'Zoë "Zed" O\'Brien-Smith' })).toEqual([special.id]);
		expect(await searchIds({ visitorEmail: 'zoe+vip@example.com' })).toEqual([special.id]);
	});

	it('a value written like a clause or an operator is searched as words, and the API accepts it', async () => {
		expect(await searchIds({ visitorName: 'Harry" AND visitor_name:"Luna' })).toEqual([]);
		expect(await searchIds({ text: 'OR rating:good NOT' })).toEqual([]);
		// "*" and brackets carry no words and are left out; "TO" is searched as the word "to".
		sim.rest.control.clearRequestLog();
		const harryTo = idsWhere((c) => c.visitor.name === 'Harry Potter' && mentions(c, 'to'));
		expect(harryTo.length).toBeGreaterThan(0);
		expect(await searchIds({ visitorName: 'Harry Potter', text: '* [* TO *]' })).toEqual(harryTo);
		expect(queryOf(requestsSeen(sim)[0].path).get('q')).toBe(
			'visitor_name:"Harry Potter" AND "TO"',
		);
		expect(requestsSeen(sim).every((r) => r.status === 200)).toBe(true);
	});
});

describe('hydration', () => {
	it('gives whole chats, in the same order as the hits, fetched 50 ids a request', async () => {
		const hits = (await collect(client.searchChats({ chatType: 'chat' }))).map((h) => h.id);
		sim.rest.control.clearRequestLog();
		const chats = await collect(client.searchChats({ chatType: 'chat' }, { hydrate: true }));
		expect(chats.map((c) => c.id)).toEqual(hits);
		expect(chats.every((c) => Array.isArray(c.history) && typeof c.visitor === 'object')).toBe(
			true,
		);
		const byIds = requestsSeen(sim).filter((r) => queryOf(r.path).has('ids'));
		expect(byIds.map((r) => queryOf(r.path).get('ids')!.split(',').length)).toEqual([50, 50, 36]);
	});

	it('stops fetching when the caller stops reading', async () => {
		let read = 0;
		for await (const chat of client.searchChats({ chatType: 'chat' }, { hydrate: true })) {
			expect(chat.type).toBe('chat');
			if (++read === 3) break;
		}
		// Two search pages (80 hits) were needed to fill the first batch of 50; one hydration.
		const seen = requestsSeen(sim);
		expect(seen.filter((r) => r.path.includes('/chats/search'))).toHaveLength(2);
		expect(seen.filter((r) => queryOf(r.path).has('ids'))).toHaveLength(1);
	});
});

describe('validation', () => {
	it('refuses bad criteria when the search is created, before any request', () => {
		expect(() => client.searchChats({ rating: 'great' as never })).toThrow(
			expect.objectContaining({ field: 'query.rating' }),
		);
		expect(() => client.searchChats({})).toThrow(expect.objectContaining({ field: 'query' }));
		expect(requestsSeen(sim)).toHaveLength(0);
	});
});
