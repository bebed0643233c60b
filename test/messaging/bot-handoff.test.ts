import { ESCALATION_TRIGGERS, setUpBotHandoff, type MessagingClient } from '../../src/messaging';
import { HttpError, InvalidInputError } from '../../src/shared';
import { startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { caught, refusedBeforeSending, simClient, unique } from './sim-client';

/** setUpBotHandoff against the simulator: from an app with nothing in place, on the seeded app, and twice. */
let sim: Simulator;
let client: MessagingClient;
const TARGET = 'https://bot.example.org/hook';

beforeEach(async () => {
	sim = await startSimulator();
	client = simClient(sim);
});

afterEach(async () => {
	await client.close();
	await sim.close();
});

/** Everything setUpBotHandoff could change, for before/after comparisons. */
async function appState() {
	const integrations = [];
	for await (const integration of client.integrations())
		integrations.push({ ...integration, webhooks: await client.listWebhooks(integration.id) });
	return { integrations, switchboard: await client.describeSwitchboard() };
}

describe('from an app without a switchboard', () => {
	beforeEach(() => client.deleteSwitchboard(SUNSHINE_SEED.switchboardId));

	it('creates the integration, the switchboard, the agent workspace and the bot in it; a second run changes nothing', async () => {
		const first = await setUpBotHandoff(client, {
			botName: 'n8n bot',
			webhook: { target: TARGET },
		});
		expect(first.changes).toEqual([
			`created the custom integration "n8n bot" with a webhook to ${TARGET}`,
			'created the switchboard',
			'added zd-agentWorkspace (the agent workspace) to the switchboard',
			'added n8n-bot to the switchboard with zd-agentWorkspace as its next',
			'made zd-agentWorkspace the default responder',
			'enabled the switchboard',
		]);
		expect(first.integration).toEqual({ id: expect.any(String), displayName: 'n8n bot' });
		expect(first.webhook).toEqual({
			id: expect.any(String),
			target: TARGET,
			triggers: [...ESCALATION_TRIGGERS],
			secret: expect.any(String),
		});
		expect(first.switchboardIntegration).toEqual({ id: expect.any(String), name: 'n8n-bot' });
		expect(first.agentWorkspace).toEqual({ id: expect.any(String), name: 'zd-agentWorkspace' });
		expect(first.switchboard).toEqual({
			id: expect.any(String),
			enabled: true,
			defaultSwitchboardIntegrationId: first.agentWorkspace.id,
		});

		const described = await client.describeSwitchboard();
		expect(described?.switchboard).toEqual(first.switchboard);
		expect(described?.integrations).toEqual([
			expect.objectContaining({
				id: first.agentWorkspace.id,
				name: 'zd-agentWorkspace',
				integrationType: 'zd:agentWorkspace',
				isDefault: true,
				next: null,
			}),
			expect.objectContaining({
				id: first.switchboardIntegration.id,
				name: 'n8n-bot',
				integrationId: first.integration.id,
				isDefault: false,
				next: 'zd-agentWorkspace',
			}),
		]);

		const before = await appState();
		const second = await setUpBotHandoff(client, {
			botName: 'n8n bot',
			webhook: { target: TARGET },
		});
		expect(second.changes).toEqual([]);
		expect(await appState()).toEqual(before);
		// The secret of a webhook this run did not create stays out of the answer (it lands in execution data).
		const { secret: _secret, ...webhookWithoutSecret } = first.webhook ?? {};
		expect(second).toEqual({ ...first, webhook: webhookWithoutSecret, changes: [] });
		expect(second.webhook).not.toHaveProperty('secret');
	});

	it('with makeDefault the bot gets new conversations and "next" hands them to an agent, who gets a ticket', async () => {
		const setUp = await setUpBotHandoff(client, {
			botName: 'n8n bot',
			webhook: { target: TARGET },
			makeDefault: true,
		});
		expect(setUp.changes).toContain('made n8n-bot the default responder');
		expect(setUp.switchboard.defaultSwitchboardIntegrationId).toBe(setUp.switchboardIntegration.id);
		expect(
			(
				await setUpBotHandoff(client, {
					botName: 'n8n bot',
					webhook: { target: TARGET },
					makeDefault: true,
				})
			).changes,
		).toEqual([]);

		const { conversationId } = sim.sunshine.control.userSays({
			userExternalId: unique('visitor'),
			text: 'I need a human',
		});
		expect(sim.sunshine.control.conversation({ id: conversationId }).switchboard.active).toBe(
			'n8n-bot',
		);
		await client.passControl(conversationId, { switchboardIntegration: 'next' });
		expect(sim.sunshine.control.conversation({ id: conversationId }).switchboard.active).toBe(
			'zd-agentWorkspace',
		);
		expect(sim.sunshine.control.tickets({ conversationId })).toHaveLength(1);
	});
});

describe('on an app that has most of it already', () => {
	it('adds only the missing webhook to the seeded bot integration, then nothing', async () => {
		const first = await setUpBotHandoff(client, { botName: 'bot', webhook: { target: TARGET } });
		expect(first.changes).toEqual([`added a webhook to ${TARGET}`]);
		expect(first).toMatchObject({
			integration: { id: SUNSHINE_SEED.botIntegrationId, displayName: 'bot' },
			switchboardIntegration: { id: SUNSHINE_SEED.botSwitchboardIntegrationId, name: 'bot' },
			agentWorkspace: {
				id: SUNSHINE_SEED.agentWorkspaceSwitchboardIntegrationId,
				name: 'zd-agentWorkspace',
			},
			switchboard: {
				id: SUNSHINE_SEED.switchboardId,
				enabled: true,
				defaultSwitchboardIntegrationId: SUNSHINE_SEED.botSwitchboardIntegrationId,
			},
		});
		expect(first.webhook?.secret).toEqual(expect.any(String));
		expect(
			(await setUpBotHandoff(client, { botName: 'bot', webhook: { target: TARGET } })).changes,
		).toEqual([]);
		// Without a webhook, an existing integration is simply reused.
		expect((await setUpBotHandoff(client, { botName: 'bot' })).changes).toEqual([]);
	});

	it('points the webhook at a new target and sets the triggers given; then nothing', async () => {
		await setUpBotHandoff(client, { botName: 'bot', webhook: { target: TARGET } });
		const moved = await setUpBotHandoff(client, {
			botName: 'bot',
			webhook: {
				target: 'https://new.example.org/hook',
				triggers: ['conversation:message', 'conversation:postback'],
				includeFullUser: true,
			},
		});
		expect(moved.changes).toEqual([
			`pointed the webhook at https://new.example.org/hook (was ${TARGET})`,
			"set the webhook's triggers to conversation:message, conversation:postback",
			"set the webhook's includeFullUser to true",
		]);
		const [webhook] = await client.listWebhooks(SUNSHINE_SEED.botIntegrationId);
		expect(webhook).toMatchObject({
			target: 'https://new.example.org/hook',
			triggers: ['conversation:message', 'conversation:postback'],
			includeFullUser: true,
		});
		// Triggers not given are left as they are.
		expect(
			(
				await setUpBotHandoff(client, {
					botName: 'bot',
					webhook: { target: 'https://new.example.org/hook' },
				})
			).changes,
		).toEqual([]);
	});

	it('repairs a bot whose next is not the agent workspace, and a disabled switchboard', async () => {
		await client.updateSwitchboardIntegration(
			SUNSHINE_SEED.switchboardId,
			SUNSHINE_SEED.botSwitchboardIntegrationId,
			{ nextSwitchboardIntegrationId: null },
		);
		await client.updateSwitchboard(SUNSHINE_SEED.switchboardId, { enabled: false });
		const result = await setUpBotHandoff(client, { botName: 'bot' });
		expect(result.changes).toEqual([
			"set bot's next to zd-agentWorkspace",
			'enabled the switchboard',
		]);
		expect(
			(await client.describeSwitchboard())?.integrations.find((i) => i.name === 'bot')?.next,
		).toBe('zd-agentWorkspace');
		// enableSwitchboard: false leaves a disabled switchboard alone.
		await client.updateSwitchboard(SUNSHINE_SEED.switchboardId, { enabled: false });
		expect(
			(await setUpBotHandoff(client, { botName: 'bot', enableSwitchboard: false })).changes,
		).toEqual([]);
	});

	it('reuses an integration by id, renaming it to botName', async () => {
		const integration = await client.createCustomIntegration({
			displayName: 'Old name',
			webhook: { target: TARGET, triggers: ['conversation:message'] },
		});
		const result = await setUpBotHandoff(client, {
			botName: 'Support bot',
			integrationId: integration.id,
			switchboardIntegrationName: 'support',
		});
		expect(result.changes).toEqual([
			'renamed the custom integration "Old name" to "Support bot"',
			'added support to the switchboard with zd-agentWorkspace as its next',
		]);
		expect(result.integration).toEqual({ id: integration.id, displayName: 'Support bot' });
		expect(result.webhook).toMatchObject({ target: TARGET, triggers: ['conversation:message'] });
		expect(
			(
				await setUpBotHandoff(client, {
					botName: 'Support bot',
					integrationId: integration.id,
					switchboardIntegrationName: 'support',
				})
			).changes,
		).toEqual([]);
		// Found again by its name.
		expect(
			(await setUpBotHandoff(client, { botName: 'Support bot' })).switchboardIntegration.name,
		).toBe('support');
	});
});

describe('refusals', () => {
	it('refuses bad options before any request', async () => {
		const field = async (options: unknown) =>
			(await refusedBeforeSending(sim, () => setUpBotHandoff(client, options as never))).field;
		expect(await field(undefined)).toBe('botName');
		expect(await field({ botName: '' })).toBe('botName');
		expect(await field({ botName: 'x'.repeat(101) })).toBe('botName');
		expect(await field({ botName: '!!!' })).toBe('switchboardIntegrationName');
		expect(await field({ botName: 'bot', switchboardIntegrationName: 'my bot' })).toBe(
			'switchboardIntegrationName',
		);
		expect(await field({ botName: 'bot', webhook: { target: 'ftp://x' } })).toBe('webhook.target');
		expect(
			await field({
				botName: 'bot',
				webhook: { target: TARGET, triggers: ['Conversation:Message'] },
			}),
		).toBe('webhook.triggers[0]');
		expect(await field({ botName: 'bot', integrationId: '..' })).toBe('integrationId');
		expect(await field({ botName: 'bot', makeDefault: 'yes' })).toBe('makeDefault');
	});

	it('a new integration without a webhook, a name already taken, a non-custom integration: refused before any change', async () => {
		const before = await appState();
		const noWebhook = (await caught(
			setUpBotHandoff(client, { botName: 'Brand new bot' }),
		)) as InvalidInputError;
		expect(noWebhook).toBeInstanceOf(InvalidInputError);
		expect(noWebhook.field).toBe('webhook');
		expect(noWebhook.message).toBe(
			'there is no custom integration named "Brand new bot" yet, and creating one needs its webhook',
		);

		const taken = (await caught(
			setUpBotHandoff(client, {
				botName: 'Another bot',
				webhook: { target: TARGET },
				switchboardIntegrationName: 'bot',
			}),
		)) as InvalidInputError;
		expect(taken.field).toBe('switchboardIntegrationName');

		const web = (await caught(
			setUpBotHandoff(client, { botName: 'bot', integrationId: SUNSHINE_SEED.webIntegrationId }),
		)) as InvalidInputError;
		expect(web.field).toBe('integrationId');
		expect(web.message).toBe(
			`integration ${SUNSHINE_SEED.webIntegrationId} is a web integration; a bot needs a custom one`,
		);
		expect(await appState()).toEqual(before);

		const unknown = (await caught(
			setUpBotHandoff(client, { botName: 'bot', integrationId: '5f0000000000000000000000' }),
		)) as HttpError;
		expect(unknown.statusCode).toBe(404);
	});

	it('a switchboard with 10 switchboard integrations has no room: refused before any change', async () => {
		for (let i = 0; i < 8; i++) {
			const integration = await client.createCustomIntegration({
				displayName: `Filler ${i}`,
				webhook: { target: TARGET, triggers: ['conversation:message'] },
			});
			await client.createSwitchboardIntegration(SUNSHINE_SEED.switchboardId, {
				name: `filler-${i}`,
				integrationId: integration.id,
			});
		}
		const before = await appState();
		const full = (await caught(
			setUpBotHandoff(client, { botName: 'One too many', webhook: { target: TARGET } }),
		)) as InvalidInputError;
		expect(full.field).toBe('switchboard');
		expect(full.message).toBe(
			'the switchboard has 10 switchboard integrations and this needs 1 more; a switchboard holds at most 10 (spec: Switchboard Integrations)',
		);
		expect(await appState()).toEqual(before);
	});

	it('two custom integrations with the bot’s name: asks for the id', async () => {
		for (let i = 0; i < 2; i++)
			await client.createCustomIntegration({
				displayName: 'Twin',
				webhook: { target: TARGET, triggers: ['conversation:message'] },
			});
		const twins = (await caught(setUpBotHandoff(client, { botName: 'Twin' }))) as InvalidInputError;
		expect(twins.field).toBe('integrationId');
		expect(twins.message).toBe('2 custom integrations are named "Twin"');
	});
});
