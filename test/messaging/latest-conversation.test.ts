import { latestPersonalConversation, MessagingClient, requireString } from '../../src/messaging';
import { HttpError, InvalidInputError } from '../../src/shared';
import { ManualClock, startSimulator, SIM_SUNSHINE, type Simulator } from '../../simulator';

/** What the Zendesk Messaging node needs to stay stateless: the conversation found again from an externalId. */
let sim: Simulator;
let clock: ManualClock;
let client: MessagingClient;

beforeAll(async () => {
	clock = new ManualClock();
	sim = await startSimulator({ clock });
	client = new MessagingClient({
		baseUrl: sim.urls.sunshine,
		appId: SIM_SUNSHINE.appId,
		auth: { type: 'basic', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
	});
});

afterAll(async () => {
	await client.close();
	await sim.close();
});

describe('latestPersonalConversation', () => {
	it('finds the most recently updated personal conversation by externalId or userId', async () => {
		const user = await client.createUser({ externalId: 'latest-by-external' });
		expect(
			await latestPersonalConversation(client, { userExternalId: 'latest-by-external' }),
		).toBeUndefined();

		const older = await client.createConversation({ userId: user.id });
		clock.advance(1000);
		const newer = await client.createConversation({ userId: user.id });
		expect(
			(await latestPersonalConversation(client, { userExternalId: 'latest-by-external' }))?.id,
		).toBe(newer.id);

		clock.advance(1000);
		await client.postBusinessMessage(older.id, { text: 'activity makes the older one the latest' });
		expect(
			(await latestPersonalConversation(client, { userExternalId: 'latest-by-external' }))?.id,
		).toBe(older.id);
		expect((await latestPersonalConversation(client, { userId: user.id }))?.id).toBe(older.id);
	});

	it('throws the API’s user_not_found for an unknown externalId', async () => {
		const error = await latestPersonalConversation(client, { userExternalId: 'nobody-here' }).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(HttpError);
		expect((error as HttpError).statusCode).toBe(404);
		expect((error as HttpError).message).toContain('user_not_found');
	});
});

describe('exported validators', () => {
	it('say "got nothing" for a missing value', () => {
		let error: unknown;
		try {
			requireString('userExternalId', undefined);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(InvalidInputError);
		expect((error as InvalidInputError).message).toBe(
			'userExternalId must be a non-empty string, got nothing',
		);
	});
});
