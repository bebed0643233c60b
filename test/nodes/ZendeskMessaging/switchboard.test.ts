/**
 * Switchboard › Get and Set Up Bot Handoff through n8n-core's engine: the app's switchboard
 * integrations, which one gets new conversations, where "next" leads from each; the handoff set up
 * once, with what changed, and nothing changed the second time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { messagingHarness, NODE_NAME, runNode, unique, withoutRequests } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

describe('Switchboard › Get', () => {
	it('describes the switchboard: enabled, its default and each integration with its next', async () => {
		const defaults = sim.sunshine.control.defaults();
		const [out] = outputOf(
			await runNode(messagingHarness(sim), { resource: 'switchboard', operation: 'get' }),
			NODE_NAME,
		);
		const integrations = out.integrations as Array<Record<string, unknown>>;
		expect(out.switchboard).toEqual({
			id: expect.any(String),
			enabled: true,
			defaultSwitchboardIntegrationId: expect.any(String),
		});
		expect(integrations.map((i) => [i.name, i.integrationType, i.isDefault, i.next])).toEqual(
			expect.arrayContaining([
				['bot', 'custom', true, 'zd-agentWorkspace'],
				['zd-agentWorkspace', 'zd:agentWorkspace', false, 'bot'],
			]),
		);
		expect(integrations).toHaveLength(2);
		expect(integrations.find((i) => i.name === 'bot')?.integrationId).toBe(
			defaults.botIntegrationId,
		);
	});
});

describe('Switchboard › Set Up Bot Handoff', () => {
	let hook: Server;
	let target: string;
	beforeAll(async () => {
		hook = createServer((req, res) => {
			req.resume();
			req.on('end', () => res.writeHead(200).end());
		});
		await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
		target = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
	});
	afterAll(() => new Promise<void>((resolve) => hook.close(() => resolve())));

	const setUp = (parameters: Record<string, unknown>) => ({
		resource: 'switchboard',
		operation: 'setUpBotHandoff',
		...parameters,
	});

	it('creates the bot, its webhook and its place before the agent workspace, says so, and changes nothing the second time', async () => {
		const [first] = outputOf(
			await runNode(messagingHarness(sim), setUp({ botName: 'n8n Bot', webhookUrl: target })),
			NODE_NAME,
		);
		expect(first).toMatchObject({
			integration: { id: expect.any(String), displayName: 'n8n Bot' },
			webhook: {
				target,
				triggers: ['conversation:message', 'switchboard:releaseControl'],
				secret: expect.any(String),
			},
			switchboardIntegration: { name: 'n8n-Bot' },
			agentWorkspace: { name: 'zd-agentWorkspace' },
		});
		expect(first.changes).toEqual([
			`created the custom integration "n8n Bot" with a webhook to ${target}`,
			'added n8n-Bot to the switchboard with zd-agentWorkspace as its next',
		]);
		const [described] = outputOf(
			await runNode(messagingHarness(sim), { resource: 'switchboard', operation: 'get' }),
			NODE_NAME,
		);
		expect(
			(described.integrations as Array<Record<string, unknown>>).find((i) => i.name === 'n8n-Bot'),
		).toMatchObject({
			integrationId: (first.integration as { id: string }).id,
			integrationType: 'custom',
			isDefault: false,
			next: 'zd-agentWorkspace',
		});

		const [again] = outputOf(
			await runNode(messagingHarness(sim), setUp({ botName: 'n8n Bot', webhookUrl: target })),
			NODE_NAME,
		);
		expect(again.changes).toEqual([]);
		expect((again.integration as { id: string }).id).toBe((first.integration as { id: string }).id);
	});

	it('makes the bot the default responder and sets the webhook events when asked', async () => {
		const [out] = outputOf(
			await runNode(
				messagingHarness(sim),
				setUp({
					botName: 'Default Bot',
					webhookUrl: target,
					options: {
						makeDefault: true,
						triggers: ['conversation:message', 'conversation:postback'],
						switchboardIntegrationName: 'default_bot',
					},
				}),
			),
			NODE_NAME,
		);
		expect(out.changes).toEqual(expect.arrayContaining(['made default_bot the default responder']));
		expect(out.webhook).toMatchObject({
			triggers: ['conversation:message', 'conversation:postback'],
		});
		expect(
			sim.sunshine.control.conversation({
				id: sim.sunshine.control.userSays({ userExternalId: unique('new'), text: 'Hi' })
					.conversationId,
			}).switchboard.active,
		).toBe('default_bot');
	});

	it('refuses an empty bot name before any request, and a new bot without a webhook URL', async () => {
		const empty = await withoutRequests(sim, () =>
			runNode(messagingHarness(sim), setUp({ botName: '={{ $json.name }}' }), [
				{ json: { name: '' } },
			]),
		);
		expect(errorOf(empty, NODE_NAME)).toMatchObject({
			name: 'NodeOperationError',
			message: 'Bot Name: botName must be a non-empty string, got an empty string',
			description: 'Field: Bot Name (botName).',
		});
		const noHook = errorOf(
			await runNode(messagingHarness(sim), setUp({ botName: 'Nobody Yet' })),
			NODE_NAME,
		);
		expect(noHook).toMatchObject({
			name: 'NodeOperationError',
			message:
				'Webhook URL: there is no custom integration named "Nobody Yet" yet, and creating one needs its webhook',
		});
	});
});
