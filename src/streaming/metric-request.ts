import { InvalidInputError } from '../shared/errors';
import { quoteValue } from '../shared/excerpt';
import {
	ALL_METRIC_KEYS,
	categoryOf,
	isMetricKey,
	isMetricWindow,
	isWindowedMetric,
	type MetricCategory,
	type MetricKey,
	type MetricWindow,
} from './metric-keys';

/** What a caller asks to follow. */
export interface MetricRequest {
	/** A metric key (`missed_chats`) or its full topic (`chats.missed_chats`). */
	metric: string;
	/**
	 * Minutes, 30 or 60: required for `missed_chats`, `satisfaction_good` and `satisfaction_bad`,
	 * not allowed for any other metric.
	 */
	window?: number | null;
	/** Only this department's value; the whole account when absent. */
	departmentId?: number | null;
}

/** A validated request: one server subscription, whoever asks for it. */
export interface MetricTopic {
	/** Identifies the subscription: topic, window and department together. */
	readonly id: string;
	/** As sent to the server: `chats.missed_chats`. */
	readonly topic: string;
	readonly category: MetricCategory;
	readonly metric: MetricKey;
	readonly window: MetricWindow | null;
	readonly departmentId: number | null;
}

export function metricTopicId(
	metric: MetricKey,
	window: MetricWindow | null,
	departmentId: number | null,
): string {
	return `${metric}|${window ?? ''}|${departmentId ?? ''}`;
}

/**
 * Checks a request against the documented rules before anything is sent
 * (seeds/chat-streaming-api.txt "Subscribing to a metric with a time window" / "for a department").
 * @throws InvalidInputError naming `metric`, `window` or `departmentId`.
 */
export function parseMetricRequest(request: MetricRequest): MetricTopic {
	if (typeof request !== 'object' || request === null) {
		throw new InvalidInputError(
			'metric',
			'a metric request must be an object such as { metric: "incoming_chats" }',
		);
	}
	const metric = parseMetricKey(request.metric);
	const window = parseWindow(metric, request.window);
	const departmentId = parseDepartmentId(request.departmentId);
	const category = categoryOf(metric);
	return {
		id: metricTopicId(metric, window, departmentId),
		topic: `${category}.${metric}`,
		category,
		metric,
		window,
		departmentId,
	};
}

function parseMetricKey(value: unknown): MetricKey {
	const knownKeys = `Use one of: ${ALL_METRIC_KEYS.join(', ')}.`;
	if (typeof value !== 'string' || value === '') {
		throw new InvalidInputError(
			'metric',
			'the metric is missing; give a metric key such as "incoming_chats"',
			knownKeys,
		);
	}
	const dot = value.indexOf('.');
	const key = dot === -1 ? value : value.slice(dot + 1);
	if (!isMetricKey(key))
		throw new InvalidInputError('metric', `"${value}" is not a Streaming API metric`, knownKeys);
	if (dot !== -1 && value.slice(0, dot) !== categoryOf(key)) {
		throw new InvalidInputError(
			'metric',
			`"${value}" is not a Streaming API topic; ${key} is "${categoryOf(key)}.${key}"`,
		);
	}
	return key;
}

function parseWindow(metric: MetricKey, value: unknown): MetricWindow | null {
	const absent = value === undefined || value === null;
	if (isWindowedMetric(metric)) {
		if (absent)
			throw new InvalidInputError(
				'window',
				`${metric} needs a time window: set window to 30 or 60 (minutes)`,
			);
		if (!isMetricWindow(value)) {
			throw new InvalidInputError(
				'window',
				`the window must be 30 or 60 (minutes), got ${quoteValue(value)}`,
			);
		}
		return value;
	}
	if (!absent) {
		throw new InvalidInputError(
			'window',
			`${metric} has no time window; leave window empty (only missed_chats, satisfaction_good and satisfaction_bad take one)`,
		);
	}
	return null;
}

function parseDepartmentId(value: unknown): number | null {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
		throw new InvalidInputError(
			'departmentId',
			`departmentId must be a department's id, a positive integer; got ${quoteValue(value)}`,
			'List the departments with the Chat REST API (GET /departments), or leave it empty for the whole account.',
		);
	}
	return value;
}

/** `{topic, action:"subscribe", window?, department_id?}`: fields the server needs, nothing else. */
export function subscribeFrame(topic: MetricTopic): string {
	return JSON.stringify(frame(topic, 'subscribe'));
}

/**
 * The documented unsubscribe is `{topic, action:"unsubscribe"}`; window and department_id are
 * added when the subscription had them so that a server which tells them apart stops only this one.
 */
export function unsubscribeFrame(topic: MetricTopic): string {
	return JSON.stringify(frame(topic, 'unsubscribe'));
}

function frame(topic: MetricTopic, action: 'subscribe' | 'unsubscribe'): Record<string, unknown> {
	const body: Record<string, unknown> = { topic: topic.topic, action };
	if (topic.window !== null) body.window = topic.window;
	if (topic.departmentId !== null) body.department_id = topic.departmentId;
	return body;
}
