import {
	acquireStartSlot,
	createStartBudget,
	defaultShouldRetry,
	errorFromPayload,
	isFatal,
	RecentIds,
} from '../../src/conversations';
import {
	encodePing,
	encodeRequest,
	encodeStopSubscription,
	parseFrame,
} from '../../src/conversations/frames';
import { Keepalive } from '../../src/conversations/keepalive';
import { RequestTable } from '../../src/conversations/request-table';
import type { SessionSocket } from '../../src/conversations/socket';
import {
	ConnectionError,
	GraphqlError,
	HttpError,
	InvalidInputError,
	ProtocolError,
	TimeoutError,
} from '../../src/shared';

describe('RecentIds', () => {
	it('remembers the last N ids and evicts the oldest', () => {
		const ids = new RecentIds(3);
		expect(['a', 'b', 'c'].map((id) => ids.add(id))).toEqual([true, true, true]);
		expect(ids.add('a')).toBe(false);
		expect(ids.add('d')).toBe(true); // evicts a
		expect(ids.has('a')).toBe(false);
		expect(ids.has('b')).toBe(true);
		expect(ids.add('a')).toBe(true); // evicts b
		expect(ids.size).toBe(3);
		expect(() => new RecentIds(0)).toThrow(RangeError);
	});

	it('answers exactly as a Set of the last N ids would, whatever the order of adds and repeats', () => {
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
		const mismatches: string[] = [];
		for (const capacity of [1, 2, 3, 5, 16, 1000]) {
			const ids = new RecentIds(capacity);
			const set = new Set<string>();
			const ring: string[] = [];
			for (let i = 0; i < 20_000; i++) {
				const id = `x${Math.floor(random() * capacity * 3)}`;
				const fresh = !set.has(id);
				if (fresh) {
					if (ring.length === capacity) set.delete(ring.shift()!);
					ring.push(id);
					set.add(id);
				}
				if (ids.add(id) !== fresh) mismatches.push(`add ${id} at ${i} (capacity ${capacity})`);
				const probe = `x${Math.floor(random() * capacity * 3)}`;
				if (ids.has(probe) !== set.has(probe))
					mismatches.push(`has ${probe} at ${i} (capacity ${capacity})`);
			}
			expect(ids.size).toBe(set.size);
		}
		expect(mismatches).toEqual([]);
	});

	it('stays at its capacity over a million ids', () => {
		const ids = new RecentIds(1024);
		for (let i = 0; i < 1_000_000; i++) ids.add(`m${i}`);
		expect(ids.size).toBe(1024);
		expect(ids.has('m999999')).toBe(true);
		expect(ids.has('m998975')).toBe(false);
	});
});

describe('RequestTable: one timer for every deadline', () => {
	it('fails each request at its own deadline, whatever the order they were sent in, and answers the rest', async () => {
		const sent: string[] = [];
		const ws = { send: (frame: string) => sent.push(frame) } as unknown as SessionSocket;
		const table = new RequestTable();
		const started = Date.now();
		const settledAt = (promise: Promise<unknown>) =>
			promise.then(
				(data) => ({ data, ms: Date.now() - started }),
				(error: Error) => ({ error, ms: Date.now() - started }),
			);
		const slow = settledAt(table.exchange(ws, (id) => `${id}`, 300));
		const fast = settledAt(table.exchange(ws, (id) => `${id}`, 60));
		const answered = settledAt(table.exchange(ws, (id) => `${id}`, 30));
		const middle = settledAt(table.exchange(ws, (id) => `${id}`, 150));
		table.settle({ id: Number(sent[2]), payload: { data: { ok: true } } });
		const [s, f, a, m] = await Promise.all([slow, fast, answered, middle]);
		expect(a).toMatchObject({ data: { ok: true } });
		for (const [result, ms] of [
			[f, 60],
			[m, 150],
			[s, 300],
		] as const) {
			expect((result as { error?: unknown }).error).toBeInstanceOf(TimeoutError);
			expect(result.ms).toBeGreaterThanOrEqual(ms - 5);
			expect(result.ms).toBeLessThan(ms + 200);
		}
		expect((s as { error: Error }).error.message).toBe(
			'no answer from the Conversations API within 300 ms',
		);
	});

	it('fails what is pending when the session ends, leaving no timer behind', async () => {
		const ws = { send: () => undefined } as unknown as SessionSocket;
		const table = new RequestTable();
		const pending = table.exchange(ws, (id) => `${id}`, 60_000);
		table.failAll(new ConnectionError('conversations', 'gone'));
		await expect(pending).rejects.toBeInstanceOf(ConnectionError);
		expect((table as unknown as { timer?: unknown }).timer).toBeUndefined();
	});
});

describe('frames', () => {
	it('encodes the documented request, stop and ping frames', () => {
		expect(
			JSON.parse(encodeRequest(7, { query: 'q', variables: { a: 1 }, operationName: 'Q' })),
		).toEqual({
			type: 'request',
			id: 7,
			payload: { query: 'q', variables: { a: 1 }, operationName: 'Q' },
		});
		expect(JSON.parse(encodeStopSubscription(9, 'sub1'))).toEqual({
			type: 'stop_subscription',
			id: 9,
			payload: { subscription_id: 'sub1' },
		});
		expect(JSON.parse(encodePing(3))).toEqual({ sig: 'PING', payload: 3 });
	});

	it('parses objects only', () => {
		expect(parseFrame('{"sig":"EOS","reason":"x"}')).toEqual({ sig: 'EOS', reason: 'x' });
		expect(parseFrame('{"sig":"DATA","payload":{"data":')).toBeUndefined();
		expect(parseFrame('[1]')).toBeUndefined();
		expect(parseFrame('null')).toBeUndefined();
		expect(parseFrame('42')).toBeUndefined();
	});
});

describe('error payloads', () => {
	it('graphQLErrorPayload becomes a GraphqlError with name, UUID and errorCode', () => {
		const error = errorFromPayload(
			{ errors: [{ name: 'MAX_SUB', message: 'too many', UUID: 'u-1' }] },
			400,
		);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error).toMatchObject({
			errorName: 'MAX_SUB',
			message: 'too many',
			uuid: 'u-1',
			errorCode: 400,
			retryable: false,
		});
		const unnamed = errorFromPayload({
			errors: [{ message: 'Cannot query field "x"' }, { message: 'second' }],
		});
		expect(unnamed).toMatchObject({
			errorName: 'GRAPHQL_EXEC_ERROR',
			message: 'Cannot query field "x"; second',
			uuid: undefined,
		});
		expect(
			errorFromPayload({ errors: [{ name: 'RATE_LIMITED', message: 'slow' }] })?.retryable,
		).toBe(true);
	});

	it('protocolErrorPayload becomes a ProtocolError; a success payload is no error', () => {
		const error = errorFromPayload({ body: 'unavailable' }, 503);
		expect(error).toBeInstanceOf(ProtocolError);
		expect(error?.message).toBe('the Conversations API could not serve the request: unavailable');
		expect(errorFromPayload({ data: { success: true } })).toBeUndefined();
		expect(errorFromPayload({ errors: [] })).toBeUndefined();
		expect(errorFromPayload(undefined)).toBeUndefined();
	});
});

describe('retry policy', () => {
	const named = (name: string) => new GraphqlError(name, name, undefined);

	it('has an explicit fatal list', () => {
		for (const name of ['UNAUTHORIZED', 'FORBIDDEN', 'MAX_SUB', 'GRAPHQL_EXEC_ERROR'])
			expect(isFatal(named(name))).toBe(true);
		for (const name of ['RATE_LIMITED', 'GRAPHQL_SUB_START_ERROR'])
			expect(isFatal(named(name))).toBe(false);
		expect(isFatal(new GraphqlError('GRAPHQL_EXEC_ERROR', 'internal', undefined, 503))).toBe(false);
		expect(isFatal(new GraphqlError('GRAPHQL_EXEC_ERROR', 'bad request', undefined, 400))).toBe(
			true,
		);
		expect(isFatal(new InvalidInputError('x', 'bad'))).toBe(true);
		expect(isFatal(new HttpError('conversations', 404, 'nf', undefined))).toBe(true);
		expect(isFatal(new HttpError('conversations', 503, 'down', undefined))).toBe(false);
		expect(isFatal(new ConnectionError('conversations', 'reset'))).toBe(false);
		expect(isFatal(new TimeoutError('conversations', 'slow'))).toBe(false);
	});

	it('bounds the first connection, not later reconnects', () => {
		const shouldRetry = defaultShouldRetry(3);
		const error = new ConnectionError('conversations', 'refused');
		expect(shouldRetry(error, { retries: 1, connectedBefore: false })).toBe(true);
		expect(shouldRetry(error, { retries: 2, connectedBefore: false })).toBe(false);
		expect(shouldRetry(error, { retries: 1000, connectedBefore: true })).toBe(true);
		expect(shouldRetry(named('FORBIDDEN'), { retries: 0, connectedBefore: true })).toBe(false);
	});
});

describe('startAgentSession budget', () => {
	it('allows 1 per second (with a margin) and 50 per hour, and fails fast when the next slot is far', async () => {
		let now = 0;
		const budget = createStartBudget(() => now);
		await acquireStartSlot(budget, 60_000);
		expect(budget.delayMs()).toBe(1200);
		for (let i = 1; i < 50; i++) {
			now += 1200;
			await acquireStartSlot(budget, 0);
		}
		now += 1200;
		expect(budget.delayMs()).toBe(3_600_000 - 60_000);
		const error = await acquireStartSlot(budget, 60_000).catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error).toMatchObject({ errorName: 'RATE_LIMITED', retryable: true });
		expect(error.message).toContain('next start is possible in 3540 s');
	});
});

describe('Keepalive', () => {
	it('pings after the interval, re-arms after the echo, and reports a missing PONG', async () => {
		const pings: number[] = [];
		let timeouts = 0;
		const keepalive = new Keepalive(
			20,
			40,
			(p) => pings.push(p),
			() => timeouts++,
		);
		keepalive.start();
		await new Promise((r) => setTimeout(r, 35));
		expect(pings).toEqual([1]);
		keepalive.pong(99); // not the outstanding payload: ignored
		keepalive.pong('1'); // the echo, even as a string
		await new Promise((r) => setTimeout(r, 35));
		expect(pings).toEqual([1, 2]);
		await new Promise((r) => setTimeout(r, 60));
		expect(timeouts).toBe(1);
		expect(pings).toEqual([1, 2]);
		keepalive.stop();
	});

	it('is off with an interval of 0', async () => {
		const pings: number[] = [];
		const keepalive = new Keepalive(
			0,
			10,
			(p) => pings.push(p),
			() => undefined,
		);
		keepalive.start();
		await new Promise((r) => setTimeout(r, 20));
		expect(pings).toEqual([]);
	});
});
