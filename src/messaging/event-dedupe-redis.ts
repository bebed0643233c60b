import { InvalidInputError } from '../shared/errors';
import type { RedisConnection } from '../shared/redis-client';
import { WEBHOOK_RETRY_WINDOW_MS } from './constants';
import { MAX_EVENT_ID_LENGTH } from './webhook-envelope';

export interface RedisEventDeduplicatorOptions {
	/** n8n's Redis connection (queue mode), or how to open it on first use. */
	redis: RedisConnection | (() => Promise<RedisConnection>);
	/** Whose ids these are, e.g. workflow, node and mode: two triggers never share ids. */
	scope: string;
	/** Key prefix (QUEUE_BULL_PREFIX). @default 'bull' */
	prefix?: string;
	/** How long an id is remembered. @default 900_000 (the 15-minute webhook retry window) */
	windowMs?: number;
	/** Longer ids are refused, never stored. @default MAX_EVENT_ID_LENGTH (128) */
	maxIdLength?: number;
}

/**
 * EventDeduplicator's queue-mode twin: the ids live in Redis (`SET <key> 1 NX PX <window>`), so a
 * retried webhook delivery is recognised by whichever n8n process (main or webhook instance)
 * receives it. One atomic command per id; Redis expires the ids, so there is nothing to clean up.
 */
export class RedisEventDeduplicator {
	private readonly windowMs: number;
	private readonly maxIdLength: number;
	private readonly keyPrefix: string;
	private readonly connection: () => Promise<RedisConnection>;

	constructor(options: RedisEventDeduplicatorOptions) {
		this.windowMs = options.windowMs ?? WEBHOOK_RETRY_WINDOW_MS;
		this.maxIdLength = options.maxIdLength ?? MAX_EVENT_ID_LENGTH;
		if (!(this.windowMs > 0)) throw new InvalidInputError('windowMs', 'windowMs must be positive');
		if (!Number.isInteger(this.maxIdLength) || this.maxIdLength < 1)
			throw new InvalidInputError('maxIdLength', 'maxIdLength must be a positive integer');
		const redis = options.redis;
		this.connection = typeof redis === 'function' ? redis : () => Promise.resolve(redis);
		this.keyPrefix = `${(options.prefix ?? 'bull').replace(/:+$/, '')}:zendesk-chat:dedupe:${options.scope}:`;
	}

	/**
	 * True the first time `id` is seen within the window, by any process; false for a repeat.
	 * @throws InvalidInputError for an id that is not a string of 1 to maxIdLength characters; the
	 *   Redis client's error when Redis cannot be reached (the caller decides what an outage means).
	 */
	async firstSeen(id: string): Promise<boolean> {
		this.check(id);
		const redis = await this.connection();
		return (await redis.set(this.keyPrefix + id, '1', 'PX', this.windowMs, 'NX')) === 'OK';
	}

	/** Forgets `id`, e.g. when processing it failed and a retry should be processed again. */
	async forget(id: string): Promise<void> {
		this.check(id);
		const redis = await this.connection();
		await redis.del(this.keyPrefix + id);
	}

	private check(id: string): void {
		if (typeof id !== 'string' || id.length === 0 || id.length > this.maxIdLength) {
			throw new InvalidInputError(
				'id',
				`an event id must be 1 to ${this.maxIdLength} characters long`,
			);
		}
	}
}
