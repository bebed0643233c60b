import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { queueModeRedis } from '../../nodes/shared/queueMode';

const root = join(__dirname, '..', '..');

describe("queue mode is read from n8n's own settings", () => {
	it('off unless EXECUTIONS_MODE=queue', () => {
		expect(queueModeRedis({})).toBeUndefined();
		expect(
			queueModeRedis({ EXECUTIONS_MODE: 'regular', QUEUE_BULL_REDIS_HOST: 'redis' }),
		).toBeUndefined();
	});

	it("n8n's defaults: localhost:6379, db 0, no TLS, prefix bull", () => {
		expect(queueModeRedis({ EXECUTIONS_MODE: 'queue' })).toEqual({
			host: 'localhost',
			port: 6379,
			username: undefined,
			password: undefined,
			db: 0,
			tls: false,
			prefix: 'bull',
		});
	});

	it('every QUEUE_BULL_* setting, cluster nodes included', () => {
		expect(
			queueModeRedis({
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: 'redis.internal',
				QUEUE_BULL_REDIS_PORT: '6380',
				QUEUE_BULL_REDIS_USERNAME: 'n8n',
				QUEUE_BULL_REDIS_PASSWORD: 'secret',
				QUEUE_BULL_REDIS_DB: '2',
				QUEUE_BULL_REDIS_TLS: 'true',
				QUEUE_BULL_REDIS_CLUSTER_NODES: 'redis-1:7000, redis-2:7001',
				QUEUE_BULL_PREFIX: 'n8n-prod',
			}),
		).toEqual({
			host: 'redis.internal',
			port: 6380,
			username: 'n8n',
			password: 'secret',
			db: 2,
			tls: true,
			prefix: 'n8n-prod',
			clusterNodes: [
				{ host: 'redis-1', port: 7000 },
				{ host: 'redis-2', port: 7001 },
			],
		});
	});

	it('N8N_ZENDESK_CHAT_QUEUE_MODE=off keeps everything in-process', () => {
		expect(
			queueModeRedis({ EXECUTIONS_MODE: 'queue', N8N_ZENDESK_CHAT_QUEUE_MODE: 'off' }),
		).toBeUndefined();
	});

	it('without queue mode the nodes never load ioredis; in queue mode the pool is the Redis one', () => {
		// A fresh process each, so the module cache tells what was loaded.
		const probe = (env: Record<string, string>) =>
			execFileSync(
				process.execPath,
				[
					'--import',
					'tsx',
					'-e',
					"const { sharedSessionPool } = require('./nodes/shared/sessionPool'); const pool = sharedSessionPool();" +
						"console.log(JSON.stringify({ pool: pool.constructor.name, ioredis: Object.keys(require.cache).some((k) => k.includes('/node_modules/ioredis/')) }));",
				],
				{ cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' },
			).trim();
		expect(JSON.parse(probe({ EXECUTIONS_MODE: 'regular' }))).toEqual({
			pool: 'InProcessSessionPool',
			ioredis: false,
		});
		// The Redis pool connects only on first use, so no Redis is needed to see which pool it is.
		expect(JSON.parse(probe({ EXECUTIONS_MODE: 'queue' }))).toEqual({
			pool: 'RedisSessionPool',
			ioredis: false,
		});
	}, 60_000);
});
