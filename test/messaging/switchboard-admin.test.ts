import type { MessagingClient } from '../../src/messaging';
import { HttpError } from '../../src/shared';
import { startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { caught, refusedBeforeSending, simClient } from './sim-client';

/** describeSwitchboard and the switchboard / switchboard integration writes, against the simulator. */
let sim: Simulator;
let client: MessagingClient;

beforeEach(async () => {
	sim = await startSimulator();
	client = simClient(sim);
});

afterEach(async () => {
	await client.close();
	await sim.close();
});

describe('describeSwitchboard', () => {
	it('shows each switchboard integration with whether it is the default and the name of its next', async () => {
		const described = await client.describeSwitchboard();
		expect(described).toEqual({
			switchboard: {
				id: SUNSHINE_SEED.switchboardId,
				enabled: true,
				defaultSwitchboardIntegrationId: SUNSHINE_SEED.botSwitchboardIntegrationId,
			},
			integrations: [
				{
					id: SUNSHINE_SEED.botSwitchboardIntegrationId,
					name: 'bot',
					integrationId: SUNSHINE_SEED.botIntegrationId,
					integrationType: 'custom',
					deliverStandbyEvents: true,
					nextSwitchboardIntegrationId: SUNSHINE_SEED.agentWorkspaceSwitchboardIntegrationId,
					isDefault: true,
					next: 'zd-agentWorkspace',
				},
				{
					id: SUNSHINE_SEED.agentWorkspaceSwitchboardIntegrationId,
					name: 'zd-agentWorkspace',
					integrationId: SUNSHINE_SEED.agentWorkspaceIntegrationId,
					integrationType: 'zd:agentWorkspace',
					deliverStandbyEvents: false,
					nextSwitchboardIntegrationId: SUNSHINE_SEED.botSwitchboardIntegrationId,
					isDefault: false,
					next: 'bot',
				},
			],
		});
	});

	it('is undefined when the app has no switchboard, and shows a new one disabled and empty', async () => {
		await client.deleteSwitchboard(SUNSHINE_SEED.switchboardId);
		expect(await client.describeSwitchboard()).toBeUndefined();
		const created = await client.createSwitchboard();
		expect(created.enabled).toBe(false);
		expect(await client.describeSwitchboard()).toEqual({
			switchboard: { id: created.id, enabled: false, defaultSwitchboardIntegrationId: null },
			integrations: [],
		});
		// Spec CreateSwitchboard 400: "Only one switchboard can be created per app".
		const second = (await caught(client.createSwitchboard())) as HttpError;
		expect(second.statusCode).toBe(400);
	});
});

describe('switchboard integrations', () => {
	it('creates one linked to a custom integration, updates it, makes it the default, and deletes it', async () => {
		const sb = SUNSHINE_SEED.switchboardId;
		const integration = await client.createCustomIntegration({
			displayName: 'Survey',
			webhook: { target: 'http://127.0.0.1:9/hook', triggers: ['conversation:message'] },
		});
		const created = await client.createSwitchboardIntegration(sb, {
			name: 'survey_bot-2',
			integrationId: integration.id,
			deliverStandbyEvents: false,
			nextSwitchboardIntegrationId: SUNSHINE_SEED.agentWorkspaceSwitchboardIntegrationId,
			messageHistoryCount: 5,
		});
		expect(created).toMatchObject({
			name: 'survey_bot-2',
			integrationId: integration.id,
			integrationType: 'custom',
			deliverStandbyEvents: false,
			nextSwitchboardIntegrationId: SUNSHINE_SEED.agentWorkspaceSwitchboardIntegrationId,
			messageHistoryCount: 5,
		});

		const updated = await client.updateSwitchboardIntegration(sb, created.id, {
			nextSwitchboardIntegrationId: null,
			messageHistoryCount: null,
			name: 'survey',
		});
		expect(updated).toMatchObject({ id: created.id, name: 'survey' });
		// Unset nullable fields may be null or left out.
		expect(updated.nextSwitchboardIntegrationId ?? null).toBeNull();
		expect(updated.messageHistoryCount ?? null).toBeNull();

		const switchboard = await client.updateSwitchboard(sb, {
			defaultSwitchboardIntegrationId: created.id,
		});
		expect(switchboard.defaultSwitchboardIntegrationId).toBe(created.id);
		const described = await client.describeSwitchboard();
		expect(described?.integrations.find((i) => i.id === created.id)).toMatchObject({
			isDefault: true,
			next: null,
		});

		// The default cannot be deleted (spec DeleteSwitchboardIntegration); another default first.
		expect(await caught(client.deleteSwitchboardIntegration(sb, created.id))).toBeInstanceOf(
			HttpError,
		);
		await client.updateSwitchboard(sb, {
			defaultSwitchboardIntegrationId: SUNSHINE_SEED.botSwitchboardIntegrationId,
			enabled: true,
		});
		await client.deleteSwitchboardIntegration(sb, created.id);
		expect((await client.listSwitchboardIntegrations(sb)).map((i) => i.name)).toEqual([
			'bot',
			'zd-agentWorkspace',
		]);
	});

	it('links the agent workspace by integrationType', async () => {
		await client.deleteSwitchboard(SUNSHINE_SEED.switchboardId);
		const switchboard = await client.createSwitchboard();
		const workspace = await client.createSwitchboardIntegration(switchboard.id, {
			name: 'zd-agentWorkspace',
			integrationType: 'zd:agentWorkspace',
		});
		expect(workspace).toMatchObject({
			name: 'zd-agentWorkspace',
			integrationType: 'zd:agentWorkspace',
		});
		const enabled = await client.updateSwitchboard(switchboard.id, {
			defaultSwitchboardIntegrationId: workspace.id,
			enabled: true,
		});
		expect(enabled).toMatchObject({ enabled: true, defaultSwitchboardIntegrationId: workspace.id });
		expect((await client.findAgentWorkspace())?.switchboardIntegration.id).toBe(workspace.id);
	});

	it('refuses bad input before any request', async () => {
		const sb = SUNSHINE_SEED.switchboardId;
		const field = async (call: () => Promise<unknown>) =>
			(await refusedBeforeSending(sim, call)).field;
		expect(
			await field(() =>
				client.createSwitchboardIntegration(sb, { name: 'n8n bot', integrationId: 'i' }),
			),
		).toBe('name');
		expect(
			await field(() =>
				client.createSwitchboardIntegration(sb, { name: 'x'.repeat(129), integrationId: 'i' }),
			),
		).toBe('name');
		expect(await field(() => client.createSwitchboardIntegration(sb, { name: 'bot2' }))).toBe(
			'integrationId',
		);
		expect(
			await field(() =>
				client.createSwitchboardIntegration(sb, {
					name: 'bot2',
					integrationId: 'i',
					integrationType: 'zd:agentWorkspace',
				}),
			),
		).toBe('integrationType');
		expect(
			await field(() =>
				client.createSwitchboardIntegration(sb, {
					name: 'bot2',
					integrationId: 'i',
					messageHistoryCount: 11,
				}),
			),
		).toBe('messageHistoryCount');
		expect(
			await field(() =>
				client.createSwitchboardIntegration(sb, {
					name: 'bot2',
					integrationId: 'i',
					deliverStandbyEvents: 'no' as never,
				}),
			),
		).toBe('deliverStandbyEvents');
		expect(await field(() => client.updateSwitchboardIntegration(sb, 'x', {}))).toBe(
			'switchboardIntegration',
		);
		expect(await field(() => client.updateSwitchboardIntegration(sb, '..', { name: 'a' }))).toBe(
			'switchboardIntegrationId',
		);
		expect(await field(() => client.updateSwitchboard(sb, {}))).toBe('switchboard');
		expect(await field(() => client.updateSwitchboard(sb, { enabled: 'yes' as never }))).toBe(
			'enabled',
		);
		expect(await field(() => client.deleteSwitchboard('.'))).toBe('switchboardId');
	});
});
