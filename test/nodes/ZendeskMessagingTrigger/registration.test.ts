import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { ZendeskMessagingTrigger } from '../../../nodes/ZendeskMessagingTrigger/ZendeskMessagingTrigger.node';
import { ESCALATION_TRIGGERS, WEBHOOK_TRIGGERS } from '../../../src/messaging';
import { SUNSHINE_SEED } from '../../../simulator/sunshine';
import { TRIGGER, TriggerFixture, WORKFLOW_NAME } from './fixture';

/**
 * Activation and deactivation (webhookMethods checkExists / create / delete) through n8n-core's
 * HookContext, against the simulator's integrations and webhooks.
 */
let f: TriggerFixture;
const store = () => f.sim.sunshine.app.store;
const webhooksOf = (integrationId: string) => store().webhooksOf(integrationId);

beforeAll(async () => {
	f = await TriggerFixture.start();
});
afterAll(() => f.close());
afterEach(() => f.sim.faults.reset());

/** Fails the test if anything reaches Zendesk while `run` runs: a request would take the queued fault. */
async function withoutRequests<T>(run: () => Promise<T>): Promise<T> {
	const served = f.sim.faults.served.sunshine;
	f.sim.faults.failNextHttp({ api: 'sunshine', status: 500 });
	try {
		return await run();
	} finally {
		expect(f.sim.faults.served.sunshine).toBe(served);
		f.sim.faults.reset();
	}
}

/** The error an activation step failed with. */
async function failureOf(step: Promise<unknown>): Promise<NodeOperationError & NodeApiError> {
	const error = await step.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!error) throw new Error('expected the step to fail');
	return error as never;
}

describe('the node description', () => {
	const { description } = new ZendeskMessagingTrigger();

	it('is a webhook trigger answering as soon as the call is read, and not a tool', () => {
		expect(description).toMatchObject({
			name: 'zendeskMessagingTrigger',
			displayName: 'Zendesk Messaging Trigger',
			group: ['trigger'],
			inputs: [],
		});
		expect(description.usableAsTool).toBeUndefined();
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		]);
	});

	it('offers every documented webhook trigger, the escalation pair by default', () => {
		const events = description.properties.find((p) => p.name === 'events');
		expect((events?.options ?? []).map((o) => ('value' in o ? o.value : undefined)).sort()).toEqual(
			[...WEBHOOK_TRIGGERS].sort(),
		);
		expect(events?.default).toEqual(ESCALATION_TRIGGERS);
	});
});

describe('on a new custom integration (the default)', () => {
	beforeEach(() => f.useWorkflow({}));

	it('creates an integration named after the workflow with a webhook for the production URL, and stores its ids and secret', async () => {
		expect(await f.hook('checkExists')).toBe(false);
		expect(await f.hook('create')).toBe(true);
		const stored = f.stored;
		expect(stored).toEqual({
			integrationId: expect.any(String),
			webhookId: expect.any(String),
			webhookSecret: expect.any(String),
			createdIntegration: true,
		});
		const integration = store().integrations.get(stored.integrationId as string);
		expect(integration).toMatchObject({ type: 'custom', displayName: `n8n: ${WORKFLOW_NAME}` });
		const webhooks = webhooksOf(stored.integrationId as string);
		expect(webhooks).toHaveLength(1);
		expect(webhooks[0]).toMatchObject({
			id: stored.webhookId,
			target: f.productionUrl,
			triggers: ['conversation:message', 'switchboard:releaseControl'],
			includeFullUser: false,
			includeFullSource: false,
			secret: stored.webhookSecret,
		});
		// The next activation (n8n restarting) finds it and creates nothing.
		const count = store().webhooks.size;
		expect(await f.hook('checkExists', { activation: 'init' })).toBe(true);
		expect(store().webhooks.size).toBe(count);
		expect(await f.hook('delete')).toBe(true);
	});

	it('applies changed events and options to the same webhook on the next activation', async () => {
		await f.activate();
		const before = { ...f.stored };
		f.setParameters({
			events: ['conversation:message', 'switchboard:passControl', 'conversation:postback'],
			options: { includeFullUser: true, includeFullSource: true },
		});
		expect(await f.hook('checkExists', { activation: 'update' })).toBe(true);
		expect(f.stored).toEqual(before);
		expect(webhooksOf(before.integrationId as string)).toEqual([
			expect.objectContaining({
				id: before.webhookId,
				target: f.productionUrl,
				triggers: ['conversation:message', 'switchboard:passControl', 'conversation:postback'],
				includeFullUser: true,
				includeFullSource: true,
			}),
		]);
		await f.hook('delete');
	});

	it('deletes the webhook and the integration it created on deactivation; a second delete has nothing to do', async () => {
		await f.activate();
		const { integrationId, webhookId } = f.stored as { integrationId: string; webhookId: string };
		expect(await f.hook('delete')).toBe(true);
		expect(store().integrations.has(integrationId)).toBe(false);
		expect(store().webhooks.has(webhookId)).toBe(false);
		expect(f.stored).toEqual({});
		expect(await withoutRequests(() => f.hook('delete'))).toBe(true);
	});

	it('creates the webhook again when it was deleted in Admin Center, and removes the integration left empty', async () => {
		await f.activate();
		const old = { ...f.stored } as { integrationId: string; webhookId: string };
		await f.admin.deleteWebhook(old.integrationId, old.webhookId);
		expect(await f.hook('checkExists', { activation: 'init' })).toBe(false);
		expect(store().integrations.has(old.integrationId)).toBe(false);
		expect(f.stored).toEqual({});
		expect(await f.hook('create', { activation: 'init' })).toBe(true);
		expect(f.stored.integrationId).not.toBe(old.integrationId);
		expect(webhooksOf(f.stored.integrationId as string).map((w) => w.target)).toEqual([
			f.productionUrl,
		]);
		await f.hook('delete');
	});

	it('replaces a webhook that points at another URL (n8n moved), deleting the old one', async () => {
		const elsewhere = TriggerFixture.harnessFor(f.sim, 'http://n8n-old.example:5678');
		await f.activate({ harness: elsewhere } as never);
		const old = { ...f.stored } as { integrationId: string };
		expect(webhooksOf(old.integrationId)[0].target).toBe(
			'http://n8n-old.example:5678/webhook/3f0c8a52-6f7e-4c1e-9a55-0d6e5b1c2a77/webhook',
		);
		expect(await f.hook('checkExists')).toBe(false);
		expect(store().integrations.has(old.integrationId)).toBe(false);
		await f.hook('create');
		expect(webhooksOf(f.stored.integrationId as string)[0].target).toBe(f.productionUrl);
		await f.hook('delete');
	});

	it('keeps what it stored when the deletion fails, so the next activation uses the same webhook', async () => {
		await f.activate();
		const stored = { ...f.stored } as { integrationId: string; webhookId: string };
		// 403 is not retried: deleting the integration fails, and so does the fallback of deleting the webhook.
		f.sim.faults.failNextHttp({ api: 'sunshine', status: 403, count: 2 });
		expect(await f.hook('delete')).toBe(false);
		expect(f.stored).toEqual(stored);
		expect(store().webhooks.has(stored.webhookId)).toBe(true);
		expect(await f.hook('checkExists')).toBe(true);
		expect(await f.hook('delete')).toBe(true);
		expect(store().integrations.has(stored.integrationId)).toBe(false);
	});

	it('deletes only the webhook when its integration can no longer be deleted', async () => {
		await f.activate();
		const stored = { ...f.stored } as { integrationId: string; webhookId: string };
		f.sim.faults.failNextHttp({ api: 'sunshine', status: 400, count: 1 });
		expect(await f.hook('delete')).toBe(true);
		expect(store().webhooks.has(stored.webhookId)).toBe(false);
		expect(store().integrations.has(stored.integrationId)).toBe(true);
		await f.admin.deleteIntegration(stored.integrationId);
	});

	it('takes back its left-over integration on the next activation instead of making a second one with the same name', async () => {
		await f.activate();
		const first = { ...f.stored } as { integrationId: string; webhookId: string };
		f.sim.faults.failNextHttp({ api: 'sunshine', status: 400, count: 1 });
		expect(await f.hook('delete')).toBe(true);
		expect(store().integrations.has(first.integrationId)).toBe(true);
		const named = () =>
			[...store().integrations.values()].filter((i) => i.displayName === `n8n: ${WORKFLOW_NAME}`);
		expect(named()).toHaveLength(1);
		await f.activate();
		expect(f.stored).toMatchObject({
			integrationId: first.integrationId,
			createdIntegration: true,
		});
		expect(f.stored.webhookId).not.toBe(first.webhookId);
		expect(named()).toHaveLength(1);
		expect(webhooksOf(first.integrationId).map((w) => w.target)).toEqual([f.productionUrl]);
		expect(await f.hook('delete')).toBe(true);
		expect(store().integrations.has(first.integrationId)).toBe(false);
	});

	it('registers the test URL for "Listen for test event" and removes it afterwards, leaving the production webhook alone', async () => {
		await f.activate();
		const production = { ...f.stored } as { integrationId: string; webhookId: string };
		// n8n runs a test with empty static data of its own (TestWebhooks.toWorkflow).
		const test = { ...f.workflow, staticData: {} as IDataObject };
		const hookTest = (method: 'checkExists' | 'create' | 'delete') =>
			f.harness.hook({ ...test, node: TRIGGER, method, isTest: method !== 'delete' });
		expect(await hookTest('checkExists')).toBe(false);
		expect(await hookTest('create')).toBe(true);
		const testStored = test.staticData[`node:${TRIGGER}`] as { integrationId: string };
		expect(testStored.integrationId).not.toBe(production.integrationId);
		expect(webhooksOf(testStored.integrationId).map((w) => w.target)).toEqual([f.testUrl]);
		expect(await hookTest('delete')).toBe(true);
		expect(store().integrations.has(testStored.integrationId)).toBe(false);
		expect(store().webhooks.get(production.webhookId)?.target).toBe(f.productionUrl);

		// Were a test run handed the production registration, it would still leave it alone.
		expect(await f.hook('checkExists', { isTest: true })).toBe(false);
		expect(store().webhooks.get(production.webhookId)?.target).toBe(f.productionUrl);
		await f.admin.deleteIntegration(production.integrationId);
	});
});

describe('on an existing integration', () => {
	// The bot's own custom integration, linked to the switchboard and without a webhook yet.
	const bot = SUNSHINE_SEED.botIntegrationId;

	beforeEach(() =>
		f.useWorkflow({ registration: 'existingIntegration', integrationId: ` ${bot} ` }),
	);

	it('adds a webhook to the integration and, on deactivation, deletes only that webhook', async () => {
		expect(webhooksOf(bot)).toEqual([]);
		expect(await f.hook('checkExists')).toBe(false);
		expect(await f.hook('create')).toBe(true);
		expect(f.stored).toEqual({
			integrationId: bot,
			webhookId: expect.any(String),
			webhookSecret: expect.any(String),
			createdIntegration: false,
		});
		expect(webhooksOf(bot).map((w) => [w.id, w.target, w.triggers, w.secret])).toEqual([
			[
				f.stored.webhookId,
				f.productionUrl,
				['conversation:message', 'switchboard:releaseControl'],
				f.stored.webhookSecret,
			],
		]);
		expect(await f.hook('checkExists')).toBe(true);
		expect(await f.hook('delete')).toBe(true);
		expect(webhooksOf(bot)).toEqual([]);
		expect(store().integrations.has(bot)).toBe(true);
		expect(f.stored).toEqual({});
	});

	it('adopts a webhook already there for this URL instead of adding a second one', async () => {
		const left = await f.admin.createWebhook(bot, {
			target: f.productionUrl,
			triggers: ['conversation:read'],
		});
		expect(await f.hook('create')).toBe(true);
		expect(f.stored).toEqual({
			integrationId: bot,
			webhookId: left.id,
			webhookSecret: left.secret,
			createdIntegration: false,
		});
		expect(webhooksOf(bot).map((w) => [w.id, w.triggers])).toEqual([
			[left.id, ['conversation:message', 'switchboard:releaseControl']],
		]);
		await f.hook('delete');
		expect(webhooksOf(bot)).toEqual([]);
	});

	it('refuses an integration whose one webhook goes elsewhere, since adding ours would replace it', async () => {
		const other = await f.admin.createCustomIntegration({
			displayName: 'another bot',
			webhook: { target: 'https://bot.example/hook', triggers: ['conversation:create'] },
		});
		f.setParameters({ registration: 'existingIntegration', integrationId: other.id });
		const error = await failureOf(f.hook('create'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Integration ${other.id} already has a webhook for another address`);
		expect(error.description).toBe(
			'A custom integration holds one webhook, so adding this one would replace it. Choose "Create a New Integration", or delete that webhook in Admin Center first.',
		);
		expect(webhooksOf(other.id).map((w) => w.target)).toEqual(['https://bot.example/hook']);
		expect(f.stored).toEqual({});
		await f.admin.deleteIntegration(other.id);
	});

	it('replaces a registration made on a new integration when the node is switched to this one', async () => {
		f.useWorkflow({});
		await f.activate();
		const made = f.stored.integrationId as string;
		f.setParameters({ registration: 'existingIntegration', integrationId: bot });
		expect(await f.hook('checkExists')).toBe(false);
		expect(store().integrations.has(made)).toBe(false);
		await f.hook('create');
		expect(f.stored).toMatchObject({ integrationId: bot, createdIntegration: false });
		await f.hook('delete');
	});

	it("fails activation with Zendesk's answer when the integration does not exist", async () => {
		f.setParameters({
			registration: 'existingIntegration',
			integrationId: '000000000000000000000000',
		});
		const error = await failureOf(f.hook('create'));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Sunshine Conversations GET /integrations/{integrationId}/webhooks failed with 404 (integration_not_found: Integration not found). Check the app id and the ids in the request.',
		);
		expect(error.httpCode).toBe('404');
		expect(f.stored).toEqual({});
	});
});

describe('set up by hand in Admin Center', () => {
	it('creates and deletes nothing in Zendesk, and needs no credential', async () => {
		f.useWorkflow({ registration: 'manual', webhookSecret: 'from-admin-center' });
		const noCredential = TriggerFixture.harnessFor(f.sim, f.baseUrl, null);
		await withoutRequests(async () => {
			expect(await f.hook('checkExists', { harness: noCredential } as never)).toBe(true);
			expect(await f.hook('create', { harness: noCredential } as never)).toBe(true);
			expect(await f.hook('delete', { harness: noCredential } as never)).toBe(true);
		});
		expect(f.stored).toEqual({});
	});
});

describe('bad settings fail activation before anything is sent', () => {
	it.each([
		[
			{ events: [] },
			'Choose at least one event in Events',
			'The trigger starts the workflow only for the events selected in Events.',
		],
		[
			{ events: ['conversation:Message'] },
			'Events: "conversation:Message" is not a Zendesk Messaging webhook trigger',
			'Choose the events from the list; trigger names are case sensitive.',
		],
		[
			{ registration: 'existingIntegration', integrationId: '  ' },
			'Integration ID is empty',
			'Enter the ID of the integration to add the webhook to (Admin Center › Apps and integrations › Integrations › Conversations integrations), or choose "Create a New Integration".',
		],
		[
			{ registration: 'manual', webhookSecret: '' },
			'Webhook Secret is empty',
			'Paste the secret Zendesk shows for the webhook you created in Admin Center; without it every call would be refused with 401.',
		],
	])('%j', async (parameters, message, description) => {
		f.useWorkflow(parameters as never);
		for (const method of ['checkExists', 'create'] as const) {
			const error = await withoutRequests(() => failureOf(f.hook(method)));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(error.description).toBe(description);
		}
	});
});
