import type { IDataObject } from 'n8n-workflow';

import type { MetricReading, MetricTopic } from '../../../src/streaming';
import type { MetricSettings, ThresholdRule } from '../TriggerSettings';
import type { EmitJob } from './emitQueue';

/**
 * How Live Metrics readings become executions (the Send parameter). A policy gets every reading the
 * Streaming API pushes and hands the emit queue a job when something is worth a run.
 */
export interface MetricPolicy {
	onReading(reading: MetricReading): void;
	stop(): void;
}

export interface PolicyContext {
	push(job: EmitJob): void;
	/** The current reading of every followed metric (for a snapshot). */
	snapshot(): MetricReading[];
	now?: () => number;
}

export function createPolicy(settings: MetricSettings, ctx: PolicyContext): MetricPolicy {
	switch (settings.mode) {
		case 'threshold':
			return new ThresholdCrossings(settings.thresholds, ctx);
		case 'snapshot':
			return new ThrottledSnapshots(settings.topics, settings.snapshotIntervalMs, ctx);
		default:
			return new EveryChange(ctx);
	}
}

function sameTopic(
	topic: Pick<MetricTopic, 'metric' | 'window' | 'departmentId'>,
	reading: MetricReading,
): boolean {
	return (
		topic.metric === reading.metric &&
		topic.window === reading.window &&
		topic.departmentId === reading.departmentId
	);
}

function topicKey(reading: MetricReading): string {
	return `${reading.metric}|${reading.window ?? ''}|${reading.departmentId ?? ''}`;
}

function readingItem(
	reading: MetricReading,
	mode: MetricSettings['mode'],
	previousValue: number | null,
): IDataObject {
	return {
		event: 'liveMetrics',
		mode,
		metric: reading.metric,
		topic: reading.topic,
		category: reading.category,
		value: reading.value,
		previousValue,
		window: reading.window,
		departmentId: reading.departmentId,
		updatedAt: reading.updatedAt ? reading.updatedAt.toISOString() : null,
	};
}

/**
 * One execution per change of a metric. The server repeats the current value when it is subscribed
 * again after a reconnect; a value equal to the last one sent is not a change.
 */
class EveryChange implements MetricPolicy {
	private readonly last = new Map<string, number | null>();

	constructor(private readonly ctx: PolicyContext) {}

	onReading(reading: MetricReading): void {
		const key = topicKey(reading);
		const known = this.last.has(key);
		const previous = this.last.get(key) ?? null;
		if (known && previous === reading.value) return;
		this.last.set(key, reading.value);
		const item = readingItem(reading, 'everyChange', previous);
		this.ctx.push(() => ({ items: [item] }));
	}

	stop(): void {
		this.last.clear();
	}
}

/**
 * One execution when a rule's metric goes past its value (above: greater than; below: less than),
 * and one when it comes back. The first reading sets the state: already past the value counts as a
 * crossing, so an activation in the middle of a rush reports it. A null value (nothing computed)
 * changes no state.
 */
class ThresholdCrossings implements MetricPolicy {
	private readonly breached: Array<boolean | undefined>;
	private readonly last = new Map<string, number | null>();

	constructor(
		private readonly rules: ThresholdRule[],
		private readonly ctx: PolicyContext,
	) {
		this.breached = rules.map(() => undefined);
	}

	onReading(reading: MetricReading): void {
		const key = topicKey(reading);
		const previous = this.last.get(key) ?? null;
		this.last.set(key, reading.value);
		if (reading.value === null) return;
		const items: IDataObject[] = [];
		this.rules.forEach((rule, i) => {
			if (!sameTopic(rule.topic, reading)) return;
			const now =
				rule.direction === 'above'
					? (reading.value as number) > rule.value
					: (reading.value as number) < rule.value;
			const before = this.breached[i];
			this.breached[i] = now;
			if (before === now || (before === undefined && !now)) return;
			items.push({
				...readingItem(reading, 'threshold', previous),
				state: now ? 'crossed' : 'recovered',
				threshold: { direction: rule.direction, value: rule.value },
			});
		});
		if (items.length > 0) this.ctx.push(() => ({ items }));
	}

	stop(): void {
		this.last.clear();
	}
}

/**
 * Every followed metric at once (one item each), when something changed, at most once per
 * interval. The first snapshot waits until every metric has its first value (the server sends it
 * on subscribe), or one interval at most. A snapshot waiting in the emit queue is built when its
 * turn comes, so a slow workflow gets the latest values rather than a backlog.
 */
class ThrottledSnapshots implements MetricPolicy {
	private timer: NodeJS.Timeout | undefined;
	private timerDue = 0;
	private readonly startedAt: number;
	private lastEmitAt: number | undefined;
	private queued = false;
	private dirty = false;
	private stopped = false;
	private readonly sent = new Map<string, number | null>();
	private readonly now: () => number;

	constructor(
		private readonly topics: MetricTopic[],
		private readonly intervalMs: number,
		private readonly ctx: PolicyContext,
	) {
		this.now = ctx.now ?? Date.now;
		this.startedAt = this.now();
		this.arm(intervalMs);
	}

	onReading(): void {
		this.dirty = true;
		if (this.lastEmitAt !== undefined) {
			this.arm(this.lastEmitAt + this.intervalMs - this.now());
			return;
		}
		// The first snapshot: as soon as every metric has a value, or one interval after the start.
		this.arm(this.allHaveValues() ? 0 : this.startedAt + this.intervalMs - this.now());
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	private allHaveValues(): boolean {
		const readings = this.ctx.snapshot();
		return this.topics.every((topic) =>
			readings.some((r) => sameTopic(topic, r) && r.updatedAt !== null),
		);
	}

	/** Fires in `delayMs` (at once when past) unless a firing at least as early is already set. */
	private arm(delayMs: number): void {
		if (this.stopped || this.queued) return;
		const due = this.now() + Math.max(0, delayMs);
		if (this.timer && this.timerDue <= due) return;
		clearTimeout(this.timer);
		this.timerDue = due;
		this.timer = setTimeout(
			() => {
				this.timer = undefined;
				this.fire();
			},
			Math.max(0, delayMs),
		);
		this.timer.unref?.();
	}

	private fire(): void {
		if (this.stopped || !this.dirty) return;
		this.dirty = false;
		this.queued = true;
		this.lastEmitAt = this.now();
		this.ctx.push(() => {
			this.queued = false;
			const snapshotAt = new Date(this.now()).toISOString();
			const items = this.ctx.snapshot().map((reading) => {
				const key = topicKey(reading);
				const previous = this.sent.has(key) ? (this.sent.get(key) ?? null) : null;
				const changed = !this.sent.has(key) || previous !== reading.value;
				this.sent.set(key, reading.value);
				return { ...readingItem(reading, 'snapshot', previous), changed, snapshotAt };
			});
			// Something changed while this one waited its turn: the next is due an interval after it.
			if (this.dirty) this.arm((this.lastEmitAt ?? this.startedAt) + this.intervalMs - this.now());
			return { items };
		});
	}
}
