import {
	conversationUserOf,
	EventDeduplicator,
	FIRST_MESSAGE_MAX_PAGES,
	FirstMessageMemory,
	firstMessageVerdict,
	LookupCache,
	MAX_EVENT_ID_LENGTH,
	mediaOf,
	parseWebhookEnvelope,
	readWebhookDelivery,
	type MessagingClient,
} from '../../src/messaging';
import { InvalidInputError, ProtocolError } from '../../src/shared';
import { SIM_SUNSHINE, startSimulator, type Simulator } from '../../simulator';
import { simClient, unique } from './sim-client';

/**
 * What the Messaging Trigger builds on: a delivery read event by event, the bounded de-duplication
 * memory, media read from message content, and the lookups of a conversation's customer and of
 * whether a message is their first.
 */
const envelope = (events: unknown[]) => ({
	app: { id: 'app-1' },
	webhook: { id: 'whk-1', version: 'v2' },
	events,
});
const good = (id: string) => ({
	id,
	type: 'conversation:message',
	createdAt: '2026-01-05T09:00:00.000Z',
	payload: { a: 1 },
});

describe('readWebhookDelivery', () => {
	it('keeps the good events of a delivery and describes the bad ones, in order', () => {
		const longId = 'x'.repeat(MAX_EVENT_ID_LENGTH + 1);
		const { envelope: read, rejected } = readWebhookDelivery(
			envelope([
				good('e1'),
				{ type: 'conversation:message' },
				42,
				good('e2'),
				{ id: longId, type: 'conversation:message' },
				{ id: 'e3', type: 't'.repeat(200) },
			]),
		);
		expect(read.events.map((e) => e.id)).toEqual(['e1', 'e2']);
		expect(read.app).toEqual({ id: 'app-1' });
		expect(rejected).toEqual([
			{ index: 1, id: null, type: 'conversation:message', field: 'id', problem: 'Required' },
			{ index: 2, id: null, type: null, field: null, problem: 'Expected object, received number' },
			{
				index: 4,
				id: `${'x'.repeat(40)}… (129 characters)`,
				type: 'conversation:message',
				field: 'id',
				problem: 'longer than 128 characters',
			},
			{
				index: 5,
				id: 'e3',
				type: `${'t'.repeat(40)}… (200 characters)`,
				field: 'type',
				problem: 'longer than 128 characters',
			},
		]);
	});

	it('accepts an id of exactly 128 characters', () => {
		const id = 'a'.repeat(MAX_EVENT_ID_LENGTH);
		expect(readWebhookDelivery(envelope([good(id)])).envelope.events[0].id).toBe(id);
	});

	it('still refuses a body that is not JSON or not an envelope', () => {
		expect(() => readWebhookDelivery('{"app":')).toThrow(
			new ProtocolError('messaging', 'the webhook body is not JSON'),
		);
		expect(() =>
			readWebhookDelivery({ app: { id: 'a' }, webhook: { id: 'w', version: 'v2' }, events: {} }),
		).toThrow(
			'the webhook body is not a Sunshine Conversations envelope: events: Expected array, received object',
		);
	});

	it('parseWebhookEnvelope stays strict: one bad event refuses the body, naming it', () => {
		expect(() => parseWebhookEnvelope(envelope([good('e1'), { type: 'x' }]))).toThrow(
			'the webhook body is not a Sunshine Conversations envelope: events.1.id: Required',
		);
		expect(() => parseWebhookEnvelope(envelope(['nope']))).toThrow(
			'the webhook body is not a Sunshine Conversations envelope: events.0: Expected object, received string',
		);
	});
});

describe('EventDeduplicator bounds', () => {
	it('refuses an id longer than maxIdLength instead of storing it', () => {
		const dedupe = new EventDeduplicator({ maxIdLength: 8 });
		expect(dedupe.firstSeen('12345678')).toBe(true);
		expect(() => dedupe.firstSeen('123456789')).toThrow(InvalidInputError);
		expect(() => dedupe.firstSeen('')).toThrow(InvalidInputError);
		expect([dedupe.size, dedupe.idChars]).toEqual([1, 8]);
	});

	it('defaults to the envelope reader’s cap, so whatever the reader lets through can be stored', () => {
		const dedupe = new EventDeduplicator();
		expect(dedupe.firstSeen('a'.repeat(MAX_EVENT_ID_LENGTH))).toBe(true);
		expect(() => dedupe.firstSeen('a'.repeat(MAX_EVENT_ID_LENGTH + 1))).toThrow(InvalidInputError);
	});
});

describe('mediaOf', () => {
	it('reads an image or a file message as the spec shapes them', () => {
		expect(
			mediaOf({
				type: 'image',
				mediaUrl: 'https://media.example.com/apps/a/b/screen%20shot.png',
				mediaType: 'image/png',
				mediaSize: 34567,
				altText: 'screen shot.png',
			}),
		).toEqual([
			{
				url: 'https://media.example.com/apps/a/b/screen%20shot.png',
				type: 'image',
				mediaType: 'image/png',
				name: 'screen shot.png',
				altText: 'screen shot.png',
				size: 34567,
			},
		]);
		expect(
			mediaOf({
				type: 'file',
				mediaUrl: 'https://media.example.com/f/9a8b7c',
				altText: 'invoice.pdf',
				text: 'here you go',
			}),
		).toEqual([
			{
				url: 'https://media.example.com/f/9a8b7c',
				type: 'file',
				mediaType: null,
				name: 'invoice.pdf',
				altText: 'invoice.pdf',
				size: null,
			},
		]);
	});

	it('reads the pictures of carousel and list items, without a byte size (the item size is a display size)', () => {
		const items = [
			{
				title: 'A',
				mediaUrl: 'https://x.example/a.jpg',
				mediaType: 'image/jpeg',
				size: 'large',
				actions: [],
			},
			{ title: 'B', actions: [] },
			{ title: 'C', mediaUrl: 'https://x.example/c', altText: 'C', actions: [] },
		];
		expect(mediaOf({ type: 'carousel', items })).toEqual([
			{
				url: 'https://x.example/a.jpg',
				type: 'image',
				mediaType: 'image/jpeg',
				name: 'a.jpg',
				altText: null,
				size: null,
			},
			{
				url: 'https://x.example/c',
				type: 'image',
				mediaType: null,
				name: 'C',
				altText: 'C',
				size: null,
			},
		]);
		expect(mediaOf({ type: 'list', items: items.slice(0, 1) })).toHaveLength(1);
	});

	it('finds none in text, or in anything that is not content', () => {
		for (const content of [
			{ type: 'text', text: 'hi' },
			{ type: 'image' },
			{ type: 'image', mediaUrl: 7 },
			{ type: 'carousel', items: 'x' },
			null,
			'image',
			[],
		]) {
			expect(mediaOf(content)).toEqual([]);
		}
	});
});

describe('LookupCache', () => {
	it('asks once per key while the answer is fresh, shares a request in flight, and forgets failures', async () => {
		let now = 0;
		const cache = new LookupCache<string>({ maxEntries: 2, ttlMs: 1000, now: () => now });
		let asked = 0;
		const load = (value: string) => () => (asked++, Promise.resolve(value));
		const [a, b] = await Promise.all([cache.get('k', load('one')), cache.get('k', load('two'))]);
		expect([a, b, asked]).toEqual(['one', 'one', 1]);
		now = 999;
		expect(await cache.get('k', load('three'))).toBe('one');
		now = 1000;
		expect(await cache.get('k', load('four'))).toBe('four');

		await expect(cache.get('bad', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
		expect(await cache.get('bad', load('up'))).toBe('up');
	});

	it('keeps at most maxEntries, dropping the least recently used', async () => {
		const cache = new LookupCache<number>({ maxEntries: 2 });
		await cache.get('a', async () => 1);
		await cache.get('b', async () => 2);
		await cache.get('a', async () => 0);
		await cache.get('c', async () => 3);
		expect(cache.size).toBe(2);
		expect(await cache.get('a', async () => -1)).toBe(1);
		expect(await cache.get('b', async () => -2)).toBe(-2);
	});
});

describe('conversation lookups against the simulator', () => {
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

	it("conversationUserOf names a personal conversation's user, and no one for a group", async () => {
		const externalId = unique('lookup-user');
		const said = sim.sunshine.control.userSays({ userExternalId: externalId, text: 'hi' });
		expect(await conversationUserOf(client, said.conversationId)).toEqual({
			userId: said.userId,
			externalUserId: externalId,
		});

		const users = [
			await client.createUser({ externalId: unique('one') }),
			await client.createUser({ externalId: unique('two') }),
		];
		// The client creates personal conversations only; a group is created over HTTP (spec CreateConversation).
		const response = await fetch(
			`${sim.urls.sunshine}/v2/apps/${SIM_SUNSHINE.appId}/conversations`,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					authorization: `Basic ${Buffer.from(`${SIM_SUNSHINE.keyId}:${SIM_SUNSHINE.keySecret}`).toString('base64')}`,
				},
				body: JSON.stringify({
					type: 'sdkGroup',
					participants: users.map((u) => ({ userId: u.id, subscribeSDKClient: false })),
				}),
			},
		);
		const group = ((await response.json()) as { conversation: { id: string } }).conversation;
		expect(await conversationUserOf(client, group.id)).toEqual({
			userId: null,
			externalUserId: null,
		});
	});

	it('firstMessageVerdict: the first customer message, a later one, and business messages before the first', async () => {
		const externalId = unique('first');
		const one = sim.sunshine.control.userSays({ userExternalId: externalId, text: 'one' });
		const conversationId = one.conversationId;
		const two = sim.sunshine.control.userSays({ conversationId, text: 'two' });
		expect(await firstMessageVerdict(client, conversationId, one.message.id as string)).toBe(
			'first',
		);
		expect(await firstMessageVerdict(client, conversationId, two.message.id as string)).toBe(
			'notFirst',
		);
		expect(await firstMessageVerdict(client, conversationId, 'no-such-message')).toBe('unknown');

		// A conversation the business opened: its messages come before the customer's first.
		const user = await client.createUser({ externalId: unique('proactive') });
		const opened = await client.createConversation({ userId: user.id });
		await client.postBusinessMessage(opened.id, { text: 'Your order shipped' });
		const answer = sim.sunshine.control.userSays({ conversationId: opened.id, text: 'thanks' });
		expect(await firstMessageVerdict(client, opened.id, answer.message.id as string)).toBe('first');
	});

	it('reads back through the pages, and no further than maxPages', async () => {
		const externalId = unique('long');
		const first = sim.sunshine.control.userSays({ userExternalId: externalId, text: 'first' });
		const conversationId = first.conversationId;
		sim.sunshine.control.fillMessages({ conversationId, count: 150 });
		const late = sim.sunshine.control.userSays({ conversationId, text: 'late' });
		expect(await firstMessageVerdict(client, conversationId, first.message.id as string)).toBe(
			'first',
		);
		expect(await firstMessageVerdict(client, conversationId, late.message.id as string)).toBe(
			'notFirst',
		);
		sim.sunshine.control.fillMessages({ conversationId, count: 100 * FIRST_MESSAGE_MAX_PAGES });
		expect(await firstMessageVerdict(client, conversationId, first.message.id as string)).toBe(
			'unknown',
		);
	});
});

describe('FirstMessageMemory', () => {
	it('answers the later messages of a conversation from memory once its first is known', async () => {
		const memory = new FirstMessageMemory({ maxEntries: 10 });
		let lookups = 0;
		const lookup = (verdict: 'first' | 'notFirst' | 'unknown') => async () => (lookups++, verdict);
		expect(await memory.judge('c1', 'm2', lookup('notFirst'))).toBe('notFirst');
		expect(await memory.judge('c1', 'm3', lookup('unknown'))).toBe('unknown');
		expect(lookups).toBe(2);
		expect(await memory.judge('c1', 'm1', lookup('first'))).toBe('first');
		expect(await memory.judge('c1', 'm4', lookup('first'))).toBe('notFirst');
		expect(await memory.judge('c1', 'm1', lookup('notFirst'))).toBe('first');
		expect(lookups).toBe(3);
	});

	it('forgets nothing on a failed lookup, and remembers at most maxEntries conversations', async () => {
		const memory = new FirstMessageMemory({ maxEntries: 3 });
		await expect(memory.judge('c0', 'm', () => Promise.reject(new Error('down')))).rejects.toThrow(
			'down',
		);
		expect(memory.size).toBe(0);
		for (let i = 0; i < 10; i++) await memory.judge(`c${i}`, 'm', async () => 'first');
		expect(memory.size).toBe(3);
	});
});
