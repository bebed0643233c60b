/**
 * The Streaming API's metric keys (NOTES.md section 4, from the Zendesk "Chat Metrics" and "Agent
 * Metrics" pages). A key belongs to exactly one category, so the key alone names the topic.
 */

/** Chat metrics without a time window. Durations are in seconds. */
export const CHAT_METRIC_KEYS = [
	'incoming_chats',
	'assigned_chats',
	'active_chats',
	'waiting_time_avg',
	'waiting_time_max',
	'chat_duration_avg',
	'chat_duration_max',
	'response_time_avg',
	'response_time_max',
] as const;

/** Chat metrics that need a window ("You must specify a window size when subscribing to them"). */
export const WINDOWED_CHAT_METRIC_KEYS = [
	'missed_chats',
	'satisfaction_good',
	'satisfaction_bad',
] as const;

/** Agent metrics: "None of the agent metrics have a time window." */
export const AGENT_METRIC_KEYS = ['agents_online', 'agents_away', 'agents_invisible'] as const;

/** "Available time windows are 30 minutes and 60 minutes." */
export const METRIC_WINDOWS = [30, 60] as const;

export type ChatMetricKey = (typeof CHAT_METRIC_KEYS)[number];
export type WindowedChatMetricKey = (typeof WINDOWED_CHAT_METRIC_KEYS)[number];
export type AgentMetricKey = (typeof AGENT_METRIC_KEYS)[number];
export type MetricKey = ChatMetricKey | WindowedChatMetricKey | AgentMetricKey;
export type MetricWindow = (typeof METRIC_WINDOWS)[number];
/** The first half of a topic: `chats.incoming_chats`, `agents.agents_online`. */
export type MetricCategory = 'chats' | 'agents';

const CATEGORY_OF = new Map<string, MetricCategory>([
	...CHAT_METRIC_KEYS.map((k) => [k, 'chats'] as const),
	...WINDOWED_CHAT_METRIC_KEYS.map((k) => [k, 'chats'] as const),
	...AGENT_METRIC_KEYS.map((k) => [k, 'agents'] as const),
]);
const WINDOWED = new Set<string>(WINDOWED_CHAT_METRIC_KEYS);

export function isMetricKey(value: unknown): value is MetricKey {
	return typeof value === 'string' && CATEGORY_OF.has(value);
}

export function categoryOf(key: MetricKey): MetricCategory {
	return CATEGORY_OF.get(key) as MetricCategory;
}

export function isWindowedMetric(key: MetricKey): key is WindowedChatMetricKey {
	return WINDOWED.has(key);
}

export function isMetricWindow(value: unknown): value is MetricWindow {
	return value === 30 || value === 60;
}

/** Every key, in documentation order (for error messages and n8n option lists). */
export const ALL_METRIC_KEYS: readonly MetricKey[] = [
	...CHAT_METRIC_KEYS,
	...WINDOWED_CHAT_METRIC_KEYS,
	...AGENT_METRIC_KEYS,
];
