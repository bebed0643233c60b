import { escalate, MessagingClient } from '../../src/messaging';
import { HttpError, InvalidInputError } from '../../src/shared';
import { startSimulator, SIM_SUNSHINE, type Simulator } from '../../simulator';

let sim: Simulator;
let client: MessagingClient;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now()}-${++counter}`;

async function caught(promise: Promise<unknown>): Promise<Error> {
	const outcome = await promise.then(
		() => undefined,
		(error: Error) => error,
	);
	if (!outcome) throw new Error('expected a rejection');
	return outcome;
}

const textOf = (m: unknown) => (m as { content: { text: string } }).content.text;

beforeAll(async () => {
	sim = await startSimulator();
	client = new MessagingClient({
		baseUrl: sim.urls.sunshine,
		appId: SIM_SUNSHINE.appId,
		auth: { type: 'jwt', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
		originTag: 'escalation-test',
	});
});

afterAll(async () => {
	await client.close();
	await sim.close();
});

describe('escalate', () => {
	it('creates user and conversation, posts the history and opens a ticket with all of it and the ticket fields', async () => {
		const externalId = unique('customer');
		// 1 summary + 14 transcript lines: more than the 10 messages a ticket gets by default.
		const transcript = Array.from({ length: 14 }, (_, i) => ({
			text: `${i % 2 ? 'Bot' : 'Customer'} line ${i + 1}`,
			displayName: i % 2 ? 'Bot' : 'Customer',
		}));
		const result = await escalate(client, {
			user: { externalId, profile: { givenName: 'Grace', email: 'grace@example.com' } },
			summary: 'Customer wants a refund for order 42; card was charged twice.',
			transcript,
			businessDisplayName: 'Support bot',
			ticket: {
				tags: ['refund', 'from_bot'],
				groupId: 360001,
				priority: 'high',
				requesterName: 'Grace Hopper',
				requesterEmail: 'grace@example.com',
				customFields: { '360012345678': 'order-42' },
			},
			metadata: { channel: 'web' },
		});

		expect(result.userCreated).toBe(true);
		expect(result.conversationCreated).toBe(true);
		expect(result.user.externalId).toBe(externalId);
		expect(result.messages).toHaveLength(15);
		expect(result.messages.map(textOf)).toEqual([
			'Customer wants a refund for order 42; card was charged twice.',
			...transcript.map((t) => t.text),
		]);
		expect(result.messages[0].author).toMatchObject({
			type: 'business',
			displayName: 'Support bot',
		});
		expect(result.firstMessageId).toBe(result.messages[0].id);
		expect(result.metadata).toEqual({
			'dataCapture.systemField.tags': 'refund,from_bot',
			'dataCapture.systemField.group_id': '360001',
			'dataCapture.systemField.priority': 'high',
			'dataCapture.systemField.requester.name': 'Grace Hopper',
			'dataCapture.systemField.requester.email': 'grace@example.com',
			'dataCapture.ticketField.360012345678': 'order-42',
			channel: 'web',
			first_message_id: result.messages[0].id,
		});

		const tickets = sim.sunshine.control.tickets({ conversationId: result.conversation.id });
		expect(tickets).toHaveLength(1);
		const [ticket] = tickets;
		expect(ticket.status).toBe('open');
		expect(ticket.via).toBe('passControl');
		expect(ticket.userId).toBe(result.user.id);
		expect(ticket.firstMessageId).toBe(result.firstMessageId);
		expect(ticket.messageIds).toEqual(result.messages.map((m) => m.id));
		expect(ticket.tags).toEqual(['refund', 'from_bot']);
		expect(ticket.systemFields).toEqual({
			group_id: '360001',
			priority: 'high',
			'requester.name': 'Grace Hopper',
			'requester.email': 'grace@example.com',
		});
		expect(ticket.ticketFields).toEqual({ '360012345678': 'order-42' });
		expect(
			sim.sunshine.control.conversation({ id: result.conversation.id }).switchboard.active,
		).toBe('zd-agentWorkspace');
	});

	it('reuses the user and a given conversation for a second escalation', async () => {
		const externalId = unique('again');
		const first = await escalate(client, { user: { externalId }, summary: 'First time' });
		sim.sunshine.control.agentReleasesControl({
			conversationId: first.conversation.id,
			reason: 'ticketClosed',
		});

		const second = await escalate(client, {
			user: { externalId },
			conversationId: first.conversation.id,
			summary: 'Back again',
		});
		expect(second.userCreated).toBe(false);
		expect(second.user.id).toBe(first.user.id);
		expect(second.conversationCreated).toBe(false);
		expect(second.conversation.id).toBe(first.conversation.id);
		const tickets = sim.sunshine.control.tickets({ conversationId: first.conversation.id });
		expect(tickets.map((t: { status: string }) => t.status)).toEqual(['closed', 'open']);
		expect(tickets[1].messageIds).toEqual([second.firstMessageId]);
	});

	it('reuseLatestConversation picks the user’s most recent personal conversation', async () => {
		const externalId = unique('latest');
		const user = await client.createUser({ externalId });
		await client.createConversation({ userId: user.id });
		const newer = await client.createConversation({ userId: user.id });
		await client.postBusinessMessage(newer.id, { text: 'activity makes it the latest' });
		const result = await escalate(client, {
			user: { externalId },
			reuseLatestConversation: true,
			summary: 'Needs a human',
		});
		expect(result.conversationCreated).toBe(false);
		expect(result.conversation.id).toBe(newer.id);
	});

	it('sets conversationMetadata on a new conversation, merges it into a reused one once', async () => {
		const externalId = unique('tagged');
		const bridge = { bridge: 'zendesk-chat' };
		const first = await escalate(client, {
			user: { externalId },
			summary: 'From the chat',
			conversationMetadata: bridge,
		});
		expect(first.conversationCreated).toBe(true);
		expect(
			sim.sunshine.control.conversation({ id: first.conversation.id }).conversation.metadata,
		).toEqual(bridge);

		// A reused conversation keeps its own metadata; ours is added once, then left alone.
		const user = await client.getUser(externalId);
		const older = await client.createConversation({ userId: user.id, metadata: { lang: 'en' } });
		await client.postBusinessMessage(older.id, { text: 'the latest now' });
		const updatesBefore = sim.sunshine.requests.filter((r) => r.method === 'PATCH').length;
		sim.sunshine.control.agentReleasesControl({
			conversationId: first.conversation.id,
			reason: 'ticketClosed',
		});
		const second = await escalate(client, {
			user: { externalId },
			conversationId: older.id,
			summary: 'Again',
			conversationMetadata: bridge,
		});
		expect(second.conversation.metadata).toEqual({ lang: 'en', bridge: 'zendesk-chat' });
		sim.sunshine.control.agentReleasesControl({ conversationId: older.id, reason: 'ticketClosed' });
		await escalate(client, {
			user: { externalId },
			conversationId: older.id,
			summary: 'Third time',
			conversationMetadata: bridge,
		});
		expect(sim.sunshine.requests.filter((r) => r.method === 'PATCH').length).toBe(
			updatesBefore + 1,
		);
		expect(sim.sunshine.control.conversation({ id: older.id }).conversation.metadata).toEqual({
			lang: 'en',
			bridge: 'zendesk-chat',
		});

		const bad = await caught(
			escalate(client, {
				user: { externalId },
				summary: 'x',
				conversationMetadata: { nested: { no: 1 } } as never,
			}),
		);
		expect((bad as InvalidInputError).field).toMatch(/^conversationMetadata/);
	});

	it('checks every input before the first request', async () => {
		const externalId = unique('invalid');
		const bad = [
			{ input: { user: { externalId }, summary: '' }, field: 'summary' },
			{ input: { user: { externalId }, summary: 'x'.repeat(4097) }, field: 'summary' },
			{
				input: {
					user: { externalId },
					summary: 'ok',
					transcript: [{ text: 'ok' }, { text: 'y'.repeat(4097) }],
				},
				field: 'transcript[1].text',
			},
			{
				input: { user: { externalId }, summary: 'ok', ticket: { tags: ['two words'] } },
				field: 'ticket.tags[0]',
			},
			{
				input: { user: { externalId }, summary: 'ok', metadata: { big: 'z'.repeat(4050) } },
				field: 'metadata',
			},
			{
				input: { user: { externalId }, summary: 'ok', metadata: { first_message_id: 'mine' } },
				field: 'metadata.first_message_id',
			},
			{ input: { user: { externalId: '' }, summary: 'ok' }, field: 'user.externalId' },
		];
		for (const { input, field } of bad) {
			const error = await caught(escalate(client, input as never));
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as InvalidInputError).field).toBe(field);
		}
		expect(await caught(client.getUser(externalId))).toMatchObject({ statusCode: 404 });
	});

	it('a failed handoff leaves what was done, and a second call finishes it', async () => {
		const externalId = unique('partial');
		const error = (await caught(
			escalate(client, {
				user: { externalId },
				summary: 'Try 1',
				switchboardIntegration: 'no-such-integration',
			}),
		)) as HttpError;
		expect(error).toBeInstanceOf(HttpError);
		const user = await client.getUser(externalId);
		const [conversation] = (await client.listConversations({ userId: user.id })).items;
		expect(sim.sunshine.control.tickets({ conversationId: conversation.id })).toEqual([]);

		const done = await escalate(client, {
			user: { externalId },
			conversationId: conversation.id,
			summary: 'Try 2',
		});
		const [ticket] = sim.sunshine.control.tickets({ conversationId: conversation.id });
		expect(ticket.messageIds).toEqual([done.firstMessageId]);
		expect(ticket.messages.map(textOf)).toEqual(['Try 2']);
	});

	it('keeps hostile text byte for byte in the ticket', async () => {
		const hostile = `"}]} \\u0000 <b>bold</b> '; DROP TABLE tickets; -- 🧯 \u2028`;
		const result = await escalate(client, {
			user: { externalId: unique('hostile'), profile: { givenName: hostile } },
			summary: hostile,
			transcript: [{ text: hostile, displayName: hostile }],
			ticket: { requesterName: hostile },
		});
		const [ticket] = sim.sunshine.control.tickets({ conversationId: result.conversation.id });
		expect(ticket.messages.map(textOf)).toEqual([hostile, hostile]);
		expect((ticket.messages[1] as { author: { displayName: string } }).author.displayName).toBe(
			hostile,
		);
		expect(ticket.systemFields['requester.name']).toBe(hostile);
	});
});
