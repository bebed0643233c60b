import type { MessagingClient } from '../../src/messaging';
import { HttpError } from '../../src/shared';
import { startSimulator, type Simulator } from '../../simulator';
import { caught, refusedBeforeSending, simClient, unique } from './sim-client';

/** updateUser, updateConversation, listParticipants, deleteMessage and allConversations against the simulator. */
let sim: Simulator;
let client: MessagingClient;

beforeAll(async () => {
	sim = await startSimulator();
	client = simClient(sim);
});

afterAll(async () => {
	await client.close();
	await sim.close();
});

describe('updateUser', () => {
	it('changes only the profile fields given, clears one with null, and replaces the metadata', async () => {
		const externalId = unique('upd-user');
		await client.createUser({
			externalId,
			profile: { givenName: 'Ada', surname: 'Lovelace', locale: 'en-GB' },
			metadata: { plan: 'free', seats: 1 },
		});
		const updated = await client.updateUser(externalId, {
			profile: { givenName: 'Augusta', surname: null, email: 'ada@example.com' },
			metadata: { plan: 'pro' },
		});
		expect(updated.externalId).toBe(externalId);
		expect(updated.profile).toMatchObject({
			givenName: 'Augusta',
			email: 'ada@example.com',
			locale: 'en-GB',
		});
		expect(updated.profile?.surname).toBeUndefined();
		expect(updated.metadata).toEqual({ plan: 'pro' });
		expect((await client.getUser(externalId)).profile).toEqual(updated.profile);

		const cleared = await client.updateUser(updated.id, { metadata: null });
		expect(cleared.metadata ?? {}).toEqual({});
		const signed = await client.updateUser(updated.id, {
			signedUpAt: new Date('2020-05-21T15:53:30.197Z'),
		});
		expect(signed.signedUpAt).toBe('2020-05-21T15:53:30.197Z');
	});

	it('an unknown user is a 404', async () => {
		const error = (await caught(
			client.updateUser('nobody-at-all', { metadata: { a: 1 } }),
		)) as HttpError;
		expect(error).toBeInstanceOf(HttpError);
		expect(error.statusCode).toBe(404);
		expect(error.message).toContain('PATCH /users/{userIdOrExternalId} failed with 404');
	});

	it('refuses bad input before any request', async () => {
		expect((await refusedBeforeSending(sim, () => client.updateUser('u', {}))).field).toBe('user');
		expect(
			(
				await refusedBeforeSending(sim, () =>
					client.updateUser('u', { profile: { email: 'not-an-email' } }),
				)
			).field,
		).toBe('profile.email');
		expect(
			(
				await refusedBeforeSending(sim, () =>
					client.updateUser('u', { profile: { givenName: 'x'.repeat(129) } }),
				)
			).field,
		).toBe('profile.givenName');
		expect(
			(
				await refusedBeforeSending(sim, () =>
					client.updateUser('u', { profile: { avatarUrl: 'ftp://x/a.png' } }),
				)
			).field,
		).toBe('profile.avatarUrl');
		expect(
			(
				await refusedBeforeSending(sim, () =>
					client.updateUser('u', { metadata: { a: { b: 1 } } as never }),
				)
			).field,
		).toBe('metadata.a');
		expect(
			(await refusedBeforeSending(sim, () => client.updateUser('..', { metadata: { a: 1 } })))
				.field,
		).toBe('userIdOrExternalId');
	});
});

describe('updateConversation', () => {
	it('changes the fields given and clears one with null', async () => {
		const user = await client.createUser({ externalId: unique('upd-conv') });
		const conversation = await client.createConversation({
			userId: user.id,
			displayName: 'Before',
			description: 'Old',
			metadata: { a: 1 },
		});
		const updated = await client.updateConversation(conversation.id, {
			displayName: 'After',
			iconUrl: 'https://example.org/icon.png',
			metadata: { b: true },
		});
		expect(updated).toMatchObject({
			id: conversation.id,
			displayName: 'After',
			description: 'Old',
			iconUrl: 'https://example.org/icon.png',
			metadata: { b: true },
		});
		const cleared = await client.updateConversation(conversation.id, { description: null });
		expect(cleared.description ?? null).toBeNull();
		expect((await client.getConversation(conversation.id)).displayName).toBe('After');
	});

	it('refuses bad input before any request', async () => {
		expect((await refusedBeforeSending(sim, () => client.updateConversation('c', {}))).field).toBe(
			'conversation',
		);
		expect(
			(
				await refusedBeforeSending(sim, () =>
					client.updateConversation('c', { displayName: 'x'.repeat(101) }),
				)
			).field,
		).toBe('displayName');
		expect(
			(await refusedBeforeSending(sim, () => client.updateConversation('c', { description: '' })))
				.field,
		).toBe('description');
		expect(
			(
				await refusedBeforeSending(sim, () =>
					client.updateConversation('c', { iconUrl: 'javascript:1' }),
				)
			).field,
		).toBe('iconUrl');
		expect(
			(await refusedBeforeSending(sim, () => client.updateConversation('.', { displayName: 'a' })))
				.field,
		).toBe('conversationId');
	});
});

describe('listParticipants', () => {
	it('lists the participant of a personal conversation, with the user ids', async () => {
		const externalId = unique('participant');
		const user = await client.createUser({ externalId });
		const conversation = await client.createConversation({ userExternalId: externalId });
		const page = await client.listParticipants(conversation.id, { pageSize: 10 });
		expect(page.hasMore).toBe(false);
		expect(page.items).toHaveLength(1);
		expect(page.items[0]).toMatchObject({ userId: user.id, userExternalId: externalId });
		expect(typeof page.items[0].id).toBe('string');
		expect(await client.listParticipants(conversation.id)).toEqual(page);
	});

	it('an unknown conversation is conversation_not_found; a bad page size is refused before sending', async () => {
		const error = (await caught(client.listParticipants('5f0000000000000000000000'))) as HttpError;
		expect(error.statusCode).toBe(404);
		expect(error.message).toContain(
			'GET /conversations/{conversationId}/participants failed with 404 (conversation_not_found',
		);
		expect(
			(await refusedBeforeSending(sim, () => client.listParticipants('c', { pageSize: 101 })))
				.field,
		).toBe('pageSize');
		expect(
			(await refusedBeforeSending(sim, () => client.listParticipants('c', { after: '' }))).field,
		).toBe('after');
	});
});

describe('deleteMessage', () => {
	it('deletes one message and leaves the others', async () => {
		const user = await client.createUser({ externalId: unique('delete') });
		const conversation = await client.createConversation({ userId: user.id });
		const keep = await client.postBusinessMessage(conversation.id, { text: 'keep' });
		const drop = await client.postBusinessMessage(conversation.id, { text: 'drop' });
		await expect(client.deleteMessage(conversation.id, drop.id)).resolves.toBeUndefined();
		expect((await client.listMessages(conversation.id)).items.map((m) => m.id)).toEqual([keep.id]);
		const again = (await caught(client.deleteMessage(conversation.id, drop.id))) as HttpError;
		expect(again.statusCode).toBe(404);
		expect(again.message).toContain(
			'DELETE /conversations/{conversationId}/messages/{messageId} failed with 404',
		);
		expect(
			(await refusedBeforeSending(sim, () => client.deleteMessage(conversation.id, '..'))).field,
		).toBe('messageId');
	});
});

describe('listUserConversations and allConversations', () => {
	it('one page under the node’s name; all of them, or the first `limit`', async () => {
		const user = await client.createUser({ externalId: unique('all-conv') });
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) ids.push((await client.createConversation({ userId: user.id })).id);
		const first = await client.listUserConversations({ userId: user.id, pageSize: 2 });
		expect(first.items).toHaveLength(2);
		expect(first.hasMore).toBe(true);
		expect((await client.allConversations({ userId: user.id })).map((c) => c.id).sort()).toEqual(
			[...ids].sort(),
		);
		expect(
			await client.allConversations({ userExternalId: user.externalId as string }, 2),
		).toHaveLength(2);
		expect(
			(await refusedBeforeSending(sim, () => client.allConversations({ userId: user.id }, 0)))
				.field,
		).toBe('limit');
		expect(
			(await refusedBeforeSending(sim, () => client.allConversations({} as never))).field,
		).toBe('userId');
	});
});
