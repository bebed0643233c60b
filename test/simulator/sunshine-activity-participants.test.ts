import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { SunshineApi, UNKNOWN_ID, WebhookReceiver } from './sunshine-helpers';

/**
 * Sunshine Conversations over HTTP: activities (PostActivity and the Web Widget's typing and read
 * receipts) and their webhooks, participants (list, join, leave), and updates of conversations and
 * users with the spec's validation.
 */
describe('sunshine activity, participants and updates', () => {
	let sim: Simulator;
	let api: SunshineApi;
	let receiver: WebhookReceiver;
	let webhookId: string;
	let userId: string;
	const T0 = '2026-01-05T09:00:00.000Z';
	const hooks = `/integrations/${SUNSHINE_SEED.botIntegrationId}/webhooks`;
	const bot = {
		id: SUNSHINE_SEED.botSwitchboardIntegrationId,
		name: 'bot',
		integrationId: SUNSHINE_SEED.botIntegrationId,
		integrationType: 'custom',
	};
	const web = { type: 'web', integrationId: SUNSHINE_SEED.webIntegrationId };
	const errorsOf = (titles: string[]) => ({
		errors: titles.map((title) => ({ code: 'bad_request', title })),
	});

	beforeAll(async () => {
		sim = await startSimulator({ clock: new ManualClock(T0) });
		api = new SunshineApi(sim);
		receiver = await new WebhookReceiver().start();
		const triggers = [
			'conversation:read',
			'conversation:typing',
			'conversation:join',
			'conversation:leave',
		];
		webhookId = (await api.post(hooks, { target: receiver.url, triggers })).body.webhook.id;
		userId = (
			await api.post('/users', { externalId: 'active-user', profile: { givenName: 'Ada' } })
		).body.user.id;
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
	const newPersonal = async (user = userId) =>
		(await api.post('/conversations', { type: 'personal', participants: [{ userId: user }] })).body
			.conversation.id as string;
	const control = async (operation: string, body: unknown) => {
		const res = await fetch(`${sim.urls.control}/sunshine/${operation}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as any };
	};
	const userTruncated = () => ({ id: userId, externalId: 'active-user', authenticated: false });

	describe('activities', () => {
		it("sends a user's conversation:read posted with the API as the spec's payload, and marks the participant as read", async () => {
			const id = await newPersonal();
			await api.post(`/conversations/${id}/messages`, {
				author: { type: 'business' },
				content: { type: 'text', text: 'unread 1' },
			});
			await api.post(`/conversations/${id}/messages`, {
				author: { type: 'business' },
				content: { type: 'text', text: 'unread 2' },
			});
			expect(
				(await api.get(`/conversations/${id}/participants`)).body.participants[0].unreadCount,
			).toBe(2);
			const res = await api.post(`/conversations/${id}/activity`, {
				author: { type: 'user', userId },
				type: 'conversation:read',
			});
			expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: {} });
			await settle();
			const [event] = receiver.events();
			// openapi.yaml conversationReadEvent: {conversation, activity:{type, author, source}}.
			expect(event).toEqual({
				id: expect.stringMatching(/^[0-9a-f]{24}$/),
				createdAt: T0,
				type: 'conversation:read',
				payload: {
					conversation: { id, type: 'personal', activeSwitchboardIntegration: bot },
					activity: {
						type: 'conversation:read',
						author: { type: 'user', userId, user: userTruncated() },
						source: { type: 'api:conversations' },
					},
				},
			});
			const [participant] = (await api.get(`/conversations/${id}/participants`)).body.participants;
			expect(participant).toMatchObject({ userId, unreadCount: 0, lastRead: T0 });
			expect(sim.sunshine.control.activities({ conversationId: id })).toEqual([
				{
					conversationId: id,
					type: 'conversation:read',
					author: { type: 'user', userId },
					source: { type: 'api:conversations' },
					at: T0,
					eventId: event.id,
				},
			]);
		});

		it("records the business's typing and read receipts (businessLastRead) without sending them to webhooks", async () => {
			const id = await newPersonal();
			for (const type of ['typing:start', 'typing:stop', 'conversation:read']) {
				const res = await api.post(`/conversations/${id}/activity`, {
					author: { type: 'business' },
					type,
				});
				expect({ type, status: res.status, body: res.body }).toEqual({
					type,
					status: 200,
					body: {},
				});
			}
			expect((await api.get(`/conversations/${id}`)).body.conversation.businessLastRead).toBe(T0);
			await settle();
			expect(receiver.events()).toEqual([]);
			expect(
				sim.sunshine.control
					.activities({ conversationId: id })
					.map((a) => [a.type, a.author, a.eventId]),
			).toEqual([
				['typing:start', { type: 'business' }, null],
				['typing:stop', { type: 'business' }, null],
				['conversation:read', { type: 'business' }, null],
			]);
		});

		it('sends conversation:typing and conversation:read when the user types and reads in the Web Widget', async () => {
			const id = await newPersonal();
			expect((await control('userTyping', { conversationId: id, typing: 'start' })).status).toBe(
				200,
			);
			expect((await control('userTyping', { conversationId: id, typing: 'stop' })).status).toBe(
				200,
			);
			expect((await control('userReads', { conversationId: id })).status).toBe(200);
			await settle();
			const activity = (type: string) => ({
				type,
				author: { type: 'user', userId, user: userTruncated() },
				source: web,
			});
			const conversation = { id, type: 'personal', activeSwitchboardIntegration: bot };
			// openapi.yaml conversationTypingEvent example: activity typing:start from a web source.
			expect(receiver.events().map((e) => [e.type, e.payload])).toEqual([
				['conversation:typing', { conversation, activity: activity('typing:start') }],
				['conversation:typing', { conversation, activity: activity('typing:stop') }],
				['conversation:read', { conversation, activity: activity('conversation:read') }],
			]);
			const refused = await control('userTyping', { conversationId: id, typing: 'pause' });
			expect(refused.status).toBe(400);
		});

		it('adds the widget client and device with includeFullSource, and the full user with includeFullUser', async () => {
			await api.patch(`${hooks}/${webhookId}`, { includeFullSource: true, includeFullUser: true });
			try {
				const id = await newPersonal();
				await control('userTyping', { conversationId: id });
				await settle();
				const [event] = receiver.events('conversation:typing');
				expect(event.payload.activity.source).toEqual({
					...web,
					client: expect.objectContaining({ type: 'sdk' }),
					device: expect.objectContaining({ type: 'web' }),
				});
				expect(event.payload.activity.author.user).toEqual(
					(await api.get(`/users/${userId}`)).body.user,
				);
			} finally {
				await api.patch(`${hooks}/${webhookId}`, {
					includeFullSource: false,
					includeFullUser: false,
				});
			}
		});

		it('routes user activity by switchboard: a standby integration without deliverStandbyEvents gets none', async () => {
			const sbi = `/switchboards/${SUNSHINE_SEED.switchboardId}/switchboardIntegrations/${SUNSHINE_SEED.botSwitchboardIntegrationId}`;
			await api.patch(sbi, { deliverStandbyEvents: false });
			try {
				const id = await newPersonal();
				await api.post(`/conversations/${id}/messages`, {
					author: { type: 'business' },
					content: { type: 'text', text: 'handing over' },
				});
				await api.post(`/conversations/${id}/passControl`, {
					switchboardIntegration: 'zd-agentWorkspace',
				});
				await control('userTyping', { conversationId: id });
				await api.post(`/conversations/${id}/activity`, {
					author: { type: 'user', userId },
					type: 'conversation:read',
				});
				await settle();
				expect(receiver.events()).toEqual([]);
				// Recorded all the same: the activity happened, the switchboard only filtered its webhooks.
				expect(sim.sunshine.control.activities({ conversationId: id }).map((a) => a.type)).toEqual([
					'typing:start',
					'conversation:read',
				]);
			} finally {
				await api.patch(sbi, { deliverStandbyEvents: true });
			}
		});

		it("refuses malformed activities with the spec's rules on the author", async () => {
			const id = await newPersonal();
			const post = (body: unknown) => api.post(`/conversations/${id}/activity`, body);
			// openapi.yaml activityTypes: "If the author type is `user`, only `conversation:read` is supported."
			expect((await post({ author: { type: 'user', userId }, type: 'typing:start' })).body).toEqual(
				errorsOf(['author type user only supports the conversation:read activity']),
			);
			// openapi.yaml author.userId: "Only supported when `type` is user".
			expect(
				(await post({ author: { type: 'business', userId }, type: 'typing:start' })).body,
			).toEqual(
				errorsOf([
					'author.userId and author.userExternalId are only supported when author.type is user',
				]),
			);
			expect((await post({ author: { type: 'agent' }, type: 'typing' })).body).toEqual(
				errorsOf([
					'type must be one of conversation:read, typing:start, typing:stop',
					'author.type must be one of business, user',
				]),
			);
			const ghost = await post({
				author: { type: 'user', userExternalId: 'ghost' },
				type: 'conversation:read',
			});
			expect({ status: ghost.status, body: ghost.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'user_not_found', title: 'User not found' }] },
			});
			const missing = await api.post(`/conversations/${UNKNOWN_ID}/activity`, {
				author: { type: 'business' },
				type: 'typing:start',
			});
			expect({ status: missing.status, body: missing.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }] },
			});
			expect(sim.sunshine.control.activities({ conversationId: id })).toEqual([]);
		});
	});

	describe('participants', () => {
		let members: string[];
		let groupId: string;

		beforeAll(async () => {
			members = [];
			for (const name of ['m1', 'm2', 'm3'])
				members.push((await api.post('/users', { externalId: name })).body.user.id);
			groupId = (
				await api.post('/conversations', {
					type: 'sdkGroup',
					participants: members.map((id) => ({ userId: id, subscribeSDKClient: false })),
				})
			).body.conversation.id;
		});

		it("lists a personal conversation's user as its participant (openapi.yaml listParticipants example)", async () => {
			// A user who never wrote in the widget: no client associations yet.
			const listed = (await api.post('/users', { externalId: 'listed-user' })).body.user.id;
			const id = await newPersonal(listed);
			const res = await api.get(`/conversations/${id}/participants`);
			expect(res.status).toBe(200);
			expect(res.body).toEqual({
				participants: [
					{
						id: expect.stringMatching(/^[0-9a-f]{24}$/),
						userId: listed,
						userExternalId: 'listed-user',
						unreadCount: 0,
						clientAssociations: [],
					},
				],
				meta: { hasMore: false },
			});
			const missing = await api.get(`/conversations/${UNKNOWN_ID}/participants`);
			expect({ status: missing.status, body: missing.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }] },
			});
		});

		it('pages participants with cursors', async () => {
			const first = await api.get(`/conversations/${groupId}/participants?page[size]=2`);
			const ids = first.body.participants.map((p: any) => p.id);
			expect(first.body.participants.map((p: any) => p.userId)).toEqual(members.slice(0, 2));
			expect(first.body.meta).toEqual({ hasMore: true, afterCursor: ids[1] });
			expect(first.body.links).toEqual({
				next: `${api.base}/conversations/${groupId}/participants?page[after]=${ids[1]}&page[size]=2`,
			});
			const next = await api.get(
				`/conversations/${groupId}/participants?page[size]=2&page[after]=${ids[1]}`,
			);
			expect(next.body.participants.map((p: any) => p.userId)).toEqual([members[2]]);
			expect(next.body.meta).toEqual({
				hasMore: false,
				beforeCursor: next.body.participants[0].id,
			});
			const bad = await api.get(`/conversations/${groupId}/participants?page[size]=0`);
			expect({ status: bad.status, body: bad.body }).toEqual({
				status: 400,
				body: errorsOf(['Invalid page query parameters']),
			});
		});

		it('joins a user to an sdkGroup conversation (201 {participant}) and sends conversation:join', async () => {
			const joiner = (await api.post('/users', { externalId: 'joiner' })).body.user;
			const res = await api.post(`/conversations/${groupId}/join`, {
				userExternalId: 'joiner',
				subscribeSDKClient: true,
			});
			expect(res.status).toBe(201);
			// openapi.yaml joinConversation example.
			expect(res.body).toEqual({
				participant: {
					id: expect.stringMatching(/^[0-9a-f]{24}$/),
					userId: joiner.id,
					userExternalId: 'joiner',
					unreadCount: 0,
					clientAssociations: [],
				},
			});
			expect(
				(await api.get(`/conversations/${groupId}/participants`)).body.participants.map(
					(p: any) => p.userId,
				),
			).toEqual([...members, joiner.id]);
			await settle();
			// openapi.yaml conversationJoinEvent: {conversation, user (userTruncated)}.
			expect(receiver.events().map((e) => [e.type, e.payload])).toEqual([
				[
					'conversation:join',
					{
						conversation: { id: groupId, type: 'sdkGroup', activeSwitchboardIntegration: bot },
						user: { id: joiner.id, externalId: 'joiner', authenticated: false },
					},
				],
			]);
		});

		it('refuses joins the spec does not allow', async () => {
			const join = (id: string, body: unknown) => api.post(`/conversations/${id}/join`, body);
			expect((await join(groupId, { userId: members[0] })).body).toEqual(
				errorsOf(['subscribeSDKClient is required in an sdkGroup conversation']),
			);
			expect(
				(
					await join(groupId, {
						userId: members[0],
						userExternalId: 'm1',
						subscribeSDKClient: false,
					})
				).body,
			).toEqual(errorsOf(['One of userId or userExternalId is required, but not both']));
			// openapi.yaml JoinConversation: "only supports adding a participant to a sdkGroup conversation".
			const personal = await join(await newPersonal(), {
				userExternalId: 'm1',
				subscribeSDKClient: false,
			});
			expect({ status: personal.status, body: personal.body }).toEqual({
				status: 400,
				body: errorsOf(['Only sdkGroup conversations can be joined']),
			});
			const ghost = await join(groupId, { userExternalId: 'ghost', subscribeSDKClient: false });
			expect({ status: ghost.status, body: ghost.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'user_not_found', title: 'User not found' }] },
			});
			const twice = await join(groupId, { userId: members[0], subscribeSDKClient: false });
			expect({ status: twice.status, body: twice.body }).toEqual({
				status: 400,
				body: errorsOf(['User is already a participant of the conversation']),
			});
			const missing = await join(UNKNOWN_ID, { userId: members[0], subscribeSDKClient: false });
			expect({ status: missing.status, body: missing.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }] },
			});
		});

		it('refuses an 11th participant with the documented "Too many participants"', async () => {
			const ids: string[] = [];
			for (let i = 0; i < 11; i++)
				ids.push((await api.post('/users', { externalId: `crowd-${i}` })).body.user.id);
			const id = (
				await api.post('/conversations', {
					type: 'sdkGroup',
					participants: ids.slice(0, 10).map((u) => ({ userId: u, subscribeSDKClient: false })),
				})
			).body.conversation.id;
			const res = await api.post(`/conversations/${id}/join`, {
				userId: ids[10],
				subscribeSDKClient: false,
			});
			// openapi.yaml JoinConversation 400 example.
			expect({ status: res.status, body: res.body }).toEqual({
				status: 400,
				body: errorsOf(['Too many participants']),
			});
		});

		it('removes participants by userId, userExternalId or participantId (200 {}) and sends conversation:leave', async () => {
			const id = (
				await api.post('/conversations', {
					type: 'sdkGroup',
					participants: members.map((u) => ({ userId: u, subscribeSDKClient: false })),
				})
			).body.conversation.id;
			const participants = (await api.get(`/conversations/${id}/participants`)).body.participants;
			for (const body of [
				{ userId: members[0] },
				{ userExternalId: 'm2' },
				{ participantId: participants[2].id },
			]) {
				const res = await api.post(`/conversations/${id}/leave`, body);
				expect({ body, status: res.status, response: res.body }).toEqual({
					body,
					status: 200,
					response: {},
				});
			}
			expect((await api.get(`/conversations/${id}/participants`)).body.participants).toEqual([]);
			await settle();
			// openapi.yaml conversationLeaveEvent: {conversation, user (userTruncated)}.
			expect(
				receiver
					.events()
					.map((e) => [e.type, e.payload.user.externalId, e.payload.conversation.id]),
			).toEqual([
				['conversation:leave', 'm1', id],
				['conversation:leave', 'm2', id],
				['conversation:leave', 'm3', id],
			]);
		});

		it('answers leaves the spec refuses: 404 not_found for a non-member, 404 user_not_found for an unknown user', async () => {
			const leave = (body: unknown) => api.post(`/conversations/${groupId}/leave`, body);
			const outsider = (await api.post('/users', { externalId: 'outsider' })).body.user;
			// openapi.yaml LeaveConversation 404 example.
			const notMember = {
				status: 404,
				body: {
					errors: [{ code: 'not_found', title: 'User is not a member of the conversation' }],
				},
			};
			const byUser = await leave({ userId: outsider.id });
			expect({ status: byUser.status, body: byUser.body }).toEqual(notMember);
			const byParticipant = await leave({ participantId: UNKNOWN_ID });
			expect({ status: byParticipant.status, body: byParticipant.body }).toEqual(notMember);
			const ghost = await leave({ userExternalId: 'ghost' });
			expect({ status: ghost.status, body: ghost.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'user_not_found', title: 'User not found' }] },
			});
			expect((await leave({ userId: members[0], participantId: UNKNOWN_ID })).body).toEqual(
				errorsOf(['Exactly one of userId, userExternalId or participantId is required']),
			);
			expect((await leave({})).body).toEqual(
				errorsOf(['Exactly one of userId, userExternalId or participantId is required']),
			);
		});
	});

	describe('updates', () => {
		it("updates a conversation's displayName, description, iconUrl and metadata, and clears them with null", async () => {
			const id = await newPersonal();
			const before = (await api.get(`/conversations/${id}`)).body.conversation;
			const fields = {
				displayName: 'Billing',
				description: 'A billing question',
				iconUrl: 'https://example.org/icon.png',
				metadata: { topic: 'billing', priority: 2, vip: true },
			};
			const res = await api.patch(`/conversations/${id}`, fields);
			expect({ status: res.status, body: res.body }).toEqual({
				status: 200,
				body: { conversation: { ...before, ...fields } },
			});
			expect((await api.get(`/conversations/${id}`)).body.conversation).toEqual({
				...before,
				...fields,
			});
			const cleared = await api.patch(`/conversations/${id}`, {
				displayName: null,
				description: null,
				iconUrl: null,
				metadata: null,
			});
			expect(cleared.body.conversation).toEqual(before);
		});

		it('refuses an invalid conversation update, naming every problem', async () => {
			const id = await newPersonal();
			const res = await api.patch(`/conversations/${id}`, {
				displayName: '',
				description: 'd'.repeat(101),
				iconUrl: 'icon.png',
				metadata: { nested: { no: true }, big: 'x'.repeat(4096) },
			});
			// openapi.yaml conversationUpdateBody: displayName / description 1–100, iconUrl a URI (1–2048), metadata flat ≤ 4KB.
			expect({ status: res.status, body: res.body }).toEqual({
				status: 400,
				body: errorsOf([
					'displayName must be at least 1 characters long',
					'description must be at most 100 characters long',
					'iconUrl must be an absolute URI',
					'metadata.nested must be a string, a number or a boolean (metadata is flat)',
					'metadata is larger than 4KB',
				]),
			});
			const missing = await api.patch(`/conversations/${UNKNOWN_ID}`, { displayName: 'x' });
			expect({ status: missing.status, body: missing.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }] },
			});
			const noBody = await api.request('PATCH', `/conversations/${id}`);
			expect({ status: noBody.status, body: noBody.body }).toEqual({
				status: 400,
				body: errorsOf(['A JSON request body is required']),
			});
		});

		it("updates a user's profile and metadata by id or externalId", async () => {
			const user = (
				await api.post('/users', {
					externalId: 'patchy',
					profile: { givenName: 'Pat', surname: 'Chee', locale: 'en-GB' },
					metadata: { plan: 'free' },
				})
			).body.user;
			const res = await api.patch('/users/patchy', {
				profile: {
					givenName: 'Patricia',
					email: 'pat@example.org',
					avatarUrl: 'https://example.org/pat.png',
				},
				metadata: { plan: 'gold', seats: 3 },
			});
			expect(res.status).toBe(200);
			expect(res.body).toEqual({
				user: {
					...user,
					profile: {
						givenName: 'Patricia',
						surname: 'Chee',
						locale: 'en-GB',
						email: 'pat@example.org',
						avatarUrl: 'https://example.org/pat.png',
					},
					metadata: { plan: 'gold', seats: 3 },
				},
			});
			const byId = await api.patch(`/users/${user.id}`, {
				profile: { surname: null },
				toBeRetained: true,
			});
			expect(byId.body.user.profile).toEqual({
				givenName: 'Patricia',
				locale: 'en-GB',
				email: 'pat@example.org',
				avatarUrl: 'https://example.org/pat.png',
			});
			expect(byId.body.user.toBeRetained).toBe(true);
			expect((await api.get('/users/patchy')).body.user).toEqual(byId.body.user);
		});

		it('refuses an invalid user update, naming every problem, and answers 404 for an unknown user', async () => {
			await api.post('/users', { externalId: 'strict' });
			const res = await api.patch('/users/strict', {
				signedUpAt: 'yesterday',
				toBeRetained: 'yes',
				profile: {
					givenName: '',
					email: 'not-an-email',
					avatarUrl: 'avatar.png',
					locale: 'l'.repeat(65),
				},
				metadata: { deep: [1] },
			});
			// openapi.yaml userUpdateBody and `profile`.
			expect({ status: res.status, body: res.body }).toEqual({
				status: 400,
				body: errorsOf([
					'signedUpAt must be ISO 8601 time, YYYY-MM-DDThh:mm:ss.sssZ',
					'toBeRetained must be a boolean',
					'metadata.deep must be a string, a number or a boolean (metadata is flat)',
					'profile.givenName must be at least 1 characters long',
					'profile.email must be an email address',
					'profile.avatarUrl must be an absolute URI',
					'profile.locale must be at most 64 characters long',
				]),
			});
			const missing = await api.patch('/users/nobody-here', { profile: { givenName: 'x' } });
			expect({ status: missing.status, body: missing.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'user_not_found', title: 'User not found' }] },
			});
		});
	});
});
