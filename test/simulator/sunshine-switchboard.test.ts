import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { SunshineApi, UNKNOWN_ID, basicAuth } from './sunshine-helpers';

/** Sunshine Conversations: switchboards, switchboard actions, and the Zendesk tickets of a handoff. */
describe('sunshine switchboard', () => {
	let sim: Simulator;
	let api: SunshineApi;
	let userId: string;
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

	beforeAll(async () => {
		sim = await startSimulator({ clock: new ManualClock('2026-01-05T09:00:00Z') });
		api = new SunshineApi(sim);
		userId = (await api.post('/users', { externalId: 'sb-user', profile: { givenName: 'Jane' } }))
			.body.user.id;
	});
	afterAll(() => sim.close());

	const newConversation = async () =>
		(await api.post('/conversations', { type: 'personal', participants: [{ userId }] })).body
			.conversation.id as string;
	const conversation = async (id: string) =>
		(await api.get(`/conversations/${id}`)).body.conversation;
	const say = (id: string, text: string, type: 'business' | 'user' = 'business') =>
		api.post(`/conversations/${id}/messages`, {
			author: type === 'user' ? { type, userId } : { type },
			content: { type: 'text', text },
		});
	const control = async (operation: string, body: unknown) => {
		const res = await fetch(`${sim.urls.control}/sunshine/${operation}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as any };
	};

	describe('switchboards and switchboard integrations', () => {
		it('lists the default switchboard integrations: the bot, then the agent workspace', async () => {
			const res = await api.get(`${sb}/switchboardIntegrations`);
			expect(res.status).toBe(200);
			expect(res.body).toEqual({
				switchboardIntegrations: [
					{ ...bot, deliverStandbyEvents: true, nextSwitchboardIntegrationId: workspace.id },
					{ ...workspace, deliverStandbyEvents: false, nextSwitchboardIntegrationId: bot.id },
				],
			});
			const missing = await api.get(`/switchboards/${UNKNOWN_ID}/switchboardIntegrations`);
			expect(missing.status).toBe(404);
			expect(missing.body).toEqual({
				errors: [{ code: 'switchboard_not_found', title: 'Switchboard not found' }],
			});
		});

		it('refuses a second switchboard and updates the one there is', async () => {
			const second = await api.post('/switchboards', {});
			expect(second.status).toBe(400);
			expect(second.body).toEqual({
				errors: [{ code: 'bad_request', title: 'Only one switchboard can be created per app' }],
			});
			const patched = await api.patch(sb, {
				enabled: true,
				defaultSwitchboardIntegrationId: bot.id,
			});
			expect(patched.body).toEqual({
				switchboard: {
					id: SUNSHINE_SEED.switchboardId,
					enabled: true,
					defaultSwitchboardIntegrationId: bot.id,
				},
			});
			expect(
				(await api.patch(sb, { defaultSwitchboardIntegrationId: UNKNOWN_ID })).body.errors[0].code,
			).toBe('switchboard_integration_not_found');
			expect(
				(await api.patch(`/switchboards/${UNKNOWN_ID}`, { enabled: false })).body.errors[0].code,
			).toBe('switchboard_not_found');
		});

		it('creates, updates and deletes switchboard integrations, up to 10', async () => {
			const created = await api.post(`${sb}/switchboardIntegrations`, {
				name: 'partner-bot',
				integrationType: 'partner-oauth-client',
				messageHistoryCount: 5,
			});
			expect(created.status).toBe(201);
			expect(created.body).toEqual({
				switchboardIntegration: {
					id: expect.stringMatching(/^[0-9a-f]{24}$/),
					name: 'partner-bot',
					integrationId: expect.stringMatching(/^[0-9a-f]{24}$/),
					integrationType: 'partner-oauth-client',
					deliverStandbyEvents: true,
					messageHistoryCount: 5,
				},
			});
			const id = created.body.switchboardIntegration.id;
			const patched = await api.patch(`${sb}/switchboardIntegrations/${id}`, {
				deliverStandbyEvents: false,
				nextSwitchboardIntegrationId: bot.id,
			});
			expect(patched.body.switchboardIntegration).toEqual({
				...created.body.switchboardIntegration,
				deliverStandbyEvents: false,
				nextSwitchboardIntegrationId: bot.id,
			});
			const extra: string[] = [];
			for (let i = 0; i < 7; i++) {
				const res = await api.post(`${sb}/switchboardIntegrations`, {
					name: `extra_${i}`,
					integrationType: `client-${i}`,
				});
				expect(res.status).toBe(201);
				extra.push(res.body.switchboardIntegration.id);
			}
			const eleventh = await api.post(`${sb}/switchboardIntegrations`, {
				name: 'one-too-many',
				integrationType: 'client-x',
			});
			expect(eleventh.status).toBe(400);
			expect(eleventh.body).toEqual({
				errors: [
					{
						code: 'too_many_switchboard_integrations',
						title: 'Switchboard has reached the max number of switchboard integrations (10)',
					},
				],
			});
			for (const extraId of extra)
				expect((await api.delete(`${sb}/switchboardIntegrations/${extraId}`)).body).toEqual({});
			expect((await api.delete(`${sb}/switchboardIntegrations/${id}`)).status).toBe(200);
			expect((await api.delete(`${sb}/switchboardIntegrations/${id}`)).body).toEqual({
				errors: [
					{ code: 'switchboard_integration_not_found', title: 'SwitchboardIntegration not found' },
				],
			});
		});

		it('validates switchboard integrations', async () => {
			const path = `${sb}/switchboardIntegrations`;
			const cases: Array<[unknown, string[]]> = [
				[{ integrationType: 'x' }, ['name is required']],
				[
					{ name: 'has space', integrationType: 'x' },
					['name may only contain letters, digits, - and _'],
				],
				[{ name: 'n' }, ['One of integrationId or integrationType must be provided']],
				[
					{ name: 'n', integrationId: SUNSHINE_SEED.botIntegrationId, integrationType: 'custom' },
					["Can't provide both integrationId and integrationType"],
				],
				[
					{ name: 'n', integrationType: 'x', messageHistoryCount: 11 },
					['messageHistoryCount must be at most 10'],
				],
				[
					{ name: 'bot', integrationType: 'x' },
					['A switchboard integration named bot already exists'],
				],
				[
					{ name: 'n', integrationId: SUNSHINE_SEED.botIntegrationId },
					['That integration is already linked to a switchboard integration'],
				],
			];
			for (const [body, titles] of cases) {
				const res = await api.post(path, body);
				expect({ body, status: res.status, errors: res.body.errors }).toEqual({
					body,
					status: 400,
					errors: titles.map((title) => ({ code: 'bad_request', title })),
				});
			}
			expect(
				(await api.post(path, { name: 'n', integrationId: UNKNOWN_ID })).body.errors[0].code,
			).toBe('integration_not_found');
			expect(
				(
					await api.post(path, {
						name: 'n',
						integrationType: 'x',
						nextSwitchboardIntegrationId: UNKNOWN_ID,
					})
				).body.errors[0].code,
			).toBe('switchboard_integration_not_found');
			const defaultOne = await api.delete(`${path}/${bot.id}`);
			expect(defaultOne.status).toBe(400);
			expect(defaultOne.body.errors[0].title).toBe(
				'The default switchboard integration cannot be deleted: choose another default first',
			);
			const referenced = await api.delete(`${path}/${workspace.id}`);
			expect(referenced.status).toBe(400);
			expect(referenced.body.errors[0].title).toBe(
				'Switchboard integration bot names it as nextSwitchboardIntegrationId',
			);
		});
	});

	describe('switchboard actions', () => {
		it('passes control by name, id, integrationType or "next" (200 {}), updating the conversation', async () => {
			const id = await newConversation();
			await say(id, 'context');
			expect((await conversation(id)).activeSwitchboardIntegration).toEqual(bot);
			const byName = await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
				metadata: { reason: 'asked' },
			});
			expect(byName.status).toBe(200);
			expect(byName.body).toEqual({});
			expect((await conversation(id)).activeSwitchboardIntegration).toEqual(workspace);
			await api.post(`/conversations/${id}/passControl`, { switchboardIntegration: 'next' });
			expect((await conversation(id)).activeSwitchboardIntegration).toEqual(bot);
			await api.post(`/conversations/${id}/passControl`, { switchboardIntegration: workspace.id });
			expect((await conversation(id)).activeSwitchboardIntegration).toEqual(workspace);
			await api.post(`/conversations/${id}/passControl`, { switchboardIntegration: 'custom' });
			expect((await conversation(id)).activeSwitchboardIntegration).toEqual(bot);
		});

		it('refuses a missing, unknown or ambiguous target', async () => {
			const id = await newConversation();
			const missing = await api.post(`/conversations/${id}/passControl`, { metadata: {} });
			expect(missing.status).toBe(400);
			expect(missing.body).toEqual({
				errors: [{ code: 'bad_request', title: 'switchboardIntegration is required' }],
			});
			expect((await api.post(`/conversations/${id}/offerControl`, {})).body.errors[0].title).toBe(
				'switchboardIntegration is required',
			);
			const unknown = await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'nobody',
			});
			expect(unknown.body).toEqual({
				errors: [{ code: 'bad_request', title: 'Switchboard integration nobody not found' }],
			});
			const other = await api.post('/integrations', {
				type: 'custom',
				webhooks: [{ target: 'http://127.0.0.1:9/x', triggers: ['conversation:message'] }],
			});
			const linked = await api.post(`${sb}/switchboardIntegrations`, {
				name: 'second-custom',
				integrationId: other.body.integration.id,
			});
			const ambiguous = await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'custom',
			});
			expect(ambiguous.body.errors[0].title).toBe(
				'Switchboard integration custom is ambiguous: several have that integrationType',
			);
			await api.delete(`${sb}/switchboardIntegrations/${linked.body.switchboardIntegration.id}`);
			const badMetadata = await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'bot',
				metadata: { deep: { x: 1 } },
			});
			expect(badMetadata.body.errors[0].title).toBe(
				'metadata.deep must be a string, a number or a boolean (metadata is flat)',
			);
		});

		it('offers and accepts control; offering to the active integration or accepting nothing is refused', async () => {
			const id = await newConversation();
			await say(id, 'hello');
			const toActive = await api.post(`/conversations/${id}/offerControl`, {
				switchboardIntegration: 'bot',
			});
			expect(toActive.status).toBe(400);
			expect(toActive.body.errors[0].title).toBe(
				'Cannot offer control to the active switchboard integration.',
			);
			const nothing = await api.post(`/conversations/${id}/acceptControl`, {});
			expect(nothing.status).toBe(400);
			expect(nothing.body.errors[0].title).toBe('There is no pendingSwitchboardIntegration');
			expect(
				(
					await api.post(`/conversations/${id}/offerControl`, {
						switchboardIntegration: 'next',
						metadata: { a: 1 },
					})
				).body,
			).toEqual({});
			const offered = await conversation(id);
			expect([offered.activeSwitchboardIntegration, offered.pendingSwitchboardIntegration]).toEqual(
				[bot, workspace],
			);
			expect(
				(await api.post(`/conversations/${id}/acceptControl`, { metadata: { b: 2 } })).body,
			).toEqual({});
			const accepted = await conversation(id);
			expect(accepted.activeSwitchboardIntegration).toEqual(workspace);
			expect(accepted.pendingSwitchboardIntegration).toBeUndefined();
			// The agent workspace got control by accepting: a ticket with both actions' metadata.
			expect(
				sim.sunshine.control.tickets({ conversationId: id }).map((t) => [t.via, t.metadata]),
			).toEqual([['acceptControl', { a: 1, b: 2 }]]);
		});

		it('releases control (the body is optional); the next activity hands the conversation to the default', async () => {
			const id = await newConversation();
			const res = await api.request('POST', `/conversations/${id}/releaseControl`);
			expect(res.status).toBe(200);
			expect(res.body).toEqual({});
			const released = await conversation(id);
			expect(released.activeSwitchboardIntegration).toBeUndefined();
			expect(sim.sunshine.control.conversation({ id }).switchboard).toEqual({
				active: null,
				pending: null,
			});
			await say(id, 'back again', 'user');
			expect((await conversation(id)).activeSwitchboardIntegration).toEqual(bot);
		});

		it('answers 404 conversation_not_found for every action on an unknown conversation', async () => {
			for (const [action, body] of [
				['passControl', { switchboardIntegration: 'next' }],
				['offerControl', { switchboardIntegration: 'next' }],
				['acceptControl', {}],
				['releaseControl', {}],
			] as const) {
				const res = await api.post(`/conversations/${UNKNOWN_ID}/${action}`, body);
				expect({ action, status: res.status, body: res.body }).toEqual({
					action,
					status: 404,
					body: { errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }] },
				});
			}
		});

		it('with integration scope: releasing needs control and accepting needs the pending offer (403 otherwise)', async () => {
			const key = (
				await api.post(`/integrations/${SUNSHINE_SEED.botIntegrationId}/keys`, {
					displayName: 'bot',
				})
			).body.key;
			const asBot = api.withAuth(basicAuth(key.id, key.secret));
			const id = await newConversation();
			await say(id, 'hello');
			await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
			});
			const release = await asBot.post(`/conversations/${id}/releaseControl`, {});
			expect(release.status).toBe(403);
			expect(release.body).toEqual({ errors: [{ code: 'forbidden', title: 'Forbidden' }] });
			// Botpress's way of staying in the loop: offer control back to itself, without having it.
			expect(
				(await asBot.post(`/conversations/${id}/offerControl`, { switchboardIntegration: 'bot' }))
					.status,
			).toBe(200);
			expect((await asBot.post(`/conversations/${id}/acceptControl`, {})).status).toBe(200);
			expect((await conversation(id)).activeSwitchboardIntegration).toEqual(bot);
			expect((await asBot.post(`/conversations/${id}/acceptControl`, {})).status).toBe(403);
			expect((await asBot.post(`/conversations/${id}/releaseControl`, {})).status).toBe(200);
		});
	});

	describe('handoff to Zendesk agents', () => {
		it('opens a ticket with the whole history from metadata.first_message_id, and its dataCapture fields', async () => {
			const id = await newConversation();
			const ids: string[] = [];
			for (let i = 1; i <= 14; i++)
				ids.push((await say(id, `message ${i}`, i % 2 ? 'user' : 'business')).body.messages[0].id);
			const summary = await say(id, 'Summary: Jane cannot log in.');
			const res = await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
				metadata: {
					first_message_id: ids[0],
					'dataCapture.systemField.tags': 'bot_escalation, login,vip ',
					'dataCapture.systemField.group_id': 360001,
					'dataCapture.systemField.priority': 'high',
					'dataCapture.systemField.requester.email': 'jane@example.org',
					'dataCapture.ticketField.9000': 'Login',
					priority: 'urgent',
				},
			});
			expect(res.status).toBe(200);
			const [ticket] = sim.sunshine.control.tickets({ conversationId: id });
			expect(ticket).toEqual({
				id: expect.any(Number),
				conversationId: id,
				userId,
				status: 'open',
				createdAt: '2026-01-05T09:00:00.000Z',
				via: 'passControl',
				metadata: expect.objectContaining({ first_message_id: ids[0], priority: 'urgent' }),
				tags: ['bot_escalation', 'login', 'vip'],
				systemFields: { group_id: 360001, priority: 'high', 'requester.email': 'jane@example.org' },
				ticketFields: { '9000': 'Login' },
				firstMessageId: ids[0],
				messageIds: [...ids, summary.body.messages[0].id],
				messages: expect.any(Array),
			});
			expect(ticket.messages.map((m: any) => m.content.text)).toEqual([
				...ids.map((_, i) => `message ${i + 1}`),
				'Summary: Jane cannot log in.',
			]);
			// Passing control again while the agents have it opens no second ticket.
			await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
			});
			expect(sim.sunshine.control.tickets({ conversationId: id })).toHaveLength(1);
		});

		it('without first_message_id the ticket carries only the last 10 messages', async () => {
			const id = await newConversation();
			for (let i = 1; i <= 12; i++) await say(id, `line ${i}`, 'user');
			await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd:agentWorkspace',
			});
			const [ticket] = sim.sunshine.control.tickets({ conversationId: id });
			expect(ticket.messages.map((m: any) => m.content.text)).toEqual(
				Array.from({ length: 10 }, (_, i) => `line ${i + 3}`),
			);
			expect(ticket.firstMessageId).toBeNull();
		});

		it('refuses to hand an empty conversation to the agents, or an unknown first_message_id, and changes nothing', async () => {
			const id = await newConversation();
			const empty = await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
			});
			expect(empty.status).toBe(400);
			expect(empty.body).toEqual({
				errors: [
					{
						code: 'bad_request',
						title:
							'Cannot hand the conversation to zd-agentWorkspace: it has no messages, so the ticket has no reason. Post a message first.',
					},
				],
			});
			await say(id, 'now there is one');
			const unknown = await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
				metadata: { first_message_id: UNKNOWN_ID },
			});
			expect(unknown.status).toBe(400);
			expect(unknown.body.errors[0].title).toBe(
				`metadata.first_message_id ${UNKNOWN_ID} is not a message of this conversation`,
			);
			expect((await conversation(id)).activeSwitchboardIntegration).toEqual(bot);
			expect(sim.sunshine.control.tickets({ conversationId: id })).toEqual([]);
		});

		it('lets an agent reply and end the session only while the agent workspace has control (control API)', async () => {
			const id = await newConversation();
			const early = await control('agentReplies', { conversationId: id, text: 'too early' });
			expect(early.status).toBe(400);
			expect(early.body).toEqual({
				error: 'invalid',
				description: `zd-agentWorkspace does not have control of conversation ${id} (active: bot): pass control to it first`,
			});
			expect((await control('agentReleasesControl', { conversationId: id })).status).toBe(400);
			expect(
				(await control('agentReplies', { conversationId: UNKNOWN_ID, text: 'x' })).status,
			).toBe(404);
			await say(id, 'please help', 'user');
			await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
			});
			const reply = await control('agentReplies', {
				conversationId: id,
				text: 'Hi, Grace here',
				agentId: 42,
				agentName: 'Grace',
			});
			expect(reply.status).toBe(200);
			expect(reply.body.result).toEqual({
				id: expect.stringMatching(/^[0-9a-f]{24}$/),
				received: '2026-01-05T09:00:00.000Z',
				author: {
					type: 'business',
					displayName: 'Grace',
					avatarUrl: expect.any(String),
					subtypes: ['agent'],
				},
				content: { type: 'text', text: 'Hi, Grace here' },
				source: {
					type: 'zd:agentWorkspace',
					integrationId: SUNSHINE_SEED.agentWorkspaceIntegrationId,
				},
				metadata: { '__zendesk_msg.agent.id': '42' },
			});
			// Agents send images and files too (seeds/messaging-escalation-connector.txt), checked as the API checks content.
			const image = {
				type: 'image',
				mediaUrl: 'https://cdn.example.com/label.png',
				altText: 'Shipping label',
			};
			const sent = await control('agentReplies', { conversationId: id, content: image });
			expect(sent.status).toBe(200);
			expect(sent.body.result.content).toMatchObject(image);
			expect(sent.body.result.author.subtypes).toEqual(['agent']);
			const badFile = await control('agentReplies', {
				conversationId: id,
				content: { type: 'file' },
			});
			expect(badFile.status).toBe(400);
			expect(badFile.body.description).toMatch(/mediaUrl/);
			expect((await control('agentReplies', { conversationId: id })).status).toBe(400);
			const ended = await control('agentReleasesControl', {
				conversationId: id,
				reason: 'ticketClosed',
			});
			expect(ended.status).toBe(200);
			expect(ended.body.result.ticket).toMatchObject({
				status: 'closed',
				endedReason: 'ticketClosed',
			});
			expect(ended.body.result.conversation.activeSwitchboardIntegration).toBeUndefined();
			expect((await control('agentReplies', { conversationId: id, text: 'late' })).status).toBe(
				400,
			);
			expect(
				(await control('agentReleasesControl', { conversationId: id, reason: 'bored' })).status,
			).toBe(400);
		});

		it('moving the ticket to email ends the session but leaves the ticket open', async () => {
			const id = await newConversation();
			await say(id, 'help', 'user');
			await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
			});
			const { ticket } = sim.sunshine.control.agentReleasesControl({
				conversationId: id,
				reason: 'transferToEmail',
			});
			expect(ticket).toMatchObject({
				status: 'open',
				endedReason: 'transferToEmail',
				endedAt: '2026-01-05T09:00:00.000Z',
			});
		});
	});
});
