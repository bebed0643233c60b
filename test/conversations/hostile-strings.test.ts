import { startSimulator, type Simulator } from '../../simulator';
import { encodeRelayId } from '../../simulator/conversations';
import {
	AgentSession,
	messageSubscription,
	sendButtonTemplate,
	sendListTemplate,
	sendMessage,
	sendPanelTemplate,
	sendPanelTemplateCarousel,
	sendQuickReplies,
	type ChatMessageEvent,
} from '../../src/conversations';
import { GraphqlError } from '../../src/shared';
import { newSession, Recorder, waitFor } from './helpers';

/** Strings that break a GraphQL document built by interpolation, and a few that stress the transport. */
const HOSTILE: Record<string, string> = {
	quote: 'say "hello"',
	backslash: 'C:\\path\\to\\file \\" \\\\',
	injection: '"){ success } } mutation { stopAgentSession { success } } #',
	newlines: 'line 1\nline 2\r\nline 3\ttabbed',
	emoji: '🎉 family 👩‍👩‍👧 flag 🇮🇪 and a U+2028\u2028separator',
	loneSurrogate: 'broken \ud800 half',
	braces: '{{ $json.text }} ${not} `template`',
	hundredKb: ('ab"\\\n🎉{}'.repeat(10_000) + 'end').slice(0, 102_400),
};

let sim: Simulator;
let session: AgentSession;
let channelId: string;
let chatId: string;

beforeAll(async () => {
	sim = await startSimulator();
	session = newSession(sim);
	await session.connect();
	const chat = sim.world.startChat({ message: 'hello' });
	chatId = chat.id;
	channelId = encodeRelayId('CHANNEL', chat.id);
});

afterAll(async () => {
	await session.close();
	await sim.close();
});

const lastDelivered = () => {
	const delivered = sim.world.requireChat(chatId).delivered;
	return delivered[delivered.length - 1];
};

/**
 * What the visitor gets: every string byte for byte, except a lone surrogate, which GraphQL refuses
 * in a string literal even escaped, and which therefore arrives as U+FFFD (NOTES.md section 1).
 */
const arrives = (text: string) =>
	text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

describe.each(Object.entries(HOSTILE))('%s arrives byte for byte', (_name, sent) => {
	const text = arrives(sent);
	it('in sendMessage (msg and msg_id)', async () => {
		await session.request(sendMessage({ channelId, message: sent, msgId: sent }));
		expect(lastDelivered().text).toBe(text);
		expect(lastDelivered().msgId).toBe(text);
	});

	it('in every text argument of the structured messages', async () => {
		await session.request(
			sendQuickReplies({
				channelId,
				message: sent,
				quickReplies: [{ text: sent, value: sent }],
				fallback: { message: sent, options: [sent] },
			}),
		);
		expect(lastDelivered().structured?.args).toEqual({
			channel_id: channelId,
			msg: text,
			quick_replies: [{ text, action: { value: text } }],
			fallback: { msg: text, options: [text] },
		});

		await session.request(
			sendButtonTemplate({
				channelId,
				message: sent,
				buttons: [{ text: sent, action: 'reply', value: sent }],
			}),
		);
		expect(lastDelivered().structured?.args).toEqual({
			channel_id: channelId,
			msg: text,
			buttons: [{ text, action: { type: 'QUICK_REPLY_ACTION', value: text } }],
			fallback: { msg: text, options: [text] },
		});

		await session.request(
			sendPanelTemplate({
				channelId,
				panel: { heading: sent, paragraph: sent },
				buttons: [{ text: sent, action: 'reply', value: sent }],
			}),
		);
		expect(lastDelivered().structured?.args.panel).toEqual({ heading: text, paragraph: text });
		expect(lastDelivered().structured?.args.fallback).toEqual({
			msg: `${text} - ${text}`,
			options: [text],
		});

		await session.request(
			sendPanelTemplateCarousel({
				channelId,
				items: [{ panel: { heading: sent } }, { panel: { heading: 'two', paragraph: sent } }],
			}),
		);
		expect(lastDelivered().structured?.args.items).toEqual([
			{ panel: { heading: text } },
			{ panel: { heading: 'two', paragraph: text } },
		]);

		await session.request(
			sendListTemplate({
				channelId,
				items: [{ heading: sent }, { heading: 'two', paragraph: sent }],
				fallback: { message: sent },
			}),
		);
		expect(lastDelivered().structured?.args.items).toEqual([
			{ heading: text },
			{ heading: 'two', paragraph: text },
		]);
		expect(lastDelivered().text).toBe(text);
	});

	it('as an id: refused by the server as an unknown id, not as a broken document', async () => {
		const error = await session
			.request(sendMessage({ channelId: text, message: 'x' }))
			.catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error.errorName).toBe('GRAPHQL_EXEC_ERROR');
		expect(error.message).toContain('is not a CHANNEL id');
	});

	it('from the visitor, in the subscription event', async () => {
		const messages = new Recorder<ChatMessageEvent>();
		const handle = session.subscribe(messageSubscription(), messages);
		await handle.ready;
		sim.world.visitorSays(chatId, text);
		await waitFor(() => messages.events.length === 1, 'the event');
		expect(messages.events[0].content).toBe(text);
		await handle.unsubscribe();
	});
});
