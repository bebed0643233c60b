import type { Redis } from 'ioredis';
import type { IRun } from 'n8n-workflow';

import { sharedSessionPool } from '../../nodes/shared/sessionPool';
import { SIM_BOT_AGENT_ID, SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import {
	messageSubscription,
	type ChatMessageEvent,
	type SessionLease,
} from '../../src/conversations';
import type { RedisSessionPool } from '../../src/conversations/cluster';
import { replyChannel } from '../../src/conversations/cluster/relay-messages';
import { staticToken } from '../../src/shared';
import { Recorder, waitFor } from '../conversations/helpers';
import { simAgentKey } from '../helpers/chat-credentials';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import {
	delivered,
	itemsOf,
	liveHarness,
	liveNode,
	NODE_NAME,
	run,
	startChat,
} from '../nodes/ZendeskChat/live/helpers';
import { freshPrefix, newClusterPool, rawClient } from './helpers';

/**
 * Zendesk Chat › Message › Send and Wait for Reply in n8n's queue mode, through n8n-core's engine:
 * the node runs "on a worker" (this process's shared RedisSessionPool) while "the main" (another
 * pool on the same Redis) holds the agent's session with a Chat Trigger's subscription. The send
 * and the wait are relayed; the trigger keeps the session and its subscription.
 */

let sim: Simulator;
let redis: RedisServer;
let main: RedisSessionPool;
let worker: RedisSessionPool;
let trigger: SessionLease;
const triggerEvents = new Recorder<ChatMessageEvent>();
const relayed: string[] = [];
let listener: Redis;
const prefix = freshPrefix();
const savedEnv = { ...process.env };

beforeAll(async () => {
	[sim, redis] = await Promise.all([startSimulator(), startRedisServer()]);
	Object.assign(process.env, {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: prefix,
	});
	worker = sharedSessionPool() as RedisSessionPool;
	main = newClusterPool(sim, redis, prefix);
	trigger = await main.lease({
		key: simAgentKey(sim, SIM_BOT_AGENT_ID),
		tokenProvider: staticToken(SIM_TOKENS.bot),
		httpUrl: sim.urls.conversationsHttp,
	});
	await trigger.session.subscribe(messageSubscription(), triggerEvents).ready;
	// What the main publishes to the worker about relayed subscriptions.
	listener = rawClient(redis);
	listener.on('message', (_channel: string, raw: string) => {
		const type = (JSON.parse(raw) as { type: string }).type;
		if (type === 'event' || type === 'subscribed' || type === 'end') relayed.push(type);
	});
	await listener.subscribe(replyChannel(prefix, worker.id));
}, 60_000);

afterAll(async () => {
	listener?.disconnect();
	await trigger?.release();
	await Promise.all([worker?.close(), main?.close()]);
	process.env = { ...savedEnv };
	await Promise.all([sim?.close(), redis?.close()]);
});

const control = () => sim.conversations.control;
const key = () => simAgentKey(sim, SIM_BOT_AGENT_ID);

it("a worker's Send and Wait for Reply is relayed through the main's session: the reply comes, the trigger keeps the session", async () => {
	const harness = liveHarness(sim);
	const { chat, channelId } = startChat(sim);
	const running = run(harness, {
		resource: 'message',
		operation: 'sendAndWaitForReply',
		channelId,
		text: 'Which size?',
		timeout: 20,
	});
	await waitFor(
		() => delivered(sim, chat.id).length === 1,
		'the message to reach the visitor',
		10_000,
	);
	sim.world.visitorSays(chat.id, 'Medium');
	const [item] = itemsOf(await running);
	expect(item.json).toMatchObject({
		replied: true,
		timedOut: false,
		reply: { text: 'Medium', senderType: 'visitor', channelId },
		sent: { success: true, channelId },
	});
	expect(main.holds(key())).toBe(true);
	expect(worker.holds(key())).toBe(false);
	expect(control().sessionStarts()).toMatchObject({ total: 1 });
	expect(control().sessions()[0].subscriptions).toHaveLength(1);
	// (The listener is a connection of its own: it may hear the relay a little later than the worker.)
	await waitFor(
		() => relayed.includes('subscribed') && relayed.includes('event'),
		'the relay as seen from Redis',
	);
	await waitFor(
		() => triggerEvents.events.some((e) => e.content === 'Medium'),
		'the trigger to hear the reply too',
	);
});

it('stopping the execution on the worker ends the relayed wait at once: nothing more is relayed, the trigger goes on', async () => {
	const harness = liveHarness(sim);
	const { chat, channelId } = startChat(sim);
	const stop = new AbortController();
	const node = liveNode({
		resource: 'message',
		operation: 'sendAndWaitForReply',
		channelId,
		text: 'Anything else?',
		timeout: 600,
	});
	const running: Promise<IRun> = harness.run({
		nodes: [node],
		startNode: node.name,
		stopSignal: stop.signal,
	});
	await waitFor(() => delivered(sim, chat.id).length === 1, 'the wait to begin', 10_000);
	const stoppedAt = Date.now();
	stop.abort();
	const result = await running;
	expect(Date.now() - stoppedAt).toBeLessThan(2_000);
	expect(result.status).toBe('canceled');
	expect(result.data.resultData.runData[NODE_NAME]?.[0]?.error?.message).toMatch(/abort/i);

	await new Promise((resolve) => setTimeout(resolve, 300)); // the unsubscribe reaches the main
	const before = relayed.length;
	sim.world.visitorSays(chat.id, 'no thanks');
	await waitFor(
		() => triggerEvents.events.some((e) => e.content === 'no thanks'),
		'the trigger to hear it',
	);
	await new Promise((resolve) => setTimeout(resolve, 300));
	expect(relayed).toHaveLength(before);
	expect(main.holds(key())).toBe(true);
	expect(control().sessions()).toHaveLength(1);
	expect(control().sessions()[0].subscriptions).toHaveLength(1);
});
