/**
 * Past the 10,000-result cap of one search (250 pages of 40; page 251 answers 400): the client
 * slices the time range, and a search matching more than 10,000 chats gives every one exactly once.
 */
import { startSimulator, type Simulator } from '../../simulator';
import type { ChatRestClient, SearchResult } from '../../src/rest';
import { queryOf, requestsSeen, simClient } from './helpers';

const SEEDED = 10_050;

let sim: Simulator;
let client: ChatRestClient;
let seededIds: string[];

beforeAll(async () => {
	sim = await startSimulator();
	seededIds = sim.rest.control.seedChats({ count: SEEDED }).ids;
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

/** Reads every result; the simulator's own 200/min budget is reset as the walk goes (its clock is real). */
async function readAll(results: AsyncIterable<SearchResult>): Promise<string[]> {
	const ids: string[] = [];
	for await (const result of results) {
		ids.push(result.id);
		if (ids.length % 4000 === 0) sim.rest.control.resetBudget();
	}
	return ids;
}

it("gives every one of more than 10,000 matches once, walking time slices inside the caller's range", async () => {
	const records = sim.world.listChats();
	// From the 31st chat on, with no upper end: 10,020 matches, more than one search can page through.
	const from = Math.floor(records[30].startedAt / 1000) * 1000;
	const expected = records
		.filter((c) => c.startedAt >= Math.ceil(from / 1000) * 1000)
		.map((c) => c.id);
	expect(expected.length).toBe(SEEDED - 30);

	const ids = await readAll(
		client.searchChats({ chatType: 'chat', timestamp: { from: new Date(from).toISOString() } }),
	);
	expect(ids).toHaveLength(expected.length);
	expect(new Set(ids)).toEqual(new Set(expected));

	const searches = requestsSeen(sim);
	expect(searches.every((r) => r.status === 200 && r.path.includes('/chats/search'))).toBe(true);
	expect(searches.every((r) => Number(queryOf(r.path).get('page') ?? '1') <= 250)).toBe(true);
	// The first request asked for the whole range; each slice after it stays inside that range.
	const fromText = new Date(Math.ceil(from / 1000) * 1000).toISOString().slice(0, 19);
	expect(queryOf(searches[0].path).get('q')).toBe(`type:chat AND timestamp:[${fromText} TO *]`);
	const slices = searches.map((r) =>
		/^type:chat AND timestamp:\[(\S+) TO (\S+)\]$/.exec(queryOf(r.path).get('q')!),
	);
	expect(slices.every((m) => m !== null && m[1] >= fromText)).toBe(true);
	expect(new Set(slices.map((m) => m![0])).size).toBeGreaterThan(2);
}, 60_000);

it('without slicing, gives the first 10,000 and never asks for page 251', async () => {
	const ids = await readAll(client.searchChats({ chatType: 'chat' }, { sliceLargeResults: false }));
	expect(ids).toEqual(seededIds.slice(0, 10_000));
	const searches = requestsSeen(sim);
	expect(searches).toHaveLength(250);
	expect(searches.every((r) => r.status === 200)).toBe(true);
}, 60_000);
