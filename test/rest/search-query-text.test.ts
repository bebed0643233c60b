/**
 * searchChatsByQuery: a query written by hand is sent exactly as written, paged like any search,
 * hydrated on request, never sliced, and refused before any request when it cannot be a query.
 */
import { startSimulator, type Simulator } from '../../simulator';
import type { ChatRestClient } from '../../src/rest';
import { HttpError } from '../../src/shared';
import { collect, queryOf, requestsSeen, simClient } from './helpers';

let sim: Simulator;
let client: ChatRestClient;

beforeAll(async () => {
	sim = await startSimulator();
	sim.rest.control.seedChats({ count: 120 });
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

describe('searchChatsByQuery', () => {
	it('sends the query as written and walks every page', async () => {
		const query = 'visitor_name:Harry AND rating:good';
		const hits = await collect(client.searchChatsByQuery(`  ${query} `));
		const expected = sim.world
			.listChats()
			.filter((c) => c.visitor.name.startsWith('Harry ') && c.rating === 'good')
			.map((c) => c.id);
		expect(expected.length).toBeGreaterThan(0);
		expect(hits.map((h) => h.id)).toEqual(expected);
		const sent = requestsSeen(sim).map((r) => queryOf(r.path));
		expect(sent[0].get('q')).toBe(query);
	});

	it('gives the same chats as the criteria builder, over several pages, and hydrates them', async () => {
		const built = (await collect(client.searchChats({ chatType: 'chat' }))).map((h) => h.id);
		expect(built.length).toBeGreaterThan(40);
		sim.rest.control.clearRequestLog();
		const chats = await collect(client.searchChatsByQuery('type:chat', { hydrate: true }));
		expect(chats.map((c) => c.id)).toEqual(built);
		expect(chats[0]).toHaveProperty('history');
		const paths = requestsSeen(sim).map((r) => r.path);
		expect(paths.filter((p) => p.includes('/chats/search'))).toHaveLength(
			Math.ceil(built.length / 40),
		);
		expect(paths.filter((p) => p.includes('/chats?ids='))).toHaveLength(
			Math.ceil(built.length / 50),
		);
	});

	it('passes the API refusal of a query it cannot parse through as HttpError 400', async () => {
		const error = await collect(client.searchChatsByQuery('rating:good OR rating:bad')).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(HttpError);
		expect((error as HttpError).statusCode).toBe(400);
	});

	it('refuses an empty, over-long or multi-line query before any request', () => {
		expect(() => client.searchChatsByQuery('  ')).toThrow(
			expect.objectContaining({ field: 'query', message: 'the query is empty' }),
		);
		expect(() => client.searchChatsByQuery('a'.repeat(2001))).toThrow(
			expect.objectContaining({
				field: 'query',
				message: 'the query is longer than 2000 characters',
			}),
		);
		expect(() => client.searchChatsByQuery('rating:good\nAND type:chat')).toThrow(
			expect.objectContaining({
				field: 'query',
				message: 'the query contains control characters (such as a line break)',
			}),
		);
		expect(() => client.searchChatsByQuery(42 as never)).toThrow(
			expect.objectContaining({ field: 'query' }),
		);
		expect(requestsSeen(sim)).toEqual([]);
	});
});
