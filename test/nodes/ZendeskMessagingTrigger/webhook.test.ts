import { ESCALATION_TRIGGERS, WEBHOOK_TRIGGERS } from '../../../src/messaging';
import {
	MAX_TRIGGERS,
	rememberedTriggers,
} from '../../../nodes/ZendeskMessagingTrigger/helpers/dedupe';
import { MESSAGING_ORIGIN_TAG } from '../../../nodes/shared/messagingOrigin';
import { SIM_SUNSHINE } from '../../../simulator';
import { DOWNSTREAM, TriggerFixture } from './fixture';
import { outputOf } from '../../helpers/n8n/harness';
import { businessMessage, envelope, event, userMessage } from './payloads';

/**
 * Calls to the node's webhook URL (over a real socket, through n8n-core's WebhookContext): the
 * X-API-Key check, the body check, one item per selected event, retries and the bot's own messages.
 */
let f: TriggerFixture;
const APP = SIM_SUNSHINE.appId;

beforeAll(async () => {
	f = await TriggerFixture.start();
});
afterAll(() => f.close());

const newCalls = (from: number) => f.calls.slice(from);

/** The calls since `from`: one, answered `status` by the node itself, and no execution started. */
function expectAnsweredWithoutExecution(from: number, status: number) {
	expect(newCalls(from).map((c) => [c.status, c.response, c.run, c.items])).toEqual([
		[status, { noWebhookResponse: true }, undefined, []],
	]);
}

describe('with a webhook registered on activation', () => {
	let secret: string;
	let integrationId: string;

	beforeAll(async () => {
		f.useWorkflow({});
		await f.activate();
		secret = f.stored.webhookSecret as string;
		integrationId = f.stored.integrationId as string;
	});
	afterAll(() => f.hook('delete'));

	describe('verification', () => {
		it('refuses a call without X-API-Key with 401 and starts nothing', async () => {
			const from = f.calls.length;
			expect(await f.post(envelope([userMessage()]))).toEqual({
				status: 401,
				body: { error: 'Unauthorized' },
			});
			expectAnsweredWithoutExecution(from, 401);
		});

		it('refuses a wrong X-API-Key (one character off, or the key id) with 401', async () => {
			const wrong = [
				`${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`,
				`${secret}x`,
				SIM_SUNSHINE.keySecret,
				'',
			];
			for (const key of wrong) {
				expect(await f.post(envelope([userMessage()]), { 'X-API-Key': key })).toEqual({
					status: 401,
					body: { error: 'Unauthorized' },
				});
			}
		});

		it('accepts the secret, answers 200 at once and runs the workflow', async () => {
			const from = f.calls.length;
			const sent = userMessage('right key');
			expect(await f.post(envelope([sent]), { 'x-api-key': secret })).toEqual({
				status: 200,
				body: { received: true },
			});
			const [call] = newCalls(from);
			expect(call.items.map((i) => i.text)).toEqual(['right key']);
			expect(outputOf(call.run!, DOWNSTREAM)).toEqual([{ seen: sent.id }]);
		});

		it("does not call Zendesk for a customer's message, whose event names the customer", async () => {
			const served = f.sim.faults.served.sunshine;
			f.sim.faults.failNextHttp({ api: 'sunshine', status: 500 });
			expect((await f.post(envelope([userMessage()]), { 'X-API-Key': secret })).status).toBe(200);
			expect(f.sim.faults.served.sunshine).toBe(served);
			f.sim.faults.reset();
		});

		it('does not remember the ids of a refused call, so a forged call cannot suppress the real event', async () => {
			const real = userMessage('the real one');
			expect((await f.post(envelope([real]), { 'X-API-Key': 'forged' })).status).toBe(401);
			const from = f.calls.length;
			expect((await f.post(envelope([real]), { 'X-API-Key': secret })).status).toBe(200);
			expect(newCalls(from)[0].items.map((i) => i.eventId)).toEqual([real.id]);
		});

		it.each([
			[
				'JSON that is not an envelope',
				JSON.stringify({ hello: 1 }),
				'application/json',
				'the webhook body is not a Sunshine Conversations envelope: app: Required',
			],
			[
				'events that are not a list',
				JSON.stringify({ ...envelope([]), events: {} }),
				'application/json',
				'the webhook body is not a Sunshine Conversations envelope: events: Expected array, received object',
			],
			['text that is not JSON', 'events=1', 'text/plain', 'the webhook body is not JSON'],
			['JSON cut short', '{"app":{"id":', 'application/json', 'the webhook body is not JSON'],
		])('answers 400 to %s, and starts nothing', async (_name, body, contentType, error) => {
			const from = f.calls.length;
			expect(await f.post(body, { 'X-API-Key': secret, 'content-type': contentType })).toEqual({
				status: 400,
				body: { error },
			});
			expectAnsweredWithoutExecution(from, 400);
		});
	});

	describe('items', () => {
		it('makes one item per selected event, in order; other events are dropped', async () => {
			const first = userMessage('one');
			const typing = event('conversation:typing', { conversation: { id: 'c1' } });
			const released = event('switchboard:releaseControl', {
				conversation: { id: 'c1', type: 'personal' },
				reason: 'ticketClosed',
			});
			const from = f.calls.length;
			expect(
				(await f.post(envelope([first, typing, released]), { 'X-API-Key': secret })).status,
			).toBe(200);
			const [call] = newCalls(from);
			expect(call.items.map((i) => [i.eventType, i.eventId])).toEqual([
				['conversation:message', first.id],
				['switchboard:releaseControl', released.id],
			]);
			expect(outputOf(call.run!, DOWNSTREAM)).toEqual([{ seen: first.id }, { seen: released.id }]);
		});

		it('acknowledges a call with no selected event with 200 and starts nothing', async () => {
			const from = f.calls.length;
			const body = envelope([
				event('conversation:typing', { conversation: { id: 'c1' } }),
				event('conversation:read', {}),
			]);
			expect(await f.post(body, { 'X-API-Key': secret })).toEqual({
				status: 200,
				body: { received: true },
			});
			expectAnsweredWithoutExecution(from, 200);
		});

		it("gives a user's message its clear fields on top of the event as sent", async () => {
			const sent = userMessage('I was charged twice');
			const from = f.calls.length;
			await f.post(envelope([sent]), { 'X-API-Key': secret });
			expect(newCalls(from)[0].items).toEqual([
				{
					eventType: 'conversation:message',
					eventId: sent.id,
					createdAt: '2026-01-05T09:00:00.000Z',
					appId: APP,
					conversationId: 'f52b01137aa6c250bc7251fa',
					userId: '26508c10541a4b0ff472e5e2',
					externalUserId: '912382197',
					channel: 'telegram',
					metadata: null,
					author: { type: 'user', subtypes: [], displayName: 'Steve Rogers' },
					messageId: `m${sent.id}`,
					authorType: 'user',
					authorName: 'Steve Rogers',
					fromAgent: false,
					agentId: null,
					agentName: null,
					contentType: 'text',
					text: 'I was charged twice',
					content: { type: 'text', text: 'I was charged twice' },
					media: [],
					event: sent,
				},
			]);
		});

		it("gives an agent's reply the agent's id and name", async () => {
			const reply = businessMessage('Refunding now.', {
				author: { displayName: 'Alex Agent', subtypes: ['agent'] },
				source: { type: 'zd:agentWorkspace', integrationId: '5f0a1b2c3d4e5f6a7b8c9d12' },
				metadata: { '__zendesk_msg.agent.id': '1002' },
			});
			const from = f.calls.length;
			await f.post(envelope([reply]), { 'X-API-Key': secret });
			expect(newCalls(from)[0].items).toEqual([
				expect.objectContaining({
					eventType: 'conversation:message',
					conversationId: 'f52b01137aa6c250bc7251fa',
					channel: 'zd:agentWorkspace',
					author: { type: 'business', subtypes: ['agent'], displayName: 'Alex Agent' },
					authorType: 'business',
					authorName: 'Alex Agent',
					fromAgent: true,
					agentId: '1002',
					agentName: 'Alex Agent',
					text: 'Refunding now.',
					event: reply,
				}),
			]);
		});

		it('gives the end of a session its reason', async () => {
			const released = event('switchboard:releaseControl', {
				conversation: { id: 'c-9', type: 'personal' },
				reason: 'transferToEmail',
			});
			const silent = event('switchboard:releaseControl', {
				conversation: { id: 'c-10', type: 'personal' },
			});
			const from = f.calls.length;
			await f.post(envelope([released, silent]), { 'X-API-Key': secret });
			expect(newCalls(from)[0].items).toEqual([
				{
					eventType: 'switchboard:releaseControl',
					eventId: released.id,
					createdAt: '2026-01-05T09:00:00.000Z',
					appId: APP,
					conversationId: 'c-9',
					// Conversation c-9 is not in Zendesk: the lookup of its customer finds no one.
					userId: null,
					externalUserId: null,
					channel: null,
					metadata: null,
					author: null,
					reason: 'transferToEmail',
					event: released,
				},
				expect.objectContaining({ eventId: silent.id, conversationId: 'c-10', reason: null }),
			]);
		});
	});

	describe('retries of the same event', () => {
		it('drops an event id seen before, and lets a new one through', async () => {
			const sent = userMessage('once');
			const from = f.calls.length;
			await f.post(envelope([sent]), { 'X-API-Key': secret });
			expect(await f.post(envelope([sent]), { 'X-API-Key': secret })).toEqual({
				status: 200,
				body: { received: true },
			});
			const fresh = userMessage('twice');
			await f.post(envelope([sent, fresh]), { 'X-API-Key': secret });
			expect(newCalls(from).map((c) => c.items.map((i) => i.eventId))).toEqual([
				[sent.id],
				[],
				[fresh.id],
			]);
		});

		it('lets the same id through again once the 15-minute retry window is over', async () => {
			const sent = userMessage('late');
			const from = f.calls.length;
			await f.post(envelope([sent]), { 'X-API-Key': secret });
			// Only Date moves: sockets and timers keep real time.
			jest.useFakeTimers({
				now: Date.now(),
				doNotFake: [
					'nextTick',
					'setImmediate',
					'clearImmediate',
					'setTimeout',
					'clearTimeout',
					'setInterval',
					'clearInterval',
					'queueMicrotask',
					'hrtime',
					'performance',
				],
			});
			try {
				jest.setSystemTime(Date.now() + 15 * 60_000 - 1000);
				await f.post(envelope([sent]), { 'X-API-Key': secret });
				jest.setSystemTime(Date.now() + 1000);
				await f.post(envelope([sent]), { 'X-API-Key': secret });
			} finally {
				jest.useRealTimers();
			}
			expect(newCalls(from).map((c) => c.items.map((i) => i.eventId))).toEqual([
				[sent.id],
				[],
				[sent.id],
			]);
		});
	});

	describe("the bot's own messages", () => {
		const tagged = () =>
			businessMessage('from our bot', { metadata: { 'n8n.origin': MESSAGING_ORIGIN_TAG } });
		const viaIntegration = () =>
			businessMessage('via the integration', {
				source: { type: 'api:conversations', integrationId },
			});
		const otherTag = () =>
			businessMessage('another tool', { metadata: { 'n8n.origin': 'someone-else' } });

		it('drops messages stamped by the Zendesk Messaging node, or sent through this integration', async () => {
			const keep = otherTag();
			const from = f.calls.length;
			await f.post(envelope([tagged(), viaIntegration(), keep]), { 'X-API-Key': secret });
			expect(newCalls(from)[0].items.map((i) => i.eventId)).toEqual([keep.id]);
			expect(await f.post(envelope([tagged(), viaIntegration()]), { 'X-API-Key': secret })).toEqual(
				{ status: 200, body: { received: true } },
			);
		});

		it('keeps them with the option "Include the Bot\'s Own Messages"', async () => {
			f.setParameters({ options: { includeOwnMessages: true } });
			try {
				const sent = [tagged(), viaIntegration()];
				const from = f.calls.length;
				await f.post(envelope(sent), { 'X-API-Key': secret });
				expect(newCalls(from)[0].items.map((i) => [i.eventId, i.authorType, i.fromAgent])).toEqual(
					sent.map((e) => [e.id, 'business', false]),
				);
			} finally {
				f.setParameters({});
			}
		});
	});
});

describe('with a webhook set up by hand', () => {
	const secret = 'secret-from-admin-center';

	beforeAll(() =>
		f.useWorkflow({ registration: 'manual', webhookSecret: secret, events: [...WEBHOOK_TRIGGERS] }),
	);

	it.each([...WEBHOOK_TRIGGERS])('%s comes out as an item with its event type', async (type) => {
		const sent = event(type, {
			conversation: { id: 'conv-1', type: 'personal' },
			user: { id: 'user-1', externalId: 'ext-1' },
		});
		const from = f.calls.length;
		await f.post(envelope([sent]), { 'X-API-Key': secret });
		expect(newCalls(from)[0].items).toEqual([
			expect.objectContaining({
				eventType: type,
				eventId: sent.id,
				conversationId: 'conv-1',
				userId: 'user-1',
				externalUserId: 'ext-1',
				event: sent,
			}),
		]);
	});

	it('keeps an event type Zendesk adds later, if the webhook sends it and it is selected', async () => {
		f.setParameters({ registration: 'manual', webhookSecret: secret, events: ESCALATION_TRIGGERS });
		const from = f.calls.length;
		await f.post(envelope([event('conversation:somethingNew', {}), userMessage()]), {
			'X-API-Key': secret,
		});
		expect(newCalls(from)[0].items.map((i) => i.eventType)).toEqual(['conversation:message']);
	});

	it('checks X-API-Key against the secret given in the node', async () => {
		expect(
			(await f.post(envelope([userMessage()]), { 'X-API-Key': 'secret-from-elsewhere' })).status,
		).toBe(401);
		expect((await f.post(envelope([userMessage()]), { 'X-API-Key': secret })).status).toBe(200);
	});
});

describe('without a registration', () => {
	it('refuses every call: there is no secret to compare with', async () => {
		f.useWorkflow({});
		expect(await f.post(envelope([userMessage()]), { 'X-API-Key': '' })).toEqual({
			status: 401,
			body: { error: 'Unauthorized' },
		});
		expect(await f.post(envelope([userMessage()]), { 'X-API-Key': 'undefined' })).toEqual({
			status: 401,
			body: { error: 'Unauthorized' },
		});
	});
});

describe('memory of event ids', () => {
	it('keeps one memory per trigger node and mode, for at most MAX_TRIGGERS of them', async () => {
		const secret = 'bounded';
		const sent = userMessage('seen by many');
		const post = async (node: number, isTest = false) => {
			f.useWorkflow({ registration: 'manual', webhookSecret: secret }, { id: `bounded-${node}` });
			const from = f.calls.length;
			await f.post(envelope([sent]), { 'X-API-Key': secret }, isTest ? f.testUrl : f.productionUrl);
			return newCalls(from)[0].items.length;
		};
		expect(await post(0)).toBe(1);
		expect(await post(0)).toBe(0);
		// The test URL ("Listen for test event") has a memory of its own.
		expect(await post(0, true)).toBe(1);
		for (let node = 1; node <= MAX_TRIGGERS; node++) expect(await post(node)).toBe(1);
		expect(rememberedTriggers()).toBe(MAX_TRIGGERS);
		// The least recently used memories (node 0's) were let go; the newest are kept.
		expect(await post(0)).toBe(1);
		expect(await post(MAX_TRIGGERS)).toBe(0);
	});
});
