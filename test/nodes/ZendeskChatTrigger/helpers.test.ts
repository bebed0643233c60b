import type { IDataObject } from 'n8n-workflow';

import { isFirstMessage } from '../../../nodes/ZendeskChatTrigger/helpers/messageEvents';
import { createPolicy } from '../../../nodes/ZendeskChatTrigger/helpers/metricPolicies';
import type { EmitJob } from '../../../nodes/ZendeskChatTrigger/helpers/emitQueue';
import { isoTime } from '../../../nodes/shared/chatMessageItem';
import type { ChatMessageEvent } from '../../../src/conversations';
import { parseMetricRequest, type MetricReading } from '../../../src/streaming';

/** The pure parts of the trigger, on inputs the simulator does not produce. */

describe('isoTime', () => {
	it.each<[unknown, string | null]>([
		[1_700_000_000_123, '2023-11-14T22:13:20.123Z'],
		[1_700_000_000, '2023-11-14T22:13:20.000Z'],
		['1700000000123', '2023-11-14T22:13:20.123Z'],
		['2014-10-09T05:28:35Z', '2014-10-09T05:28:35.000Z'],
		['not a time', null],
		[null, null],
		['', null],
	])('%p → %p', (value, expected) => {
		expect(isoTime(value)).toBe(expected);
	});
});

describe('isFirstMessage', () => {
	const event = (content: string, msgId?: string): ChatMessageEvent => ({
		id: 'm',
		msg_id: msgId,
		content,
		channel: { id: 'c' },
		from: { __typename: 'Visitor' },
	});
	const facts = (
		messages: Array<{ senderType: string | null; msgId: string | null; text: string | null }>,
	) => ({
		found: true,
		departmentId: null,
		departmentName: null,
		messages,
	});

	it('compares msg_id when both sides have one', () => {
		const history = facts([{ senderType: 'Visitor', msgId: 'a', text: 'hi' }]);
		expect(isFirstMessage(event('hi', 'a'), history, ['Visitor'])).toBe(true);
		expect(isFirstMessage(event('hi', 'b'), history, ['Visitor'])).toBe(false);
	});

	it('compares the text when the history has no msg_id (the documented history has none)', () => {
		const history = facts([
			{ senderType: 'Agent', msgId: null, text: 'welcome' },
			{ senderType: 'Visitor', msgId: null, text: 'hello' },
		]);
		expect(isFirstMessage(event('hello', 'x'), history, ['Visitor'])).toBe(true);
		expect(isFirstMessage(event('welcome', 'x'), history, ['Visitor'])).toBe(false);
		expect(isFirstMessage(event('welcome', 'x'), history, ['Visitor', 'Agent'])).toBe(true);
	});

	it('an entry that does not say who wrote it counts for any sender', () => {
		expect(
			isFirstMessage(event('hello'), facts([{ senderType: null, msgId: null, text: 'earlier' }]), [
				'Visitor',
			]),
		).toBe(false);
	});

	it('a chat the REST API does not know yet, or with no such message yet, has just begun', () => {
		expect(
			isFirstMessage(
				event('hello'),
				{ found: false, departmentId: null, departmentName: null, messages: [] },
				['Visitor'],
			),
		).toBe(true);
		expect(
			isFirstMessage(event('hello'), facts([{ senderType: 'Agent', msgId: null, text: 'x' }]), [
				'Visitor',
			]),
		).toBe(true);
	});
});

describe('metric policies', () => {
	const incoming = parseMetricRequest({ metric: 'incoming_chats' });
	const online = parseMetricRequest({ metric: 'agents_online' });
	const reading = (
		topic: typeof incoming,
		value: number | null,
		at: Date | null = new Date(),
	): MetricReading => ({
		topic: topic.topic,
		category: topic.category,
		metric: topic.metric,
		window: topic.window,
		departmentId: topic.departmentId,
		value,
		updatedAt: at,
	});

	async function emitted(jobs: EmitJob[]): Promise<IDataObject[][]> {
		const out: IDataObject[][] = [];
		for (const job of jobs.splice(0)) {
			const emission = await job();
			if (emission) out.push(emission.items);
		}
		return out;
	}

	it('Threshold Crossings: a null value changes no state, and only crossings emit', async () => {
		const jobs: EmitJob[] = [];
		const policy = createPolicy(
			{
				mode: 'threshold',
				topics: [online],
				snapshotIntervalMs: 0,
				thresholds: [{ topic: online, direction: 'below', value: 2 }],
			},
			{ push: (job) => jobs.push(job), snapshot: () => [] },
		);
		for (const value of [3, null, 1, null, 1, 0, 2, 5]) policy.onReading(reading(online, value));
		policy.stop();
		expect((await emitted(jobs)).map(([i]) => [i.state, i.value, i.previousValue])).toEqual([
			['crossed', 1, null],
			['recovered', 2, 0],
		]);
	});

	it('Snapshot: a metric that never reports does not hold the first snapshot back beyond one interval', async () => {
		jest.useFakeTimers();
		try {
			const jobs: EmitJob[] = [];
			const readings = [reading(incoming, 4), reading(online, null, null)];
			const policy = createPolicy(
				{
					mode: 'snapshot',
					topics: [incoming, online],
					snapshotIntervalMs: 10_000,
					thresholds: [],
				},
				{ push: (job) => jobs.push(job), snapshot: () => readings },
			);
			policy.onReading(readings[0]);
			jest.advanceTimersByTime(9_000);
			expect(jobs).toHaveLength(0);
			jest.advanceTimersByTime(1_000);
			expect(jobs).toHaveLength(1);
			expect((await emitted(jobs))[0].map((i) => [i.metric, i.value, i.changed])).toEqual([
				['incoming_chats', 4, true],
				['agents_online', null, true],
			]);
			// A change right after waits for the interval; several changes make one snapshot.
			readings[0] = reading(incoming, 5);
			policy.onReading(readings[0]);
			readings[0] = reading(incoming, 6);
			policy.onReading(readings[0]);
			jest.advanceTimersByTime(9_999);
			expect(jobs).toHaveLength(0);
			jest.advanceTimersByTime(1);
			expect(
				(await emitted(jobs))[0].map((i) => [i.metric, i.value, i.previousValue, i.changed]),
			).toEqual([
				['incoming_chats', 6, 4, true],
				['agents_online', null, null, false],
			]);
			policy.stop();
			policy.onReading(readings[0]);
			jest.advanceTimersByTime(60_000);
			expect(jobs).toHaveLength(0);
		} finally {
			jest.useRealTimers();
		}
	});
});
