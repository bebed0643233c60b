import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { SunshineApi, UNKNOWN_ID, WebhookReceiver, basicAuth } from './sunshine-helpers';

/**
 * Sunshine Conversations switchboard over HTTP: how each action changes a conversation's active and
 * pending switchboard integrations and which switchboard:* webhook it sends (the :failure ones
 * included), switchboard integration updates, and a switchboard deleted and created again.
 */
describe('sunshine switchboard lifecycle', () => {
	let sim: Simulator;
	let api: SunshineApi;
	let receiver: WebhookReceiver;
	let userId: string;
	/** The survey's switchboard integration as its record, and as conversations show it (openapi.yaml switchboardIntegrationWebhook). */
	let helper: {
		id: string;
		name: string;
		integrationId: string;
		integrationType: string;
		deliverStandbyEvents: boolean;
	};
	let helperRef: { id: string; name: string; integrationId: string; integrationType: string };
	let helperKey: { id: string; secret: string };
	const sb = `/switchboards/${SUNSHINE_SEED.switchboardId}`;
	const bot = {
		id: SUNSHINE_SEED.botSwitchboardIntegrationId,
		name: 'bot',
		integrationId: SUNSHINE_SEED.botIntegrationId,
		integrationType: 'custom',
	};
	const workspace = {
		id: SUNSHINE_SEED.agentWorkspaceSwitchboardIntegrationId,
		name: 'zd-agentWorkspace',
		integrationId: SUNSHINE_SEED.agentWorkspaceIntegrationId,
		integrationType: 'zd:agentWorkspace',
	};
	const triggers = [
		'conversation:message',
		'switchboard:passControl',
		'switchboard:passControl:failure',
		'switchboard:offerControl',
		'switchboard:offerControl:failure',
		'switchboard:acceptControl',
		'switchboard:acceptControl:failure',
		'switchboard:releaseControl',
	];

	beforeAll(async () => {
		sim = await startSimulator({ clock: new ManualClock('2026-01-05T09:00:00Z') });
		api = new SunshineApi(sim);
		receiver = await new WebhookReceiver().start();
		await api.post(`/integrations/${SUNSHINE_SEED.botIntegrationId}/webhooks`, {
			target: receiver.url,
			triggers,
		});
		userId = (await api.post('/users', { externalId: 'sb-life' })).body.user.id;
		// A third party (say, a survey bot) with its own custom integration and key.
		const integration = (
			await api.post('/integrations', {
				type: 'custom',
				displayName: 'Survey',
				webhooks: [{ target: 'http://127.0.0.1:9/unused', triggers: ['conversation:message'] }],
			})
		).body.integration;
		helper = (
			await api.post(`${sb}/switchboardIntegrations`, {
				name: 'survey',
				integrationId: integration.id,
				deliverStandbyEvents: false,
			})
		).body.switchboardIntegration;
		helperRef = {
			id: helper.id,
			name: helper.name,
			integrationId: helper.integrationId,
			integrationType: helper.integrationType,
		};
		helperKey = (await api.post(`/integrations/${integration.id}/keys`, { displayName: 'survey' }))
			.body.key;
	});
	afterAll(async () => {
		await sim.close();
		await receiver.close();
	});
	beforeEach(async () => {
		await sim.sunshine.control.settleDeliveries();
		receiver.clear();
	});

	const settle = () => sim.sunshine.control.settleDeliveries();
	const newConversation = async () => {
		const id = (await api.post('/conversations', { type: 'personal', participants: [{ userId }] }))
			.body.conversation.id as string;
		await api.post(`/conversations/${id}/messages`, {
			author: { type: 'user', userId },
			content: { type: 'text', text: 'hello' },
		});
		return id;
	};
	const state = async (id: string) => {
		const { activeSwitchboardIntegration, pendingSwitchboardIntegration } = (
			await api.get(`/conversations/${id}`)
		).body.conversation;
		return { active: activeSwitchboardIntegration, pending: pendingSwitchboardIntegration };
	};
	const action = async (id: string, name: string, body?: unknown, as = api) => {
		const res = await as.request('POST', `/conversations/${id}/${name}`, body);
		return { status: res.status, body: res.body };
	};
	const switchboardEvents = async () => {
		await settle();
		return receiver
			.events()
			.filter((e) => e.type.startsWith('switchboard:'))
			.map((e) => [e.type, e.payload]);
	};

	describe('state changes', () => {
		it('passControl makes the target active and drops a pending offer; switchboard:passControl carries the new state and metadata', async () => {
			const id = await newConversation();
			expect(await state(id)).toEqual({ active: bot, pending: undefined });
			await action(id, 'offerControl', { switchboardIntegration: 'survey' });
			expect(await state(id)).toEqual({ active: bot, pending: helperRef });
			await settle();
			receiver.clear();
			expect(
				await action(id, 'passControl', {
					switchboardIntegration: 'zd-agentWorkspace',
					metadata: { reason: 'asked' },
				}),
			).toEqual({ status: 200, body: {} });
			// openapi.yaml PassControl: "transitions all the other switchboard integrations to standby status".
			expect(await state(id)).toEqual({ active: workspace, pending: undefined });
			expect(await switchboardEvents()).toEqual([
				[
					'switchboard:passControl',
					{
						conversation: { id, type: 'personal', activeSwitchboardIntegration: workspace },
						metadata: { reason: 'asked' },
					},
				],
			]);
		});

		it('offerControl makes the target pending, a new offer replaces the previous one, and acceptControl hands over control', async () => {
			const id = await newConversation();
			expect(
				await action(id, 'offerControl', { switchboardIntegration: 'zd-agentWorkspace' }),
			).toEqual({ status: 200, body: {} });
			expect(await state(id)).toEqual({ active: bot, pending: workspace });
			// openapi.yaml OfferControl: "Invalidates previous offerControl actions."
			await action(id, 'offerControl', {
				switchboardIntegration: helper.id,
				metadata: { survey: 'nps' },
			});
			expect(await state(id)).toEqual({ active: bot, pending: helperRef });
			// openapi.yaml AcceptControl: only the pending integration may accept with its own key.
			const asHelper = api.withAuth(basicAuth(helperKey.id, helperKey.secret));
			expect(await action(id, 'acceptControl', { metadata: { started: true } }, asHelper)).toEqual({
				status: 200,
				body: {},
			});
			expect(await state(id)).toEqual({ active: helperRef, pending: undefined });
			const conversation = { id, type: 'personal' };
			// openapi.yaml switchboardOfferControl: "activeSwitchboardIntegration ... and a pendingSwitchboardIntegration".
			expect(await switchboardEvents()).toEqual([
				[
					'switchboard:offerControl',
					{
						conversation: {
							...conversation,
							activeSwitchboardIntegration: bot,
							pendingSwitchboardIntegration: workspace,
						},
					},
				],
				[
					'switchboard:offerControl',
					{
						conversation: {
							...conversation,
							activeSwitchboardIntegration: bot,
							pendingSwitchboardIntegration: helperRef,
						},
						metadata: { survey: 'nps' },
					},
				],
				[
					'switchboard:acceptControl',
					{
						conversation: { ...conversation, activeSwitchboardIntegration: helperRef },
						metadata: { started: true },
					},
				],
			]);
			// The agent workspace was offered but never accepted: no ticket.
			expect(sim.sunshine.control.tickets({ conversationId: id })).toEqual([]);
		});

		it('releaseControl nullifies the switchboard state; the default takes over at the next activity', async () => {
			const id = await newConversation();
			await action(id, 'offerControl', { switchboardIntegration: 'survey' });
			await settle();
			receiver.clear();
			expect(await action(id, 'releaseControl', { metadata: { done: true } })).toEqual({
				status: 200,
				body: {},
			});
			expect(await state(id)).toEqual({ active: undefined, pending: undefined });
			// openapi.yaml switchboardReleaseControl: "will omit `activeSwitchboardIntegration`".
			expect(await switchboardEvents()).toEqual([
				[
					'switchboard:releaseControl',
					{ conversation: { id, type: 'personal' }, metadata: { done: true } },
				],
			]);
			await api.post(`/conversations/${id}/messages`, {
				author: { type: 'business' },
				content: { type: 'text', text: 'back' },
			});
			expect(await state(id)).toEqual({ active: bot, pending: undefined });
		});

		it('passControl to zd-agentWorkspace still opens the Zendesk ticket', async () => {
			const id = await newConversation();
			await action(id, 'passControl', { switchboardIntegration: 'zd:agentWorkspace' });
			expect(
				sim.sunshine.control.tickets({ conversationId: id }).map((t) => [t.via, t.status]),
			).toEqual([['passControl', 'open']]);
		});
	});

	describe('failures', () => {
		it('sends switchboard:offerControl:failure when offering control to the active integration, and changes nothing', async () => {
			const id = await newConversation();
			const res = await action(id, 'offerControl', {
				switchboardIntegration: 'bot',
				metadata: { why: 'test' },
			});
			expect(res).toEqual({
				status: 400,
				body: {
					errors: [
						{
							code: 'bad_request',
							title: 'Cannot offer control to the active switchboard integration.',
						},
					],
				},
			});
			expect(await state(id)).toEqual({ active: bot, pending: undefined });
			// openapi.yaml switchboardOfferControlFailureEvent example: its code and message.
			expect(await switchboardEvents()).toEqual([
				[
					'switchboard:offerControl:failure',
					{
						conversation: { id, type: 'personal', activeSwitchboardIntegration: bot },
						error: {
							code: 'switchboard_invalid_target',
							message: 'Cannot offer control to the active switchboard integration.',
						},
						metadata: { why: 'test' },
					},
				],
			]);
		});

		it('sends switchboard:acceptControl:failure when nothing is pending', async () => {
			const id = await newConversation();
			const res = await action(id, 'acceptControl', {});
			expect(res).toEqual({
				status: 400,
				body: {
					errors: [{ code: 'bad_request', title: 'There is no pendingSwitchboardIntegration' }],
				},
			});
			// openapi.yaml switchboardAcceptControlFailureEvent example.
			expect(await switchboardEvents()).toEqual([
				[
					'switchboard:acceptControl:failure',
					{
						conversation: { id, type: 'personal', activeSwitchboardIntegration: bot },
						error: {
							code: 'switchboard_invalid_action',
							message: 'There is no pendingSwitchboardIntegration',
						},
					},
				],
			]);
		});

		it('sends switchboard:passControl:failure for an unknown target; a malformed body sends nothing', async () => {
			const id = await newConversation();
			const res = await action(id, 'passControl', { switchboardIntegration: 'nobody' });
			expect(res).toEqual({
				status: 400,
				body: {
					errors: [{ code: 'bad_request', title: 'Switchboard integration nobody not found' }],
				},
			});
			// openapi.yaml switchboardPassControlFailureEvent example: "Switchboard invalid target".
			expect(await switchboardEvents()).toEqual([
				[
					'switchboard:passControl:failure',
					{
						conversation: { id, type: 'personal', activeSwitchboardIntegration: bot },
						error: { code: 'switchboard_invalid_target', message: 'Switchboard invalid target' },
					},
				],
			]);
			receiver.clear();
			expect((await action(id, 'passControl', { metadata: { a: 1 } })).body).toEqual({
				errors: [{ code: 'bad_request', title: 'switchboardIntegration is required' }],
			});
			expect((await action(id, 'acceptControl')).body).toEqual({
				errors: [{ code: 'bad_request', title: 'A JSON request body is required' }],
			});
			expect(await switchboardEvents()).toEqual([]);
		});
	});

	describe('switchboard integrations', () => {
		it('updates name, link and routing fields; a renamed integration is reached by its new name', async () => {
			const path = `${sb}/switchboardIntegrations/${helper.id}`;
			const res = await api.patch(path, {
				name: 'survey_v2',
				deliverStandbyEvents: true,
				nextSwitchboardIntegrationId: bot.id,
				messageHistoryCount: 3,
			});
			expect(res.status).toBe(200);
			expect(res.body).toEqual({
				switchboardIntegration: {
					...helper,
					name: 'survey_v2',
					deliverStandbyEvents: true,
					nextSwitchboardIntegrationId: bot.id,
					messageHistoryCount: 3,
				},
			});
			const id = await newConversation();
			await action(id, 'passControl', { switchboardIntegration: 'survey_v2' });
			expect((await state(id)).active).toEqual({ ...helperRef, name: 'survey_v2' });
			// "next" follows the integration's own nextSwitchboardIntegrationId.
			await action(id, 'passControl', { switchboardIntegration: 'next' });
			expect((await state(id)).active).toEqual(bot);
			const cleared = await api.patch(path, {
				name: helper.name,
				nextSwitchboardIntegrationId: null,
				messageHistoryCount: null,
				deliverStandbyEvents: false,
			});
			expect(cleared.body).toEqual({
				switchboardIntegration: { ...helper, deliverStandbyEvents: false },
			});
			const listed = (await api.get(`${sb}/switchboardIntegrations`)).body.switchboardIntegrations;
			expect(listed.map((s: any) => s.name)).toEqual(['bot', 'zd-agentWorkspace', 'survey']);
		});

		it('refuses invalid updates, and answers 404 for an unknown switchboard integration', async () => {
			const path = `${sb}/switchboardIntegrations/${helper.id}`;
			const res = await api.patch(path, {
				name: 'x'.repeat(129),
				deliverStandbyEvents: 'no',
				messageHistoryCount: 0,
			});
			// openapi.yaml switchboardIntegrationUpdateBody: name ≤ 128, deliverStandbyEvents boolean, messageHistoryCount 1–10.
			expect({ status: res.status, body: res.body }).toEqual({
				status: 400,
				body: {
					errors: [
						{ code: 'bad_request', title: 'name must be at most 128 characters long' },
						{ code: 'bad_request', title: 'deliverStandbyEvents must be a boolean' },
						{ code: 'bad_request', title: 'messageHistoryCount must be at least 1' },
					],
				},
			});
			const both = await api.patch(path, {
				integrationId: SUNSHINE_SEED.botIntegrationId,
				integrationType: 'custom',
			});
			expect(both.body).toEqual({
				errors: [
					{ code: 'bad_request', title: "Can't provide both integrationId and integrationType" },
				],
			});
			const missing = await api.patch(`${sb}/switchboardIntegrations/${UNKNOWN_ID}`, {
				deliverStandbyEvents: true,
			});
			expect({ status: missing.status, body: missing.body }).toEqual({
				status: 404,
				body: {
					errors: [
						{
							code: 'switchboard_integration_not_found',
							title: 'SwitchboardIntegration not found',
						},
					],
				},
			});
		});
	});

	describe('deleting and creating the switchboard', () => {
		it('deletes the switchboard with its switchboard integrations; linked integrations then get every event', async () => {
			// The bot, in standby without deliverStandbyEvents, gets none of the user's messages yet.
			await api.patch(`${sb}/switchboardIntegrations/${bot.id}`, { deliverStandbyEvents: false });
			const id = await newConversation();
			await action(id, 'passControl', { switchboardIntegration: 'zd-agentWorkspace' });
			await settle();
			receiver.clear();
			await api.post(`/conversations/${id}/messages`, {
				author: { type: 'user', userId },
				content: { type: 'text', text: 'unseen by the bot' },
			});
			await settle();
			expect(receiver.events('conversation:message')).toEqual([]);
			const removed = await api.delete(sb);
			expect({ status: removed.status, body: removed.body }).toEqual({ status: 200, body: {} });
			expect((await api.get('/switchboards')).body).toEqual({ switchboards: [] });
			const gone = await api.get(`${sb}/switchboardIntegrations`);
			expect({ status: gone.status, body: gone.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'switchboard_not_found', title: 'Switchboard not found' }] },
			});
			expect((await api.delete(sb)).status).toBe(404);
			// The integrations themselves stay (openapi.yaml DeleteSwitchboard).
			expect((await api.get(`/integrations/${helper.integrationId}`)).status).toBe(200);
			expect(await state(id)).toEqual({ active: undefined, pending: undefined });
			await settle();
			receiver.clear();
			await api.post(`/conversations/${id}/messages`, {
				author: { type: 'user', userId },
				content: { type: 'text', text: 'anyone?' },
			});
			await settle();
			// openapi.yaml DeleteSwitchboard: linked integrations "will start receiving all conversation events".
			const [event] = receiver.events('conversation:message');
			expect(event.payload.conversation).toEqual({ id, type: 'personal' });
			expect(event.payload.message.content).toEqual({ type: 'text', text: 'anyone?' });
			// No switchboard integration left to hand control to.
			const pass = await action(id, 'passControl', { switchboardIntegration: 'bot' });
			expect(pass).toEqual({
				status: 400,
				body: { errors: [{ code: 'bad_request', title: 'Switchboard integration bot not found' }] },
			});
		});

		it('creates a new, disabled switchboard (201); enabling it needs a default switchboard integration', async () => {
			const created = await api.post('/switchboards');
			expect(created.status).toBe(201);
			// openapi.yaml createSwitchboard example.
			expect(created.body).toEqual({
				switchboard: { id: expect.stringMatching(/^[0-9a-f]{24}$/), enabled: false },
			});
			const switchboardId = created.body.switchboard.id;
			expect((await api.get('/switchboards')).body).toEqual({
				switchboards: [created.body.switchboard],
			});
			const second = await api.post('/switchboards');
			expect({ status: second.status, body: second.body }).toEqual({
				status: 400,
				body: {
					errors: [{ code: 'bad_request', title: 'Only one switchboard can be created per app' }],
				},
			});
			const enable = await api.patch(`/switchboards/${switchboardId}`, { enabled: true });
			// The title openapi.yaml gives for this rule (UpdateSwitchboardIntegration 404 example).
			expect({ status: enable.status, body: enable.body }).toEqual({
				status: 404,
				body: {
					errors: [
						{
							code: 'switchboard_integration_not_found',
							title: 'Enabled switchboard must have an associated default switchboardIntegration',
						},
					],
				},
			});
			const path = `/switchboards/${switchboardId}/switchboardIntegrations`;
			const newBot = (
				await api.post(path, { name: 'bot', integrationId: SUNSHINE_SEED.botIntegrationId })
			).body.switchboardIntegration;
			const agents = (
				await api.post(path, {
					name: 'zd-agentWorkspace',
					integrationType: 'zd:agentWorkspace',
					deliverStandbyEvents: false,
				})
			).body.switchboardIntegration;
			expect(agents).toEqual({
				id: expect.any(String),
				name: 'zd-agentWorkspace',
				integrationId: SUNSHINE_SEED.agentWorkspaceIntegrationId,
				integrationType: 'zd:agentWorkspace',
				deliverStandbyEvents: false,
			});
			// A conversation from before the switchboard was enabled gets the default at its next activity
			// (openapi.yaml defaultSwitchboardIntegrationId).
			const before = (
				await api.post('/conversations', { type: 'personal', participants: [{ userId }] })
			).body.conversation;
			expect(before.activeSwitchboardIntegration).toBeUndefined();
			const enabled = await api.patch(`/switchboards/${switchboardId}`, {
				enabled: true,
				defaultSwitchboardIntegrationId: newBot.id,
			});
			expect(enabled.body).toEqual({
				switchboard: {
					id: switchboardId,
					enabled: true,
					defaultSwitchboardIntegrationId: newBot.id,
				},
			});
			await api.post(`/conversations/${before.id}/messages`, {
				author: { type: 'user', userId },
				content: { type: 'text', text: 'now routed' },
			});
			const botRef = {
				id: newBot.id,
				name: 'bot',
				integrationId: SUNSHINE_SEED.botIntegrationId,
				integrationType: 'custom',
			};
			expect(await state(before.id)).toEqual({ active: botRef, pending: undefined });
			// And the handoff works on the new switchboard as on the seeded one.
			expect(
				await action(before.id, 'passControl', { switchboardIntegration: 'zd-agentWorkspace' }),
			).toEqual({ status: 200, body: {} });
			expect(sim.sunshine.control.tickets({ conversationId: before.id })).toHaveLength(1);
		});
	});
});
