import type { Redis } from 'ioredis';

import { startSimulator, type Simulator } from '../../simulator';
import { encodeRelayId } from '../../simulator/conversations';
import {
	departments,
	messageSubscription,
	sendAndWaitForReply,
	sendMessage,
	type ChatMessageEvent,
	type SessionLease,
} from '../../src/conversations';
import type { ZendeskError } from '../../src/shared';
import type { RedisSessionPool } from '../../src/conversations/cluster';
import { replyChannel, type RelayFeed } from '../../src/conversations/cluster/relay-messages';
import { Recorder, waitFor } from '../conversations/helpers';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { botCredential, freshPrefix, newClusterPool, rawClient } from './helpers';

/**
 * Relayed subscriptions (SubscribeOptions.transient) in queue mode, with a real redis-server and the
 * simulator: a process that does not hold the agent's session gets the holder's events over Redis
 * without taking the session away from the holder's own subscriptions (the main's Chat Trigger), and
 * goes on at the next holder when the session moves.
 */

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
const credential = () => botCredential(sim);
const TRANSIENT = { transient: true, maxMs: 60_000 } as const;

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

/** What the holder publishes to `pool`'s reply channel about relayed subscriptions. */
async function feedTo(pool: RedisSessionPool): Promise<RelayFeed[]> {
	const listener = rawClient(redis);
	clients.push(listener);
	const heard: RelayFeed[] = [];
	listener.on('message', (_channel: string, raw: string) => {
		const message = JSON.parse(raw) as RelayFeed;
		if (['subscribed', 'event', 'end'].includes(message.type)) heard.push(message);
	});
	await listener.subscribe(replyChannel(prefix, pool.id));
	return heard;
}

const texts = (recorder: Recorder<ChatMessageEvent>) => recorder.events.map((e) => e.content);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The most sessions of the agent alive at once while `run` runs. */
async function mostLiveDuring(run: () => Promise<void>): Promise<number> {
	let most = 0;
	const watch = setInterval(() => (most = Math.max(most, control().sessions().length)), 5);
	try {
		await run();
	} finally {
		clearInterval(watch);
	}
	return most;
}

describe('a transient subscription of a process that does not hold the session', () => {
	it("gets the holder's events relayed, read with its own operation; the holder's own subscription goes on; no handover", async () => {
		const main = processPool();
		const worker = processPool();
		const trigger = await leaseFrom(main);
		const triggerEvents = new Recorder<ChatMessageEvent>();
		await trigger.session.subscribe(messageSubscription(), triggerEvents).ready;

		const action = await leaseFrom(worker);
		const waitEvents = new Recorder<ChatMessageEvent>();
		await action.session.subscribe(messageSubscription(), waitEvents, TRANSIENT).ready;
		expect(main.holds(credential().key)).toBe(true);
		expect(worker.holds(credential().key)).toBe(false);
		// One server subscription on the one session, shared by the trigger and the relay.
		expect(control().sessions()).toHaveLength(1);
		expect(control().sessions()[0].subscriptions).toHaveLength(1);

		const chat = sim.world.startChat({ message: 'hello both' });
		await waitFor(
			() => triggerEvents.events.length === 1 && waitEvents.events.length === 1,
			'the visitor message on both',
		);
		expect(waitEvents.events).toEqual(triggerEvents.events);
		expect(waitEvents.events[0]).toMatchObject({
			content: 'hello both',
			from: { __typename: 'Visitor' },
			channel: { raw_id: chat.id },
		});

		// The worker's send (relayed too) shows on both, in order.
		await action.session.request(
			sendMessage({ channelId: encodeRelayId('CHANNEL', chat.id), message: 'agent here' }),
		);
		sim.world.visitorSays(chat.id, 'thanks');
		await waitFor(
			() => waitEvents.events.length === 3 && triggerEvents.events.length === 3,
			'the agent message and the reply on both',
		);
		expect(texts(waitEvents)).toEqual(['hello both', 'agent here', 'thanks']);
		expect(texts(triggerEvents)).toEqual(['hello both', 'agent here', 'thanks']);
		expect(waitEvents.errors).toEqual([]);
		expect(main.holds(credential().key)).toBe(true);
		expect(control().sessionStarts()).toMatchObject({ total: 1 });
	});

	it('unsubscribing stops the relayed events; the holder keeps its own subscription', async () => {
		const main = processPool();
		const worker = processPool();
		const trigger = await leaseFrom(main);
		const triggerEvents = new Recorder<ChatMessageEvent>();
		await trigger.session.subscribe(messageSubscription(), triggerEvents).ready;
		const action = await leaseFrom(worker);
		const feed = await feedTo(worker);
		const waitEvents = new Recorder<ChatMessageEvent>();
		const handle = action.session.subscribe(messageSubscription(), waitEvents, TRANSIENT);
		await handle.ready;
		sim.world.startChat({ message: 'before' });
		await waitFor(() => waitEvents.events.length === 1, 'the relayed event');

		await handle.unsubscribe();
		expect(waitEvents.ended).toBe(true);
		expect(waitEvents.endError).toBeUndefined();
		await pause(200); // the unsubscribe message reaches the holder
		const eventsBefore = feed.filter((m) => m.type === 'event').length;
		sim.world.startChat({ message: 'after' });
		await waitFor(() => triggerEvents.events.length === 2, 'the trigger’s event');
		await pause(300);
		expect(texts(waitEvents)).toEqual(['before']);
		// The holder no longer publishes anything for it.
		expect(feed.filter((m) => m.type === 'event')).toHaveLength(eventsBefore);
		expect(control().sessions()[0].subscriptions).toHaveLength(1);
	});

	it('the holder ends a relayed subscription by itself after its maxMs, with an error', async () => {
		const main = processPool();
		const worker = processPool();
		const trigger = await leaseFrom(main);
		const triggerEvents = new Recorder<ChatMessageEvent>();
		await trigger.session.subscribe(messageSubscription(), triggerEvents).ready;
		const action = await leaseFrom(worker);
		const feed = await feedTo(worker);
		const waitEvents = new Recorder<ChatMessageEvent>();
		const started = Date.now();
		await action.session.subscribe(messageSubscription(), waitEvents, {
			transient: true,
			maxMs: 700,
		}).ready;
		await waitFor(() => waitEvents.ended, 'the relayed subscription to end', 5_000);
		expect(Date.now() - started).toBeGreaterThanOrEqual(650);
		expect(waitEvents.endError).toMatchObject({ code: 'ZCHAT_ERR_TIMEOUT' });
		expect(waitEvents.endError?.message).toContain('ended by the session holder');
		await waitFor(() => feed.some((m) => m.type === 'end'), 'the holder’s end message');
		expect(feed.find((m) => m.type === 'end')).toMatchObject({
			error: { code: 'ZCHAT_ERR_TIMEOUT' },
			moved: false,
		});
		// The trigger's subscription is not touched.
		sim.world.startChat({ message: 'still there' });
		await waitFor(() => triggerEvents.events.length === 1, 'the trigger’s event');
		expect(control().sessions()[0].subscriptions).toHaveLength(1);
		expect(main.holds(credential().key)).toBe(true);
	});
});

describe('a transient subscription when the session moves', () => {
	it('the holder handing the session over to a trigger ends the relay with "moved"; the subscription goes on at the new holder', async () => {
		const warm = processPool(); // a worker that keeps the session warm after an action
		const waiter = processPool();
		const main = processPool();
		const first = await leaseFrom(warm);
		await first.session.request(departments());
		await first.release();
		expect(warm.holds(credential().key)).toBe(true);

		const action = await leaseFrom(waiter);
		const waitEvents = new Recorder<ChatMessageEvent>();
		await action.session.subscribe(messageSubscription(), waitEvents, TRANSIENT).ready;
		sim.world.startChat({ message: 'one' });
		await waitFor(() => waitEvents.events.length === 1, 'the event relayed from the first holder');

		const triggerEvents = new Recorder<ChatMessageEvent>();
		const most = await mostLiveDuring(async () => {
			const trigger = await leaseFrom(main);
			// The warm holder has only a relayed (transient) subscription: it hands over.
			await trigger.session.subscribe(messageSubscription(), triggerEvents).ready;
		});
		expect(most).toBeLessThanOrEqual(1);
		expect(main.holds(credential().key)).toBe(true);
		expect(warm.holds(credential().key)).toBe(false);
		await waitFor(() => waitEvents.errors.length === 1, 'word of the switch');
		expect(waitEvents.errors[0]).toMatchObject({ code: 'ZCHAT_ERR_SESSION_ENDED' });
		expect(waitEvents.errors[0].message).toContain('may be missed');
		expect(waitEvents.ended).toBe(false);

		// Give the waiter's re-subscription time to reach the new holder, then: both hear the next message.
		await waitFor(
			() => control().sessions()[0]?.subscriptions.length === 1,
			'the subscription on the new session',
		);
		await pause(300);
		sim.world.startChat({ message: 'two' });
		await waitFor(
			() => waitEvents.events.length === 2 && triggerEvents.events.length === 1,
			'the event after the switch',
		);
		expect(texts(waitEvents)).toEqual(['one', 'two']);
		expect(waiter.holds(credential().key)).toBe(false);
		// Two sessions one after the other: the warm holder's, then the trigger's (a start refused by the 1/s limit is retried).
		expect(control().sessionStarts()).toMatchObject({ succeeded: 2 });
	}, 30_000);

	it('the holder closing ends the relay with "moved"; the waiting process takes the session and goes on', async () => {
		const main = processPool();
		const worker = processPool();
		const trigger = await leaseFrom(main);
		await trigger.session.subscribe(messageSubscription(), new Recorder()).ready;
		const action = await leaseFrom(worker);
		const waitEvents = new Recorder<ChatMessageEvent>();
		await action.session.subscribe(messageSubscription(), waitEvents, TRANSIENT).ready;

		const most = await mostLiveDuring(async () => {
			await main.close();
			await waitFor(
				() => worker.holds(credential().key) && control().sessions()[0]?.subscriptions.length === 1,
				'the worker to hold the session',
				10_000,
			);
		});
		// Never two sessions of the agent at once (the sampling may miss the short-lived ones).
		expect(most).toBeLessThanOrEqual(1);
		expect(waitEvents.errors.map((e) => e.code)).toEqual(['ZCHAT_ERR_SESSION_ENDED']);
		sim.world.startChat({ message: 'after the close' });
		await waitFor(() => waitEvents.events.length === 1, 'the event on the worker’s own session');
		expect(texts(waitEvents)).toEqual(['after the close']);
		expect(waitEvents.ended).toBe(false);
	}, 30_000);

	it('a holder that dies without a word: the lease tells, and the subscription goes on at the next holder', async () => {
		const main = processPool();
		const worker = processPool();
		await leaseFrom(main);
		const action = await leaseFrom(worker);
		const waitEvents = new Recorder<ChatMessageEvent>();
		await action.session.subscribe(messageSubscription(), waitEvents, TRANSIENT).ready;
		await main.abandon();
		await waitFor(
			() => worker.holds(credential().key) && control().sessions()[0]?.subscriptions.length === 1,
			'the worker to take over',
			15_000,
		);
		expect(waitEvents.errors.map((e) => e.code)).toEqual(['ZCHAT_ERR_SESSION_ENDED']);
		sim.world.startChat({ message: 'after the failover' });
		await waitFor(() => waitEvents.events.length === 1, 'the event after the failover');
		expect(waitEvents.ended).toBe(false);
	}, 30_000);

	it('a process that became the holder for its transient subscription still hands over to a trigger, and goes on through the relay', async () => {
		const worker = processPool();
		const main = processPool({ handoverTimeoutMs: 10_000 });
		const action = await leaseFrom(worker);
		const waitEvents = new Recorder<ChatMessageEvent>();
		await action.session.subscribe(messageSubscription(), waitEvents, TRANSIENT).ready;
		expect(worker.holds(credential().key)).toBe(true);

		const trigger = await leaseFrom(main);
		const triggerEvents = new Recorder<ChatMessageEvent>();
		await trigger.session.subscribe(messageSubscription(), triggerEvents).ready;
		expect(main.holds(credential().key)).toBe(true);
		expect(worker.holds(credential().key)).toBe(false);
		await waitFor(() => waitEvents.errors.length === 1, 'word of the switch');
		await pause(500);
		sim.world.startChat({ message: 'relayed now' });
		await waitFor(
			() => waitEvents.events.length === 1 && triggerEvents.events.length === 1,
			'the event on both',
		);
		expect(texts(waitEvents)).toEqual(['relayed now']);
		expect(control().sessions()).toHaveLength(1);
		expect(control().sessions()[0].subscriptions).toHaveLength(1);
	}, 30_000);
});

describe('Send and Wait for Reply in queue mode (sendAndWaitForReply on a worker)', () => {
	it("a worker's wait gets the visitor's reply relayed from the main's session; the trigger hears it too; no handover", async () => {
		const main = processPool();
		const worker = processPool();
		const trigger = await leaseFrom(main);
		const triggerEvents = new Recorder<ChatMessageEvent>();
		await trigger.session.subscribe(messageSubscription(), triggerEvents).ready;
		const chat = sim.world.startChat({ message: 'where is my order?' });
		const channelId = encodeRelayId('CHANNEL', chat.id);
		const action = await leaseFrom(worker);
		const feed = await feedTo(worker);

		const waiting = sendAndWaitForReply(action.session, {
			channelId,
			send: sendMessage({ channelId, message: 'Order number?' }),
			text: 'Order number?',
			timeoutMs: 10_000,
		});
		await waitFor(() => chat.delivered.length === 1, 'the message to reach the visitor');
		sim.world.visitorSays(chat.id, '4711');
		const outcome = await waiting;
		expect(outcome.reply).toMatchObject({ content: '4711', from: { __typename: 'Visitor' } });
		expect(outcome.sent).toMatchObject({ success: true });
		await waitFor(() => triggerEvents.events.length === 3, 'the trigger’s events');
		expect(main.holds(credential().key)).toBe(true);
		expect(worker.holds(credential().key)).toBe(false);
		expect(control().sessionStarts()).toMatchObject({ total: 1 });

		// The wait's relayed subscription is gone: nothing more is published for it.
		await pause(200);
		const published = feed.length;
		sim.world.visitorSays(chat.id, 'hello?');
		await waitFor(() => triggerEvents.events.length === 4, 'the trigger’s event');
		await pause(200);
		expect(feed).toHaveLength(published);
	});

	it('the holder closing mid-wait: the wait goes on at the new holder and gets the reply', async () => {
		const main = processPool();
		const worker = processPool();
		const trigger = await leaseFrom(main);
		await trigger.session.subscribe(messageSubscription(), new Recorder()).ready;
		const chat = sim.world.startChat({ message: 'hi' });
		const channelId = encodeRelayId('CHANNEL', chat.id);
		const action = await leaseFrom(worker);
		const notices: ZendeskError[] = [];
		const waiting = sendAndWaitForReply(action.session, {
			channelId,
			send: sendMessage({ channelId, message: 'Still there?' }),
			text: 'Still there?',
			timeoutMs: 20_000,
			onNotice: (error) => notices.push(error),
		});
		await waitFor(() => chat.delivered.length === 1, 'the message to reach the visitor');
		await main.close();
		await waitFor(
			() => worker.holds(credential().key) && control().sessions()[0]?.subscriptions.length === 1,
			'the worker to hold the session',
			10_000,
		);
		sim.world.visitorSays(chat.id, 'yes!');
		const outcome = await waiting;
		expect(outcome.reply).toMatchObject({ content: 'yes!' });
		expect(notices.map((n) => n.code)).toEqual(['ZCHAT_ERR_SESSION_ENDED']);
	}, 30_000);
});
