import type { INodeParameters } from 'n8n-workflow';

import { N8nLogCapture } from '../../helpers/n8n/log-capture';
import { TriggerFixture } from './fixture';
import { agentReply, businessMessage, envelope, event, userMessage } from './payloads';

/**
 * The Filters collection, through n8n-core's WebhookContext and engine: which Conversation Message
 * events start the workflow, that other events are not filtered, the activation errors that name
 * the field, and First Customer Message Only against the simulator's conversation history.
 */
let f: TriggerFixture;
const log = new N8nLogCapture();
const SECRET = 'filters-secret';
const control = () => f.sim.sunshine.control;

beforeAll(async () => {
	log.install();
	f = await TriggerFixture.start();
});
afterAll(async () => {
	await f.close();
	log.uninstall();
});

const released = () =>
	event('switchboard:releaseControl', {
		conversation: { id: 'c-1', type: 'personal' },
		reason: 'ticketClosed',
	});

let nodes = 0;

/**
 * The ids of the events a webhook set up by hand (no lookups) lets through with these parameters.
 * Each call is a new trigger node, so the same events can be posted again without being repeats.
 */
async function kept(parameters: INodeParameters, events: Array<{ id: string }>): Promise<string[]> {
	const settings = {
		registration: 'manual',
		webhookSecret: SECRET,
		events: ['conversation:message', 'switchboard:releaseControl'],
		...parameters,
	};
	f.useWorkflow(settings, { id: `filters-node-${++nodes}` });
	const from = f.calls.length;
	expect((await f.post(envelope(events), { 'X-API-Key': SECRET })).status).toBe(200);
	return f.calls
		.slice(from)
		.flatMap((c) => c.items.map((i) => (i.eventId ?? (i.event as { id: string }).id) as string));
}

describe('Author', () => {
	const customer = userMessage('from the customer');
	const bot = businessMessage('from the bot');
	const agent = agentReply('from an agent');
	const end = released();
	const all = [customer, bot, agent, end];

	it.each([
		[['customer'], [customer, end]],
		[['business'], [bot, end]],
		[['agent'], [agent, end]],
		[
			['customer', 'agent'],
			[customer, agent, end],
		],
		[[], all],
	])('%j keeps its messages, and every event that is not a message', async (authors, expected) => {
		expect(await kept({ filters: { authors } }, all)).toEqual(expected.map((e) => e.id));
	});

	it("knows an agent by the spec's agent subtype alone, and counts an AI or bot subtype as the business", async () => {
		const bySubtype = businessMessage('subtype only', { author: { subtypes: ['agent'] } });
		const ai = businessMessage('generated', { author: { subtypes: ['AI'] } });
		const botAgent = businessMessage('a bot agent', { author: { subtypes: ['bot'] } });
		expect(await kept({ filters: { authors: ['agent'] } }, [bySubtype, ai, botAgent])).toEqual([
			bySubtype.id,
		]);
		expect(await kept({ filters: { authors: ['business'] } }, [bySubtype, ai, botAgent])).toEqual([
			ai.id,
			botAgent.id,
		]);
	});
});

describe('Channel', () => {
	const whatsapp = userMessage('via WhatsApp', { source: { type: 'whatsapp' } });
	const telegram = userMessage('via Telegram');
	const web = userMessage('via the Web Widget', { source: { type: 'web' } });
	const api = businessMessage('via the API');

	it('keeps the messages whose source.type is chosen', async () => {
		expect(
			await kept({ filters: { channels: ['whatsapp'] } }, [whatsapp, telegram, web, api]),
		).toEqual([whatsapp.id]);
		expect(
			await kept({ filters: { channels: ['web', 'telegram'] } }, [whatsapp, telegram, web, api]),
		).toEqual([telegram.id, web.id]);
	});

	it('API covers api:conversations, and a message without a source passes no channel', async () => {
		const noSource = userMessage('no source');
		delete ((noSource.payload.message as Record<string, unknown>).source as Record<string, unknown>)
			.type;
		expect(await kept({ filters: { channels: ['api'] } }, [whatsapp, api, noSource])).toEqual([
			api.id,
		]);
	});
});

describe('Text', () => {
	const refund = userMessage('I want a REFUND please');
	const hello = userMessage('hello there');
	const image = userMessage('', {
		content: { type: 'image', mediaUrl: 'https://media.example.com/refund.png' },
	});
	const end = released();

	it('Text Contains ignores case; a message without text never passes', async () => {
		expect(
			await kept({ filters: { textContains: 'refund' } }, [refund, hello, image, end]),
		).toEqual([refund.id, end.id]);
	});

	it('Text Matches Regex takes /pattern/flags or a bare pattern (case sensitive)', async () => {
		expect(
			await kept({ filters: { textPattern: '/refund|hello/i' } }, [refund, hello, image]),
		).toEqual([refund.id, hello.id]);
		expect(await kept({ filters: { textPattern: 'REFUND|chargeback' } }, [refund, hello])).toEqual([
			refund.id,
		]);
		expect(await kept({ filters: { textPattern: 'refund' } }, [refund, hello])).toEqual([]);
	});

	it('a global regex matches every message alike (its lastIndex does not carry over)', async () => {
		const again = userMessage('REFUND now');
		const third = userMessage('refund!');
		expect(await kept({ filters: { textPattern: '/refund/gi' } }, [refund, again, third])).toEqual([
			refund.id,
			again.id,
			third.id,
		]);
	});
});

describe('Conversation metadata', () => {
	const acme = userMessage('acme', {
		conversation: { metadata: { brand: 'acme', tier: 2, vip: false } },
	});
	const other = userMessage('other', { conversation: { metadata: { brand: 'other' } } });
	const none = userMessage('no metadata');

	it('a key alone keeps the conversations that have it; with a value, compared as text', async () => {
		expect(await kept({ filters: { metadataKey: 'brand' } }, [acme, other, none])).toEqual([
			acme.id,
			other.id,
		]);
		expect(
			await kept({ filters: { metadataKey: 'brand', metadataValue: 'acme' } }, [acme, other, none]),
		).toEqual([acme.id]);
		expect(
			await kept({ filters: { metadataKey: 'tier', metadataValue: '2' } }, [acme, other]),
		).toEqual([acme.id]);
		expect(
			await kept({ filters: { metadataKey: 'vip', metadataValue: 'false' } }, [acme, other]),
		).toEqual([acme.id]);
		expect(await kept({ filters: { metadataKey: 'plan' } }, [acme, other, none])).toEqual([]);
	});

	it('also keeps to those conversations for the end of a session; an event about no conversation passes', async () => {
		const endOfOurs = event('switchboard:releaseControl', {
			conversation: { id: 'c-ours', type: 'personal', metadata: { bridge: 'zendesk-chat' } },
			reason: 'ticketClosed',
		});
		const endOfOthers = event('switchboard:releaseControl', {
			conversation: { id: 'c-other', type: 'personal', metadata: null },
			reason: 'ticketClosed',
		});
		const userUpdate = event('user:update', { user: { id: 'u-1', externalId: 'x' } });
		const ours = userMessage('ours', { conversation: { metadata: { bridge: 'zendesk-chat' } } });
		const parameters = {
			events: ['conversation:message', 'switchboard:releaseControl', 'user:update'],
			filters: { metadataKey: 'bridge', metadataValue: 'zendesk-chat' },
		};
		expect(await kept(parameters, [ours, endOfOurs, endOfOthers, userUpdate, none])).toEqual([
			ours.id,
			endOfOurs.id,
			userUpdate.id,
		]);
	});
});

describe('several filters', () => {
	it('must all match (the metadata one on every conversation event, the rest on messages only); Simplify off changes the item, not the filtering', async () => {
		const match = userMessage('refund please', {
			source: { type: 'whatsapp' },
			conversation: { metadata: { brand: 'acme' } },
		});
		const wrongChannel = userMessage('refund please', {
			conversation: { metadata: { brand: 'acme' } },
		});
		const wrongText = userMessage('hello', {
			source: { type: 'whatsapp' },
			conversation: { metadata: { brand: 'acme' } },
		});
		const fromAgent = agentReply('refund done', {
			source: { type: 'whatsapp' },
			conversation: { metadata: { brand: 'acme' } },
		});
		const end = event('switchboard:releaseControl', {
			conversation: { id: 'c-1', type: 'personal', metadata: { brand: 'acme' } },
			reason: 'ticketClosed',
		});
		const filters = {
			authors: ['customer'],
			channels: ['whatsapp'],
			textContains: 'refund',
			metadataKey: 'brand',
			metadataValue: 'acme',
		};
		const events = [match, wrongChannel, wrongText, fromAgent, end];
		expect(await kept({ filters }, events)).toEqual([match.id, end.id]);
		expect(await kept({ filters, simplify: false }, events)).toEqual([match.id, end.id]);
		expect(f.calls[f.calls.length - 1].items[0]).toEqual({
			app: { id: expect.any(String) },
			webhook: { id: 'whk', version: 'v2' },
			event: match,
		});
	});
});

describe('activation refuses filters that cannot work, naming the field, before any request', () => {
	const refused = async (parameters: INodeParameters) => {
		f.useWorkflow(parameters);
		const integrations = f.sim.sunshine.app.store.integrations.size;
		const requests = f.sim.sunshine.requests.length;
		const error = await f.activate().then(
			() => undefined,
			(e: Error) => e,
		);
		expect(f.sim.sunshine.app.store.integrations.size).toBe(integrations);
		expect(f.sim.sunshine.requests.length).toBe(requests);
		return error;
	};

	it('an invalid regular expression', async () => {
		const error = await refused({ filters: { textPattern: '/(refund/' } });
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Filters › Text Matches Regex is not a valid regular expression',
		});
		expect((error as { description?: string }).description).toMatch(
			/^Invalid regular expression: \/\(refund\/: Unterminated group\. Write a JavaScript regular expression/,
		);
		expect(await refused({ filters: { textPattern: '/refund/q' } })).toMatchObject({
			message: 'Filters › Text Matches Regex is not a valid regular expression',
		});
	});

	it('a metadata value without a key', async () => {
		expect(await refused({ filters: { metadataValue: 'acme' } })).toMatchObject({
			message:
				'Filters › Conversation Metadata Value is set but Filters › Conversation Metadata Key is empty',
		});
	});

	it('First Customer Message Only on a webhook set up by hand (no credential to read the history)', async () => {
		expect(
			await refused({
				registration: 'manual',
				webhookSecret: 's',
				filters: { firstMessageOnly: true },
			}),
		).toMatchObject({
			message: 'Filters › First Customer Message Only needs the Zendesk Messaging credential',
		});
	});

	it('in webhook(), a regex broken after activation lets no message through and says why in the log', async () => {
		log.clear();
		const end = released();
		expect(await kept({ filters: { textPattern: '[' } }, [userMessage('anything'), end])).toEqual([
			end.id,
		]);
		expect(log.messages('warn')).toContain(
			'Zendesk Messaging Trigger: Filters › Text Matches Regex is not a valid regular expression, so no message passes it',
		);
	});
});

describe('First Customer Message Only', () => {
	let from: number;
	const keptTexts = () => f.calls.slice(from).flatMap((c) => c.items.map((i) => i.text));
	const historyReads = () =>
		f.sim.sunshine.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages'))
			.length;

	beforeAll(async () => {
		f.useWorkflow({ events: ['conversation:message'], filters: { firstMessageOnly: true } });
		await f.activate();
	});
	afterAll(() => f.hook('delete'));
	beforeEach(() => {
		from = f.calls.length;
		log.clear();
	});

	it("keeps a customer's first message only; later messages and the replies do not pass", async () => {
		const one = control().userSays({ userExternalId: 'first-1', text: 'first words' });
		await f.settle();
		control().userSays({ conversationId: one.conversationId, text: 'second words' });
		await f.admin.postBusinessMessage(one.conversationId, { text: 'a reply from the business' });
		await f.settle();
		control().userSays({ userExternalId: 'first-2', text: 'another customer' });
		await f.settle();
		expect(keptTexts()).toEqual(['first words', 'another customer']);
	});

	it('asks the history, not a memory of this process: a message after one the trigger never saw is not a first', async () => {
		// The customer's first message arrived while nothing listened (before a restart, say):
		// fillMessages stores it without a webhook.
		const user = await f.admin.createUser({ externalId: 'restart-1' });
		const conversation = await f.admin.createConversation({ userId: user.id });
		control().fillMessages({ conversationId: conversation.id, count: 1, text: 'unseen first' });
		control().userSays({ conversationId: conversation.id, text: 'seen second' });
		await f.settle();
		expect(keptTexts()).toEqual([]);
	});

	it('asks once per conversation: once the first is known, later messages are judged without a request', async () => {
		const one = control().userSays({ userExternalId: 'first-3', text: 'hello' });
		await f.settle();
		const reads = historyReads();
		for (const text of ['a', 'b', 'c'])
			control().userSays({ conversationId: one.conversationId, text });
		await f.settle();
		expect(historyReads()).toBe(reads);
		expect(keptTexts()).toEqual(['hello']);
	});

	it('when the history cannot be read, the message does not pass, and the log says why', async () => {
		f.sim.faults.failNextHttp({ api: 'sunshine', status: 403 });
		control().userSays({ userExternalId: 'first-4', text: 'first, but Zendesk refuses' });
		await f.settle();
		expect(keptTexts()).toEqual([]);
		expect(log.messages('warn')).toEqual([
			expect.stringMatching(
				/^Zendesk Messaging Trigger: could not look up the history of conversation \w+: /,
			),
		]);
	});
});
