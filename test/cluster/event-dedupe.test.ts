import type { INode } from 'n8n-workflow';
import type { Redis } from 'ioredis';

import {
	deduplicatorFor,
	eventDeduplicatorFor,
} from '../../nodes/ZendeskMessagingTrigger/helpers/dedupe';
import { closeSharedRedis } from '../../nodes/shared/queueMode';
import { RedisEventDeduplicator } from '../../src/messaging/event-dedupe-redis';
import { InvalidInputError } from '../../src/shared';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { freshPrefix, rawClient } from './helpers';

let redis: RedisServer;
const clients: Redis[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
	redis = await startRedisServer();
}, 60_000);

afterAll(async () => {
	await redis?.close();
});

afterEach(async () => {
	process.env = { ...savedEnv };
	await closeSharedRedis();
	for (const client of clients.splice(0)) client.disconnect();
});

/** A connection as one n8n process would have it. */
function connection(): Redis {
	const client = rawClient(redis);
	clients.push(client);
	return client;
}

const node: INode = {
	id: 'trigger-node-1',
	name: 'Zendesk Messaging Trigger',
	type: 'x',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function queueModeOn(prefix: string): void {
	process.env.EXECUTIONS_MODE = 'queue';
	process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
	process.env.QUEUE_BULL_REDIS_PORT = String(redis.port);
	process.env.QUEUE_BULL_PREFIX = prefix;
}

describe('RedisEventDeduplicator', () => {
	it('two processes, one event id: processed once', async () => {
		const scope = 'wf-1:node-1:webhook';
		const prefix = freshPrefix();
		const main = new RedisEventDeduplicator({ redis: connection(), scope, prefix });
		const webhookInstance = new RedisEventDeduplicator({ redis: connection(), scope, prefix });
		const firsts = await Promise.all([main.firstSeen('evt-1'), webhookInstance.firstSeen('evt-1')]);
		expect(firsts.filter(Boolean)).toHaveLength(1);
		expect(await main.firstSeen('evt-2')).toBe(true);
		expect(await webhookInstance.firstSeen('evt-2')).toBe(false);
	});

	it('another trigger (scope) has ids of its own; ids expire after the window; forget lets a retry through', async () => {
		const prefix = freshPrefix();
		const a = new RedisEventDeduplicator({
			redis: connection(),
			scope: 'wf-1:node-1:webhook',
			prefix,
			windowMs: 200,
		});
		const b = new RedisEventDeduplicator({
			redis: connection(),
			scope: 'wf-2:node-1:webhook',
			prefix,
		});
		expect(await a.firstSeen('evt')).toBe(true);
		expect(await b.firstSeen('evt')).toBe(true);
		expect(await a.firstSeen('evt')).toBe(false);
		await a.forget('evt');
		expect(await a.firstSeen('evt')).toBe(true);
		const raw = connection();
		const key = `${prefix}:zendesk-chat:dedupe:wf-1:node-1:webhook:evt`;
		expect(await raw.pttl(key)).toBeGreaterThan(0);
		expect(await raw.pttl(key)).toBeLessThanOrEqual(200);
		let expired = false;
		for (let i = 0; i < 200 && !expired; i++) {
			expired = (await raw.exists(key)) === 0;
			if (!expired) await new Promise((resolve) => setTimeout(resolve, 20));
		}
		expect(expired).toBe(true);
		expect(await a.firstSeen('evt')).toBe(true);
	});

	it('refuses ids longer than the cap, as the in-memory deduplicator does, without asking Redis', async () => {
		const seen = new RedisEventDeduplicator({
			redis: () => Promise.reject(new Error('not asked')),
			scope: 's',
			maxIdLength: 8,
		});
		await expect(seen.firstSeen('x'.repeat(9))).rejects.toBeInstanceOf(InvalidInputError);
		await expect(seen.firstSeen('')).rejects.toBeInstanceOf(InvalidInputError);
		await expect(
			new RedisEventDeduplicator({ redis: connection(), scope: 's' }).firstSeen('x'.repeat(129)),
		).rejects.toMatchObject({ field: 'id' });
	});
});

describe("the Messaging Trigger's deduplicator by mode", () => {
	it('without queue mode: the in-process deduplicator, as before', () => {
		delete process.env.EXECUTIONS_MODE;
		expect(eventDeduplicatorFor('wf-1', node, 'webhook')).toBe(
			deduplicatorFor('wf-1', node, 'webhook'),
		);
	});

	it('in queue mode: ids shared through Redis, per workflow, node and mode', async () => {
		queueModeOn(freshPrefix());
		const first = eventDeduplicatorFor('wf-1', node, 'webhook');
		const again = eventDeduplicatorFor('wf-1', node, 'webhook');
		const testListener = eventDeduplicatorFor('wf-1', node, 'manual');
		expect(await first.firstSeen('evt-9')).toBe(true);
		expect(await again.firstSeen('evt-9')).toBe(false);
		expect(await testListener.firstSeen('evt-9')).toBe(true);
	});

	it('in queue mode with Redis unreachable: the event counts as new, and the log says so', async () => {
		queueModeOn(freshPrefix());
		process.env.QUEUE_BULL_REDIS_PORT = '1'; // nothing listens there
		const warnings: string[] = [];
		const logger = { warn: (message: string) => warnings.push(message) } as unknown as Parameters<
			typeof eventDeduplicatorFor
		>[3];
		const seen = eventDeduplicatorFor('wf-1', node, 'webhook', logger);
		expect(await seen.firstSeen('evt-1')).toBe(true);
		expect(warnings[0]).toContain('could not check event evt-1');
	}, 20_000);
});
