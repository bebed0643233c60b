import {
	closeRedis,
	openRedis,
	type RedisConnection,
	type RedisSettings,
} from '../../src/shared/redis-client';

/**
 * n8n's queue mode, read from n8n's own settings (packages/@n8n/config: executions.config.ts
 * `EXECUTIONS_MODE`, scaling-mode.config.ts `QUEUE_BULL_*`), so the package needs nothing beyond
 * the Redis n8n already runs Bull on. In queue mode the trigger runs on the main instance and
 * actions on workers: other processes, which share one agent session and the Messaging Trigger's
 * event ids through that Redis.
 *
 * N8N_ZENDESK_CHAT_QUEUE_MODE=off keeps everything in-process even in queue mode (one worker, or
 * a Redis this package should not use).
 */
export function queueModeRedis(env: NodeJS.ProcessEnv = process.env): RedisSettings | undefined {
	if (env.EXECUTIONS_MODE !== 'queue' || env.N8N_ZENDESK_CHAT_QUEUE_MODE === 'off')
		return undefined;
	const settings: RedisSettings = {
		host: env.QUEUE_BULL_REDIS_HOST || 'localhost',
		port: integer(env.QUEUE_BULL_REDIS_PORT, 6379),
		username: env.QUEUE_BULL_REDIS_USERNAME || undefined,
		password: env.QUEUE_BULL_REDIS_PASSWORD || undefined,
		db: integer(env.QUEUE_BULL_REDIS_DB, 0),
		// n8n reads booleans as the word "true".
		tls: env.QUEUE_BULL_REDIS_TLS === 'true',
		prefix: env.QUEUE_BULL_PREFIX || 'bull',
	};
	const clusterNodes = clusterNodesOf(env.QUEUE_BULL_REDIS_CLUSTER_NODES);
	if (clusterNodes.length > 0) settings.clusterNodes = clusterNodes;
	return settings;
}

/** `host:port,host:port`, as n8n reads QUEUE_BULL_REDIS_CLUSTER_NODES. */
function clusterNodesOf(raw: string | undefined): Array<{ host: string; port: number }> {
	if (!raw) return [];
	return raw
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map((entry) => {
			const at = entry.lastIndexOf(':');
			return at > 0
				? { host: entry.slice(0, at), port: integer(entry.slice(at + 1), 6379) }
				: { host: entry, port: 6379 };
		});
}

function integer(raw: string | undefined, fallback: number): number {
	const value = raw === undefined || raw === '' ? Number.NaN : Number(raw);
	return Number.isInteger(value) && value >= 0 ? value : fallback;
}

/**
 * One Redis connection per process for the Messaging Trigger's event ids, opened on first use. On
 * globalThis under a registered symbol, as the session pool is, so two copies of this module share it.
 */
const kSharedRedis = Symbol.for('n8n-nodes-zendesk-chat.sharedRedis');
const holder = globalThis as typeof globalThis & { [kSharedRedis]?: Promise<RedisConnection> };

export function sharedRedis(settings: RedisSettings): Promise<RedisConnection> {
	holder[kSharedRedis] ??= openRedis(settings, 'n8n-zendesk-chat-dedupe').then((connection) => {
		// ioredis reconnects by itself; an 'error' event without a listener would crash the process.
		connection.on('error', () => undefined);
		return connection;
	});
	holder[kSharedRedis].catch(() => (holder[kSharedRedis] = undefined));
	return holder[kSharedRedis];
}

/** Closes the process's Redis connection for event ids (tests; n8n itself just exits). */
export async function closeSharedRedis(): Promise<void> {
	const connection = holder[kSharedRedis];
	holder[kSharedRedis] = undefined;
	const redis = await connection?.catch(() => undefined);
	if (redis) await closeRedis(redis);
}
