import {
	startSimulator,
	SIM_BOT_AGENT_ID,
	SIM_TOKENS,
	type Simulator,
} from '../../../../simulator';
import {
	closeSharedSessionPool,
	messageSubscription,
	sharedSessionPool,
	type ChatMessageEvent,
} from '../../../../src/conversations';
import { staticToken } from '../../../../src/shared';
import { simAgentKey } from '../../../helpers/chat-credentials';
import type { N8nHarness } from '../../../helpers/n8n/harness';
import {
	delivered,
	encodeRelayId,
	errorOf,
	inputs,
	itemsOf,
	liveHarness,
	run,
	startChat,
} from './helpers';

/**
 * How the Message and Live Chat operations use the agent's one Conversations session: one start
 * for a whole execution, none for the next execution within the idle time, none while a trigger
 * holds the session; item pairing and continueOnFail; both authentications; credential problems.
 */

let sim: Simulator;
let harness: N8nHarness;

beforeAll(async () => {
	sim = await startSimulator();
	harness = liveHarness(sim);
});

afterEach(() => {
	harness.credentialsHelper.setData('zendeskChatApi', {
		accessToken: SIM_TOKENS.bot,
		host: 'custom',
		customBaseUrl: sim.urls.base,
	});
});

afterAll(async () => {
	await closeSharedSessionPool();
	// stopAgentSession was sent and the sockets closed: nothing stays open.
	expect(sim.conversations.control.sessions()).toEqual([]);
	await sim.close();
});

const starts = () => sim.conversations.control.sessionStarts().total;

describe('one session per agent', () => {
	it('starts one session for a whole execution of many items, and none for the next execution', async () => {
		await closeSharedSessionPool();
		const { chat, channelId } = startChat(sim);
		const before = starts();
		const first = itemsOf(
			await run(
				harness,
				{ resource: 'message', operation: 'sendText', channelId, text: '={{ $json.text }}' },
				{ items: inputs({ text: 'one' }, { text: 'two' }, { text: 'three' }) },
			),
		);
		expect(first).toHaveLength(3);
		expect(starts()).toBe(before + 1);
		// A second execution, other operations, within the idle time: the pooled session is reused.
		await run(harness, {
			resource: 'liveChat',
			operation: 'setTypingIndicator',
			channelId,
			typing: true,
		});
		await run(harness, { resource: 'message', operation: 'sendText', channelId, text: 'four' });
		expect(starts()).toBe(before + 1);
		expect(sim.conversations.control.sessions()).toHaveLength(1);
		expect(delivered(sim, chat.id).map((d) => d.text)).toEqual(['one', 'two', 'three', 'four']);
	});

	it('sends on the session a trigger holds (zero starts), to the channel id its message event carries', async () => {
		// What the Zendesk Chat Trigger does: a lease on the same pooled session, and the message subscription.
		const key = simAgentKey(sim, SIM_BOT_AGENT_ID);
		const trigger = await sharedSessionPool().lease({
			key,
			tokenProvider: staticToken(SIM_TOKENS.bot),
			httpUrl: sim.urls.conversationsHttp,
		});
		try {
			const events: ChatMessageEvent[] = [];
			const subscription = trigger.session.subscribe(messageSubscription(), {
				next: (e) => void events.push(e),
				error: () => undefined,
				end: () => undefined,
			});
			await subscription.ready;
			const before = starts();
			const chat = sim.world.startChat({ message: 'Where is my order?' });
			await waitFor(() =>
				events.some((e) => e.from?.__typename === 'Visitor' && e.content === 'Where is my order?'),
			);
			const channelId = events.find((e) => e.content === 'Where is my order?')!.channel!.id;
			expect(channelId).toBe(encodeRelayId('CHANNEL', chat.id));
			await run(harness, {
				resource: 'message',
				operation: 'sendText',
				channelId,
				text: 'Let me check',
			});
			expect(starts()).toBe(before);
			expect(delivered(sim, chat.id).map((d) => d.text)).toEqual(['Let me check']);
		} finally {
			await trigger.release();
		}
	});
});

describe('items', () => {
	it('each item gets its own output, paired with it, in order', async () => {
		const a = startChat(sim);
		const b = startChat(sim);
		const items = itemsOf(
			await run(
				harness,
				{
					resource: 'message',
					operation: 'sendText',
					channelId: '={{ $json.channel }}',
					text: '={{ "Hello " + $json.name }}',
				},
				{
					items: inputs(
						{ channel: a.channelId, name: 'Ann' },
						{ channel: b.channelId, name: 'Bob' },
						{ channel: a.channelId, name: 'again' },
					),
				},
			),
		);
		expect(items.map((i) => [i.json.channelId, i.pairedItem])).toEqual([
			[a.channelId, { item: 0 }],
			[b.channelId, { item: 1 }],
			[a.channelId, { item: 2 }],
		]);
		expect(delivered(sim, a.chat.id).map((d) => d.text)).toEqual(['Hello Ann', 'Hello again']);
		expect(delivered(sim, b.chat.id).map((d) => d.text)).toEqual(['Hello Bob']);
	});

	it('the Channel ID defaults to the channelId of the incoming item (what the Zendesk Chat Trigger emits)', async () => {
		const a = startChat(sim);
		const b = startChat(sim);
		const items = itemsOf(
			await run(
				harness,
				{ resource: 'message', operation: 'sendText', text: 'Thanks for waiting' },
				{
					items: inputs(
						{ channelId: a.channelId, chatId: a.chat.id },
						{ channelId: b.channelId, chatId: b.chat.id },
					),
				},
			),
		);
		expect(items.map((i) => i.json.channelId)).toEqual([a.channelId, b.channelId]);
		expect(delivered(sim, a.chat.id).map((d) => d.text)).toEqual(['Thanks for waiting']);
		expect(delivered(sim, b.chat.id).map((d) => d.text)).toEqual(['Thanks for waiting']);
	});

	it('continueOnFail: a bad item gives an error item, paired, and the others are sent', async () => {
		const { chat, channelId } = startChat(sim);
		const items = itemsOf(
			await run(
				harness,
				{ resource: 'message', operation: 'sendText', channelId, text: '={{ $json.text }}' },
				{ items: inputs({ text: 'first' }, { text: '' }, { text: 'third' }), continueOnFail: true },
			),
		);
		expect(items).toEqual([
			{ json: { success: true, channelId, msgId: expect.any(String) }, pairedItem: { item: 0 } },
			{
				json: {
					error: 'Text must not be empty',
					description:
						'Field: Text. Type the text, or map it with an expression such as {{ $json.reply }}.',
				},
				pairedItem: { item: 1 },
			},
			{ json: { success: true, channelId, msgId: expect.any(String) }, pairedItem: { item: 2 } },
		]);
		expect(delivered(sim, chat.id).map((d) => d.text)).toEqual(['first', 'third']);
	});

	it('without continueOnFail the execution stops at the bad item, naming it', async () => {
		const { chat, channelId } = startChat(sim);
		const result = await run(
			harness,
			{ resource: 'liveChat', operation: 'addTags', channelId, tags: '={{ $json.tags }}' },
			{ items: inputs({ tags: 'ok' }, { tags: 'not ok' }, { tags: 'never' }) },
		);
		expect(errorOf(result)).toMatchObject({
			message:
				'Tags › "not ok": a tag may only contain letters, digits, - and _ (no spaces); e.g. vip_customer',
			itemIndex: 1,
		});
		expect(sim.world.requireChat(chat.id).tags).toEqual(['ok']);
	});

	it('continueOnFail carries upstream errors too (a chat that has ended)', async () => {
		const { chat, channelId } = startChat(sim);
		sim.world.endChat(chat.id);
		const [item] = itemsOf(
			await run(
				harness,
				{ resource: 'liveChat', operation: 'setTypingIndicator', channelId, typing: true },
				{ continueOnFail: true },
			),
		);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.error).toBe(`GRAPHQL_EXEC_ERROR: channel ${channelId} has ended`);
	});
});

describe('authentication', () => {
	it('OAuth2: n8n gets the token (client credentials) and the session starts with it', async () => {
		// The OAuth2 credential is another key for the same agent: give the access-token session back first (EOS otherwise).
		await closeSharedSessionPool();
		const { chat, channelId } = startChat(sim);
		const before = sim.conversations.control.sessionStarts();
		const [item] = itemsOf(
			await run(
				harness,
				{ resource: 'message', operation: 'sendText', channelId, text: 'via OAuth2' },
				{ authentication: 'oAuth2' },
			),
		);
		expect(item.json.success).toBe(true);
		expect(delivered(sim, chat.id)).toEqual([
			expect.objectContaining({ text: 'via OAuth2', agentId: SIM_BOT_AGENT_ID }),
		]);
		expect(sim.conversations.control.sessionStarts().succeeded).toBe(before.succeeded + 1);
		const stored = harness.credentialsHelper.updates.at(-1)?.data.oauthTokenData as
			| { access_token?: string }
			| undefined;
		expect(stored?.access_token).toMatch(/^sim-oauth-/);
		await closeSharedSessionPool();
	});

	it('a credential without an access token is refused before anything is sent', async () => {
		harness.credentialsHelper.setData('zendeskChatApi', {
			accessToken: '',
			host: 'custom',
			customBaseUrl: sim.urls.base,
		});
		const { chat, channelId } = startChat(sim);
		const before = sim.conversations.control.sessionStarts();
		const result = await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId,
			text: 'hi',
		});
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message: 'The Zendesk Chat credential has no access token',
			description:
				'Field: Access Token (credential). Open the credential and paste a Chat OAuth access token with the scopes read, write and chat.',
			itemIndex: 0,
		});
		expect(sim.conversations.control.sessionStarts()).toEqual(before);
		expect(delivered(sim, chat.id)).toEqual([]);
	});

	it('a custom host without its base URL is refused before anything is sent', async () => {
		harness.credentialsHelper.setData('zendeskChatApi', {
			accessToken: SIM_TOKENS.bot,
			host: 'custom',
			customBaseUrl: '',
		});
		const { channelId } = startChat(sim);
		const result = await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId,
			text: 'hi',
		});
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message: 'The credential\'s Custom Base URL "" is not a URL',
			description:
				'Field: customBaseUrl. Set it in the credential, e.g. http://127.0.0.1:4010 for the local simulator',
			itemIndex: 0,
		});
	});

	it('a token without the chat scope: Zendesk says FORBIDDEN, and the user is told why', async () => {
		harness.credentialsHelper.setData('zendeskChatApi', {
			accessToken: SIM_TOKENS.readOnly,
			host: 'custom',
			customBaseUrl: sim.urls.base,
		});
		const { chat, channelId } = startChat(sim);
		const error = errorOf(
			await run(harness, { resource: 'message', operation: 'sendText', channelId, text: 'hi' }),
		);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^FORBIDDEN: /);
		expect(error.description).toMatch(
			/^The account or token may not use the Conversations API: it needs a Chat Enterprise plan and the scopes read, write and chat\./,
		);
		expect(delivered(sim, chat.id)).toEqual([]);
	});
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
