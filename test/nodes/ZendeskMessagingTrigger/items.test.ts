import type { IDataObject } from 'n8n-workflow';

import { openLaneCount } from '../../../nodes/ZendeskMessagingTrigger/helpers/conversationLanes';
import { LOOKUP_TIMEOUT_MS } from '../../../nodes/ZendeskMessagingTrigger/helpers/lookups';
import { SIM_SUNSHINE } from '../../../simulator';
import { N8nLogCapture } from '../../helpers/n8n/log-capture';
import { TriggerFixture } from './fixture';
import { agentReply, envelope, event, userMessage } from './payloads';

/**
 * The items, through n8n-core's WebhookContext and engine against the simulator: the customer on
 * every event (looked up when the payload leaves them out, once per conversation, after the call
 * was answered), Simplify off, and the media an agent sends.
 */
let f: TriggerFixture;
const log = new N8nLogCapture();
const control = () => f.sim.sunshine.control;
const participantReads = () =>
	f.sim.sunshine.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/participants'))
		.length;
const EVENTS = ['conversation:message', 'switchboard:passControl', 'switchboard:releaseControl'];

beforeAll(async () => {
	log.install();
	f = await TriggerFixture.start();
});
afterAll(async () => {
	await f.close();
	log.uninstall();
});

let customers = 0;

/** A customer who wrote in the Web Widget, and their conversation, now in the agent workspace's hands. */
async function customerWithAgent(): Promise<{
	conversationId: string;
	userId: string;
	externalId: string;
}> {
	const externalId = `customer-${++customers}`;
	const said = control().userSays({ userExternalId: externalId, text: 'I need a human' });
	await f.admin.passControl(said.conversationId, { switchboardIntegration: 'zd-agentWorkspace' });
	await f.settle();
	return { conversationId: said.conversationId, userId: said.userId, externalId };
}

/** Posts events for the workflow's own webhook, signed with its secret. */
async function post(events: unknown[], options: { settle?: boolean; appId?: string } = {}) {
	return await f.post(
		envelope(events, options.appId),
		{ 'X-API-Key': f.stored.webhookSecret as string },
		f.productionUrl,
		{ settle: options.settle },
	);
}

/** A customer's conversation the trigger has seen only their message of, so it knows no lookup for it yet. */
async function freshConversation(): Promise<{
	conversationId: string;
	userId: string;
	externalId: string;
}> {
	const externalId = `customer-${++customers}`;
	const said = control().userSays({ userExternalId: externalId, text: 'hello' });
	await f.settle();
	return { conversationId: said.conversationId, userId: said.userId, externalId };
}

function itemsSince(from: number): IDataObject[] {
	return f.calls.slice(from).flatMap((c) => c.items);
}

describe('the customer, on every event of a conversation', () => {
	beforeAll(async () => {
		f.useWorkflow({ events: EVENTS });
		await f.activate();
	});
	afterAll(() => f.hook('delete'));
	beforeEach(() => log.clear());

	it("names them on an agent's reply and on switchboard events, with one lookup per conversation", async () => {
		const from = f.calls.length;
		const reads = participantReads();
		const { conversationId, userId, externalId } = await customerWithAgent();
		control().agentReplies({ conversationId, text: 'Hello, I am Grace.' });
		control().agentReplies({ conversationId, text: 'Refund done.' });
		control().agentReleasesControl({ conversationId, reason: 'ticketClosed' });
		await f.settle();
		expect(
			itemsSince(from).map((i) => [i.eventType, i.text ?? null, i.userId, i.externalUserId]),
		).toEqual([
			['conversation:message', 'I need a human', userId, externalId],
			['switchboard:passControl', null, userId, externalId],
			['conversation:message', 'Hello, I am Grace.', userId, externalId],
			['conversation:message', 'Refund done.', userId, externalId],
			['switchboard:releaseControl', null, userId, externalId],
		]);
		// The customer's own message names them; the four others share one lookup.
		expect(participantReads() - reads).toBe(1);
		expect(log.messages('warn')).toEqual([]);
	});

	it('answers Zendesk first, and looks the customer up afterwards', async () => {
		const { conversationId, userId } = await freshConversation();
		const from = f.calls.length;
		f.sim.faults.setDelay({ api: 'sunshine', ms: 1000 });
		const started = Date.now();
		try {
			expect(
				await post([agentReply('slow lookup', { conversation: { id: conversationId } })], {
					settle: false,
				}),
			).toEqual({ status: 200, body: { received: true } });
			// Answered while webhook() was still waiting on the lookup, which Zendesk answers a second later.
			expect(f.calls.slice(from).map((c) => c.response)).toEqual([undefined]);
			await f.settle();
		} finally {
			f.sim.faults.setDelay({ api: 'sunshine', ms: 0 });
		}
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(f.calls[from].response).toMatchObject({
			noWebhookResponse: true,
			workflowData: [[expect.anything()]],
		});
		expect(itemsSince(from).map((i) => i.userId)).toEqual([userId]);
	});

	it("hands a conversation's items to n8n in Zendesk's order: a customer message right behind an agent reply waits for its lookup; another conversation does not", async () => {
		const { conversationId } = await freshConversation();
		const other = await freshConversation();
		const from = f.calls.length;
		const answered = (index: number) => f.calls[from + index]?.response !== undefined;
		f.sim.faults.setDelay({ api: 'sunshine', ms: 1000 });
		try {
			// The agent's reply needs its customer looked up (a second); the customer's next message and
			// a message of another conversation name theirs and need nothing.
			await post([agentReply('first, slow lookup', { conversation: { id: conversationId } })], {
				settle: false,
			});
			await post([userMessage('second, right behind', { conversation: { id: conversationId } })], {
				settle: false,
			});
			await post(
				[userMessage('another conversation', { conversation: { id: other.conversationId } })],
				{ settle: false },
			);
			const deadline = Date.now() + 5_000;
			while (!answered(2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
			// The other conversation went on at once, while the agent's reply still waited for Zendesk.
			expect([answered(0), answered(1), answered(2)]).toEqual([false, false, true]);
			while (!answered(1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
			// The customer's message was handed over only after the agent's reply.
			expect([answered(0), answered(1)]).toEqual([true, true]);
			await f.settle();
		} finally {
			f.sim.faults.setDelay({ api: 'sunshine', ms: 0 });
		}
		expect(openLaneCount()).toBe(0);
	});

	it('leaves them null when the lookup fails, says so in the log, and asks again for the next event', async () => {
		const { conversationId, userId, externalId } = await freshConversation();
		const from = f.calls.length;
		f.sim.faults.failNextHttp({ api: 'sunshine', status: 403 });
		await post([agentReply('refused lookup', { conversation: { id: conversationId } })]);
		await post([agentReply('next one', { conversation: { id: conversationId } })]);
		expect(itemsSince(from).map((i) => [i.text, i.userId, i.externalUserId])).toEqual([
			['refused lookup', null, null],
			['next one', userId, externalId],
		]);
		expect(log.messages('warn')).toEqual([
			expect.stringMatching(
				new RegExp(
					`^Zendesk Messaging Trigger: could not look up the customer of conversation ${conversationId}: `,
				),
			),
		]);
	});

	it(`gives up a lookup slower than ${LOOKUP_TIMEOUT_MS} ms: the execution starts without the customer`, async () => {
		const { conversationId } = await freshConversation();
		const from = f.calls.length;
		f.sim.faults.setDelay({ api: 'sunshine', ms: LOOKUP_TIMEOUT_MS + 2000 });
		try {
			await post([agentReply('too slow', { conversation: { id: conversationId } })]);
		} finally {
			f.sim.faults.setDelay({ api: 'sunshine', ms: 0 });
			f.sim.faults.cancelWaits();
		}
		expect(itemsSince(from).map((i) => [i.text, i.userId])).toEqual([['too slow', null]]);
		expect(log.messages('warn')).toEqual([
			expect.stringContaining(
				`Zendesk Messaging Trigger: could not look up the customer of conversation ${conversationId}: `,
			),
		]);
	});

	it('does not guess in a group conversation (sdkGroup), and does not look one up', async () => {
		const from = f.calls.length;
		const reads = participantReads();
		await post([agentReply('to the group', { conversation: { id: 'group-1', type: 'sdkGroup' } })]);
		expect(itemsSince(from).map((i) => [i.userId, i.externalUserId])).toEqual([[null, null]]);
		expect(participantReads()).toBe(reads);
	});

	it("does not look up in another app than the credential's", async () => {
		const from = f.calls.length;
		await post([agentReply('other app')], { appId: 'another-app' });
		expect(itemsSince(from).map((i) => [i.appId, i.userId])).toEqual([['another-app', null]]);
		expect(log.messages('warn')).toEqual([
			`Zendesk Messaging Trigger: no lookups: the call is for app another-app, the credential for app ${SIM_SUNSHINE.appId}`,
		]);
	});

	it("with Simplify off: the envelope's app and webhook and the event as sent, without lookups", async () => {
		f.setParameters({ events: EVENTS, simplify: false });
		try {
			const reads = participantReads();
			const from = f.calls.length;
			const reply = agentReply('raw', { conversation: { id: 'c-raw' } });
			const released = event('switchboard:releaseControl', {
				conversation: { id: 'c-raw', type: 'personal' },
				reason: 'ticketClosed',
			});
			await post([reply, released]);
			expect(itemsSince(from)).toEqual([
				{ app: { id: SIM_SUNSHINE.appId }, webhook: { id: 'whk', version: 'v2' }, event: reply },
				{ app: { id: SIM_SUNSHINE.appId }, webhook: { id: 'whk', version: 'v2' }, event: released },
			]);
			expect(participantReads()).toBe(reads);
		} finally {
			f.setParameters({ events: EVENTS });
		}
	});
});

describe('a webhook set up by hand (no credential)', () => {
	it('keeps the customer as the payload has it, and asks Zendesk nothing', async () => {
		f.useWorkflow({ registration: 'manual', webhookSecret: 'by-hand', events: EVENTS });
		const requests = f.sim.sunshine.requests.length;
		const from = f.calls.length;
		const reply = agentReply('no lookup');
		await f.post(envelope([reply]), { 'X-API-Key': 'by-hand' });
		expect(
			itemsSince(from).map((i) => [i.messageId, i.userId, i.externalUserId, i.fromAgent]),
		).toEqual([[(reply.payload.message as { id: string }).id, null, null, true]]);
		expect(f.sim.sunshine.requests.length).toBe(requests);
	});
});

describe('the plain fields, whatever the event', () => {
	beforeAll(() =>
		f.useWorkflow({
			registration: 'manual',
			webhookSecret: 'plain',
			events: [
				'conversation:message',
				'conversation:typing',
				'user:update',
				'switchboard:releaseControl',
			],
		}),
	);

	it('every item has the same plain fields; messages add theirs', async () => {
		const typing = event('conversation:typing', {
			conversation: { id: 'c-typing', type: 'personal', metadata: { brand: 'acme' } },
			activity: {
				type: 'typing:start',
				author: {
					type: 'user',
					userId: 'u-1',
					displayName: 'Steve',
					user: { id: 'u-1', externalId: 'ext-1' },
				},
				source: { type: 'web' },
			},
		});
		const updated = event('user:update', { user: { id: 'u-2', externalId: 'ext-2' } });
		const released = event('switchboard:releaseControl', {
			conversation: { id: 'c-end', type: 'personal' },
		});
		const from = f.calls.length;
		await f.post(envelope([typing, updated, released]), { 'X-API-Key': 'plain' });
		const common = [
			'eventType',
			'eventId',
			'createdAt',
			'appId',
			'conversationId',
			'userId',
			'externalUserId',
			'channel',
			'metadata',
			'author',
		];
		expect(itemsSince(from).map((i) => Object.keys(i))).toEqual([
			[...common, 'event'],
			[...common, 'event'],
			[...common, 'reason', 'event'],
		]);
		expect(
			itemsSince(from).map((i) => [
				i.conversationId,
				i.userId,
				i.externalUserId,
				i.channel,
				i.metadata,
				i.author,
			]),
		).toEqual([
			[
				'c-typing',
				'u-1',
				'ext-1',
				'web',
				{ brand: 'acme' },
				{ type: 'user', subtypes: [], displayName: 'Steve' },
			],
			[null, 'u-2', 'ext-2', null, null, null],
			['c-end', null, null, null, null, null],
		]);
	});
});

describe("an agent's media", () => {
	beforeAll(async () => {
		f.useWorkflow({ events: ['conversation:message', 'switchboard:passControl'] });
		await f.activate();
	});
	afterAll(() => f.hook('delete'));

	it('an image and a file from the agent workspace reach the item as media, with the customer to send them to', async () => {
		const { conversationId, externalId } = await customerWithAgent();
		const from = f.calls.length;
		control().agentReplies({
			conversationId,
			content: {
				type: 'image',
				mediaUrl: 'https://media.example.com/att/7f3a/receipt.jpg',
				text: 'Your receipt',
			},
		});
		control().agentReplies({
			conversationId,
			content: {
				type: 'file',
				mediaUrl: 'https://media.example.com/att/9b1c/invoice%20May.pdf',
				altText: 'Invoice for May',
			},
		});
		await f.settle();
		expect(
			itemsSince(from).map((i) => [i.contentType, i.text, i.fromAgent, i.externalUserId, i.media]),
		).toEqual([
			[
				'image',
				'Your receipt',
				true,
				externalId,
				[
					{
						url: 'https://media.example.com/att/7f3a/receipt.jpg',
						type: 'image',
						mediaType: null,
						name: 'receipt.jpg',
						altText: 'receipt.jpg',
						size: null,
					},
				],
			],
			[
				'file',
				null,
				true,
				externalId,
				[
					{
						url: 'https://media.example.com/att/9b1c/invoice%20May.pdf',
						type: 'file',
						mediaType: null,
						name: 'invoice May.pdf',
						altText: 'Invoice for May',
						size: null,
					},
				],
			],
		]);
	});

	it("reads the spec's mediaType and mediaSize, and the pictures of carousel items", async () => {
		const from = f.calls.length;
		const image = agentReply('', {
			content: {
				type: 'image',
				mediaUrl: 'https://media.example.com/a/b.png',
				mediaType: 'image/png',
				mediaSize: 2048,
				altText: 'b.png',
			},
		});
		const carousel = agentReply('', {
			content: {
				type: 'carousel',
				items: [
					{
						title: 'Plan A',
						mediaUrl: 'https://media.example.com/plans/a.jpg',
						mediaType: 'image/jpeg',
						actions: [{ type: 'link', text: 'Buy', uri: 'https://example.com/a' }],
					},
					{
						title: 'Plan B',
						actions: [{ type: 'link', text: 'Buy', uri: 'https://example.com/b' }],
					},
				],
			},
		});
		await post([image, carousel]);
		expect(itemsSince(from).map((i) => i.media)).toEqual([
			[
				{
					url: 'https://media.example.com/a/b.png',
					type: 'image',
					mediaType: 'image/png',
					name: 'b.png',
					altText: 'b.png',
					size: 2048,
				},
			],
			[
				{
					url: 'https://media.example.com/plans/a.jpg',
					type: 'image',
					mediaType: 'image/jpeg',
					name: 'a.jpg',
					altText: null,
					size: null,
				},
			],
		]);
	});
});
