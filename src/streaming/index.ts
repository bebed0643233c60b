export * from './errors';
export * from './metric-keys';
export { parseMetricRequest, type MetricRequest, type MetricTopic } from './metric-request';
export type { MetricListener, StreamingStatus } from './metrics-connection';
export type { MetricReading } from './snapshot';
export {
	acquireStreamingClient,
	DEFAULT_CLOSE_TIMEOUT_MS,
	DEFAULT_CONNECT_TIMEOUT_MS,
	DEFAULT_PING_INTERVAL_MS,
	DEFAULT_PONG_TIMEOUT_MS,
	DEFAULT_STREAMING_URL,
	STREAMING_CONNECTS_PER_MINUTE,
	streamingSocketCount,
	StreamingClient,
	type MetricSubscription,
	type StreamingClientOptions,
} from './streaming-client';
