/**
 * The metric catalogue of the Streaming API (NOTES.md section 4 "Metric keys", from
 * developer.zendesk.com .../real-time-chat-api/metrics). A topic on the wire is "<topic>.<key>".
 */
export type Topic = 'chats' | 'agents';

/** Chat metrics without a time window; durations are in seconds. */
export const CHAT_KEYS = [
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

/** Chat metrics that need a window of 30 or 60 minutes (seeds/chat-streaming-api.txt "time window"). */
export const WINDOWED_CHAT_KEYS = [
	'missed_chats',
	'satisfaction_good',
	'satisfaction_bad',
] as const;

/** Agent metrics: "None of the agent metrics have a time window" (seeds/chat-streaming-api.txt). */
export const AGENT_KEYS = ['agents_online', 'agents_away', 'agents_invisible'] as const;

/** "Available time windows are 30 minutes and 60 minutes" (seeds/chat-streaming-api.txt). */
export const WINDOWS = [30, 60] as const;

export type ChatKey = (typeof CHAT_KEYS)[number];
export type WindowedChatKey = (typeof WINDOWED_CHAT_KEYS)[number];
export type AgentKey = (typeof AGENT_KEYS)[number];
export type MetricKey = ChatKey | WindowedChatKey | AgentKey;
export type MetricWindow = (typeof WINDOWS)[number];
export type MetricValue = number | null;

/** One metric of one scope: (key, window, department); department null is the whole account. */
export interface MetricId {
	key: MetricKey;
	window: MetricWindow | null;
	departmentId: number | null;
}

const TOPIC_KEYS: Record<Topic, readonly MetricKey[]> = {
	chats: [...CHAT_KEYS, ...WINDOWED_CHAT_KEYS],
	agents: AGENT_KEYS,
};

export function isMetricKey(key: unknown): key is MetricKey {
	return typeof key === 'string' && topicOf(key as MetricKey) !== undefined;
}

export function topicOf(key: MetricKey): Topic | undefined {
	if (TOPIC_KEYS.chats.includes(key)) return 'chats';
	if (TOPIC_KEYS.agents.includes(key)) return 'agents';
	return undefined;
}

export function keysOf(topic: Topic): readonly MetricKey[] {
	return TOPIC_KEYS[topic];
}

export function isWindowed(key: MetricKey): key is WindowedChatKey {
	return (WINDOWED_CHAT_KEYS as readonly string[]).includes(key);
}

export function isMetricWindow(window: unknown): window is MetricWindow {
	return (WINDOWS as readonly unknown[]).includes(window);
}

/** A map key for a metric id. */
export function metricIdKey(id: MetricId): string {
	return `${id.key}|${id.window ?? ''}|${id.departmentId ?? ''}`;
}

/**
 * Parses "chats.incoming_chats" into its topic and key; undefined for an unknown topic or a key
 * of the other topic (e.g. "agents.incoming_chats").
 */
export function parseTopic(topic: string): { topic: Topic; key: MetricKey } | undefined {
	const dot = topic.indexOf('.');
	if (dot < 0) return undefined;
	const prefix = topic.slice(0, dot);
	const key = topic.slice(dot + 1);
	if (prefix !== 'chats' && prefix !== 'agents') return undefined;
	if (!(TOPIC_KEYS[prefix] as readonly string[]).includes(key)) return undefined;
	return { topic: prefix, key: key as MetricKey };
}
