/**
 * Chat › Search through n8n-core's engine against the simulator: every filter of the builder, free
 * text, a raw query, whole chats against search results, Return All against Limit, dates from the
 * date picker (workflow time zone) and from expressions, pairing.
 */
import { startSimulator, SIM_HUMAN_AGENT_ID, type Simulator } from '../../../../simulator';
import { chatHarness, chatNode, inputs, itemsOf, restRequests, runNode } from './helpers';

type ChatRecord = ReturnType<Simulator['world']['listChats']>[number];

let sim: Simulator;
let records: ChatRecord[];

beforeAll(async () => {
	sim = await startSimulator();
	sim.rest.control.seedChats({
		count: 150,
		offlineEvery: 10,
		from: '2024-01-01T00:00:00Z',
		to: '2024-03-01T00:00:00Z',
	});
	records = sim.world.listChats();
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

const idsWhere = (test: (chat: ChatRecord) => boolean) =>
	records.filter(test).map((chat) => chat.id);
const search = (parameters: Record<string, unknown>) => ({
	resource: 'chat',
	operation: 'search',
	returnAll: true,
	...parameters,
});
async function searchIds(parameters: Record<string, unknown>): Promise<string[]> {
	return itemsOf(await runNode(chatHarness(sim), search(parameters))).map(
		(item) => item.json.id as string,
	);
}
/** The `q` of the search requests sent since the log was cleared. */
const queriesSent = () =>
	restRequests(sim)
		.filter((r) => r.startsWith('GET /chats/search'))
		.map((r) => new URLSearchParams(r.split('?')[1]).get('q'));
const mentions = (chat: ChatRecord, word: string) =>
	chat.history.some((h) => new RegExp(`\\b${word}\\b`, 'i').test(h.msg ?? ''));

describe('Chat › Search by Text and Filters', () => {
	it('finds chats by visitor name and rating, as whole chats', async () => {
		const expected = idsWhere((c) => c.visitor.name === 'Harry Potter' && c.rating === 'good');
		expect(expected.length).toBeGreaterThan(1);
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				search({ filters: { visitorName: 'Harry Potter', rating: 'good' } }),
			),
		);
		expect(items.map((item) => item.json.id)).toEqual(expected);
		expect(items[0].json).toMatchObject({ visitor: { name: 'Harry Potter' }, rating: 'good' });
		expect(items[0].json).toHaveProperty('history');
		expect(queriesSent()).toEqual(['visitor_name:"Harry Potter" AND rating:good']);
	});

	it('finds chats by every other filter and by text', async () => {
		const grace = idsWhere((c) => c.agentIds.includes(SIM_HUMAN_AGENT_ID));
		expect(grace.length).toBeGreaterThan(0);
		expect(await searchIds({ filters: { agentNames: 'Grace Hopper' } })).toEqual(grace);
		expect(await searchIds({ filters: { visitorEmail: 'ron.weasley@example.com' } })).toEqual(
			idsWhere((c) => c.visitor.email === 'ron.weasley@example.com'),
		);
		expect(await searchIds({ filters: { chatType: 'offline_msg' } })).toEqual(
			idsWhere((c) => c.type === 'offline_msg'),
		);
		expect(await searchIds({ filters: { rating: 'bad', chatType: 'chat' } })).toEqual(
			idsWhere((c) => c.rating === 'bad'),
		);
		expect(await searchIds({ text: 'chocolate refund' })).toEqual(
			idsWhere((c) => mentions(c, 'chocolate') && mentions(c, 'refund')),
		);
	});

	it('filters by start and end time ranges', async () => {
		const from = records[20].startedAt;
		const to = records[60].startedAt;
		const iso = (ms: number) => new Date(ms).toISOString();
		expect(
			await searchIds({ filters: { startedAfter: iso(from), startedBefore: iso(to) } }),
		).toEqual(idsWhere((c) => c.startedAt >= from && c.startedAt <= to));
		const ended = records[100].endedAt!;
		expect(
			await searchIds({
				filters: { endedBefore: iso(ended), endedAfter: iso(records[90].endedAt!) },
			}),
		).toEqual(
			idsWhere(
				(c) =>
					c.endedAt !== null &&
					c.endedAt >= Math.ceil(records[90].endedAt! / 1000) * 1000 &&
					c.endedAt <= ended,
			),
		);
	});

	it('reads a date picker value (no offset) in the workflow time zone, and a date alone as the whole day', async () => {
		const harness = chatHarness(sim);
		// n8n's default time zone, which a workflow without its own setting uses.
		expect(harness.workflow({ nodes: [chatNode({})] }).timezone).toBe('America/New_York');
		await runNode(
			harness,
			search({ filters: { startedAfter: '2024-01-15T09:00:00', startedBefore: '2024-01-20' } }),
		);
		// 09:00 in New York in January is 14:00 UTC; the end of 20 January there is 04:59:59 UTC on the 21st.
		expect(queriesSent()[0]).toBe('timestamp:[2024-01-15T14:00:00 TO 2024-01-21T04:59:59]');
	});

	it('takes a DateTime from an expression', async () => {
		await runNode(
			chatHarness(sim),
			search({
				filters: {
					endedAfter: "={{ DateTime.fromISO('2024-02-01T10:30:00', { zone: 'Europe/Berlin' }) }}",
				},
			}),
		);
		expect(queriesSent()[0]).toBe('end_timestamp:[2024-02-01T09:30:00 TO *]');
	});

	it('with a Limit, stops paging once enough chats are found', async () => {
		const all = idsWhere((c) => c.type === 'chat');
		expect(all.length).toBeGreaterThan(80);
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				search({ returnAll: false, limit: 45, filters: { chatType: 'chat' } }),
			),
		);
		expect(items.map((item) => item.json.id)).toEqual(all.slice(0, 45));
		// Two search pages of 40 cover 45 chats; they are hydrated 50 at a time (the second batch holds the last 30 hits read).
		const sent = restRequests(sim);
		expect(sent.filter((r) => r.startsWith('GET /chats/search'))).toHaveLength(2);
		expect(sent.filter((r) => r.startsWith('GET /chats?ids='))).toHaveLength(1);
	});

	it('with Return All, walks every page', async () => {
		const all = idsWhere((c) => c.type === 'chat');
		expect(await searchIds({ filters: { chatType: 'chat' } })).toEqual(all);
		expect(restRequests(sim).filter((r) => r.startsWith('GET /chats/search'))).toHaveLength(
			Math.ceil(all.length / 40),
		);
	});

	it('with Output "Search Results", gives the hits without fetching the chats', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				search({ output: 'results', filters: { visitorName: 'Luna Lovegood' } }),
			),
		);
		expect(items.map((item) => item.json.id)).toEqual(
			idsWhere((c) => c.visitor.name === 'Luna Lovegood'),
		);
		expect(Object.keys(items[0].json).sort()).toEqual([
			'id',
			'preview',
			'timestamp',
			'type',
			'url',
		]);
		expect(restRequests(sim).every((r) => r.startsWith('GET /chats/search'))).toBe(true);
	});

	it('runs one search per input item, each result paired with its item', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				search({
					returnAll: false,
					limit: 2,
					output: 'results',
					filters: { visitorEmail: '={{ $json.email }}' },
				}),
				{
					items: inputs(
						{ email: 'luna.lovegood@example.com' },
						{ email: 'draco.potter@example.com' },
					),
				},
			),
		);
		const luna = idsWhere((c) => c.visitor.email === 'luna.lovegood@example.com').slice(0, 2);
		const draco = idsWhere((c) => c.visitor.email === 'draco.potter@example.com').slice(0, 2);
		expect([luna.length, draco.length]).toEqual([2, 2]);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[luna[0], { item: 0 }],
			[luna[1], { item: 0 }],
			[draco[0], { item: 1 }],
			[draco[1], { item: 1 }],
		]);
	});
});

describe('Chat › Search by Raw Query', () => {
	it('sends the query as written and gives the same chats as the builder', async () => {
		const query = 'visitor_name:"Harry Potter" AND rating:good';
		const items = itemsOf(await runNode(chatHarness(sim), search({ rawQuery: query })));
		expect(items.map((item) => item.json.id)).toEqual(
			idsWhere((c) => c.visitor.name === 'Harry Potter' && c.rating === 'good'),
		);
		expect(items[0].json).toHaveProperty('history');
		expect(queriesSent()).toEqual([query]);
	});

	it('runs the example of the documentation', async () => {
		const query = 'agent_names:"Grace Hopper" AND timestamp:[2024-01-10 TO 2024-01-31]';
		const items = itemsOf(
			await runNode(chatHarness(sim), search({ rawQuery: query, output: 'results' })),
		);
		const from = Date.UTC(2024, 0, 10);
		const to = Date.UTC(2024, 0, 31, 23, 59, 59);
		const expected = idsWhere(
			(c) => c.agentIds.includes(SIM_HUMAN_AGENT_ID) && c.startedAt >= from && c.startedAt <= to,
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json.id)).toEqual(expected);
	});

	it('with a Limit and Output "Search Results"', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				search({ rawQuery: 'type:chat', returnAll: false, limit: 3, output: 'results' }),
			),
		);
		expect(items.map((item) => item.json.id)).toEqual(
			idsWhere((c) => c.type === 'chat').slice(0, 3),
		);
		expect(restRequests(sim)).toHaveLength(1);
	});

	it('reports a query the API refuses as a NodeApiError with status 400', async () => {
		const run = await runNode(chatHarness(sim), search({ rawQuery: 'rating:good OR rating:bad' }));
		const error = run.data.resultData.runData['Zendesk Chat'][0].error!;
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '400' });
		expect(error.message).toContain('invalid search query');
	});
});
