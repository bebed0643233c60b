/** Chat REST history entries and Sunshine Conversations messages turned into transcript lines. */
import type { Message } from '../../src/messaging';
import { messageTranscriptLines } from '../../src/messaging/transcript';
import type { Chat } from '../../src/rest';
import { chatTranscriptLines } from '../../src/rest/chat-transcript';

const at = '2014-10-09T05:28:35Z';

describe('chatTranscriptLines', () => {
	const chat = {
		id: '1',
		history: [
			{ type: 'chat.memberjoin', name: 'Visitor 123', nick: 'visitor:1-123', timestamp: at },
			// The documented example has no sender_type and no nick on its message: a visitor's.
			{ type: 'chat.msg', name: 'Visitor 123', msg: 'hello', options: '', timestamp: at },
			{
				type: 'chat.msg',
				name: 'John',
				nick: 'agent:123',
				msg: 'Pick one',
				options: 'Yes/No',
				timestamp: at,
			},
			{ type: 'chat.msg', name: 'Ann', sender_type: 'Agent', msg: 'Hi', timestamp: at },
			{
				type: 'chat.tag',
				name: 'John',
				nick: 'agent:123',
				tags: ['a', 'b'],
				new_tags: ['b', 'c'],
				timestamp: at,
			},
			{ type: 'chat.rating', name: 'Visitor 123', new_rating: 'good', timestamp: at },
			{ type: 'chat.comment', name: 'Visitor 123', new_comment: 'Thanks', timestamp: at },
			{
				type: 'chat.conversion',
				name: 'Visitor 123',
				conversion: { goal_name: 'test 1' },
				timestamp: at,
			},
			{
				type: 'chat.file',
				name: 'Visitor 123',
				attachment: { name: 'cv.pdf', url: 'https://x/cv.pdf' },
				timestamp: at,
			},
			{ type: 'chat.request.rating', name: 'John', timestamp: at },
			'not an entry',
		],
	} as unknown as Chat;

	it('keeps the messages with their role, offered answers after the text', () => {
		expect(chatTranscriptLines(chat)).toEqual([
			{ time: at, speaker: 'Visitor 123', role: 'visitor', text: 'hello' },
			{ time: at, speaker: 'John', role: 'agent', text: 'Pick one [options: Yes/No]' },
			{ time: at, speaker: 'Ann', role: 'agent', text: 'Hi' },
		]);
	});

	it('with events, says what each event did', () => {
		expect(
			chatTranscriptLines(chat, { includeEvents: true })
				.filter((l) => l.role === 'system')
				.map((l) => l.text),
		).toEqual([
			'joined the chat',
			'added tags c; removed tags a',
			'rated the chat good',
			'commented: Thanks',
			'reached the goal test 1',
			'sent a file: cv.pdf',
			'(request.rating)',
		]);
	});

	it('gives no lines for a chat without history (an offline message)', () => {
		expect(chatTranscriptLines({ id: '2' } as Chat)).toEqual([]);
	});
});

describe('messageTranscriptLines', () => {
	const message = (
		author: Record<string, unknown>,
		content: Record<string, unknown>,
		extra: Record<string, unknown> = {},
	) =>
		({ id: String(Math.random()), received: at, author, content, ...extra }) as unknown as Message;

	const messages = [
		message({ type: 'user', displayName: 'Cara' }, { type: 'text', text: 'Hi' }),
		message(
			{ type: 'user' },
			{ type: 'file', mediaUrl: 'https://media.example/files/invoice%201.pdf?sig=1' },
		),
		message({ type: 'business', displayName: 'Bot' }, { type: 'text', text: 'Hello' }),
		message(
			{ type: 'business', displayName: 'Ann' },
			{ type: 'text', text: 'Agent by metadata' },
			{ metadata: { '__zendesk_msg.agent.id': '42' } },
		),
		message(
			{ type: 'business' },
			{ type: 'text', text: 'Agent by source' },
			{ source: { type: 'zd:agentWorkspace' } },
		),
		message({ type: 'business', subtypes: ['activity'] }, { type: 'text', text: 'Ann joined' }),
		message({ type: 'business' }, { type: 'location', coordinates: { lat: 1.5, long: 2 } }),
		message({ type: 'business' }, { type: 'carousel', items: [{ title: 'A' }, { title: 'B' }] }),
	];

	it('tells the customer, the bot and human agents apart, and leaves events out by default', () => {
		expect(messageTranscriptLines(messages).map((l) => [l.speaker, l.role, l.text])).toEqual([
			['Cara', 'visitor', 'Hi'],
			['Bot', 'bot', 'Hello'],
			['Ann', 'agent', 'Agent by metadata'],
			['Agent', 'agent', 'Agent by source'],
		]);
	});

	it('with events, describes non-text content and activity messages in short', () => {
		expect(
			messageTranscriptLines(messages, { includeEvents: true })
				.filter((l) => l.role === 'system')
				.map((l) => `${l.speaker}: ${l.text}`),
		).toEqual([
			'Customer: [file] invoice 1.pdf',
			'Bot: Ann joined',
			'Bot: [location] 1.5, 2',
			'Bot: [carousel] A, B',
		]);
	});
});
