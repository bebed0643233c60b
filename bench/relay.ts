/**
 * Relayed send vs local send (queue mode): the round trip of one sendMessage made by a process that
 * does not hold the agent session, relayed over Redis to the process that does, against the same
 * sendMessage made on the holder's session directly, interleaved, on warm connections.
 *
 * Processes, as in an n8n queue-mode cluster on one machine:
 * - redis-server (test/helpers/redis-server.ts: a free loopback port, a temp dir, no persistence);
 * - the bench server (bench/lib/server.ts in its own process), playing Zendesk;
 * - this process: the holder, a RedisSessionPool holding the agent session (its lease is taken
 *   first), which also makes the local sends: what the process holding the session does;
 * - bench/lib/relay-requester.ts in a process of its own: a second RedisSessionPool with its own
 *   Redis connections, whose sends are relayed to the holder: what a worker does.
 *
 * Variants, each timed from the call to the parsed answer, through a lease's `session.request`
 * (what the action node does):
 * - `local`: `lease.session.request(sendMessage({...}))` on the holder's pool;
 * - `relayed`: the same in the requester process (timed there, on the same monotonic clock);
 * - `relayedSameProcess`: the same from a third pool in this process, with its own Redis
 *   connections. It shows what crossing processes adds on top of the relay's own work (no process
 *   wake-up for the requester, but one event loop for both ends).
 * - `floor`: the least any relay between two processes can take, for comparison: the requester
 *   process writes one byte on a plain loopback TCP socket to this process, which makes the local
 *   send and writes one byte back. No Redis, no serialisation: a relay over the network from a
 *   worker to the holder can never be cheaper than this extra round trip. On loopback that round
 *   trip costs about as much as the session's own round trip to the server, so `floor / local` is
 *   well above 1.
 *
 * Every relayed call looks the holder up first (a GET of the lease key). Remembering the holder
 * instead was tried (64b3241) and taken back (c2a7648): after a handover the next holder answers a
 * request addressed to the old one with its own fence, which the requester must ignore, so the
 * request waited out its budget.
 *
 * Each round trip is split by timestamps on the pools' Redis connections and the holder's socket
 * (bench/lib/relay-stamps.ts): the holder lookup (GET), building and publishing the request, the
 * hop through Redis to the holder, the holder's work before and after the session's own round trip,
 * the answer's hop back, and the requester's work after it.
 *
 * All variants end on the one session the holder holds, which keeps under the documented 100
 * requests per second over a sliding second: calls go in bursts of BURST per variant every
 * BURST_EVERY_MS (4 × 12 every 750 ms), so any second holds at most two bursts, 96 requests, and
 * the rate limiter never waits (with 4 × 15 it did, once a burst, for about 200 ms).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import {
	createStartBudget,
	sendMessage,
	type SessionCredential,
	type SessionLease,
} from '../src/conversations';
import { RedisSessionPool } from '../src/conversations/cluster';
import { credentialKey, staticToken } from '../src/shared';
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server';
import { forkTs, startServerProcess, type ServerProcess } from './lib/proc';
import type { FromRequester, RequesterPayload, ToRequester } from './lib/relay-requester';
import {
	now,
	stampHeldSession,
	stampPool,
	type PoolStamps,
	type SocketStamps,
} from './lib/relay-stamps';
import { fixed, median, quantile } from './lib/stats';

const VARIANTS = ['local', 'relayed', 'relayedSameProcess', 'floor'] as const;
type Variant = (typeof VARIANTS)[number];

/** Parts of a local round trip, microseconds. */
export interface LocalPhases {
	/** Call to the frame handed to the session's socket. */
	beforeSend: number;
	/** The session's own round trip to the server (the server's process included). */
	network: number;
	/** The answer read from the socket to the caller's result. */
	afterAnswer: number;
}

/** Parts of a relayed round trip, microseconds. */
export interface RelayPhases {
	/** Call (sendMessage() built, as in a local send) to the answer of the holder lookup (GET of the lease key: one Redis round trip). */
	lookup: number;
	/** The lookup's answer to the request handed to PUBLISH (the wire operation, JSON.stringify). */
	toPublish: number;
	/** PUBLISH to the request read by the holder's subscriber (through redis-server). */
	requestHop: number;
	/** The holder: the request read to the frame handed to the session's socket. */
	holderBeforeSend: number;
	/** The session's own round trip to the server, as in a local send. */
	network: number;
	/** The holder: the session's answer read to the relay answer handed to PUBLISH. */
	holderAfter: number;
	/** The holder's PUBLISH to the answer read by the requester's subscriber. */
	answerHop: number;
	/** The requester: the answer read to the caller's result (JSON.parse, the Operation's parse). */
	afterAnswer: number;
}

export interface RoundTrip {
	/** Microseconds. */
	p50: number;
	p95: number;
	p99: number;
}

export interface RelayResult {
	samples: number;
	figures: Record<Variant, RoundTrip>;
	phases: {
		local: LocalPhases;
		relayed: RelayPhases;
		relayedSameProcess: RelayPhases;
	};
	/** Median of the per-burst ratios relayed/local (medians within a burst). */
	ratio: number;
	ratioSameProcess: number;
	/** Median of the per-burst ratios floor/local: what the cheapest possible relay costs against a local send. */
	ratioFloor: number;
	/** Median relayed / median floor: how far the Redis relay is from that floor. */
	ratioToFloor: number;
	/** p95 relayed / p95 local over the whole run. */
	ratioP95: number;
	burstRatios: number[];
}

const BURST = 12;
const BURST_EVERY_MS = 750;
const CHANNEL_ID = Buffer.from(
	JSON.stringify([
		['localId', '2501.1000'],
		['type', 'CHANNEL'],
	]),
).toString('base64');
const TEXT = 'Thanks for waiting, I am looking into it now.';

interface Call<P> {
	total: number;
	phases: P;
}

const us = (from: bigint, to: bigint): number => Number(to - from) / 1000;

/** The relay phases of one call, from the requester's stamps, the holder's and the holder's socket's. */
function relayPhases(
	req: {
		t0: bigint;
		t1: bigint;
		getSent: bigint;
		getAnswered: bigint;
		publishSent: bigint;
		messageArrived: bigint;
	},
	holder: PoolStamps,
	socket: SocketStamps,
): Call<RelayPhases> {
	// No GET stamped for this call (the stamps are an earlier call's): counted as no lookup.
	const looked = req.getSent >= req.t0;
	const lookedUp = looked ? req.getAnswered : req.t0;
	const order = [
		req.t0,
		...(looked ? [req.getSent, req.getAnswered] : []),
		req.publishSent,
		holder.messageArrived,
		socket.sent,
		socket.answered,
		holder.publishSent,
		req.messageArrived,
		req.t1,
	];
	for (let i = 1; i < order.length; i++) {
		if (order[i] < order[i - 1])
			throw new Error(
				`relay bench: timestamps out of order at step ${i} (a stamp was not taken for this call)`,
			);
	}
	return {
		total: us(req.t0, req.t1),
		phases: {
			lookup: us(req.t0, lookedUp),
			toPublish: us(lookedUp, req.publishSent),
			requestHop: us(req.publishSent, holder.messageArrived),
			holderBeforeSend: us(holder.messageArrived, socket.sent),
			network: us(socket.sent, socket.answered),
			holderAfter: us(socket.answered, holder.publishSent),
			answerHop: us(holder.publishSent, req.messageArrived),
			afterAnswer: us(req.messageArrived, req.t1),
		},
	};
}

/** The requester process: one relayed call per `call()`, closed by `close()`. */
async function startRequester(payload: RequesterPayload) {
	const { child, first } = forkTs<FromRequester>('lib/relay-requester.ts', payload);
	const exited = new Promise<void>((resolve) =>
		child.exitCode !== null || child.signalCode !== null
			? resolve()
			: child.once('exit', () => resolve()),
	);
	let waiting: ((message: FromRequester) => void) | undefined;
	const ready = await first.catch(async (error: unknown) => {
		child.kill('SIGKILL');
		await exited;
		throw error;
	});
	child.on('message', (message: FromRequester) => {
		const resolve = waiting;
		waiting = undefined;
		resolve?.(message);
	});
	const ask = (message: ToRequester) =>
		new Promise<FromRequester>((resolve, reject) => {
			waiting = resolve;
			child.send(message, (error) => error && reject(error));
		});
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null && child.connected) {
			await Promise.race([ask({ type: 'close' }), exited]);
			if (child.connected) child.disconnect();
		}
		const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
		await exited;
		clearTimeout(timer);
	};
	if (ready.type !== 'ready') {
		await stop();
		throw new Error(
			`relay bench: the requester process failed to start: ${ready.type === 'error' ? ready.message : ready.type}`,
		);
	}
	if (ready.holds) {
		await stop();
		throw new Error(
			'relay bench: the requester process holds the session, so nothing would be relayed',
		);
	}
	return {
		floor: async () => {
			const answer = await ask({ type: 'floor' });
			if (answer.type !== 'floor')
				throw new Error(
					`relay bench: floor call failed: ${answer.type === 'error' ? answer.message : answer.type}`,
				);
			return answer.us;
		},
		call: async () => {
			const answer = await ask({ type: 'call' });
			if (answer.type === 'error')
				throw new Error(`relay bench: relayed call failed: ${answer.message}`);
			if (answer.type !== 'call')
				throw new Error(`relay bench: unexpected message from the requester: ${answer.type}`);
			return {
				t0: BigInt(answer.t0),
				t1: BigInt(answer.t1),
				getSent: BigInt(answer.getSent),
				getAnswered: BigInt(answer.getAnswered),
				publishSent: BigInt(answer.publishSent),
				messageArrived: BigInt(answer.messageArrived),
			};
		},
		stop,
	};
}

export async function runRelay(options: {
	bursts: number;
	warmupBursts: number;
	log?: (line: string) => void;
}): Promise<RelayResult> {
	const log = options.log ?? (() => undefined);
	const cleanup: Array<() => Promise<void>> = [];
	const calls = {
		local: [] as Array<Call<LocalPhases>>,
		relayed: [] as Array<Call<RelayPhases>>,
		relayedSameProcess: [] as Array<Call<RelayPhases>>,
		floor: [] as Array<Call<unknown>>,
	};
	const burstRatios: number[] = [];
	const burstRatiosSameProcess: number[] = [];
	const burstRatiosFloor: number[] = [];
	try {
		const redis: RedisServer = await startRedisServer();
		cleanup.push(() => redis.close());
		const server: ServerProcess = await startServerProcess();
		cleanup.push(() => server.stop());
		const redisSettings = {
			...redis.settings,
			prefix: `bench-relay-${process.pid}`,
		};
		const credential: SessionCredential = {
			key: credentialKey(server.httpUrl, 'bench-agent'),
			tokenProvider: staticToken('bench'),
			httpUrl: server.httpUrl,
		};
		const newPool = () =>
			new RedisSessionPool({
				redis: redisSettings,
				idleMs: 600_000,
				sessionOptions: { startBudget: createStartBudget() },
			});
		const leased = async (pool: RedisSessionPool): Promise<SessionLease> => {
			cleanup.push(() => pool.close());
			const lease = await pool.lease(credential);
			cleanup.push(() => lease.release());
			return lease;
		};

		// The holder first: its lease makes it hold the session.
		const holderPool = newPool();
		const holderStamps = await stampPool(holderPool);
		const local = await leased(holderPool);
		if (!holderPool.holds(credential.key))
			throw new Error('relay bench: the first pool does not hold the session');
		const socket = stampHeldSession(holderPool, credential.key);

		const samePool = newPool();
		const sameStamps = await stampPool(samePool);
		const same = await leased(samePool);
		if (samePool.holds(credential.key))
			throw new Error('relay bench: the second pool in this process holds the session');

		const send = () => sendMessage({ channelId: CHANNEL_ID, message: TEXT });
		// The floor's other end: a plain TCP server in the holder's process, one local send per byte.
		const floorServer = createServer((socket) => {
			socket.setNoDelay(true);
			socket.on('data', (bytes) => {
				for (let i = 0; i < bytes.length; i++) {
					void local.session.request(send()).then(
						() => socket.write('1'),
						() => socket.write('0'),
					);
				}
			});
			socket.on('error', () => undefined);
		});
		await new Promise<void>((resolve) => floorServer.listen(0, '127.0.0.1', resolve));
		cleanup.push(() => new Promise<void>((resolve) => floorServer.close(() => resolve())));
		const floorPort = (floorServer.address() as AddressInfo).port;

		const requester = await startRequester({
			floorPort,
			redis: redisSettings,
			httpUrl: server.httpUrl,
			key: credential.key,
			channelId: CHANNEL_ID,
			text: TEXT,
		});
		cleanup.push(() => requester.stop());

		const variants: Record<
			Variant,
			() => Promise<Call<LocalPhases> | Call<RelayPhases> | Call<unknown>>
		> = {
			local: async () => {
				const t0 = now();
				await local.session.request(send());
				const t1 = now();
				if (socket.sent < t0)
					throw new Error('relay bench: the local send did not go through the stamped socket');
				return {
					total: us(t0, t1),
					phases: {
						beforeSend: us(t0, socket.sent),
						network: us(socket.sent, socket.answered),
						afterAnswer: us(socket.answered, t1),
					},
				};
			},
			relayed: async () => relayPhases(await requester.call(), holderStamps, socket),
			floor: async () => ({ total: await requester.floor(), phases: {} }),
			relayedSameProcess: async () => {
				const t0 = now();
				await same.session.request(send());
				const t1 = now();
				return relayPhases({ t0, t1, ...sameStamps }, holderStamps, socket);
			},
		};

		for (let burst = 0; burst < options.warmupBursts + options.bursts; burst++) {
			const started = Date.now();
			const inBurst: Record<Variant, number[]> = {
				local: [],
				relayed: [],
				relayedSameProcess: [],
				floor: [],
			};
			const kept = burst >= options.warmupBursts;
			for (let i = 0; i < BURST; i++) {
				// Rotate the order, so no variant always runs right after another one.
				for (let k = 0; k < VARIANTS.length; k++) {
					const name = VARIANTS[(i + burst + k) % VARIANTS.length];
					const call = await variants[name]();
					inBurst[name].push(call.total);
					if (!kept) continue;
					if (name === 'local') calls.local.push(call as Call<LocalPhases>);
					else if (name === 'floor') calls.floor.push(call);
					else calls[name].push(call as Call<RelayPhases>);
				}
			}
			if (kept) {
				burstRatios.push(median(inBurst.relayed) / median(inBurst.local));
				burstRatiosSameProcess.push(median(inBurst.relayedSameProcess) / median(inBurst.local));
				burstRatiosFloor.push(median(inBurst.floor) / median(inBurst.local));
				if ((burst - options.warmupBursts) % 10 === 9) {
					const all = (name: Variant) => fixed(median(calls[name].map((c) => c.total)), 0);
					log(
						`  relay: ${burst + 1 - options.warmupBursts}/${options.bursts} bursts, median local ${all('local')} µs, relayed ${all('relayed')} µs`,
					);
				}
			}
			await new Promise((resolve) =>
				setTimeout(resolve, Math.max(0, BURST_EVERY_MS - (Date.now() - started))),
			);
		}
	} finally {
		// In reverse: the requester process, the leases, the pools (closing the held session and its
		// lease, then their Redis connections), the bench server, redis-server.
		for (const step of cleanup.reverse())
			await step().catch((error: unknown) => log(`  relay: cleanup: ${String(error)}`));
	}

	const roundTrip = (list: Array<Call<unknown>>): RoundTrip => {
		const totals = list.map((c) => c.total);
		return {
			p50: median(totals),
			p95: quantile(totals, 0.95),
			p99: quantile(totals, 0.99),
		};
	};
	const medians = <P extends object>(list: Array<Call<P>>): P => {
		const keys = Object.keys(list[0]?.phases ?? {}) as Array<keyof P>;
		return Object.fromEntries(
			keys.map((key) => [key, median(list.map((c) => c.phases[key] as number))]),
		) as P;
	};
	const figures = {
		local: roundTrip(calls.local),
		relayed: roundTrip(calls.relayed),
		relayedSameProcess: roundTrip(calls.relayedSameProcess),
		floor: roundTrip(calls.floor),
	};
	return {
		samples: calls.local.length,
		figures,
		phases: {
			local: medians(calls.local),
			relayed: medians(calls.relayed),
			relayedSameProcess: medians(calls.relayedSameProcess),
		},
		ratio: median(burstRatios),
		ratioSameProcess: median(burstRatiosSameProcess),
		ratioFloor: median(burstRatiosFloor),
		ratioToFloor:
			median(calls.relayed.map((c) => c.total)) / median(calls.floor.map((c) => c.total)),
		ratioP95: figures.relayed.p95 / figures.local.p95,
		burstRatios,
	};
}

if (require.main === module) {
	runRelay({ bursts: 20, warmupBursts: 3, log: console.log })
		.then((result) => console.log(JSON.stringify(result, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
