import { Redis } from 'ioredis';

import { SIM_TOKENS, type Simulator } from '../../simulator';
import { createStartBudget, type SessionCredential } from '../../src/conversations';
import { RedisSessionPool, type RedisSessionPoolOptions } from '../../src/conversations/cluster';
import { agentKeys, type AgentKeys } from '../../src/conversations/cluster/relay-messages';
import { credentialKey, exponentialBackoff, staticToken } from '../../src/shared';
import type { RedisServer } from '../helpers/redis-server';

let prefixes = 0;

/** A key prefix of its own per test, so leftovers of one test never meet the next. */
export function freshPrefix(): string {
	return `t${process.pid}-${++prefixes}`;
}

/**
 * A pool as one n8n process would have it, with its own Redis connections. Quick retries and a
 * start budget of its own (the 1/s start limit is per process in production too).
 */
export function newClusterPool(
	sim: Simulator,
	redis: RedisServer,
	prefix: string,
	options: Partial<RedisSessionPoolOptions> = {},
): RedisSessionPool {
	return new RedisSessionPool({
		redis: { ...redis.settings, prefix },
		leaseTtlMs: 1_000,
		idleMs: 60_000,
		...options,
		sessionOptions: {
			retryWait: exponentialBackoff({ initialMs: 20, maxMs: 200 }),
			requestRetryWait: exponentialBackoff({ initialMs: 20, maxMs: 200 }),
			subscribeRetryWait: exponentialBackoff({ initialMs: 20, maxMs: 200 }),
			startBudget: createStartBudget(),
			...options.sessionOptions,
		},
	});
}

export function botCredential(sim: Simulator): SessionCredential {
	return {
		key: credentialKey(sim.urls.conversationsHttp, 'cluster-bot'),
		tokenProvider: staticToken(SIM_TOKENS.bot),
		httpUrl: sim.urls.conversationsHttp,
	};
}

export function keysOf(prefix: string, credential: SessionCredential): AgentKeys {
	return agentKeys(prefix, credential.key);
}

/** A plain client, for looking at Redis from the outside (and playing a misbehaving process). */
export function rawClient(redis: RedisServer): Redis {
	return new Redis({ ...redis.settings, maxRetriesPerRequest: 1, lazyConnect: false });
}
