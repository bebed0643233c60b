import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import type { ChatRecord } from '../../simulator/world/types';
import { restClient, walk } from './rest-helpers';

/**
 * Search Chats over HTTP against 10,100 seeded chats (seeds/chat-rest-api-chats.txt "Search
 * Chats": 40 results a page, 250 pages, ?page=251 is a 400). Expected results are computed here
 * from the world's records with predicates of their own, not with the simulator's query parser.
 */
describe('Chat REST API: search', () => {
	let sim: Simulator;
	let call: ReturnType<typeof restClient>;
	let oldestFirst: ChatRecord[];

	const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
	const says = (c: ChatRecord, word: string) =>
		c.history.some(
			(h) => h.type === 'chat.msg' && new RegExp(`\\b${word}\\b`, 'i').test(h.msg ?? ''),
		) || new RegExp(`\\b${word}\\b`, 'i').test(c.message ?? '');
	const expected = (predicate: (c: ChatRecord) => boolean) =>
		oldestFirst.filter(predicate).map((c) => c.id);
	const search = (q: string, page?: number) =>
		call(
			'GET',
			`/chats/search?q=${encodeURIComponent(q)}${page === undefined ? '' : `&page=${page}`}`,
		);

	beforeAll(async () => {
		sim = await startSimulator({ clock: new ManualClock('2026-01-05T09:00:00Z') });
		call = restClient(sim);
		const seeded = sim.rest.control.seedChats({
			count: 10_100,
			offlineEvery: 10,
			from: '2025-11-01T00:00:00Z',
			to: '2026-01-01T00:00:00Z',
		});
		expect(seeded.created).toBe(10_100);
		expect(sim.world.chats.size).toBe(10_100);
		oldestFirst = [...sim.world.chats.values()].sort(
			(a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1),
		);
		expect(oldestFirst.map((c) => c.id)).toEqual(seeded.ids);
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.rest.control.resetBudget());

	it('answers 40 results a page in the documented shape', async () => {
		const res = await search('type:chat');
		const chats = expected((c) => c.type === 'chat');
		expect(res.status).toBe(200);
		expect(Object.keys(res.body).sort()).toEqual(['count', 'next_url', 'prev_url', 'results']);
		expect(res.body.count).toBe(9_090);
		expect(res.body.results).toHaveLength(40);
		expect(res.body.results.map((r: any) => r.id)).toEqual(chats.slice(0, 40));
		const first = sim.world.requireChat(chats[0]);
		expect(res.body.results[0]).toEqual({
			id: first.id,
			preview: 'Hello, I have a question about chocolate.',
			timestamp: '2025-11-01T00:00:00Z',
			type: 'chat',
			url: `${sim.urls.rest}/chats/${first.id}`,
		});
		// The doc's Search example: JSON null, not the list's string "null".
		expect(res.body.prev_url).toBeNull();
		expect(res.body.next_url).toBe(`${sim.urls.rest}/chats/search?q=type%3Achat&page=2`);
		const offline = await search('chat_type:offline_msg');
		expect(offline.body.results[0].preview).toBe('Please call me back about my login.');
		expect(offline.body.results[0].type).toBe('offline_msg');
	});

	it('pages up to 250 and answers 400 for page 251 and beyond (the 10,000-result cap)', async () => {
		const all = oldestFirst.map((c) => c.id);
		const last = await search('timestamp:[* TO *]', 250);
		expect(last.status).toBe(200);
		expect(last.body.count).toBe(10_100);
		expect(last.body.results.map((r: any) => r.id)).toEqual(all.slice(9_960, 10_000));
		expect(last.body.next_url).toBeNull();
		expect(last.body.prev_url).toBe(
			`${sim.urls.rest}/chats/search?q=timestamp%3A%5B*%20TO%20*%5D&page=249`,
		);
		for (const page of [251, 252, 1000]) {
			const res = await search('timestamp:[* TO *]', page);
			expect(res.status).toBe(400);
			expect(res.body).toEqual({
				error: 'Bad Request',
				description: `page ${page} is past the limit of 10000 results per query (250 pages of 40); narrow the query with a timestamp range`,
			});
		}
		// Past the matches but under the cap: an empty page.
		const empty = await search('visitor_name:Draco AND rating:good', 200);
		expect(empty.body).toMatchObject({ results: [], next_url: null });
		expect(empty.body.prev_url).toMatch(/page=199$/);
	});

	it.each([
		['agent_names:Ada', (c: ChatRecord) => c.agentIds.includes(1001)],
		['agent_names:"Grace Hopper"', (c: ChatRecord) => c.agentIds.includes(1002)],
		['visitor_name:Harry', (c: ChatRecord) => c.visitor.name.startsWith('Harry ')],
		['visitor_name:"luna weasley"', (c: ChatRecord) => c.visitor.name === 'Luna Weasley'],
		[
			'visitor_email:Ron.Lovegood@example.com',
			(c: ChatRecord) => c.visitor.email === 'ron.lovegood@example.com',
		],
		['rating:good', (c: ChatRecord) => c.rating === 'good'],
		['rating:bad', (c: ChatRecord) => c.rating === 'bad'],
		['chat_type:offline_msg', (c: ChatRecord) => c.type === 'offline_msg'],
		['type:chat', (c: ChatRecord) => c.type === 'chat'],
		[
			'timestamp:2025-12-01',
			(c: ChatRecord) => c.startedAt >= day('2025-12-01') && c.startedAt < day('2025-12-02'),
		],
		[
			'timestamp:[2025-12-01 TO 2025-12-02]',
			(c: ChatRecord) => c.startedAt >= day('2025-12-01') && c.startedAt < day('2025-12-03'),
		],
		[
			'timestamp:[2025-12-30T12:00:00 TO *]',
			(c: ChatRecord) => c.startedAt >= Date.parse('2025-12-30T12:00:00Z'),
		],
		['timestamp:[* TO 2025-11-02]', (c: ChatRecord) => c.startedAt < day('2025-11-03')],
		[
			'end_timestamp:[2025-12-31T12:00:00 TO *]',
			(c: ChatRecord) => c.endedAt !== null && c.endedAt >= Date.parse('2025-12-31T12:00:00Z'),
		],
		['refund', (c: ChatRecord) => says(c, 'refund')],
		[
			'"covered too" AND warranty',
			(c: ChatRecord) => says(c, 'covered too') && says(c, 'warranty'),
		],
		[
			'agent_names:Grace AND rating:bad AND refund',
			(c: ChatRecord) => c.agentIds.includes(1002) && c.rating === 'bad' && says(c, 'refund'),
		],
		[
			'type:chat AND chocolate AND timestamp:[2025-11-15 TO 2025-11-20]',
			(c: ChatRecord) =>
				c.type === 'chat' &&
				says(c, 'chocolate') &&
				c.startedAt >= day('2025-11-15') &&
				c.startedAt < day('2025-11-21'),
		],
	])('finds %s', async (q, predicate) => {
		const ids = expected(predicate);
		expect(ids.length).toBeGreaterThan(0);
		expect(ids.length).toBeLessThan(10_100);
		const res = await search(q);
		expect(res.status).toBe(200);
		expect(res.body.count).toBe(ids.length);
		expect(res.body.results.map((r: any) => r.id)).toEqual(ids.slice(0, 40));
	});

	it('walks a search to its end through next_url without loss or repetition', async () => {
		const q = 'visitor_email:harry.potter@example.com AND timestamp:[2025-11-01 TO 2025-11-30]';
		const ids = expected(
			(c) => c.visitor.email === 'harry.potter@example.com' && c.startedAt < day('2025-12-01'),
		);
		expect(ids.length).toBeGreaterThan(120);
		const pages = await walk(call, `/chats/search?q=${encodeURIComponent(q)}`, (b) => b.next_url);
		expect(pages.length).toBe(Math.ceil(ids.length / 40));
		expect(pages.slice(0, -1).every((p) => p.results.length === 40)).toBe(true);
		expect(pages.flatMap((p) => p.results.map((r: any) => r.id))).toEqual(ids);
		expect(pages.every((p) => p.count === ids.length)).toBe(true);
	});

	it('decodes the url-encoded query of the doc code samples (+ for spaces)', async () => {
		const res = await call(
			'GET',
			'/chats/search?q=timestamp%3A%5B2025-12-30T16%3A00%3A00+TO+%2A%5D+AND+rating%3Agood',
		);
		expect(res.status).toBe(200);
		expect(res.body.count).toBe(
			expected((c) => c.startedAt >= Date.parse('2025-12-30T16:00:00Z') && c.rating === 'good')
				.length,
		);
		expect(res.body.count).toBeGreaterThan(0);
	});

	it.each([
		['/chats/search', 'q is required: the search query'],
		['/chats/search?q=', 'q is required: the search query'],
		['/chats/search?q=%20%20', 'q is required: the search query'],
		[
			`/chats/search?q=${encodeURIComponent('colour:red')}`,
			'invalid search query: unknown field "colour"; searchable fields are agent_names, visitor_name, visitor_email, timestamp, end_timestamp, chat_type, type, rating',
		],
		[
			`/chats/search?q=${encodeURIComponent('timestamp:[2014-10-10 TO')}`,
			'invalid search query: a range [a TO b] is not closed',
		],
		[
			`/chats/search?q=${encodeURIComponent('chocolate OR refund')}`,
			'invalid search query: OR is not supported: only AND is',
		],
		['/chats/search?q=chocolate&page=0', 'page must be at least 1'],
		['/chats/search?q=chocolate&page=next', 'page must be an integer, not "next"'],
	])('answers 400 for %s', async (path, description) => {
		const res = await call('GET', path);
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ error: 'Bad Request', description });
	});
});
