import type { Redis } from 'ioredis';

import { startSimulator, type Simulator } from '../../simulator';
import { encodeRelayId } from '../../simulator/conversations';
import {
	departments,
	messageSubscription,
	sendMessage,
	updateAgentStatus,
	type ChatMessageEvent,
	type SessionLease,
} from '../../src/conversations';
import type { RedisSessionPool } from '../../src/conversations/cluster';
import type { RelayMessage } from '../../src/conversations/cluster/relay-messages';
import { toWireOperation } from '../../src/conversations/cluster/wire';
import { AbortedError, GraphqlError, TimeoutError } from '../../src/shared';
import { Recorder, waitFor } from '../conversations/helpers';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { botCredential, freshPrefix, keysOf, newClusterPool, rawClient } from './helpers';

let sim: Simulator;
let redis: RedisServer;
let prefix: string;
const pools: RedisSessionPool[] = [];
const leases: SessionLease[] = [];
const clients: Redis[] = [];

beforeAll(async () => {
	[sim, redis] = await Promise.all([startSimulator(), startRedisServer()]);
}, 60_000);

afterAll(async () => {
	await Promise.all([sim?.close(), redis?.close()]);
});

beforeEach(() => {
	sim.conversations.control.reset();
	prefix = freshPrefix();
});

afterEach(async () => {
	await Promise.all(leases.splice(0).map((lease) => lease.release().catch(() => undefined)));
	await Promise.all(pools.splice(0).map((pool) => pool.close()));
	for (const client of clients.splice(0)) client.disconnect();
});

const control = () => sim.conversations.control;
/** The agent SIM_TOKENS.bot signs in as. */
const BOT_AGENT_ID = 1001;
const credential = () => botCredential(sim);
const keys = () => keysOf(prefix, credential());

/** A pool as another n8n process would have it. */
function processPool(options: Parameters<typeof newClusterPool>[3] = {}): RedisSessionPool {
	const pool = newClusterPool(sim, redis, prefix, options);
	pools.push(pool);
	return pool;
}

async function leaseFrom(pool: RedisSessionPool): Promise<SessionLease> {
	const lease = await pool.lease(credential());
	leases.push(lease);
	return lease;
}

function client(): Redis {
	const c = rawClient(redis);
	clients.push(c);
	return c;
}

/** Polls an async check until it holds (true), or gives up after a generous 10 s (false). */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		if (await check()) return true;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return false;
}

/** Plays a holder that hears requests and never answers (a hung or partitioned process). */
async function silentHolder(fence = 1_000): Promise<RelayMessage[]> {
	await client().set(keys().lease, `${fence}:silent-process`, 'PX', 60_000);
	const listener = client();
	const heard: RelayMessage[] = [];
	listener.on('message', (_channel: string, raw: string) =>
		heard.push(JSON.parse(raw) as RelayMessage),
	);
	await listener.subscribe(keys().requests);
	return heard;
}

describe('relaying requests to the process that holds the session', () => {
	it('a second process gets its answers through the holder: one session for both', async () => {
		const main = processPool();
		const worker = processPool();
		const trigger = await leaseFrom(main);
		const action = await leaseFrom(worker);
		expect(main.holds(credential().key)).toBe(true);
		expect(worker.holds(credential().key)).toBe(false);

		await expect(action.session.request(departments())).resolves.toHaveLength(3);
		const chat = sim.world.startChat({ message: 'hi' });
		const sent = await action.session.request(
			sendMessage({
				channelId: encodeRelayId('CHANNEL', chat.id),
				message: 'relayed hello',
				msgId: 'relay-1',
			}),
		);
		expect(sent).toMatchObject({ success: true, msgId: 'relay-1' });
		expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['relayed hello']);
		await expect(trigger.session.request(departments())).resolves.toHaveLength(3);
		expect(control().sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
		expect(control().sessions()).toHaveLength(1);
	});

	it('an API error crosses the relay as the same typed error, reworded by the caller’s operation', async () => {
		const main = processPool();
		const worker = processPool();
		const local = await leaseFrom(main);
		const remote = await leaseFrom(worker);

		control().failNextRequests({ name: 'FORBIDDEN' });
		const relayed = await remote.session.request(departments()).catch((e: unknown) => e);
		expect(relayed).toBeInstanceOf(GraphqlError);
		expect(relayed).toMatchObject({
			code: 'ZCHAT_ERR_GRAPHQL',
			errorName: 'FORBIDDEN',
			retryable: false,
		});
		expect((relayed as GraphqlError).uuid).toEqual(expect.any(String));

		// Operation.explain runs on the requester's side, as in a local call.
		control().failNextRequests({ name: 'GRAPHQL_EXEC_ERROR' });
		const localError = (await local.session
			.request(updateAgentStatus({ status: 'AWAY' }))
			.catch((e: unknown) => e)) as GraphqlError;
		control().failNextRequests({ name: 'GRAPHQL_EXEC_ERROR' });
		const relayedError = (await remote.session
			.request(updateAgentStatus({ status: 'AWAY' }))
			.catch((e: unknown) => e)) as GraphqlError;
		expect(relayedError).toBeInstanceOf(GraphqlError);
		expect(relayedError.message).toBe(
			localError.message.replace(localError.uuid ?? '', relayedError.uuid ?? ''),
		);
		expect(relayedError.message).toContain('use ONLINE');
	});

	it("an old holder's late answer is ignored: only the addressed fence counts", async () => {
		const main = processPool();
		const worker = processPool();
		await leaseFrom(main);
		const action = await leaseFrom(worker);
		const fence = main.fenceOf(credential().key) as number;

		// A former holder (a lower fence) still listening and answering with something else.
		const formerHolder = client();
		const publisher = client();
		formerHolder.on('message', (_channel: string, raw: string) => {
			const message = JSON.parse(raw) as RelayMessage;
			if (message.type !== 'request') return;
			void publisher.publish(
				message.replyTo,
				JSON.stringify({
					type: 'answer',
					id: message.id,
					fence: fence - 1,
					result: { data: { departments: [] } },
				}),
			);
			void publisher.publish(
				message.replyTo,
				JSON.stringify({ type: 'not-holder', id: message.id, fence: fence - 1 }),
			);
		});
		await formerHolder.subscribe(keys().requests);

		await expect(action.session.request(departments())).resolves.toHaveLength(3);
	});

	it('a holder that does not answer: the request times out and is not sent again', async () => {
		const heard = await silentHolder();
		const worker = processPool({ replyGraceMs: 200 });
		const action = await leaseFrom(worker);
		const error = await action.session
			.request(departments(), { timeoutMs: 300 })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TimeoutError);
		expect((error as Error).message).toContain('not sent again');
		expect(heard.filter((m) => m.type === 'request')).toHaveLength(1);
		expect(control().sessionStarts()).toMatchObject({ total: 0 });
	});

	it('a cancelled request rejects with AbortedError at once and tells the holder', async () => {
		const heard = await silentHolder();
		const worker = processPool();
		const action = await leaseFrom(worker);
		const controller = new AbortController();
		const request = action.session.request(departments(), {
			signal: controller.signal,
			timeoutMs: 60_000,
		});
		await waitFor(() => heard.some((m) => m.type === 'request'), 'the relayed request');
		controller.abort();
		await expect(request).rejects.toBeInstanceOf(AbortedError);
		const sent = heard.find((m) => m.type === 'request');
		await waitFor(
			() => heard.some((m) => m.type === 'cancel' && sent?.type === 'request' && m.id === sent.id),
			'the cancellation',
		);
	});

	it('a relayed request cancelled while the holder waits on Zendesk: AbortedError, and the session goes on', async () => {
		const main = processPool();
		const worker = processPool();
		await leaseFrom(main);
		const action = await leaseFrom(worker);
		sim.faults.setDelay({ api: 'conversations', ms: 2_000 });
		try {
			const controller = new AbortController();
			const request = action.session.request(departments(), { signal: controller.signal });
			setTimeout(() => controller.abort(), 100);
			await expect(request).rejects.toBeInstanceOf(AbortedError);
		} finally {
			sim.faults.setDelay({ api: 'conversations', ms: 0 });
		}
		await expect(action.session.request(departments())).resolves.toHaveLength(3);
	});
});

describe('the lease: expiry, failover, handover, idle', () => {
	it('a dead holder’s lease expires and the next process takes over with a higher fence; one session at a time', async () => {
		const main = processPool();
		const worker = processPool();
		await leaseFrom(main);
		const action = await leaseFrom(worker);
		const firstFence = main.fenceOf(credential().key) as number;
		expect(await client().pttl(keys().lease)).toBeGreaterThan(0);

		// Watch the simulator: never two live sessions of the agent.
		let mostLive = 0;
		const watch = setInterval(
			() => (mostLive = Math.max(mostLive, control().sessions().length)),
			5,
		);
		try {
			await main.abandon();
			await waitFor(
				() => control().sessions().length === 0,
				'the dead process’s session to be gone',
			);
			// The lease outlives the process until its ttl runs out; then the worker's request takes it.
			await expect(
				action.session.request(departments(), { timeoutMs: 15_000 }),
			).resolves.toHaveLength(3);
		} finally {
			clearInterval(watch);
		}
		expect(worker.holds(credential().key)).toBe(true);
		expect(worker.fenceOf(credential().key)).toBeGreaterThan(firstFence);
		expect(control().sessionStarts()).toMatchObject({ total: 2, succeeded: 2 });
		expect(mostLive).toBe(1);
	}, 30_000);

	it('a holder that closes frees the lease at once, after its session is closed', async () => {
		const main = processPool();
		const worker = processPool();
		await leaseFrom(main);
		const action = await leaseFrom(worker);
		await main.close();
		expect(control().sessions()).toHaveLength(0);
		expect(await client().exists(keys().lease)).toBe(0);
		await expect(action.session.request(departments())).resolves.toHaveLength(3);
		expect(worker.holds(credential().key)).toBe(true);
		expect(control().sessionStarts()).toMatchObject({ total: 2 });
	});

	it('a lease left behind expires by itself', async () => {
		const main = processPool({ leaseTtlMs: 500 });
		await leaseFrom(main);
		await main.abandon();
		const raw = client();
		expect(await raw.exists(keys().lease)).toBe(1);
		expect(await eventually(async () => (await raw.exists(keys().lease)) === 0)).toBe(true);
	});

	it('a trigger subscribing while a worker holds the session gets it handed over', async () => {
		const worker = processPool();
		const main = processPool();
		const action = await leaseFrom(worker);
		await action.session.request(departments());
		await action.release();
		expect(worker.holds(credential().key)).toBe(true);

		let mostLive = 0;
		const watch = setInterval(
			() => (mostLive = Math.max(mostLive, control().sessions().length)),
			5,
		);
		const trigger = await leaseFrom(main);
		// The trigger sets the agent's status first (through the worker's session, which then stops)...
		await trigger.session.request(updateAgentStatus({ status: 'AWAY' }));
		sim.world.setAgentStatus(BOT_AGENT_ID, 'OFFLINE'); // what stopping that session may do to it
		const messages = new Recorder<ChatMessageEvent>();
		try {
			await trigger.session.subscribe(messageSubscription(), messages).ready;
		} finally {
			clearInterval(watch);
		}
		// ...and its process sets it again on the session it took over.
		expect(sim.world.agents.get(BOT_AGENT_ID)?.status).toBe('AWAY');
		expect(main.holds(credential().key)).toBe(true);
		expect(worker.holds(credential().key)).toBe(false);
		expect(mostLive).toBe(1);
		sim.world.startChat({ message: 'to the trigger' });
		await waitFor(() => messages.events.length === 1, 'the visitor message on the trigger');

		// The worker's next action relays to the trigger's process.
		const next = await leaseFrom(worker);
		await expect(next.session.request(departments())).resolves.toHaveLength(3);
		expect(control().sessionStarts()).toMatchObject({ total: 2 });
	}, 30_000);

	it('a holder handing over answers requests addressed to it with not-holder while it drains, and leaves the others to the next holder', async () => {
		const main = processPool();
		const worker = processPool();
		const action = await leaseFrom(main);
		const fence = main.fenceOf(credential().key) as number;
		const replies = client();
		const heard: Array<Record<string, unknown>> = [];
		replies.on('message', (_channel: string, raw: string) =>
			heard.push(JSON.parse(raw) as Record<string, unknown>),
		);
		await replies.subscribe('test-replies');
		const probe = (id: string, addressed: number) =>
			client().publish(
				keys().requests,
				JSON.stringify({
					type: 'request',
					id,
					fence: addressed,
					replyTo: 'test-replies',
					operation: toWireOperation(departments()),
					timeoutMs: 5_000,
				}),
			);

		// A request of its own keeps the holder draining (Zendesk answers after 1.5 s) while a
		// trigger's subscription in the other process asks it to hand the session over.
		sim.faults.setDelay({ api: 'conversations', ms: 1_500 });
		let slow: Promise<unknown> | undefined;
		let subscribed: Promise<void> | undefined;
		try {
			slow = action.session.request(departments(), { timeoutMs: 10_000 });
			await new Promise((r) => setTimeout(r, 100));
			const trigger = await leaseFrom(worker);
			subscribed = trigger.session.subscribe(
				messageSubscription(),
				new Recorder<ChatMessageEvent>(),
			).ready;
			subscribed.catch(() => undefined);
			await waitFor(() => !main.holds(credential().key), 'the holder to give the session up');
			await probe('to-the-old-holder', fence);
			await probe('to-someone-else', fence + 1_000);
			await waitFor(
				() => heard.some((m) => m.id === 'to-the-old-holder'),
				'the old holder to answer',
			);
			await new Promise((r) => setTimeout(r, 300));
		} finally {
			sim.faults.setDelay({ api: 'conversations', ms: 0 });
		}
		expect(heard).toEqual([{ type: 'not-holder', id: 'to-the-old-holder', fence }]);
		// Its own request still got its answer, and the trigger its session.
		await expect(slow).resolves.toHaveLength(3);
		await subscribed;
		expect(worker.holds(credential().key)).toBe(true);
	}, 30_000);

	it('a holder with subscriptions of its own does not hand over: the other subscriber gets a clear error', async () => {
		const first = processPool();
		const second = processPool({ handoverTimeoutMs: 1_000 });
		const a = await leaseFrom(first);
		await a.session.subscribe(messageSubscription(), new Recorder()).ready;
		const b = await leaseFrom(second);
		const error = await b.session
			.subscribe(messageSubscription(), new Recorder())
			.ready.catch((e: unknown) => e);
		expect((error as Error).message).toContain('did not hand it over');
		expect(first.holds(credential().key)).toBe(true);
		expect(control().sessionStarts()).toMatchObject({ total: 1 });
	});

	it('a holder whose lease was taken closes its session, and its subscriptions end with an error', async () => {
		const main = processPool();
		const trigger = await leaseFrom(main);
		const messages = new Recorder<ChatMessageEvent>();
		await trigger.session.subscribe(messageSubscription(), messages).ready;
		await client().set(keys().lease, '999999:another-process', 'PX', 60_000);
		await waitFor(() => messages.ended, 'the subscription to end', 10_000);
		expect(messages.endError).toMatchObject({ code: 'ZCHAT_ERR_SESSION_ENDED' });
		expect(main.holds(credential().key)).toBe(false);
		await waitFor(() => control().sessions().length === 0, 'the session to be closed');
	});

	it('a session nobody uses is given up after the idle time, and its lease freed', async () => {
		const main = processPool({ idleMs: 200 });
		const lease = await leaseFrom(main);
		await lease.session.request(departments());
		await lease.release();
		await waitFor(
			() => !main.holds(credential().key) && control().sessions().length === 0,
			'the idle session to be closed',
		);
		// The lease is freed once the session is closed.
		expect(await eventually(async () => (await client().exists(keys().lease)) === 0)).toBe(true);
	});

	it('a lease aborted while the session starts rejects with AbortedError; the start goes on for the next lease', async () => {
		const main = processPool();
		sim.faults.setDelay({ api: 'conversations', ms: 300 });
		try {
			const controller = new AbortController();
			const leasing = main.lease(credential(), { signal: controller.signal });
			setTimeout(() => controller.abort(), 50);
			await expect(leasing).rejects.toBeInstanceOf(AbortedError);
			const next = await leaseFrom(main);
			await expect(next.session.request(departments())).resolves.toHaveLength(3);
		} finally {
			sim.faults.setDelay({ api: 'conversations', ms: 0 });
		}
		expect(control().sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
	});

	it('a start that fails frees the lease for the next try', async () => {
		const main = processPool();
		control().failNextSessionStarts({ count: 5, name: 'UNAUTHORIZED' });
		await expect(main.lease(credential())).rejects.toBeInstanceOf(GraphqlError);
		expect(await client().exists(keys().lease)).toBe(0);
	});
});

describe('Redis going away', () => {
	it('after a Redis restart the holder keeps its session and relaying works again', async () => {
		// A longer ttl than the other tests: the holder must get its lease back before the worker's
		// wait (one ttl) is over, even on a busy machine.
		const main = processPool({ leaseTtlMs: 5_000 });
		const worker = processPool({ leaseTtlMs: 5_000 });
		await leaseFrom(main);
		const action = await leaseFrom(worker);
		await expect(action.session.request(departments())).resolves.toHaveLength(3);

		await redis.stop();
		await redis.start(); // empty: the lease and the fence counter are gone
		await expect(
			action.session.request(departments(), { timeoutMs: 20_000 }),
		).resolves.toHaveLength(3);
		expect(main.holds(credential().key)).toBe(true);
		expect(await client().get(keys().lease)).toBe(`${main.fenceOf(credential().key)}:${main.id}`);
		await expect(action.session.request(departments())).resolves.toHaveLength(3);
		expect(control().sessions()).toHaveLength(1);
		expect(control().sessionStarts()).toMatchObject({ total: 1 });
	}, 40_000);
});
