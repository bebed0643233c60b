/**
 * Timestamps on a RedisSessionPool's own Redis connections, for the relay bench's breakdown of a
 * round trip. Nothing in the pool changes: its command connection's `get` (the holder lookup) and
 * `publish` (a request, or the holder's answer) are wrapped to note when they are called and when
 * the lookup is answered, and a listener put in front of its subscriber's notes when a message
 * arrives (the holder's answer at a requester, a relayed request at the holder).
 *
 * `process.hrtime.bigint()` reads CLOCK_MONOTONIC on Linux, so stamps taken in two processes of one
 * machine are on the same clock and can be subtracted.
 */
import type WebSocket from 'ws';

import type { RedisSessionPool } from '../../src/conversations/cluster';

export interface PoolStamps {
	/** The holder lookup (GET of the lease key) handed to ioredis, and its answer read. */
	getSent: bigint;
	getAnswered: bigint;
	/** The last PUBLISH handed to ioredis (a request at a requester, an answer at the holder). */
	publishSent: bigint;
	/** The last pub/sub message read by the subscriber (an answer at a requester, a request at the holder). */
	messageArrived: bigint;
}

export const now = (): bigint => process.hrtime.bigint();

type Method = (...args: unknown[]) => Promise<unknown>;

/** Wraps the pool's Redis connections (opening them if need be) and returns the live stamps. */
export async function stampPool(pool: RedisSessionPool): Promise<PoolStamps> {
	const { commands, subscriber } = await pool.connections();
	const stamps: PoolStamps = {
		getSent: 0n,
		getAnswered: 0n,
		publishSent: 0n,
		messageArrived: 0n,
	};
	const target = commands as unknown as Record<'get' | 'publish', Method>;
	const get = target.get.bind(commands);
	const publish = target.publish.bind(commands);
	target.get = (...args) => {
		stamps.getSent = now();
		const answer = get(...args);
		// A reaction registered before the pool's own await: it runs first and adds no hop.
		answer.then(
			() => {
				stamps.getAnswered = now();
			},
			() => undefined,
		);
		return answer;
	};
	target.publish = (...args) => {
		stamps.publishSent = now();
		return publish(...args);
	};
	subscriber.prependListener('message', () => {
		stamps.messageArrived = now();
	});
	return stamps;
}

export interface SocketStamps {
	/** The last frame handed to the session's socket, and the last frame read from it. */
	sent: bigint;
	answered: bigint;
}

/** Stamps the sends and arrivals of the agent session the holder pool holds for `key`. */
export function stampHeldSession(pool: RedisSessionPool, key: string): SocketStamps {
	// Private fields, read only here: pool.slots → AgentSlot.holding → SessionHolding.inner (the
	// InProcessSessionPool) → the AgentSession → its socket.
	type Inner = { sessionFor(key: string): unknown };
	const slots = (pool as unknown as { slots: Map<string, { holding?: { inner?: Inner } }> }).slots;
	const session = slots.get(key)?.holding?.inner?.sessionFor(key);
	const ws = (session as { ws?: WebSocket } | undefined)?.ws;
	if (!ws) throw new Error('the holder pool holds no session with a socket to stamp');
	const stamps: SocketStamps = { sent: 0n, answered: 0n };
	const send = ws.send.bind(ws) as (...args: unknown[]) => void;
	ws.send = ((...args: unknown[]) => {
		stamps.sent = now();
		send(...args);
	}) as WebSocket['send'];
	ws.prependListener('message', () => {
		stamps.answered = now();
	});
	return stamps;
}

/** What a requester reports for one relayed call (bigints as decimal strings, for IPC's JSON). */
export interface RequesterCall {
	t0: string;
	t1: string;
	getSent: string;
	getAnswered: string;
	publishSent: string;
	messageArrived: string;
}

export function requesterCall(t0: bigint, t1: bigint, stamps: PoolStamps): RequesterCall {
	return {
		t0: String(t0),
		t1: String(t1),
		getSent: String(stamps.getSent),
		getAnswered: String(stamps.getAnswered),
		publishSent: String(stamps.publishSent),
		messageArrived: String(stamps.messageArrived),
	};
}
