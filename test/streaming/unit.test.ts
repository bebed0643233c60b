import { exponentialBackoff } from '../../src/shared/backoff';
import {
	ConnectionError,
	HttpError,
	InvalidInputError,
	ProtocolError,
} from '../../src/shared/errors';
import {
	StreamingStatusError,
	parseMetricRequest,
	ALL_METRIC_KEYS,
	type MetricRequest,
} from '../../src/streaming';
import { Keepalive } from '../../src/streaming/keepalive';
import { subscribeFrame, unsubscribeFrame } from '../../src/streaming/metric-request';
import { decideReconnect } from '../../src/streaming/reconnect-policy';
import { readServerMessage } from '../../src/streaming/server-message';
import { MetricSnapshot } from '../../src/streaming/snapshot';
import { parseRetryAfter } from '../../src/shared/retry-after';

function invalidField(request: unknown): string {
	try {
		parseMetricRequest(request as MetricRequest);
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInputError);
		return (error as InvalidInputError).field;
	}
	throw new Error(`accepted ${JSON.stringify(request)}`);
}

describe('parseMetricRequest', () => {
	it('accepts a key or its topic and derives the category', () => {
		expect(parseMetricRequest({ metric: 'incoming_chats' })).toEqual({
			id: 'incoming_chats||',
			topic: 'chats.incoming_chats',
			category: 'chats',
			metric: 'incoming_chats',
			window: null,
			departmentId: null,
		});
		expect(parseMetricRequest({ metric: 'agents.agents_online', departmentId: 5 })).toEqual({
			id: 'agents_online||5',
			topic: 'agents.agents_online',
			category: 'agents',
			metric: 'agents_online',
			window: null,
			departmentId: 5,
		});
		expect(
			parseMetricRequest({ metric: 'chats.missed_chats', window: 60, departmentId: null }),
		).toMatchObject({
			id: 'missed_chats|60|',
			window: 60,
			departmentId: null,
		});
	});

	it('knows exactly the documented keys (and no response_time_first_*)', () => {
		expect(ALL_METRIC_KEYS).toHaveLength(15);
		for (const metric of ALL_METRIC_KEYS) {
			const windowed = ['missed_chats', 'satisfaction_good', 'satisfaction_bad'].includes(metric);
			expect(parseMetricRequest({ metric, window: windowed ? 30 : undefined }).metric).toBe(metric);
		}
		expect(invalidField({ metric: 'response_time_first_avg' })).toBe('metric');
	});

	it('names the field at fault', () => {
		expect(invalidField({ metric: 'nope' })).toBe('metric');
		expect(invalidField({ metric: '' })).toBe('metric');
		expect(invalidField({ metric: 42 })).toBe('metric');
		expect(invalidField({})).toBe('metric');
		expect(invalidField(null)).toBe('metric');
		expect(invalidField({ metric: 'agents.missed_chats', window: 30 })).toBe('metric');
		expect(invalidField({ metric: 'visitors.incoming_chats' })).toBe('metric');
		// Windows: required for the three windowed chat metrics, 30 or 60 only, forbidden elsewhere.
		for (const metric of ['missed_chats', 'satisfaction_good', 'satisfaction_bad']) {
			expect(invalidField({ metric })).toBe('window');
			expect(invalidField({ metric, window: 45 })).toBe('window');
			expect(invalidField({ metric, window: '30' })).toBe('window');
		}
		expect(invalidField({ metric: 'incoming_chats', window: 30 })).toBe('window');
		expect(invalidField({ metric: 'agents_online', window: 60 })).toBe('window');
		// Departments: a positive integer.
		for (const departmentId of [0, -1, 1.5, '5', Number.NaN, 2 ** 60]) {
			expect(invalidField({ metric: 'incoming_chats', departmentId })).toBe('departmentId');
		}
	});

	it('builds the documented subscribe and unsubscribe frames, with only the fields that apply', () => {
		expect(JSON.parse(subscribeFrame(parseMetricRequest({ metric: 'incoming_chats' })))).toEqual({
			topic: 'chats.incoming_chats',
			action: 'subscribe',
		});
		expect(
			JSON.parse(subscribeFrame(parseMetricRequest({ metric: 'missed_chats', window: 30 }))),
		).toEqual({
			topic: 'chats.missed_chats',
			action: 'subscribe',
			window: 30,
		});
		expect(
			JSON.parse(
				subscribeFrame(parseMetricRequest({ metric: 'agents_online', departmentId: 123 })),
			),
		).toEqual({
			topic: 'agents.agents_online',
			action: 'subscribe',
			department_id: 123,
		});
		expect(JSON.parse(unsubscribeFrame(parseMetricRequest({ metric: 'incoming_chats' })))).toEqual({
			topic: 'chats.incoming_chats',
			action: 'unsubscribe',
		});
		expect(
			JSON.parse(
				unsubscribeFrame(
					parseMetricRequest({ metric: 'satisfaction_bad', window: 60, departmentId: 7 }),
				),
			),
		).toEqual({
			topic: 'chats.satisfaction_bad',
			action: 'unsubscribe',
			window: 60,
			department_id: 7,
		});
	});
});

describe('readServerMessage', () => {
	it('reads the documented chat and agent events', () => {
		expect(
			readServerMessage(
				'{"content":{"topic":"chats","data":{"incoming_chats":2},"type":"update","department_id":null},"status_code":200}',
			),
		).toEqual({
			kind: 'update',
			values: [{ metric: 'incoming_chats', window: null, departmentId: null, value: 2 }],
		});
		expect(
			readServerMessage(
				'{"content":{"topic":"chats","data":{"missed_chats":{"30":1}},"type":"update","department_id":null},"status_code":200}',
			),
		).toEqual({
			kind: 'update',
			values: [{ metric: 'missed_chats', window: 30, departmentId: null, value: 1 }],
		});
		expect(
			readServerMessage(
				'{"content":{"topic":"agents","data":{"agents_online":26},"type":"update","department_id":5},"status_code":200}',
			),
		).toEqual({
			kind: 'update',
			values: [{ metric: 'agents_online', window: null, departmentId: 5, value: 26 }],
		});
	});

	it('reads both windows, null values and several metrics in one frame', () => {
		const message = readServerMessage(
			JSON.stringify({
				status_code: 200,
				content: {
					topic: 'chats',
					type: 'update',
					data: {
						missed_chats: { '30': 1, '60': 3 },
						waiting_time_avg: null,
						satisfaction_good: null,
					},
				},
			}),
		);
		expect(message).toEqual({
			kind: 'update',
			values: [
				{ metric: 'missed_chats', window: 30, departmentId: null, value: 1 },
				{ metric: 'missed_chats', window: 60, departmentId: null, value: 3 },
				{ metric: 'waiting_time_avg', window: null, departmentId: null, value: null },
				{ metric: 'satisfaction_good', window: 30, departmentId: null, value: null },
				{ metric: 'satisfaction_good', window: 60, departmentId: null, value: null },
			],
		});
	});

	it('skips metrics and windows it does not know, and a windowed metric sent without a window', () => {
		const message = readServerMessage(
			JSON.stringify({
				status_code: 200,
				content: {
					topic: 'chats',
					type: 'update',
					data: { brand_new_metric: 4, missed_chats: { '15': 2 }, satisfaction_bad: 9 },
					department_id: 2,
				},
			}),
		);
		expect(message).toEqual({ kind: 'update', values: [] });
	});

	it('reads error frames with their status_code, message and topic', () => {
		expect(readServerMessage('{"status_code":401,"message":"unauthenticated"}')).toEqual({
			kind: 'error',
			statusCode: 401,
			message: 'unauthenticated',
			topic: undefined,
			raw: { status_code: 401, message: 'unauthenticated' },
		});
		expect(
			readServerMessage(
				'{"status_code":500,"message":"x","content":{"topic":"chats.missed_chats"}}',
			),
		).toMatchObject({
			kind: 'error',
			statusCode: 500,
			topic: 'chats.missed_chats',
		});
	});

	it('calls anything else malformed or other, without throwing', () => {
		expect(readServerMessage('{"status_code":200,"content":{"topic":"chats","type":"upd')).toEqual({
			kind: 'malformed',
			reason: 'the frame is not JSON',
			text: '{"status_code":200,"content":{"topic":"chats","type":"upd',
		});
		expect(readServerMessage('[1,2]').kind).toBe('malformed');
		expect(readServerMessage('{"content":{}}')).toMatchObject({
			kind: 'malformed',
			reason: expect.stringContaining('status_code'),
		});
		expect(
			readServerMessage(
				'{"status_code":200,"content":{"type":"update","data":{"incoming_chats":"two"}}}',
			).kind,
		).toBe('malformed');
		expect(readServerMessage('{"status_code":200,"content":{"type":"hello"}}').kind).toBe('other');
		expect(readServerMessage('{"status_code":200}').kind).toBe('other');
	});
});

describe('decideReconnect', () => {
	const backoff = exponentialBackoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
	const state = (attempt: number, canRefresh = true) => ({ attempt, canRefresh, backoff });
	const http = (status: number, retryAfterMs?: number) =>
		new HttpError('streaming', status, 'x', null, {}, retryAfterMs);

	it('refreshes once on 401 (upgrade or frame), then gives up', () => {
		expect(decideReconnect(http(401), state(0))).toEqual({ action: 'refresh' });
		expect(
			decideReconnect(new StreamingStatusError(401, 'unauthenticated', undefined, null), state(3)),
		).toEqual({ action: 'refresh' });
		expect(decideReconnect(http(401), state(1, false))).toEqual({ action: 'fatal' });
	});

	it('retries 429 with backoff, never before Retry-After', () => {
		expect(decideReconnect(http(429), state(2))).toEqual({ action: 'retry', delayMs: 200 });
		expect(decideReconnect(http(429, 5000), state(0))).toEqual({ action: 'retry', delayMs: 5000 });
	});

	it('gives up on other 4xx but not on 408, 5xx, drops or malformed frames', () => {
		for (const status of [400, 403, 404, 426])
			expect(decideReconnect(http(status), state(0))).toEqual({ action: 'fatal' });
		for (const status of [408, 500, 502, 503])
			expect(decideReconnect(http(status), state(1))).toEqual({ action: 'retry', delayMs: 100 });
		expect(decideReconnect(new ConnectionError('streaming', 'dropped'), state(3))).toEqual({
			action: 'retry',
			delayMs: 400,
		});
		expect(decideReconnect(new ProtocolError('streaming', 'x'), state(9))).toEqual({
			action: 'retry',
			delayMs: 500,
		});
	});

	it('gives up when the token provider itself fails', () => {
		expect(decideReconnect(new Error('credential not found'), state(0))).toEqual({
			action: 'fatal',
		});
	});
});

describe('StreamingStatusError', () => {
	it('is typed, names the status and says whether retrying helps', () => {
		const error = new StreamingStatusError(500, 'unsupported message sent', undefined, {});
		expect(error).toMatchObject({
			code: 'ZCHAT_ERR_STREAMING_STATUS',
			api: 'streaming',
			statusCode: 500,
			retryable: false,
		});
		expect(error.message).toBe(
			'the Streaming API answered status_code 500: unsupported message sent',
		);
		expect(new StreamingStatusError(503, undefined, undefined, {}).retryable).toBe(true);
		expect(new StreamingStatusError(429, undefined, undefined, {}).retryable).toBe(true);
		expect({ code: 'ZCHAT_ERR_STREAMING_STATUS' }).not.toBeInstanceOf(StreamingStatusError);
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('7')).toBe(7000);
		expect(parseRetryAfter(['2', '9'])).toBe(2000);
		expect(
			parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z')),
		).toBe(10_000);
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('MetricSnapshot', () => {
	it('tracks subscribed metrics with null until a value arrives, and hands out copies', () => {
		const snapshot = new MetricSnapshot();
		const topic = parseMetricRequest({ metric: 'missed_chats', window: 30, departmentId: 2 });
		snapshot.track(topic);
		expect(snapshot.list()).toEqual([
			{
				topic: 'chats.missed_chats',
				category: 'chats',
				metric: 'missed_chats',
				window: 30,
				departmentId: 2,
				value: null,
				updatedAt: null,
			},
		]);
		const at = new Date('2026-01-01T00:00:00Z');
		expect(snapshot.record(topic.id, 4, at)).toMatchObject({ value: 4, updatedAt: at });
		const copy = snapshot.get(topic.id)!;
		copy.value = 99;
		expect(snapshot.get(topic.id)!.value).toBe(4);
		expect(snapshot.record('other||', 1, at)).toBeUndefined();
		expect(snapshot.list(['other||', topic.id])).toHaveLength(1);
		snapshot.untrack(topic.id);
		expect(snapshot.list()).toEqual([]);
	});
});

describe('Keepalive', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('pings after the interval, re-arms after each pong, and times out without one', () => {
		const events: string[] = [];
		const keepalive = new Keepalive(
			() => events.push('ping'),
			() => events.push('timeout'),
			1000,
			500,
		);
		keepalive.start();
		jest.advanceTimersByTime(999);
		expect(events).toEqual([]);
		jest.advanceTimersByTime(1);
		expect(events).toEqual(['ping']);
		keepalive.pong();
		jest.advanceTimersByTime(1000);
		expect(events).toEqual(['ping', 'ping']);
		jest.advanceTimersByTime(499);
		expect(events).toEqual(['ping', 'ping']);
		jest.advanceTimersByTime(1);
		expect(events).toEqual(['ping', 'ping', 'timeout']);
		// After a timeout nothing more happens until it is started again.
		jest.advanceTimersByTime(10_000);
		expect(events).toEqual(['ping', 'ping', 'timeout']);
	});

	it('ignores an unsolicited pong and stops cleanly', () => {
		const events: string[] = [];
		const keepalive = new Keepalive(
			() => events.push('ping'),
			() => events.push('timeout'),
			100,
			50,
		);
		keepalive.start();
		keepalive.pong();
		jest.advanceTimersByTime(100);
		expect(events).toEqual(['ping']);
		keepalive.stop();
		jest.advanceTimersByTime(10_000);
		expect(events).toEqual(['ping']);
		expect(jest.getTimerCount()).toBe(0);
	});
});
