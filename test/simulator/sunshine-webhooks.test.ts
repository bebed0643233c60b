import { ManualClock, SIM_SUNSHINE, startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { SunshineApi, WebhookReceiver, basicAuth } from './sunshine-helpers';

/**
 * Sunshine Conversations webhook delivery to a real HTTP receiver: the v2 envelope, X-API-Key, the
 * payloads of the escalation flow, switchboard routing, and the retry policy on the manual clock.
 */
describe('sunshine webhook delivery', () => {
	let sim: Simulator;
	let clock: ManualClock;
	let api: SunshineApi;
	let receiver: WebhookReceiver;
	let webhook: { id: string; secret: string };
	const T0 = Date.parse('2026-01-05T09:00:00.000Z');
	const iso = (ms: number) => new Date(ms).toISOString();
	const hooks = `/integrations/${SUNSHINE_SEED.botIntegrationId}/webhooks`;
	const triggers = [
		'conversation:create',
		'conversation:message',
		'conversation:read',
		'conversation:remove',
		'switchboard:passControl',
		'switchboard:offerControl',
		'switchboard:acceptControl',
		'switchboard:releaseControl',
		'user:remove',
	];
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
	const eventShape = (type: string, payload: unknown, createdAt = iso(clock.now())) => ({
		id: expect.stringMatching(/^[0-9a-f]{24}$/),
		createdAt,
		type,
		payload,
	});

	beforeAll(async () => {
		clock = new ManualClock(T0);
		sim = await startSimulator({ clock });
		api = new SunshineApi(sim);
		receiver = await new WebhookReceiver().start();
		webhook = (await api.post(hooks, { target: receiver.url, triggers })).body.webhook;
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
	const control = async (operation: string, body: unknown) => {
		const res = await fetch(`${sim.urls.control}/sunshine/${operation}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(res.status).toBe(200);
		return ((await res.json()) as any).result;
	};

	it('delivers the escalation flow: each event in the v2 envelope, with X-API-Key, in order', async () => {
		const user = (
			await api.post('/users', {
				externalId: 'esc-user',
				profile: { givenName: 'Jane', surname: 'Doe' },
			})
		).body.user;
		const conversation = (
			await api.post('/conversations', {
				type: 'personal',
				participants: [{ userExternalId: 'esc-user' }],
				metadata: { lang: 'en' },
			})
		).body.conversation;
		const summary = (
			await api.post(`/conversations/${conversation.id}/messages`, {
				author: { type: 'business', displayName: 'Ada Bot' },
				content: { type: 'text', text: 'Summary: Jane cannot log in.' },
			})
		).body.messages[0];
		await api.post(`/conversations/${conversation.id}/passControl`, {
			switchboardIntegration: 'zd-agentWorkspace',
			metadata: { first_message_id: summary.id, 'dataCapture.systemField.tags': 'bot_escalation' },
		});
		const said = await control('userSays', {
			conversationId: conversation.id,
			text: 'Are you there?',
		});
		const reply = await control('agentReplies', {
			conversationId: conversation.id,
			text: 'Hi Jane, Grace here.',
			agentId: 1002,
		});
		await control('agentReleasesControl', {
			conversationId: conversation.id,
			reason: 'ticketClosed',
		});
		await settle();
		const requests = await receiver.waitFor(6);
		expect(requests).toHaveLength(6);
		for (const request of requests) {
			expect(request.method).toBe('POST');
			expect(request.url).toBe('/webhook');
			expect(request.headers['x-api-key']).toBe(webhook.secret);
			expect(request.headers['content-type']).toBe('application/json');
			expect(request.headers.authorization).toBeUndefined();
			expect(request.body.app).toEqual({ id: SIM_SUNSHINE.appId });
			expect(request.body.webhook).toEqual({ id: webhook.id, version: 'v2' });
			expect(request.body.events).toHaveLength(1);
		}
		const truncated = { id: conversation.id, type: 'personal', metadata: { lang: 'en' } };
		const userTruncated = { id: user.id, externalId: 'esc-user', authenticated: false };
		expect(requests.map((r) => r.body.events[0])).toEqual([
			eventShape('conversation:create', {
				conversation: { ...truncated, activeSwitchboardIntegration: bot },
				creationReason: 'none',
				source: { type: 'api:conversations' },
				user: userTruncated,
			}),
			eventShape('conversation:message', {
				conversation: { ...truncated, activeSwitchboardIntegration: bot },
				message: summary,
			}),
			eventShape('switchboard:passControl', {
				conversation: { ...truncated, activeSwitchboardIntegration: workspace },
				metadata: {
					first_message_id: summary.id,
					'dataCapture.systemField.tags': 'bot_escalation',
				},
			}),
			eventShape('conversation:message', {
				conversation: { ...truncated, activeSwitchboardIntegration: workspace },
				message: {
					id: said.message.id,
					received: iso(T0),
					author: { type: 'user', userId: user.id, displayName: 'Jane Doe', user: userTruncated },
					content: { type: 'text', text: 'Are you there?' },
					source: { type: 'web', integrationId: SUNSHINE_SEED.webIntegrationId },
				},
			}),
			eventShape('conversation:message', {
				conversation: { ...truncated, activeSwitchboardIntegration: workspace },
				message: {
					id: reply.id,
					received: iso(T0),
					author: {
						type: 'business',
						displayName: 'Grace Hopper',
						avatarUrl: expect.any(String),
						subtypes: ['agent'],
					},
					content: { type: 'text', text: 'Hi Jane, Grace here.' },
					source: {
						type: 'zd:agentWorkspace',
						integrationId: SUNSHINE_SEED.agentWorkspaceIntegrationId,
					},
					metadata: { '__zendesk_msg.agent.id': '1002' },
				},
			}),
			// openapi.yaml switchboardReleaseControlEvent: no activeSwitchboardIntegration.
			eventShape('switchboard:releaseControl', { conversation: truncated, reason: 'ticketClosed' }),
		]);
		const ids = requests.map((r) => r.body.events[0].id);
		expect(new Set(ids).size).toBe(6);
		// The delivery log keeps what was sent.
		const log = sim.sunshine.control.deliveries({ eventId: ids[5] });
		expect(log).toEqual([
			{
				eventId: ids[5],
				type: 'switchboard:releaseControl',
				webhookId: webhook.id,
				integrationId: SUNSHINE_SEED.botIntegrationId,
				target: receiver.url,
				attempt: 1,
				at: iso(T0),
				status: 200,
				outcome: 'delivered',
				headers: { 'content-type': 'application/json', 'X-API-Key': webhook.secret },
				body: requests[5].body,
			},
		]);
		// The ticket has the history from first_message_id on.
		expect(sim.sunshine.control.tickets({ conversationId: conversation.id })[0].messageIds).toEqual(
			[summary.id],
		);
	});

	it("echoes the bot's own business messages, with its integration id when it posts with its own key", async () => {
		const key = (
			await api.post(`/integrations/${SUNSHINE_SEED.botIntegrationId}/keys`, { displayName: 'bot' })
		).body.key;
		const asBot = api.withAuth(basicAuth(key.id, key.secret));
		await asBot.post('/users', { externalId: 'echo-user' });
		const conversation = (
			await asBot.post('/conversations', {
				type: 'personal',
				participants: [{ userExternalId: 'echo-user' }],
			})
		).body.conversation;
		const posted = (
			await asBot.post(`/conversations/${conversation.id}/messages`, {
				author: { type: 'business' },
				content: { type: 'text', text: 'from the bot' },
			})
		).body.messages[0];
		expect(posted.source).toEqual({
			type: 'api:conversations',
			integrationId: SUNSHINE_SEED.botIntegrationId,
		});
		await settle();
		const [create, echo] = (await receiver.waitFor(2)).map((r) => r.body.events[0]);
		expect(create.payload.source).toEqual({
			type: 'api:conversations',
			integrationId: SUNSHINE_SEED.botIntegrationId,
		});
		expect(echo.type).toBe('conversation:message');
		expect(echo.payload.message).toEqual(posted);
		expect(echo.payload.message.author.type).toBe('business');
		expect(echo.payload.message.source.integrationId).toBe(SUNSHINE_SEED.botIntegrationId);
	});

	it('sends the full user and the widget client and device when the webhook asks for them', async () => {
		await api.patch(`${hooks}/${webhook.id}`, { includeFullUser: true, includeFullSource: true });
		try {
			const said = await control('userSays', {
				userExternalId: 'widget-visitor',
				text: 'Hello from the widget',
				displayName: 'Vera',
			});
			await settle();
			const [create, message] = (await receiver.waitFor(2)).map((r) => r.body.events[0]);
			const fullUser = {
				id: said.userId,
				externalId: 'widget-visitor',
				authenticated: false,
				signedUpAt: iso(T0),
				hasPaymentInfo: false,
				identities: [],
				profile: { locale: 'en', localeOrigin: 'zendeskAccount', givenName: 'Vera' },
				metadata: {},
			};
			expect(create.payload).toEqual({
				conversation: {
					id: said.conversationId,
					type: 'personal',
					activeSwitchboardIntegration: bot,
				},
				creationReason: 'message',
				source: { type: 'web', integrationId: SUNSHINE_SEED.webIntegrationId },
				user: fullUser,
			});
			expect(message.payload.message.author).toEqual({
				type: 'user',
				userId: said.userId,
				displayName: 'Vera',
				user: fullUser,
			});
			expect(message.payload.message.source).toEqual({
				type: 'web',
				integrationId: SUNSHINE_SEED.webIntegrationId,
				client: {
					id: expect.stringMatching(/^[0-9a-f]{24}$/),
					type: 'sdk',
					status: 'active',
					lastSeen: iso(T0),
					linkedAt: iso(T0),
					displayName: 'Vera',
					info: {},
					raw: {},
				},
				device: {
					id: expect.stringMatching(/^[0-9a-f]{24}$/),
					type: 'web',
					guid: expect.any(String),
					clientId: message.payload.message.source.client.id,
					status: 'active',
					integrationId: SUNSHINE_SEED.webIntegrationId,
					lastSeen: iso(T0),
					info: expect.objectContaining({ vendor: 'zendesk' }),
				},
			});
		} finally {
			await api.patch(`${hooks}/${webhook.id}`, {
				includeFullUser: false,
				includeFullSource: false,
			});
		}
	});

	it('routes conversation messages by switchboard: a standby integration without deliverStandbyEvents gets them only while pending', async () => {
		const sbi = `/switchboards/${SUNSHINE_SEED.switchboardId}/switchboardIntegrations/${SUNSHINE_SEED.botSwitchboardIntegrationId}`;
		await api.patch(sbi, { deliverStandbyEvents: false });
		try {
			const said = await control('userSays', {
				userExternalId: 'routed-user',
				text: 'I need a human',
			});
			const id = said.conversationId;
			await api.post(`/conversations/${id}/passControl`, {
				switchboardIntegration: 'zd-agentWorkspace',
			});
			await control('agentReplies', { conversationId: id, text: 'unseen by the bot' });
			await control('userSays', { conversationId: id, text: 'also unseen' });
			await api.post(`/conversations/${id}/offerControl`, { switchboardIntegration: 'bot' });
			await control('agentReplies', { conversationId: id, text: 'seen: the bot is pending' });
			await settle();
			const events = receiver.events();
			expect(events.map((e) => [e.type, e.payload.message?.content.text])).toEqual([
				['conversation:create', undefined],
				['conversation:message', 'I need a human'],
				['switchboard:passControl', undefined],
				['switchboard:offerControl', undefined],
				['conversation:message', 'seen: the bot is pending'],
			]);
			expect(events[3].payload).toEqual({
				conversation: {
					id,
					type: 'personal',
					activeSwitchboardIntegration: workspace,
					pendingSwitchboardIntegration: bot,
				},
			});
			receiver.clear();
			await api.post(`/conversations/${id}/acceptControl`, { metadata: { resumed: true } });
			await settle();
			expect(receiver.events()).toEqual([
				eventShape('switchboard:acceptControl', {
					conversation: { id, type: 'personal', activeSwitchboardIntegration: bot },
					metadata: { resumed: true },
				}),
			]);
		} finally {
			await api.patch(sbi, { deliverStandbyEvents: true });
		}
	});

	it('sends conversation:read, conversation:remove and user:remove', async () => {
		const user = (await api.post('/users', { externalId: 'reader' })).body.user;
		await api.post('/conversations', { type: 'personal', participants: [{ userId: user.id }] });
		const second = (
			await api.post('/conversations', { type: 'personal', participants: [{ userId: user.id }] })
		).body.conversation;
		await api.post(`/conversations/${second.id}/activity`, {
			author: { type: 'user', userId: user.id },
			type: 'conversation:read',
		});
		await api.delete(`/conversations/${second.id}`);
		await api.delete('/users/reader');
		await settle();
		const events = receiver.events().filter((e) => e.type !== 'conversation:create');
		expect(events).toEqual([
			eventShape('conversation:read', {
				conversation: { id: second.id, type: 'personal', activeSwitchboardIntegration: bot },
				activity: {
					type: 'conversation:read',
					author: {
						type: 'user',
						userId: user.id,
						user: { id: user.id, externalId: 'reader', authenticated: false },
					},
					source: { type: 'api:conversations' },
				},
			}),
			eventShape('conversation:remove', {
				conversation: { id: second.id, type: 'personal', activeSwitchboardIntegration: bot },
			}),
			eventShape('user:remove', {
				user: { id: user.id, externalId: 'reader', authenticated: false },
			}),
		]);
	});

	it("sends each event to every subscribed webhook with that webhook's own secret", async () => {
		const other = await new WebhookReceiver().start();
		try {
			const created = (
				await api.post('/integrations', {
					type: 'custom',
					webhooks: [{ target: other.url, triggers: ['conversation:message'] }],
				})
			).body.integration;
			const said = await control('userSays', { userExternalId: 'two-hooks', text: 'hi both' });
			await settle();
			const [mine] = receiver.events('conversation:message');
			const [theirs] = (await other.waitFor(1)).map((r) => r.body);
			expect(theirs.events[0]).toEqual(mine);
			expect(theirs.webhook).toEqual({ id: created.webhooks[0].id, version: 'v2' });
			expect(other.requests[0].headers['x-api-key']).toBe(created.webhooks[0].secret);
			expect(created.webhooks[0].secret).not.toBe(webhook.secret);
			expect(mine.payload.message.id).toBe(said.message.id);
			await api.delete(`/integrations/${created.id}`);
		} finally {
			await other.close();
		}
	});

	describe('retries', () => {
		const sendOne = async (text: string) => {
			const said = await control('userSays', { userExternalId: 'retry-user', text });
			await settle();
			return sim.sunshine.control
				.deliveries({ type: 'conversation:message' })
				.filter((d) => d.body.events[0].payload.message.id === said.message.id);
		};

		it('retries a 500 at growing intervals, 5 attempts in all within 15 minutes, then stops', async () => {
			await control('userSays', { userExternalId: 'retry-user', text: 'warm up' });
			await settle();
			receiver.clear();
			receiver.answerWith(500, 500, 500, 500, 500);
			const start = clock.now();
			const attempts = await sendOne('keeps failing');
			expect(attempts.map((a) => [a.attempt, a.status, a.outcome, a.nextAttemptInMs])).toEqual([
				[1, 500, 'retrying', 60_000],
			]);
			const schedule = [60_000, 120_000, 240_000, 480_000];
			for (const [i, delay] of schedule.entries()) {
				clock.advance(delay - 1);
				await settle();
				expect(receiver.requests).toHaveLength(i + 1);
				clock.advance(1);
				await settle();
				expect(receiver.requests).toHaveLength(i + 2);
			}
			clock.advance(60 * 60_000);
			await settle();
			expect(receiver.requests).toHaveLength(5);
			const log = sim.sunshine.control.deliveries({ eventId: attempts[0].eventId });
			expect(log.map((a) => [a.attempt, a.at, a.status, a.outcome])).toEqual([
				[1, iso(start), 500, 'retrying'],
				[2, iso(start + 60_000), 500, 'retrying'],
				[3, iso(start + 180_000), 500, 'retrying'],
				[4, iso(start + 420_000), 500, 'retrying'],
				[5, iso(start + 900_000), 500, 'failed'],
			]);
			// Every attempt is the same event, with the same envelope and secret.
			expect(new Set(receiver.requests.map((r) => JSON.stringify(r.body))).size).toBe(1);
			expect(receiver.requests.every((r) => r.headers['x-api-key'] === webhook.secret)).toBe(true);
			expect((await sim.sunshine.control.settleDeliveries()).pendingRetries).toBe(0);
		});

		it('stops retrying once an attempt succeeds', async () => {
			receiver.answerWith(503);
			const [first] = await sendOne('fails once');
			expect(first.outcome).toBe('retrying');
			clock.advance(60_000);
			await settle();
			expect(
				sim.sunshine.control
					.deliveries({ eventId: first.eventId })
					.map((a) => [a.attempt, a.status, a.outcome]),
			).toEqual([
				[1, 503, 'retrying'],
				[2, 200, 'delivered'],
			]);
		});

		it.each([400, 401, 403, 404, 406])('does not retry a %i', async (status) => {
			receiver.answerWith(status);
			const attempts = await sendOne(`refused with ${status}`);
			expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
				[1, status, 'failed'],
			]);
			clock.advance(20 * 60_000);
			await settle();
			expect(sim.sunshine.control.deliveries({ eventId: attempts[0].eventId })).toHaveLength(1);
		});

		it('retries other failures: 429, 502, a target that does not answer in time, and a refused connection', async () => {
			receiver.answerWith(429);
			expect((await sendOne('rate limited'))[0]).toMatchObject({
				status: 429,
				outcome: 'retrying',
			});
			clock.advance(60_000);
			await settle();
			receiver.answerWith(502);
			expect((await sendOne('bad gateway'))[0]).toMatchObject({ status: 502, outcome: 'retrying' });
			clock.advance(60_000);
			await settle();

			await control('setDeliveryTimeout', { ms: 200 });
			receiver.hang = true;
			try {
				expect((await sendOne('no answer'))[0]).toMatchObject({
					status: null,
					error: 'no answer within 200 ms',
					outcome: 'retrying',
					nextAttemptInMs: 60_000,
				});
			} finally {
				receiver.hang = false;
				await control('setDeliveryTimeout', { ms: 20_000 });
			}
			clock.advance(60_000);
			await settle();

			const closed = await new WebhookReceiver().start();
			const deadUrl = closed.url;
			await closed.close();
			const dead = (
				await api.post('/integrations', {
					type: 'custom',
					webhooks: [{ target: deadUrl, triggers: ['conversation:message'] }],
				})
			).body.integration;
			const said = await control('userSays', {
				userExternalId: 'retry-user',
				text: 'to a closed port',
			});
			await settle();
			const [refused] = sim.sunshine.control
				.deliveries({ webhookId: dead.webhooks[0].id })
				.filter((d) => d.body.events[0].payload.message.id === said.message.id);
			expect(refused).toMatchObject({
				status: null,
				outcome: 'retrying',
				error: expect.stringMatching(/ECONNREFUSED/),
			});
			// A deleted webhook gets no more attempts.
			await api.delete(`/integrations/${dead.id}`);
			clock.advance(60_000);
			await settle();
			expect(
				sim.sunshine.control
					.deliveries({ webhookId: dead.webhooks[0].id })
					.filter((d) => d.eventId === refused.eventId),
			).toHaveLength(1);
		});
	});
});
