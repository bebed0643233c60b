import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { MESSAGING_ORIGIN_TAG } from '../../../nodes/shared/messagingOrigin';
import { createEchoFilter, MessagingClient } from '../../../src/messaging';
import { startSimulator, SIM_SUNSHINE, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { itemsOf, messagingHarness, NODE_NAME, runNode, textOf, unique } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const conversationOp = (operation: string, parameters: Record<string, unknown>) => ({
	resource: 'conversation',
	operation,
	...parameters,
});
const sendText = (parameters: Record<string, unknown>) => ({
	resource: 'message',
	operation: 'sendText',
	...parameters,
});

/** An escalated chatbot user, as an earlier execution leaves it. */
async function escalated(
	prefix: string,
): Promise<{ externalId: string; conversationId: string; userId: string }> {
	const externalId = unique(prefix);
	const run = await runNode(
		messagingHarness(sim),
		conversationOp('escalate', {
			userExternalId: externalId,
			summary: `Summary for ${externalId}`,
		}),
	);
	const [out] = outputOf(run, NODE_NAME);
	return {
		externalId,
		conversationId: out.conversationId as string,
		userId: (out.user as { id: string }).id,
	};
}

describe('Forward User Message', () => {
	it('finds the conversation again from the external ID in a later execution, with no stored state', async () => {
		const { externalId, conversationId, userId } = await escalated('stateless');

		// A new harness: nothing of the first execution survives but Zendesk's own data.
		const staticData = {};
		const run = await messagingHarness(sim).run({
			nodes: [
				{
					id: 'zm',
					name: NODE_NAME,
					type: 'n8n-nodes-zendesk-chat.zendeskMessaging',
					typeVersion: 1,
					position: [0, 0],
					parameters: conversationOp('forwardUserMessage', {
						userExternalId: '={{ $json.sessionId }}',
						text: '={{ $json.chatInput }}',
					}),
					credentials: { zendeskMessagingApi: { id: 'cred-messaging', name: 'Zendesk Messaging' } },
				},
			],
			startNode: NODE_NAME,
			staticData,
			items: [{ json: { sessionId: externalId, chatInput: 'Any news on my refund?' } }],
		});
		const [out] = outputOf(run, NODE_NAME);
		expect(out.conversationId).toBe(conversationId);
		expect(out.author).toMatchObject({ type: 'user', userId });
		expect(textOf(out)).toBe('Any news on my refund?');
		expect(staticData).toEqual({});

		const messages = sim.sunshine.control.messages({ conversationId });
		expect(messages.map(textOf)).toEqual([`Summary for ${externalId}`, 'Any news on my refund?']);
		expect(messages[1].author).toMatchObject({ type: 'user', userId });
		// A customer message is not an echo: the agent side (and the trigger) see it.
		expect(createEchoFilter({ originTag: MESSAGING_ORIGIN_TAG })(messages[1] as never)).toBe(false);
	});

	it('posts into a conversation given by ID, with metadata, one message per item', async () => {
		const { externalId, conversationId } = await escalated('by-id');
		const run = await runNode(
			messagingHarness(sim),
			conversationOp('forwardUserMessage', {
				userExternalId: externalId,
				conversationBy: 'conversationId',
				conversationId,
				text: '={{ $json.text }}',
				options: { metadata: '={{ { "channel": "whatsapp", "n": $itemIndex } }}' },
			}),
			[{ json: { text: 'first' } }, { json: { text: 'second' } }],
		);
		const items = itemsOf(run);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items.map((item) => textOf(item.json))).toEqual(['first', 'second']);
		expect(items.map((item) => item.json.metadata)).toEqual([
			{ channel: 'whatsapp', n: 0 },
			{ channel: 'whatsapp', n: 1 },
		]);
		expect(sim.sunshine.control.messages({ conversationId }).map(textOf).slice(-2)).toEqual([
			'first',
			'second',
		]);
	});

	it('says so when the user exists but has no conversation', async () => {
		const externalId = unique('lonely');
		const harness = messagingHarness(sim);
		outputOf(
			await runNode(harness, { resource: 'user', operation: 'create', externalId }),
			NODE_NAME,
		);
		const error = errorOf(
			await runNode(
				harness,
				conversationOp('forwardUserMessage', { userExternalId: externalId, text: 'Hello?' }),
			),
			NODE_NAME,
		);
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(`The user with external ID "${externalId}" has no conversation yet`);
		expect(error.description).toBe(
			'Run Escalate to Agent for this user first (it creates the conversation), or find the conversation by its ID.',
		);
	});

	it('reports an unknown user as the API’s user_not_found', async () => {
		const error = errorOf(
			await runNode(
				messagingHarness(sim),
				conversationOp('forwardUserMessage', { userExternalId: unique('nobody'), text: 'Hello?' }),
			),
			NODE_NAME,
		) as Error & {
			httpCode?: string;
			errorResponse?: { errors: Array<{ code: string }> };
		};
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe(
			'Sunshine Conversations GET /conversations failed with 404 (user_not_found: User not found). Check the app id and the ids in the request.',
		);
		expect(error.errorResponse?.errors[0].code).toBe('user_not_found');
	});
});

describe('Message › Send Text (what Send as Business was)', () => {
	it('posts as the business with a display name, stamped with the package’s origin tag so the trigger drops the echo', async () => {
		const { externalId, conversationId } = await escalated('send');
		const run = await runNode(
			messagingHarness(sim),
			sendText({
				userExternalId: externalId,
				text: 'Hi! An agent will be with you shortly.',
				displayName: 'Support Bot',
				options: {
					avatarUrl: 'https://example.com/bot.png',
					ai: true,
					metadata: '{"intent": "handoff"}',
				},
			}),
		);
		const [out] = outputOf(run, NODE_NAME);
		expect(out.conversationId).toBe(conversationId);
		expect(out.author).toMatchObject({
			type: 'business',
			displayName: 'Support Bot',
			avatarUrl: 'https://example.com/bot.png',
			subtypes: ['AI'],
		});
		expect(out.metadata).toEqual({ intent: 'handoff', 'n8n.origin': MESSAGING_ORIGIN_TAG });
		const stored = sim.sunshine.control.messages({ conversationId }).at(-1);
		expect(textOf(stored)).toBe('Hi! An agent will be with you shortly.');
		expect(createEchoFilter({ originTag: MESSAGING_ORIGIN_TAG })(stored as never)).toBe(true);
		// An agent's reply is a business message too, but without our tag: not an echo.
		const reply = sim.sunshine.control.agentReplies({ conversationId, text: 'Hello, I am Sam.' });
		expect(createEchoFilter({ originTag: MESSAGING_ORIGIN_TAG })(reply as never)).toBe(false);
	});

	it('sends one message per item, with no display name when it is empty', async () => {
		const { conversationId } = await escalated('items');
		const run = await runNode(
			messagingHarness(sim),
			sendText({
				conversationBy: 'conversationId',
				conversationId,
				text: '={{ $json.text }}',
				displayName: '={{ $json.name }}',
			}),
			[
				{ json: { text: 'one', name: '' } },
				{ json: { text: 'two', name: 'Bot B' } },
				{ json: { text: 'three', name: '' } },
			],
		);
		const items = itemsOf(run);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => textOf(item.json))).toEqual(['one', 'two', 'three']);
		expect(items.map((item) => item.json.metadata)).toEqual(
			[1, 2, 3].map(() => ({ 'n8n.origin': MESSAGING_ORIGIN_TAG })),
		);
		expect(items.map((item) => (item.json.author as { displayName?: string }).displayName)).toEqual(
			[undefined, 'Bot B', undefined],
		);
		expect(sim.sunshine.control.messages({ conversationId }).map(textOf).slice(-3)).toEqual([
			'one',
			'two',
			'three',
		]);
	});

	it('reports an unknown conversation as a NodeApiError with the API’s code', async () => {
		const error = errorOf(
			await runNode(
				messagingHarness(sim),
				sendText({
					conversationBy: 'conversationId',
					conversationId: 'no-such-conversation',
					text: 'Hi',
				}),
			),
			NODE_NAME,
		) as Error & {
			httpCode?: string;
			description?: string;
			errorResponse?: { errors: Array<{ code: string }> };
			context?: { itemIndex?: number };
		};
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe(
			'Sunshine Conversations POST /conversations/{conversationId}/messages failed with 404 (conversation_not_found: Conversation not found). Check the app id and the ids in the request.',
		);
		expect(error.description).toBe('Zendesk answered HTTP 404.');
		expect(error.errorResponse?.errors[0].code).toBe('conversation_not_found');
		expect(error.context?.itemIndex).toBe(0);
	});

	it('with Continue On Fail, an unknown conversation becomes an error item paired with its input', async () => {
		const { conversationId } = await escalated('cof');
		const run = await runNode(
			messagingHarness(sim),
			sendText({ conversationBy: 'conversationId', conversationId: '={{ $json.id }}', text: 'Hi' }),
			[{ json: { id: 'missing-one' } }, { json: { id: conversationId } }],
			{ onError: 'continueRegularOutput' },
		);
		const items = itemsOf(run);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toEqual({
			error:
				'Sunshine Conversations POST /conversations/{conversationId}/messages failed with 404 (conversation_not_found: Conversation not found). Check the app id and the ids in the request.',
			description: 'Zendesk answered HTTP 404.',
		});
		expect(items[1].json.conversationId).toBe(conversationId);
	});
});

describe('Release Control, Get, List Messages', () => {
	let hook: Server;
	let integrationId: string;
	let client: MessagingClient;
	beforeAll(async () => {
		hook = createServer((req, res) => {
			req.resume();
			req.on('end', () => res.writeHead(200).end());
		});
		await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
		client = new MessagingClient({
			baseUrl: sim.urls.sunshine,
			appId: SIM_SUNSHINE.appId,
			auth: { type: 'basic', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
		});
		const integration = await client.createCustomIntegration({
			displayName: 'test hook',
			webhook: {
				target: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
				triggers: ['switchboard:releaseControl'],
			},
		});
		integrationId = integration.id;
	});
	afterAll(async () => {
		await client.deleteIntegration(integrationId);
		await client.close();
		await new Promise((resolve) => hook.close(resolve));
	});

	it('Get shows the agent workspace in control after an escalation, by external ID and by ID', async () => {
		const { externalId, conversationId } = await escalated('get');
		const harness = messagingHarness(sim);
		const byExternal = outputOf(
			await runNode(harness, conversationOp('get', { userExternalId: externalId })),
			NODE_NAME,
		)[0];
		const byId = outputOf(
			await runNode(
				harness,
				conversationOp('get', { conversationBy: 'conversationId', conversationId }),
			),
			NODE_NAME,
		)[0];
		expect(byExternal.id).toBe(conversationId);
		expect(byId.id).toBe(conversationId);
		expect((byExternal.activeSwitchboardIntegration as { name: string }).name).toBe(
			'zd-agentWorkspace',
		);
		expect((byId.activeSwitchboardIntegration as { name: string }).name).toBe('zd-agentWorkspace');
	});

	it('Get by ID reports an unknown conversation as conversation_not_found', async () => {
		const error = errorOf(
			await runNode(
				messagingHarness(sim),
				conversationOp('get', { conversationBy: 'conversationId', conversationId: 'gone' }),
			),
			NODE_NAME,
		);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(
			'Sunshine Conversations GET /conversations/{conversationId} failed with 404 (conversation_not_found: Conversation not found). Check the app id and the ids in the request.',
		);
	});

	it('Release Control ends the agent workspace’s control, with the metadata in the webhook event', async () => {
		const { externalId, conversationId } = await escalated('release');
		const run = await runNode(
			messagingHarness(sim),
			conversationOp('releaseControl', {
				userExternalId: externalId,
				options: { metadata: '{"reason": "bot resolved"}' },
			}),
		);
		expect(outputOf(run, NODE_NAME)).toEqual([{ conversationId, controlReleased: true }]);
		expect(sim.sunshine.control.conversation({ id: conversationId }).switchboard.active).toBeNull();
		await sim.sunshine.control.settleDeliveries();
		const events = sim.sunshine.control
			.deliveries({ type: 'switchboard:releaseControl' })
			.flatMap((attempt) => attempt.body.events)
			.filter(
				(event) =>
					(event.payload as { conversation: { id: string } }).conversation.id === conversationId,
			);
		expect(events).toHaveLength(1);
		expect((events[0].payload as { metadata?: unknown }).metadata).toEqual({
			reason: 'bot resolved',
		});
	});

	it('List Messages returns every message oldest first across pages, or the most recent ones up to the limit', async () => {
		const { externalId, conversationId } = await escalated('list');
		sim.sunshine.control.fillMessages({ conversationId, count: 150 });
		const harness = messagingHarness(sim);

		const all = itemsOf(
			await runNode(
				harness,
				conversationOp('listMessages', { userExternalId: externalId, returnAll: true }),
			),
		);
		expect(all).toHaveLength(151);
		expect(textOf(all[0].json)).toBe(`Summary for ${externalId}`);
		expect(textOf(all[150].json)).toBe('Filler message 150');
		expect(all.map((item) => item.json.id)).toEqual(
			sim.sunshine.control.messages({ conversationId }).map((m: { id: string }) => m.id),
		);
		expect(
			all.every(
				(item) =>
					item.json.conversationId === conversationId &&
					(item.pairedItem as { item: number }).item === 0,
			),
		).toBe(true);

		const limited = itemsOf(
			await runNode(
				harness,
				conversationOp('listMessages', {
					conversationBy: 'conversationId',
					conversationId,
					limit: '={{ $json.limit }}',
				}),
				[{ json: { limit: 3 } }, { json: { limit: 120 } }],
			),
		);
		expect(limited).toHaveLength(123);
		expect(limited.slice(0, 3).map((item) => textOf(item.json))).toEqual([
			'Filler message 148',
			'Filler message 149',
			'Filler message 150',
		]);
		expect(
			limited.slice(0, 3).every((item) => (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
		expect(textOf(limited[3].json)).toBe('Filler message 31');
		expect(limited.slice(3).every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(
			true,
		);
	});
});
