import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { SunshineApi, UNKNOWN_ID, basicAuth } from './sunshine-helpers';

/** Sunshine Conversations: users, conversations, participants, activities and cursor pages. */
describe('sunshine users and conversations', () => {
	let sim: Simulator;
	let api: SunshineApi;
	const T0 = '2026-01-05T09:00:00.000Z';
	const botSwitchboardIntegration = {
		id: SUNSHINE_SEED.botSwitchboardIntegrationId,
		name: 'bot',
		integrationId: SUNSHINE_SEED.botIntegrationId,
		integrationType: 'custom',
	};

	beforeAll(async () => {
		sim = await startSimulator({ clock: new ManualClock(T0) });
		api = new SunshineApi(sim);
	});
	afterAll(() => sim.close());

	describe('users', () => {
		it('creates a user (201) with the documented shape', async () => {
			const res = await api.post('/users', {
				externalId: 'cust-1',
				signedUpAt: '2025-02-03T19:10:08.152Z',
				profile: {
					givenName: 'Ada',
					surname: 'Lovelace',
					email: 'ada@example.org',
					locale: 'en-GB',
				},
				metadata: { plan: 'gold', seats: 3, vip: true },
			});
			expect(res.status).toBe(201);
			expect(res.body).toEqual({
				user: {
					id: expect.stringMatching(/^[0-9a-f]{24}$/),
					externalId: 'cust-1',
					authenticated: false,
					signedUpAt: '2025-02-03T19:10:08.152Z',
					hasPaymentInfo: false,
					identities: [],
					profile: {
						givenName: 'Ada',
						surname: 'Lovelace',
						email: 'ada@example.org',
						locale: 'en-GB',
					},
					metadata: { plan: 'gold', seats: 3, vip: true },
				},
			});
		});

		it("defaults signedUpAt to now and the locale to the account's, and allows users without externalId", async () => {
			const res = await api.post('/users', {});
			expect(res.status).toBe(201);
			expect(res.body.user).toEqual({
				id: expect.stringMatching(/^[0-9a-f]{24}$/),
				authenticated: false,
				signedUpAt: T0,
				hasPaymentInfo: false,
				identities: [],
				profile: { locale: 'en', localeOrigin: 'zendeskAccount' },
				metadata: {},
			});
		});

		it('answers 409 conflict for a taken externalId', async () => {
			const res = await api.post('/users', { externalId: 'cust-1' });
			expect(res.status).toBe(409);
			expect(res.body).toEqual({ errors: [{ code: 'conflict', title: 'User already exists' }] });
		});

		it('lists every problem of an invalid user in one 400', async () => {
			const res = await api.post('/users', {
				externalId: '',
				signedUpAt: 'yesterday',
				profile: { email: 'not-an-email', givenName: 'x'.repeat(129) },
				metadata: { nested: { no: true } },
			});
			expect(res.status).toBe(400);
			expect(res.body.errors).toEqual([
				{ code: 'bad_request', title: 'externalId must be at least 1 characters long' },
				{
					code: 'bad_request',
					title: 'signedUpAt must be ISO 8601 time, YYYY-MM-DDThh:mm:ss.sssZ',
				},
				{
					code: 'bad_request',
					title: 'metadata.nested must be a string, a number or a boolean (metadata is flat)',
				},
				{ code: 'bad_request', title: 'profile.givenName must be at most 128 characters long' },
				{ code: 'bad_request', title: 'profile.email must be an email address' },
			]);
		});

		it('refuses metadata over 4KB', async () => {
			const res = await api.post('/users', { metadata: { blob: 'x'.repeat(4096) } });
			expect(res.status).toBe(400);
			expect(res.body.errors).toEqual([
				{ code: 'bad_request', title: 'metadata is larger than 4KB' },
			]);
		});

		it('gets a user by id or by externalId, and 404 user_not_found otherwise', async () => {
			const byExternal = await api.get('/users/cust-1');
			expect(byExternal.status).toBe(200);
			const byId = await api.get(`/users/${byExternal.body.user.id}`);
			expect(byId.body).toEqual(byExternal.body);
			const missing = await api.get('/users/nobody');
			expect(missing.status).toBe(404);
			expect(missing.body).toEqual({
				errors: [{ code: 'user_not_found', title: 'User not found' }],
			});
		});

		it('updates a user', async () => {
			const res = await api.patch('/users/cust-1', {
				profile: { givenName: 'Augusta', email: null },
				metadata: { plan: 'platinum' },
			});
			expect(res.status).toBe(200);
			expect(res.body.user.profile).toEqual({
				givenName: 'Augusta',
				surname: 'Lovelace',
				locale: 'en-GB',
			});
			expect(res.body.user.metadata).toEqual({ plan: 'platinum' });
		});

		it('lists users by email identity only (the filter is required; profile.email does not match)', async () => {
			const missing = await api.get('/users');
			expect(missing.status).toBe(400);
			expect(missing.body).toEqual({
				errors: [{ code: 'bad_request', title: 'filter[identities.email] is required' }],
			});
			await api.post('/users', { externalId: 'cust-2', profile: { email: 'grace@example.org' } });
			expect((await api.get('/users?filter[identities.email]=grace@example.org')).body).toEqual({
				users: [],
			});
			sim.sunshine.control.addUserIdentity({ user: 'cust-2', value: 'grace@example.org' });
			const found = await api.get('/users?filter[identities.email]=GRACE@example.org');
			expect(found.status).toBe(200);
			expect(found.body.users.map((u: any) => [u.externalId, u.identities])).toEqual([
				['cust-2', [{ type: 'email', value: 'grace@example.org', verification: 'embed' }]],
			]);
		});

		it('deletes a user with its personal conversations', async () => {
			await api.post('/users', { externalId: 'leaving' });
			const conversation = (
				await api.post('/conversations', {
					type: 'personal',
					participants: [{ userExternalId: 'leaving' }],
				})
			).body.conversation;
			const res = await api.delete('/users/leaving');
			expect(res.status).toBe(200);
			expect(res.body).toEqual({});
			expect((await api.get('/users/leaving')).status).toBe(404);
			expect((await api.get(`/conversations/${conversation.id}`)).status).toBe(404);
			expect((await api.delete('/users/leaving')).body).toEqual({
				errors: [{ code: 'user_not_found', title: 'User not found' }],
			});
		});
	});

	describe('conversations', () => {
		let userId: string;

		beforeAll(async () => {
			userId = (await api.post('/users', { externalId: 'conv-user' })).body.user.id;
		});

		it('creates a personal conversation (201), controlled by the default switchboard integration', async () => {
			const res = await api.post('/conversations', {
				type: 'personal',
				participants: [{ userId, subscribeSDKClient: false }],
				displayName: 'Support',
				description: 'Escalated from the bot',
				iconUrl: 'https://example.org/icon.png',
				metadata: { lang: 'en-ca' },
			});
			expect(res.status).toBe(201);
			expect(res.body).toEqual({
				conversation: {
					id: expect.stringMatching(/^[0-9a-f]{24}$/),
					type: 'personal',
					metadata: { lang: 'en-ca' },
					activeSwitchboardIntegration: botSwitchboardIntegration,
					isDefault: true,
					displayName: 'Support',
					description: 'Escalated from the bot',
					iconUrl: 'https://example.org/icon.png',
					lastUpdatedAt: T0,
					createdAt: T0,
				},
			});
			const again = await api.post('/conversations', {
				type: 'personal',
				participants: [{ userExternalId: 'conv-user' }],
			});
			expect(again.body.conversation.isDefault).toBe(false);
		});

		it('requires exactly one participant for a personal conversation, named by userId or userExternalId', async () => {
			const cases: Array<[unknown, string[]]> = [
				[
					{ type: 'personal' },
					['participants is required for a personal conversation, with exactly 1 participant'],
				],
				[
					{ type: 'personal', participants: [] },
					['A personal conversation must have exactly 1 participant'],
				],
				[
					{ type: 'personal', participants: [{ userId }, { userExternalId: 'conv-user' }] },
					['A personal conversation must have exactly 1 participant'],
				],
				[
					{ type: 'personal', participants: [{ userId, userExternalId: 'conv-user' }] },
					['participants[0]: one of userId or userExternalId is required, but not both'],
				],
				[{ type: 'group' }, ['type must be one of personal, sdkGroup']],
				[{ participants: [{ userId }] }, ['type is required']],
				[
					{ type: 'sdkGroup', participants: [{ userId }] },
					['participants[0].subscribeSDKClient is required in an sdkGroup conversation'],
				],
				[
					{ type: 'personal', participants: [{ userId }], displayName: '' },
					['displayName must be at least 1 characters long'],
				],
			];
			for (const [body, titles] of cases) {
				const res = await api.post('/conversations', body);
				expect({ body, status: res.status, errors: res.body.errors }).toEqual({
					body,
					status: 400,
					errors: titles.map((title) => ({ code: 'bad_request', title })),
				});
			}
			const unknown = await api.post('/conversations', {
				type: 'personal',
				participants: [{ userExternalId: 'ghost' }],
			});
			expect(unknown.status).toBe(404);
			expect(unknown.body).toEqual({
				errors: [{ code: 'user_not_found', title: 'User not found' }],
			});
		});

		it('creates an sdkGroup conversation with up to 10 participants', async () => {
			const ids: string[] = [];
			for (let i = 0; i < 11; i++)
				ids.push((await api.post('/users', { externalId: `group-${i}` })).body.user.id);
			const res = await api.post('/conversations', {
				type: 'sdkGroup',
				participants: ids.slice(0, 10).map((id) => ({ userId: id, subscribeSDKClient: false })),
			});
			expect(res.status).toBe(201);
			expect(res.body.conversation.isDefault).toBe(false);
			const participants = await api.get(
				`/conversations/${res.body.conversation.id}/participants?page[size]=4`,
			);
			expect(participants.body.participants).toHaveLength(4);
			expect(participants.body.participants[0]).toEqual({
				id: expect.stringMatching(/^[0-9a-f]{24}$/),
				userId: ids[0],
				unreadCount: 0,
				clientAssociations: [],
				userExternalId: 'group-0',
			});
			expect(participants.body.meta.hasMore).toBe(true);
			const tooMany = await api.post('/conversations', {
				type: 'sdkGroup',
				participants: ids.map((id) => ({ userId: id, subscribeSDKClient: false })),
			});
			expect(tooMany.status).toBe(400);
			expect(tooMany.body.errors).toEqual([
				{ code: 'bad_request', title: 'participants may hold at most 10 users' },
			]);
		});

		it('gets, updates and deletes a conversation; the default one cannot be deleted', async () => {
			const created = (
				await api.post('/conversations', { type: 'personal', participants: [{ userId }] })
			).body.conversation;
			const got = await api.get(`/conversations/${created.id}`);
			expect(got.body).toEqual({ conversation: created });
			const patched = await api.patch(`/conversations/${created.id}`, {
				displayName: 'Renamed',
				metadata: { topic: 'billing' },
			});
			expect(patched.status).toBe(200);
			expect(patched.body.conversation).toEqual({
				...created,
				displayName: 'Renamed',
				metadata: { topic: 'billing' },
			});
			expect((await api.delete(`/conversations/${created.id}`)).body).toEqual({});
			const gone = await api.get(`/conversations/${created.id}`);
			expect(gone.status).toBe(404);
			expect(gone.body).toEqual({
				errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }],
			});
			const list = await api.get(`/conversations?filter[userId]=${userId}`);
			const theDefault = list.body.conversations.find((c: any) => c.isDefault);
			const refused = await api.delete(`/conversations/${theDefault.id}`);
			expect(refused.status).toBe(400);
			expect(refused.body).toEqual({
				errors: [
					{
						code: 'bad_request',
						title: `Conversation ${theDefault.id} cannot be deleted because it is the default.`,
					},
				],
			});
			for (const path of [`/conversations/${UNKNOWN_ID}`]) {
				expect((await api.patch(path, {})).body.errors[0].code).toBe('conversation_not_found');
				expect((await api.delete(path)).body.errors[0].code).toBe('conversation_not_found');
			}
		});

		it("lists a user's conversations in cursor pages", async () => {
			const owner = (await api.post('/users', { externalId: 'pager' })).body.user;
			const ids: string[] = [];
			for (let i = 0; i < 5; i++) {
				ids.push(
					(
						await api.post('/conversations', {
							type: 'personal',
							participants: [{ userId: owner.id }],
						})
					).body.conversation.id,
				);
			}
			const first = await api.get(`/conversations?filter[userExternalId]=pager&page[size]=2`);
			expect(first.status).toBe(200);
			expect(first.body.conversations.map((c: any) => c.id)).toEqual(ids.slice(0, 2));
			expect(first.body.meta).toEqual({ hasMore: true, afterCursor: ids[1] });
			expect(first.body.links).toEqual({
				next: `${api.base}/conversations?filter[userExternalId]=pager&page[after]=${ids[1]}&page[size]=2`,
			});
			const second = (await fetch(first.body.links.next, {
				headers: { authorization: basicAuth() },
			}).then((r) => r.json())) as any;
			expect(second.conversations.map((c: any) => c.id)).toEqual(ids.slice(2, 4));
			expect(second.meta).toEqual({ hasMore: true, afterCursor: ids[3], beforeCursor: ids[2] });
			const last = await api.get(
				`/conversations?filter[userId]=${owner.id}&page[size]=2&page[after]=${ids[3]}`,
			);
			expect(last.body.conversations.map((c: any) => c.id)).toEqual([ids[4]]);
			expect(last.body.meta).toEqual({ hasMore: false, beforeCursor: ids[4] });
			expect(last.body.links).toEqual({
				prev: `${api.base}/conversations?filter[userId]=${owner.id}&page[before]=${ids[4]}&page[size]=2`,
			});
			const back = await api.get(
				`/conversations?filter[userId]=${owner.id}&page[size]=2&page[before]=${ids[4]}`,
			);
			expect(back.body.conversations.map((c: any) => c.id)).toEqual(ids.slice(2, 4));
			expect(back.body.meta).toEqual({ hasMore: true, beforeCursor: ids[2], afterCursor: ids[3] });
			const all = await api.get(`/conversations?filter[userId]=${owner.id}`);
			expect(all.body).toEqual({ conversations: expect.any(Array), meta: { hasMore: false } });
			expect(all.body.conversations).toHaveLength(5);
		});

		it('refuses bad filters and page parameters', async () => {
			const invalidPage = {
				errors: [{ code: 'bad_request', title: 'Invalid page query parameters' }],
			};
			for (const query of [
				'page[size]=0',
				'page[size]=101',
				'page[size]=two',
				`page[after]=${UNKNOWN_ID}&page[before]=${UNKNOWN_ID}`,
				'page[after]=short',
				`page[after]=${UNKNOWN_ID}`,
			]) {
				const res = await api.get(`/conversations?filter[userExternalId]=pager&${query}`);
				expect({ query, status: res.status, body: res.body }).toEqual({
					query,
					status: 400,
					body: invalidPage,
				});
			}
			const noFilter = await api.get('/conversations');
			expect(noFilter.status).toBe(400);
			expect(noFilter.body.errors[0]).toEqual({
				code: 'bad_request',
				title: 'Exactly one of filter[userId] or filter[userExternalId] is required',
			});
			expect(
				(await api.get(`/conversations?filter[userId]=${userId}&filter[userExternalId]=pager`))
					.status,
			).toBe(400);
			const ghost = await api.get('/conversations?filter[userExternalId]=ghost');
			expect(ghost.status).toBe(404);
			expect(ghost.body).toEqual({ errors: [{ code: 'user_not_found', title: 'User not found' }] });
		});

		it('posts activities: business typing and read, user read (author user only reads)', async () => {
			const conversation = (
				await api.post('/conversations', { type: 'personal', participants: [{ userId }] })
			).body.conversation;
			for (const type of ['typing:start', 'typing:stop', 'conversation:read']) {
				const res = await api.post(`/conversations/${conversation.id}/activity`, {
					author: { type: 'business' },
					type,
				});
				expect(res.status).toBe(200);
				expect(res.body).toEqual({});
			}
			expect(
				(await api.get(`/conversations/${conversation.id}`)).body.conversation.businessLastRead,
			).toBe(T0);
			expect(
				(
					await api.post(`/conversations/${conversation.id}/activity`, {
						author: { type: 'user', userId },
						type: 'conversation:read',
					})
				).status,
			).toBe(200);
			const typing = await api.post(`/conversations/${conversation.id}/activity`, {
				author: { type: 'user', userId },
				type: 'typing:start',
			});
			expect(typing.status).toBe(400);
			expect(typing.body.errors).toEqual([
				{
					code: 'bad_request',
					title: 'author type user only supports the conversation:read activity',
				},
			]);
			const bad = await api.post(`/conversations/${conversation.id}/activity`, {
				type: 'typing:pause',
			});
			expect(bad.body.errors).toEqual([
				{
					code: 'bad_request',
					title: 'type must be one of conversation:read, typing:start, typing:stop',
				},
				{ code: 'bad_request', title: 'author is required and must be an object' },
			]);
			expect(
				(
					await api.post(`/conversations/${UNKNOWN_ID}/activity`, {
						author: { type: 'business' },
						type: 'typing:start',
					})
				).status,
			).toBe(404);
		});
	});
});
