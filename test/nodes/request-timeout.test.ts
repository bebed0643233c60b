/**
 * Request Options › Timeout and n8n's Stop on both action nodes, through n8n-core's engine against
 * the simulator over real sockets: a slow Zendesk fails the item with a clear timeout error at the
 * time limit (not after five attempts of 30 s), and stopping the execution ends a call in flight
 * within about a second.
 */
import type { IDataObject, INodeProperties, IRun } from 'n8n-workflow';

import { ZendeskChat } from '../../nodes/ZendeskChat/ZendeskChat.node';
import { ZendeskMessaging } from '../../nodes/ZendeskMessaging/ZendeskMessaging.node';
import { startSimulator, type Simulator } from '../../simulator';
import { DEFAULT_CALL_DEADLINE_MS } from '../../src/shared';
import { errorOf, type N8nHarness } from '../helpers/n8n/harness';
import { chatHarness, chatNode, NODE_NAME as CHAT, restRequests } from './ZendeskChat/rest/helpers';
import {
	messagingHarness,
	messagingNode,
	NODE_NAME as MESSAGING,
	unique,
} from './ZendeskMessaging/helpers';

let sim: Simulator;
let chatId: string;

beforeAll(async () => {
	sim = await startSimulator();
	sim.rest.control.seedChats({ count: 1 });
	chatId = sim.world.listChats()[0].id;
});

afterAll(() => sim.close());

afterEach(() => {
	sim.faults.reset();
	sim.faults.cancelWaits();
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error('timed out waiting for the request to reach the simulator');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

interface Case {
	name: string;
	api: 'rest' | 'sunshine';
	harness: () => N8nHarness;
	node: (parameters: IDataObject) => ReturnType<typeof chatNode>;
	nodeName: string;
	parameters: () => IDataObject;
	route: string;
}

const cases: Case[] = [
	{
		name: 'Zendesk Chat (Chat › Get)',
		api: 'rest',
		harness: () => chatHarness(sim),
		node: (parameters) => chatNode(parameters),
		nodeName: CHAT,
		parameters: () => ({ resource: 'chat', operation: 'get', chatId }),
		route: 'Chat REST API GET /api/v2/chat/chats/',
	},
	{
		name: 'Zendesk Messaging (User › Get)',
		api: 'sunshine',
		harness: () => messagingHarness(sim),
		node: (parameters) => messagingNode(parameters),
		nodeName: MESSAGING,
		parameters: () => ({ resource: 'user', operation: 'get', externalId: unique('timeout') }),
		route: 'Sunshine Conversations GET /users/{userIdOrExternalId}',
	},
];

describe.each(cases)('$name', ({ api, harness, node, nodeName, parameters, route }) => {
	it('a slow Zendesk fails the item at Request Options › Timeout with a clear timeout error', async () => {
		sim.faults.setDelay({ api, ms: 30_000 });
		const started = Date.now();
		const n = node({ ...parameters(), requestOptions: { timeout: 2 } });
		const run = await harness().run({ nodes: [n], startNode: n.name });
		const elapsedMs = Date.now() - started;
		const error = errorOf(run, nodeName);
		expect(error.message).toContain(route);
		expect(error.message).toContain(
			"did not finish within 2 s (the call's time limit, retries included)",
		);
		expect(error.description).toContain('Request Options › Timeout');
		expect(elapsedMs).toBeGreaterThanOrEqual(1_900);
		expect(elapsedMs).toBeLessThan(4_000);
	});

	it('stopping the execution ends the call in flight within a second', async () => {
		sim.faults.setDelay({ api, ms: 30_000 });
		const stop = new AbortController();
		const n = node(parameters());
		const running: Promise<IRun> = harness().run({
			nodes: [n],
			startNode: n.name,
			stopSignal: stop.signal,
		});
		await until(() => sim.faults.pendingWaitCount > 0);
		const stoppedAt = Date.now();
		stop.abort();
		const run = await running;
		expect(Date.now() - stoppedAt).toBeLessThan(1_000);
		expect(run.status).toBe('canceled');
		expect(run.data.resultData.runData[nodeName]?.[0]?.error?.message).toMatch(/abort/i);
	});

	it('refuses a Timeout that is not a number from 1 to 600, before any request', async () => {
		sim.rest.control.clearRequestLog();
		const served = sim.faults.served[api];
		const n = node({ ...parameters(), requestOptions: { timeout: '={{ 0 }}' } });
		const error = errorOf(await harness().run({ nodes: [n], startNode: n.name }), nodeName);
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(
			'Request Options › Timeout (Seconds) must be a number from 1 to 600',
		);
		expect(sim.faults.served[api]).toBe(served);
		if (api === 'rest') expect(restRequests(sim)).toEqual([]);
	});
});

describe('the Request Options property', () => {
	const requestOptionsOf = (properties: INodeProperties[]) =>
		properties.find((p) => p.name === 'requestOptions');

	it('is the same on both nodes, defaults to the clients’ time limit, and is hidden where Send and Wait has its own timeout', () => {
		const chat = requestOptionsOf(new ZendeskChat().description.properties);
		const messaging = requestOptionsOf(new ZendeskMessaging().description.properties);
		expect(chat?.options).toEqual(messaging?.options);
		expect((chat?.options?.[0] as INodeProperties).default).toBe(DEFAULT_CALL_DEADLINE_MS / 1000);
		expect(chat?.displayOptions).toEqual({ hide: { operation: ['sendAndWaitForReply'] } });
		expect(messaging?.displayOptions).toEqual({ hide: { operation: ['sendAndWaitForReply'] } });
	});
});
