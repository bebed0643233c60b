import type { Cluster, Redis, RedisOptions } from 'ioredis';

/**
 * Where n8n's own Redis is: the same server (or cluster) n8n's queue mode runs Bull on, read by the
 * node layer from n8n's QUEUE_BULL_* settings. The core never reads the environment itself.
 */
export interface RedisSettings {
	/** @default 'localhost' */
	host?: string;
	/** @default 6379 */
	port?: number;
	username?: string;
	password?: string;
	/** @default 0 */
	db?: number;
	/** @default false */
	tls?: boolean;
	/** Cluster startup nodes; when given, host and port are not used (nor db: a cluster has only db 0). */
	clusterNodes?: ReadonlyArray<{ host: string; port: number }>;
	/**
	 * Prefix of every key and channel this package uses, so it sits beside n8n's Bull keys
	 * (QUEUE_BULL_PREFIX) and two n8n installations on one Redis stay apart. @default 'bull'
	 */
	prefix?: string;
}

/** One connection (or cluster client) to Redis, as ioredis gives it. */
export type RedisConnection = Redis | Cluster;

/** How long a command may wait for Redis to come back before it fails (ioredis queues commands while reconnecting). */
const COMMAND_TIMEOUT_MS = 5_000;

/**
 * Opens a connection to Redis with ioredis. ioredis is loaded here, on the first call, and only
 * here: a process that is not in queue mode never loads it.
 *
 * The connection reconnects on its own (ioredis's default, capped at 2 s between tries) and
 * re-subscribes its channels after a reconnect; a command waiting through an outage fails after a
 * few seconds rather than hanging, so callers' own timeouts stay meaningful.
 */
export async function openRedis(
	settings: RedisSettings,
	connectionName: string,
): Promise<RedisConnection> {
	const { Redis, Cluster } = await import('ioredis');
	const options: RedisOptions = {
		username: settings.username || undefined,
		password: settings.password || undefined,
		db: settings.db ?? 0,
		tls: settings.tls ? {} : undefined,
		connectionName,
		maxRetriesPerRequest: 2,
		commandTimeout: COMMAND_TIMEOUT_MS,
		retryStrategy: (times) => Math.min(times * 100, 2_000),
		// The first connection is not waited for: commands queue until it is up (or time out).
		lazyConnect: false,
		// A disconnect while ioredis waits to reconnect ends a socket that has already closed, and
		// ioredis then keeps the process alive for this long waiting for its 'close' (ioredis 5,
		// AbstractConnector.disconnect; 2 s by default). An open socket ends well within it.
		disconnectTimeout: 200,
	};
	if (settings.clusterNodes && settings.clusterNodes.length > 0) {
		const { db: _db, ...redisOptions } = options;
		return new Cluster([...settings.clusterNodes], {
			redisOptions,
			clusterRetryStrategy: options.retryStrategy,
		});
	}
	return new Redis({ ...options, host: settings.host ?? 'localhost', port: settings.port ?? 6379 });
}

/** Closes a connection politely (QUIT), or at once when Redis cannot be reached. Never throws. */
export async function closeRedis(connection: RedisConnection): Promise<void> {
	try {
		if (connection.status === 'ready') {
			await connection.quit();
			return;
		}
	} catch {
		// Redis went away while quitting: disconnect below.
	}
	connection.disconnect();
}

/** The key prefix, without a trailing colon. */
export function redisPrefix(settings: RedisSettings): string {
	return (settings.prefix ?? 'bull').replace(/:+$/, '') || 'bull';
}
