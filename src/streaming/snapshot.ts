import type { MetricCategory, MetricKey, MetricWindow } from './metric-keys';
import type { MetricTopic } from './metric-request';

/** The last known value of one subscribed metric. */
export interface MetricReading {
	/** `chats.missed_chats` */
	topic: string;
	category: MetricCategory;
	metric: MetricKey;
	window: MetricWindow | null;
	departmentId: number | null;
	/** null until the server computed it (or when nothing applies, e.g. no queue for waiting_time_avg). */
	value: number | null;
	/** When the last update arrived; null while none has. */
	updatedAt: Date | null;
}

/** The live values of every subscribed metric, keyed by MetricTopic.id. */
export class MetricSnapshot {
	private readonly readings = new Map<string, MetricReading>();

	track(topic: MetricTopic): void {
		if (this.readings.has(topic.id)) return;
		const { topic: name, category, metric, window, departmentId } = topic;
		this.readings.set(topic.id, {
			topic: name,
			category,
			metric,
			window,
			departmentId,
			value: null,
			updatedAt: null,
		});
	}

	untrack(id: string): void {
		this.readings.delete(id);
	}

	/** Records a value for a tracked metric and returns a copy of the reading; undefined when untracked. */
	record(id: string, value: number | null, at: Date): MetricReading | undefined {
		const reading = this.readings.get(id);
		if (!reading) return undefined;
		reading.value = value;
		reading.updatedAt = at;
		return { ...reading };
	}

	get(id: string): MetricReading | undefined {
		const reading = this.readings.get(id);
		return reading && { ...reading };
	}

	/** Copies of the readings (all of them, or those whose ids are given), safe to keep or change. */
	list(ids?: Iterable<string>): MetricReading[] {
		if (!ids) return [...this.readings.values()].map((r) => ({ ...r }));
		const out: MetricReading[] = [];
		for (const id of ids) {
			const reading = this.get(id);
			if (reading) out.push(reading);
		}
		return out;
	}

	clear(): void {
		this.readings.clear();
	}
}
