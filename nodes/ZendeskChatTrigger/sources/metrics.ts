import { leaseRestRateLimiter, type LimiterLease } from '../../../src/rest';
import type { ZendeskError } from '../../../src/shared';
import {
	acquireStreamingClient,
	StreamingStatusError,
	type MetricListener,
	type StreamingClient,
} from '../../../src/streaming';
import type { ChatConnection } from '../../shared/connection';
import type { TriggerSettings } from '../TriggerSettings';
import { createPolicy, type MetricPolicy } from '../helpers/metricPolicies';
import type { EventSource, SourceHooks } from './source';

/**
 * Live Metrics: a handle on the credential's one Streaming API socket (shared with every other
 * follower of the same credential in the process), whose connects count against the credential's
 * REST budget of 200 requests a minute (seeds/chat-streaming-api.txt), then one subscription per
 * metric. The client reconnects and subscribes again on its own.
 */
export async function startMetricsSource(
	settings: TriggerSettings,
	connection: ChatConnection,
	hooks: SourceHooks,
	signal: AbortSignal,
): Promise<EventSource> {
	const { endpoints, tokens, credentialKey } = connection;
	let budget: LimiterLease | undefined;
	let client: StreamingClient | undefined;
	let policy: MetricPolicy | undefined;
	let stopping: Promise<void> | undefined;
	let started = false;
	const stop = () =>
		(stopping ??= (async () => {
			policy?.stop();
			try {
				await client?.close();
			} finally {
				budget?.release();
			}
		})());

	try {
		budget = leaseRestRateLimiter(credentialKey);
		const streaming = acquireStreamingClient({
			credentialKey,
			tokens,
			url: endpoints.streamingUrl,
			connectBudget: budget.limiter,
		});
		client = streaming;
		const active = createPolicy(settings.metrics, {
			push: (job) => hooks.push(job),
			snapshot: () => streaming.snapshot(),
		});
		policy = active;
		// One listener for every metric: an error for the whole connection reaches it once.
		const listener: MetricListener = {
			onUpdate: (reading) => active.onReading(reading),
			onError: (error) => routeError(streaming, error, hooks),
		};
		for (const topic of settings.metrics.topics) {
			streaming.subscribe(
				{ metric: topic.metric, window: topic.window, departmentId: topic.departmentId },
				listener,
			);
		}
		await streaming.ready(signal);
		started = true;
	} finally {
		if (!started) await stop();
	}
	return { stop };
}

/**
 * The client failed for good (token refused after a refresh, 403…): fatal. A metric the server
 * refused (a status_code it will not change its mind about): that metric's failure. Anything else
 * (a drop, a 429 on connect) the client retries with backoff.
 */
function routeError(client: StreamingClient, error: ZendeskError, hooks: SourceHooks): void {
	if (client.status === 'failed') hooks.fatal(error);
	else if (error instanceof StreamingStatusError && !error.retryable) hooks.eventFailed(error);
	else hooks.transient(error);
}
