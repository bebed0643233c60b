import { sleep } from '../../shared/abort';
import type { RedisConnection } from '../../shared/redis-client';
import type { AgentKeys } from './relay-messages';

/**
 * The lease that makes one process the holder of an agent's session: `<fence>:<holder id>` under
 * the agent's lease key, with a time to live the holder keeps renewing. The fence comes from INCR on
 * a counter that never goes back, so each holding has a larger number than the one before; the
 * relay compares it, so a holder that lost its lease without noticing (a long pause) cannot answer
 * for the new one. Each step is one Lua script, so check-and-set is atomic.
 */
export interface LeaseHolder {
	fence: number;
	holderId: string;
}

/**
 * Takes the lease when free; returns whoever holds it now (us, when taken), or nil when it is free
 * but reserved for a process that asked the holder to hand it over (KEYS[3]).
 */
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur then return cur end
local wants = redis.call('GET', KEYS[3])
if wants and wants ~= ARGV[1] then return false end
local f = redis.call('INCR', KEYS[2])
local v = f .. ':' .. ARGV[1]
redis.call('SET', KEYS[1], v, 'PX', ARGV[2])
if wants then redis.call('DEL', KEYS[3]) end
return v`;

/**
 * Extends our lease. When the key is gone (Redis restarted without persistence, or we paused past
 * the ttl and nobody took it) we take it back, and raise the counter to our fence if Redis lost that
 * too, so fences keep growing. 0: someone else holds it now.
 */
const RENEW = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if cur then return 0 end
local f = tonumber(redis.call('GET', KEYS[2]) or '0')
if f < tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Gives the lease up, only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export function leaseValue(holder: LeaseHolder): string {
	return `${holder.fence}:${holder.holderId}`;
}

export function parseLeaseValue(value: unknown): LeaseHolder | undefined {
	if (typeof value !== 'string') return undefined;
	const at = value.indexOf(':');
	const fence = Number(value.slice(0, at));
	if (at < 1 || !Number.isSafeInteger(fence)) return undefined;
	return { fence, holderId: value.slice(at + 1) };
}

/**
 * Takes the lease if it is free; resolves with the holder either way, or undefined when the lease
 * is free but reserved for another process (see reserveLease).
 */
export async function acquireLease(
	redis: RedisConnection,
	keys: AgentKeys,
	holderId: string,
	ttlMs: number,
): Promise<LeaseHolder | undefined> {
	const value = await redis.eval(
		ACQUIRE,
		3,
		keys.lease,
		keys.fence,
		keys.wants,
		holderId,
		String(ttlMs),
	);
	return parseLeaseValue(value);
}

/**
 * Reserves the next holding for `holderId` for `ms`: a trigger asking the holder to hand the session
 * over must get it, not whichever worker asks next while it is free.
 */
export async function reserveLease(
	redis: RedisConnection,
	keys: AgentKeys,
	holderId: string,
	ms: number,
): Promise<void> {
	await redis.set(keys.wants, holderId, 'PX', ms);
}

/** Who holds the lease now, if anyone. */
export async function currentHolder(
	redis: RedisConnection,
	keys: AgentKeys,
): Promise<LeaseHolder | undefined> {
	return parseLeaseValue(await redis.get(keys.lease));
}

/** True while the lease is still ours (renewed, or taken back after Redis lost it). */
export async function renewLease(
	redis: RedisConnection,
	keys: AgentKeys,
	holder: LeaseHolder,
	ttlMs: number,
): Promise<boolean> {
	const renewed = await redis.eval(
		RENEW,
		2,
		keys.lease,
		keys.fence,
		leaseValue(holder),
		String(ttlMs),
		String(holder.fence),
	);
	return Number(renewed) === 1;
}

export async function releaseLease(
	redis: RedisConnection,
	keys: AgentKeys,
	holder: LeaseHolder,
): Promise<void> {
	await redis.eval(RELEASE, 1, keys.lease, leaseValue(holder));
}

const DROP_RESERVATION = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Drops `holderId`'s reservation (it gave up waiting), leaving anyone else's alone. */
export async function dropReservation(
	redis: RedisConnection,
	keys: AgentKeys,
	holderId: string,
): Promise<void> {
	await redis.eval(DROP_RESERVATION, 1, keys.wants, holderId);
}

/** startAgentSession is limited to 1/s per agent, whichever process calls it (a little over, as START_SESSION_LIMITS says why). */
const START_GAP_MS = 1_200;

/**
 * Waits until a second has passed since any process last started this agent's session, then marks
 * this start: a handover or failover would otherwise start the next session within the second and
 * be refused with RATE_LIMITED (each process's own start budget only sees its own starts).
 */
export async function spaceSessionStart(
	redis: RedisConnection,
	keys: AgentKeys,
	signal?: AbortSignal,
): Promise<void> {
	const wait = Number(await redis.pttl(keys.lastStart));
	if (wait > 0) await sleep(Math.min(wait, START_GAP_MS), signal, 'conversations');
	await redis.set(keys.lastStart, '1', 'PX', START_GAP_MS);
}
