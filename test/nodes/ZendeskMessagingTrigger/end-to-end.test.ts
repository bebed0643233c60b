import { escalate, ESCALATION_TRIGGERS, MessagingClient } from '../../../src/messaging';
import { MESSAGING_ORIGIN_TAG } from '../../../nodes/shared/messagingOrigin';
import { SIM_HUMAN_AGENT_ID, SIM_SUNSHINE } from '../../../simulator';
import { SUNSHINE_SEED } from '../../../simulator/sunshine';
import { DOWNSTREAM, TRIGGER, TriggerFixture } from './fixture';
import { outputOf } from '../../helpers/n8n/harness';

/**
 * End to end: the simulator delivers real webhooks (X-API-Key, envelope, retries) to the local
 * n8n stand-in, which hands each request to the node's webhook() through WebhookContext.
 */
let f: TriggerFixture;
/** The Zendesk Messaging node's client: its business messages carry the package's origin tag. */
let bot: MessagingClient;
const control = () => f.sim.sunshine.control;

beforeAll(async () => {
	f = await TriggerFixture.start();
	bot = new MessagingClient({
		baseUrl: f.sim.urls.sunshine,
		appId: SIM_SUNSHINE.appId,
		auth: { type: 'jwt', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
		originTag: MESSAGING_ORIGIN_TAG,
	});
});
afterAll(async () => {
	await bot.close();
	await f.close();
});

describe('a workflow activated on a new integration', () => {
	let webhookId: string;

	beforeAll(async () => {
		f.useWorkflow({ events: [...ESCALATION_TRIGGERS, 'switchboard:passControl'] });
		await f.activate();
		webhookId = f.stored.webhookId as string;
	});
	afterAll(() => f.hook('delete'));

	it("turns a user's message, the handoff, an agent's reply and the end of the session into items; the bot's own messages stay out", async () => {
		const from = f.calls.length;
		const said = control().userSays({
			userExternalId: 'grace-1',
			text: 'I was charged twice',
			displayName: 'Grace',
		});
		await f.settle();
		const conversationId = said.conversationId;
		// The bot hands over: its summary and transcript come back through the webhook as echoes.
		const escalation = await escalate(bot, {
			user: { externalId: 'grace-1' },
			conversationId,
			summary: 'Charged twice for order 42; wants a refund.',
			transcript: [{ text: 'Bot: Let me get a human.', displayName: 'Bot' }],
		});
		const reply = control().agentReplies({ conversationId, text: 'Hi Grace, refunding now.' });
		control().agentReleasesControl({ conversationId, reason: 'ticketClosed' });
		await f.settle();

		const calls = f.calls.slice(from);
		const items = calls.flatMap((c) => c.items);
		expect(items.map((i) => [i.eventType, i.authorType ?? null, i.text ?? null])).toEqual([
			['conversation:message', 'user', 'I was charged twice'],
			['switchboard:passControl', null, null],
			['conversation:message', 'business', 'Hi Grace, refunding now.'],
			['switchboard:releaseControl', null, null],
		]);
		expect(items[0]).toMatchObject({
			conversationId,
			userId: said.userId,
			externalUserId: 'grace-1',
			messageId: said.message.id,
			authorName: 'Grace',
			fromAgent: false,
			agentId: null,
		});
		// The reply and the end of the session do not name the customer: the trigger looked them up.
		expect(items[2]).toMatchObject({
			conversationId,
			userId: said.userId,
			externalUserId: 'grace-1',
			messageId: reply.id,
			fromAgent: true,
			agentId: String(SIM_HUMAN_AGENT_ID),
			agentName: 'Grace Hopper',
		});
		expect(items[3]).toMatchObject({
			conversationId,
			reason: 'ticketClosed',
			userId: said.userId,
			externalUserId: 'grace-1',
		});
		expect(items.every((i) => i.appId === SIM_SUNSHINE.appId)).toBe(true);

		// Every delivery was answered 200 on the first attempt, the echoes with no execution.
		const deliveries = control()
			.deliveries({ webhookId })
			.filter((d) => d.body.events[0].payload.conversation?.id === conversationId);
		expect(deliveries.map((d) => [d.type, d.attempt, d.status, d.outcome])).toEqual([
			['conversation:message', 1, 200, 'delivered'],
			['conversation:message', 1, 200, 'delivered'],
			['conversation:message', 1, 200, 'delivered'],
			['switchboard:passControl', 1, 200, 'delivered'],
			['conversation:message', 1, 200, 'delivered'],
			['switchboard:releaseControl', 1, 200, 'delivered'],
		]);
		const echoes = deliveries.slice(1, 3).map((d) => d.body.events[0].payload.message.id);
		expect(echoes).toEqual(escalation.messages.map((m) => m.id));
		expect(calls.map((c) => c.items.length)).toEqual([1, 0, 0, 1, 1, 1]);
		// Each execution carries its items on to the rest of the workflow.
		expect(calls.filter((c) => c.run).map((c) => outputOf(c.run!, DOWNSTREAM))).toEqual(
			items.map((i) => [{ seen: i.eventId }]),
		);
	});

	it('starts no second execution when Zendesk retries a delivery whose answer was lost', async () => {
		const from = f.calls.length;
		f.loseNextAnswer = true;
		const said = control().userSays({ userExternalId: 'grace-2', text: 'are you there?' });
		await f.settle();
		const [first] = control()
			.deliveries({ webhookId })
			.filter((d) => d.body.events[0].payload.message?.id === said.message.id);
		expect([first.attempt, first.status, first.outcome, first.nextAttemptInMs]).toEqual([
			1,
			null,
			'retrying',
			60_000,
		]);

		f.clock.advance(60_000);
		await f.settle();
		const attempts = control().deliveries({ eventId: first.eventId });
		expect(attempts.map((d) => [d.attempt, d.status, d.outcome])).toEqual([
			[1, null, 'retrying'],
			[2, 200, 'delivered'],
		]);
		expect(f.calls.slice(from).map((c) => c.items.map((i) => i.messageId))).toEqual([
			[said.message.id],
			[],
		]);
	});

	it('answers a delivery with a wrong secret 401, and Zendesk gives up on it', async () => {
		f.workflow.staticData[`node:${TRIGGER}`] = { ...f.stored, webhookSecret: 'rotated-elsewhere' };
		const secret = store().webhooks.get(webhookId)?.secret;
		try {
			const said = control().userSays({ userExternalId: 'grace-3', text: 'hello?' });
			await f.settle();
			const attempts = control()
				.deliveries({ webhookId })
				.filter((d) => d.body.events[0].payload.message?.id === said.message.id);
			expect(
				attempts.map((d) => [d.attempt, d.status, d.outcome, d.headers['X-API-Key'] === secret]),
			).toEqual([[1, 401, 'failed', true]]);
			expect(f.sim.sunshine.app.delivery.pendingRetries).toBe(0);
		} finally {
			(f.workflow.staticData[`node:${TRIGGER}`] as Record<string, unknown>).webhookSecret = secret;
		}
	});

	it('receives on the test URL while "Listen for test event" runs, in manual mode, and removes that webhook afterwards', async () => {
		const test = { ...f.workflow, staticData: {} };
		const hook = (method: 'checkExists' | 'create' | 'delete') =>
			f.harness.hook({ ...test, node: TRIGGER, method, isTest: method !== 'delete' });
		expect(await hook('checkExists')).toBe(false);
		expect(await hook('create')).toBe(true);
		const testWebhook = (
			test.staticData as Record<string, { webhookId: string; webhookSecret: string }>
		)[`node:${TRIGGER}`];
		// The stand-in serves the test URL with the test registration, as n8n does with its own static data.
		const production = f.workflow;
		f.workflow = test as typeof f.workflow;
		const from = f.calls.length;
		try {
			const said = control().userSays({ userExternalId: 'grace-4', text: 'testing' });
			await f.settle();
			const testCalls = f.calls.slice(from).filter((c) => c.isTest);
			expect(
				testCalls.map((c) => [
					c.path,
					c.headers['x-api-key'] === testWebhook.webhookSecret,
					c.run?.mode,
					c.items.map((i) => i.messageId),
				]),
			).toEqual([[new URL(f.testUrl).pathname, true, 'manual', [said.message.id]]]);
		} finally {
			f.workflow = production;
		}
		expect(await hook('delete')).toBe(true);
		expect(store().webhooks.has(testWebhook.webhookId)).toBe(false);
		expect(store().webhooks.has(webhookId)).toBe(true);
	});
});

describe("a workflow on the bot's switchboard integration", () => {
	const botIntegration = SUNSHINE_SEED.botIntegrationId;

	beforeAll(async () => {
		f.useWorkflow({ registration: 'existingIntegration', integrationId: botIntegration });
		await f.activate();
	});
	afterAll(() => f.hook('delete'));

	it("drops messages sent with the integration's own key, and keeps the user's", async () => {
		const key = await integrationKey(botIntegration);
		const asIntegration = new MessagingClient({
			baseUrl: f.sim.urls.sunshine,
			appId: SIM_SUNSHINE.appId,
			auth: { type: 'basic', keyId: key.id, keySecret: key.secret },
		});
		try {
			const from = f.calls.length;
			const said = control().userSays({ userExternalId: 'ada-1', text: 'hi bot' });
			await f.settle();
			const answer = await asIntegration.postBusinessMessage(said.conversationId, {
				text: 'Hello from the bot integration',
			});
			await f.settle();
			expect(answer.source).toMatchObject({ integrationId: botIntegration });
			const calls = f.calls.slice(from);
			expect(calls.map((c) => [c.status, c.items.map((i) => i.messageId)])).toEqual([
				[200, [said.message.id]],
				[200, []],
			]);
		} finally {
			await asIntegration.close();
		}
	});
});

describe('a webhook set up by hand in Admin Center', () => {
	it('admits the calls that carry the secret given in the node', async () => {
		const made = await f.admin.createCustomIntegration({
			displayName: 'made by hand',
			webhook: { target: f.productionUrl, triggers: ['conversation:message'] },
		});
		try {
			f.useWorkflow({ registration: 'manual', webhookSecret: made.webhooks?.[0].secret ?? '' });
			const from = f.calls.length;
			const said = control().userSays({ userExternalId: 'hand-1', text: 'set up by hand' });
			await f.settle();
			expect(
				f.calls
					.slice(from)
					.map((c) => [c.status, c.items.map((i) => [i.messageId, i.externalUserId])]),
			).toEqual([[200, [[said.message.id, 'hand-1']]]]);
		} finally {
			await f.admin.deleteIntegration(made.id);
		}
	});
});

const store = () => f.sim.sunshine.app.store;

/** An API key of a custom integration (Admin Center gives integrations their own keys). */
async function integrationKey(integrationId: string): Promise<{ id: string; secret: string }> {
	const response = await fetch(
		`${f.sim.urls.sunshine}/v2/apps/${SIM_SUNSHINE.appId}/integrations/${integrationId}/keys`,
		{
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: `Basic ${Buffer.from(`${SIM_SUNSHINE.keyId}:${SIM_SUNSHINE.keySecret}`).toString('base64')}`,
			},
			body: JSON.stringify({ displayName: 'bot key' }),
		},
	);
	const { key } = (await response.json()) as { key: { id: string; secret: string } };
	return key;
}
