import type { Redis } from 'ioredis';

import { closeSharedRedis } from '../../nodes/shared/queueMode';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { TriggerFixture } from '../nodes/ZendeskMessagingTrigger/fixture';
import { envelope, userMessage } from '../nodes/ZendeskMessagingTrigger/payloads';
import { freshPrefix, rawClient } from './helpers';

/**
 * The Zendesk Messaging Trigger in n8n's queue mode: the webhook calls go through n8n-core's
 * WebhookContext as in test/nodes, and the event ids are kept in a real Redis, where another main
 * or webhook instance of the same n8n would find them.
 */
let redis: RedisServer;
let f: TriggerFixture;
let raw: Redis;
let secret: string;
const prefix = freshPrefix();
const savedEnv = { ...process.env };

beforeAll(async () => {
	redis = await startRedisServer();
	Object.assign(process.env, {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: prefix,
	});
	raw = rawClient(redis);
	f = await TriggerFixture.start();
	f.useWorkflow({});
	await f.activate();
	secret = f.stored.webhookSecret as string;
}, 60_000);

afterAll(async () => {
	await f?.hook('delete');
	await f?.close();
	process.env = { ...savedEnv };
	await closeSharedRedis();
	raw?.disconnect();
	await redis?.close();
});

const eventIdsOfCalls = (from: number) =>
	f.calls.slice(from).map((c) => c.items.map((i) => i.eventId));

describe('the Messaging Trigger in queue mode', () => {
	it('a retried delivery starts one execution, and the id is kept in Redis for the retry window', async () => {
		const sent = userMessage('once, in queue mode');
		const from = f.calls.length;
		await f.post(envelope([sent]), { 'X-API-Key': secret });
		await f.post(envelope([sent]), { 'X-API-Key': secret });
		expect(eventIdsOfCalls(from)).toEqual([[sent.id], []]);
		const [key] = await raw.keys(`${prefix}:zendesk-chat:dedupe:*:${sent.id}`);
		expect(key).toBeDefined();
		expect(await raw.pttl(key)).toBeGreaterThan(14 * 60_000);
	});

	it('an event another instance already received (its id in Redis) starts nothing here', async () => {
		const first = userMessage('first');
		const from = f.calls.length;
		await f.post(envelope([first]), { 'X-API-Key': secret });
		const [key] = await raw.keys(`${prefix}:zendesk-chat:dedupe:*:${first.id}`);
		// What another instance's deduplicator leaves for an event it took.
		const elsewhere = userMessage('taken by another instance');
		await raw.set(key.slice(0, -first.id.length) + elsewhere.id, '1', 'PX', 60_000);
		const fresh = userMessage('fresh');
		await f.post(envelope([elsewhere, fresh]), { 'X-API-Key': secret });
		expect(eventIdsOfCalls(from)).toEqual([[first.id], [fresh.id]]);
	});
});
