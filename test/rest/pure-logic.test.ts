import { InvalidInputError } from '../../src/shared';
import { leaseRestRateLimiter } from '../../src/rest';
import { parseRetryAfter } from '../../src/shared/retry-after';
import { parseRestBase } from '../../src/rest/base-url';
import { leaseRateLimiter, pacingAllowanceMs } from '../../src/rest/limiter-registry';
import { planExport } from '../../src/rest/incremental-export';
import { nextPageRequest, pageKey } from '../../src/rest/next-page';
import { chatListPageSchema, exportPageSchema, searchPageSchema } from '../../src/rest/schemas';
import { halve } from '../../src/rest/search-walk';
import { chatChangesBody } from '../../src/rest/update-chat';
import { chatId, chatIds, dateInput, email, numericId, pathText } from '../../src/rest/validate';

function invalidField(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		if (error instanceof InvalidInputError) return error.field;
		throw error;
	}
	throw new Error('expected an InvalidInputError');
}

describe('next_url', () => {
	it('reads the string "null" (List Chats example), JSON null (Search example), absent and empty as the last page', () => {
		expect(chatListPageSchema.parse({ chats: [], next_url: 'null' }).next_url).toBeUndefined();
		expect(searchPageSchema.parse({ results: [], next_url: null }).next_url).toBeUndefined();
		expect(searchPageSchema.parse({ results: [] }).next_url).toBeUndefined();
		expect(chatListPageSchema.parse({ chats: [], next_url: '' }).next_url).toBeUndefined();
		expect(
			chatListPageSchema.parse({ chats: [], next_url: 'https://x/api/v2/chat/chats?page=2' })
				.next_url,
		).toBe('https://x/api/v2/chat/chats?page=2');
	});

	it('follows a next_url on the base URL as given', () => {
		const base = parseRestBase('https://acme.zendesk.com/api/v2/chat');
		const next = nextPageRequest(
			'https://acme.zendesk.com/api/v2/chat/chats/search?q=a&page=2',
			base,
			'/chats/search',
		);
		expect(next.path).toBe('/chats/search');
		expect(next.query.get('page')).toBe('2');
		expect(next.query.get('q')).toBe('a');
	});

	it('never sends the token to another host: only the query is carried over to the base URL', () => {
		const base = parseRestBase('https://acme.zendesk.com/api/v2/chat');
		const legacy = nextPageRequest('https://www.zopim.com/api/v2/chats?page=3', base, '/chats');
		expect(legacy).toEqual({ path: '/chats', query: new URLSearchParams({ page: '3' }) });
		const elsewhere = nextPageRequest(
			'https://acme.zendesk.com/other/chats?page=3',
			base,
			'/chats',
		);
		expect(elsewhere.path).toBe('/chats');
	});

	it('resolves a relative next_url against the base URL', () => {
		const base = parseRestBase('http://127.0.0.1:9/api/v2/chat');
		expect(nextPageRequest('chats?page=2', base, '/chats').path).toBe('/chats');
		expect(nextPageRequest('/api/v2/chat/chats?page=2', base, '/chats').query.get('page')).toBe(
			'2',
		);
	});

	it('keys a page by path and sorted query', () => {
		expect(pageKey({ path: '/chats', query: new URLSearchParams('b=2&a=1') })).toBe(
			pageKey({ path: '/chats', query: new URLSearchParams('a=1&b=2') }),
		);
	});
});

describe('Retry-After', () => {
	it('reads delay-seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(['0'])).toBe(0);
		expect(
			parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
		).toBe(10_000);
		expect(
			parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT')),
		).toBe(0);
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter('-1')).toBeUndefined();
	});
});

describe('slicing a time range', () => {
	it('splits into two inclusive halves that meet without overlap', () => {
		expect(halve({ from: 100, to: 200 }, 0)).toEqual([
			{ from: 100, to: 150 },
			{ from: 151, to: 200 },
		]);
		expect(halve({ from: 100, to: 101 }, 0)).toEqual([
			{ from: 100, to: 100 },
			{ from: 101, to: 101 },
		]);
		expect(halve({ from: 100, to: 100 }, 0)).toBeUndefined();
	});

	it('keeps open ends open, bisecting between 2007 and a day past now', () => {
		const floor = Date.UTC(2007, 0, 1) / 1000;
		const now = floor + 1000;
		const [left, right] = halve({ from: null, to: null }, now)!;
		const middle = Math.floor((floor + now + 86_400) / 2);
		expect(left).toEqual({ from: null, to: middle });
		expect(right).toEqual({ from: middle + 1, to: null });
		// Below the floor, bisection goes on down to the epoch.
		expect(halve({ from: null, to: floor - 10 }, now)).toEqual([
			{ from: null, to: Math.floor((floor - 10) / 2) },
			{ from: Math.floor((floor - 10) / 2) + 1, to: floor - 10 },
		]);
	});
});

describe('input validation', () => {
	it('chat ids: the documented shapes pass, anything that could leave the path does not', () => {
		expect(chatId('1704.2314815.QHgVx6SOrRuSx')).toBe('1704.2314815.QHgVx6SOrRuSx');
		expect(chatId(123)).toBe('123');
		expect(chatId(' 42 ')).toBe('42');
		for (const bad of ['', '..', '.', 'a/b', 'a?b', 'a b', '%2e%2e', null, {}, -1, 1.5]) {
			expect(invalidField(() => chatId(bad))).toBe('chatId');
		}
		expect(chatIds(['1', '2', '1'])).toEqual(['1', '2']);
		expect(invalidField(() => chatIds([]))).toBe('chatIds');
		expect(invalidField(() => chatIds(['1', '../x']))).toBe('chatIds[1]');
	});

	it('numeric ids, names, emails and dates', () => {
		expect(numericId('2001', 'departmentId')).toBe(2001);
		expect(invalidField(() => numericId(0, 'departmentId'))).toBe('departmentId');
		expect(invalidField(() => numericId('12a', 'agentId'))).toBe('agentId');
		expect(pathText(' Sales ', 'departmentName')).toBe('Sales');
		expect(invalidField(() => pathText('..', 'departmentName'))).toBe('departmentName');
		expect(invalidField(() => pathText('a\u0000', 'departmentName'))).toBe('departmentName');
		expect(email('a@b.co')).toBe('a@b.co');
		expect(invalidField(() => email('a b@c'))).toBe('email');
		expect(dateInput('2020-01-01', 'd')).toBe(Date.UTC(2020, 0, 1));
		expect(invalidField(() => dateInput(1_577_836_800_000, 'd'))).toBe('d');
	});

	it('base URLs: https, or http for this machine only; no credentials or query', () => {
		expect(parseRestBase('https://acme.zendesk.com/api/v2/chat/')).toEqual({
			origin: 'https://acme.zendesk.com',
			basePath: '/api/v2/chat',
		});
		expect(parseRestBase('http://127.0.0.1:4010/api/v2/chat').basePath).toBe('/api/v2/chat');
		expect(parseRestBase('https://www.zopim.com').basePath).toBe('');
		expect(invalidField(() => parseRestBase('http://acme.zendesk.com/api/v2/chat'))).toBe(
			'baseUrl',
		);
		expect(parseRestBase('http://proxy.internal/api', true).origin).toBe('http://proxy.internal');
		expect(invalidField(() => parseRestBase('ftp://x'))).toBe('baseUrl');
		expect(invalidField(() => parseRestBase('https://u:p@x/api'))).toBe('baseUrl');
		expect(invalidField(() => parseRestBase('https://x/api?token=1'))).toBe('baseUrl');
		expect(invalidField(() => parseRestBase('not a url'))).toBe('baseUrl');
	});

	it('chat changes: only the writable fields, each checked', () => {
		expect(chatChangesBody({ tags: ['vip', 'vip', 'follow-up_2'], unread: false })).toEqual({
			tags: ['vip', 'follow-up_2'],
			unread: false,
		});
		expect(chatChangesBody({ comment: 'line 1\nline 2', rating: 'bad' })).toEqual({
			comment: 'line 1\nline 2',
			rating: 'bad',
		});
		expect(invalidField(() => chatChangesBody({}))).toBe('changes');
		expect(invalidField(() => chatChangesBody({ tags: ['has space'] }))).toBe('changes.tags[0]');
		expect(invalidField(() => chatChangesBody({ rating: 'ok' as never }))).toBe('changes.rating');
		expect(invalidField(() => chatChangesBody({ unread: 'yes' as never }))).toBe('changes.unread');
		expect(invalidField(() => chatChangesBody({ visitor: { name: 'x' } } as never))).toBe(
			'changes.visitor',
		);
	});

	it('export options: a start at least 5 minutes old, or a cursor; limit 1-1000', () => {
		const now = () => Date.UTC(2024, 0, 1, 12);
		expect(planExport({ startTime: '2024-01-01T11:00:00Z' }, now)).toEqual({
			cursor: { startTime: Date.UTC(2024, 0, 1, 11) / 1000 },
			now,
			limit: 1000,
			fields: 'chats(*)',
			signal: undefined,
		});
		expect(
			planExport({ cursor: { startTime: 1.5, startId: '2.x' }, limit: 10 }, now).cursor,
		).toEqual({ startTime: 1.5, startId: '2.x' });
		expect(invalidField(() => planExport({ startTime: '2024-01-01T11:58:00Z' }, now))).toBe(
			'startTime',
		);
		expect(invalidField(() => planExport({}, now))).toBe('startTime');
		expect(
			invalidField(() => planExport({ startTime: '2020-01-01', cursor: { startTime: 1 } }, now)),
		).toBe('startTime');
		expect(invalidField(() => planExport({ cursor: { startTime: -1 } }, now))).toBe('cursor');
		expect(invalidField(() => planExport({ cursor: { startTime: 1, startId: '../x' } }, now))).toBe(
			'cursor.startId',
		);
		expect(invalidField(() => planExport({ startTime: '2020-01-01', limit: 1001 }, now))).toBe(
			'limit',
		);
		expect(
			invalidField(() => planExport({ startTime: '2020-01-01', fields: 'chats(*)&x=1' }, now)),
		).toBe('fields');
	});

	it('export pages: cursor fields may be null, end_id is kept as a string', () => {
		expect(
			exportPageSchema.parse({ chats: [], count: 0, end_id: null, end_time: null }).end_id,
		).toBeUndefined();
		expect(
			exportPageSchema.parse({ chats: [{ id: 'a' }], count: 1, end_id: 17, end_time: 5 }).end_id,
		).toBe('17');
		expect(exportPageSchema.safeParse({ chats: [{}], count: 1 }).success).toBe(false);
	});
});

describe('leaseRestRateLimiter', () => {
	it('gives every holder of one credential the same limiter, and other limits or keys another', () => {
		const a = leaseRestRateLimiter('key-1');
		const b = leaseRestRateLimiter('key-1');
		const other = leaseRestRateLimiter('key-2');
		const faster = leaseRestRateLimiter('key-1', [{ limit: 5, windowMs: 1000 }]);
		expect(b.limiter).toBe(a.limiter);
		expect(other.limiter).not.toBe(a.limiter);
		expect(faster.limiter).not.toBe(a.limiter);
		for (const lease of [a, b, other, faster]) lease.release();
		// Released, but remembered for a window: a new holder still sees the requests already spent.
		const later = leaseRestRateLimiter('key-1');
		expect(later.limiter).toBe(a.limiter);
		later.release();
	});
	it('counts a request for its window plus an allowance for the network (1 s of a minute), on an injected clock', async () => {
		let now = 0;
		const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
		const lease = leaseRateLimiter('key-clock', [{ limit: 2, windowMs: 60_000 }], clock);
		expect(pacingAllowanceMs(60_000)).toBe(1_000);
		expect(pacingAllowanceMs(600)).toBe(10);
		await lease.limiter.acquire();
		await lease.limiter.acquire();
		// The third waits for the first to leave: 60 s after it, and the allowance.
		await lease.limiter.acquire();
		expect(now).toBe(61_000);
		// Another clock, another limiter: clients on different clocks never share one.
		const other = leaseRateLimiter('key-clock', [{ limit: 2, windowMs: 60_000 }], { ...clock });
		expect(other.limiter).not.toBe(lease.limiter);
		lease.release();
		other.release();
	});
});
