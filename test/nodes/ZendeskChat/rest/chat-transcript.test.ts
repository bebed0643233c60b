/**
 * Chat › Get Transcript through n8n-core's engine against the simulator's Chat REST API: the chat's
 * history as text or Markdown, events on and off, hostile text escaped, Maximum Length keeping the
 * latest lines, and a bad Maximum Length refused before any request.
 */
import { startSimulator, type Simulator } from '../../../../simulator';
import { errorOf } from '../../../helpers/n8n/harness';
import { chatHarness, itemsOf, restRequests, runNode } from './helpers';

let sim: Simulator;
let shortChat: string;
let longChat: string;

const HOSTILE =
	'Click **[here](http://evil.example)** <script>alert(1)</script> _now_ `x` | ~y~ &amp;';

beforeAll(async () => {
	sim = await startSimulator();
	sim.world.addAgent({ id: 4101, displayName: 'Ann Agent', email: 'ann@sim.example.com' });
	sim.world.addDepartment({ id: 4201, name: 'Billing' });

	const chat = sim.world.startChat({
		visitor: { name: 'Vera Visitor' },
		message: 'Hello,\nI need help',
	});
	sim.world.agentSays(chat.id, 4101, { text: 'Hi Vera, how can I help?' });
	sim.world.visitorSays(chat.id, HOSTILE);
	sim.world.transfer(chat.id, 4201, { agentId: 4101 });
	sim.world.endChat(chat.id);
	shortChat = chat.id;

	const long = sim.world.startChat({ visitor: { name: 'Lou' }, message: 'Message 1' });
	for (let i = 2; i <= 60; i++) sim.world.visitorSays(long.id, `Message ${i}`);
	longChat = long.id;
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

const transcriptOf = async (parameters: Record<string, unknown>) =>
	itemsOf(
		await runNode(chatHarness(sim), {
			resource: 'chat',
			operation: 'getTranscript',
			...parameters,
		}),
	)[0].json as {
		chatId: string;
		transcript: string;
		format: string;
		truncated: boolean;
		messages: { time: string; speaker: string; role: string; text: string }[];
	};

describe('Chat › Get Transcript', () => {
	it('gives the messages as text, one line each with time, name and role, without events by default', async () => {
		const out = await transcriptOf({ chatId: shortChat });
		expect(out).toMatchObject({ chatId: shortChat, format: 'text', truncated: false });
		expect(out.messages.map((m) => [m.speaker, m.role, m.text])).toEqual([
			['Vera Visitor', 'visitor', 'Hello,\nI need help'],
			['Ann Agent', 'agent', 'Hi Vera, how can I help?'],
			['Vera Visitor', 'visitor', HOSTILE],
		]);
		const lines = out.transcript.split('\n');
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatch(
			/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\] Vera Visitor \(visitor\): Hello, I need help$/,
		);
		expect(lines[1]).toMatch(/\] Ann Agent \(agent\): Hi Vera, how can I help\?$/);
		// Plain text keeps the visitor's characters as typed.
		expect(lines[2].endsWith(`Vera Visitor (visitor): ${HOSTILE}`)).toBe(true);
		expect(out.messages[0].time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		expect(restRequests(sim)).toEqual([`GET /chats/${shortChat}`]);
	});

	it('with Include System Events, adds joins, the transfer and the leave as event lines', async () => {
		const out = await transcriptOf({
			chatId: shortChat,
			transcriptOptions: { includeSystemEvents: true },
		});
		const events = out.messages
			.filter((m) => m.role === 'system')
			.map((m) => `${m.speaker} ${m.text}`);
		expect(events).toEqual([
			'Vera Visitor joined the chat',
			'Ann Agent joined the chat',
			'Ann Agent transferred the chat to Billing',
			'Vera Visitor left the chat',
			'Ann Agent left the chat',
		]);
		expect(out.transcript).toMatch(/\] \* Ann Agent transferred the chat to Billing\n/);
		expect(out.transcript.split('\n')).toHaveLength(out.messages.length);
	});

	it('as Markdown, escapes what the visitor typed so it cannot add links, emphasis or HTML', async () => {
		const out = await transcriptOf({ chatId: shortChat, format: 'markdown' });
		expect(out.format).toBe('markdown');
		const last = out.transcript.split('\n')[2];
		expect(last).toMatch(
			/^- \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \*\*Vera Visitor\*\* \(visitor\): /,
		);
		expect(
			last.endsWith(
				'Click \\*\\*\\[here\\](http://evil.example)\\*\\* \\<script\\>alert(1)\\</script\\> \\_now\\_ \\`x\\` \\| \\~y\\~ \\&amp;',
			),
		).toBe(true);
	});

	it('with Maximum Length, keeps the latest lines and says at the top how many were left out', async () => {
		const full = await transcriptOf({ chatId: longChat });
		expect(full.messages).toHaveLength(60);
		expect(full.truncated).toBe(false);

		const out = await transcriptOf({ chatId: longChat, transcriptOptions: { maxLength: 500 } });
		expect(out.truncated).toBe(true);
		expect(out.transcript.length).toBeLessThanOrEqual(500);
		const lines = out.transcript.split('\n');
		const kept = out.messages.length;
		expect(kept).toBeGreaterThan(3);
		expect(lines[0]).toBe(`[${60 - kept} earlier lines left out]`);
		expect(lines).toHaveLength(kept + 1);
		expect(lines[lines.length - 1]).toMatch(/Lou \(visitor\): Message 60$/);
		expect(out.messages.map((m) => m.text)).toEqual(
			Array.from({ length: kept }, (_, k) => `Message ${61 - kept + k}`),
		);
	});

	it('refuses a Maximum Length that is not a positive whole number, naming the field, before any request', async () => {
		for (const maxLength of [0, -5, 2.5, '={{ "many" }}']) {
			const run = await runNode(chatHarness(sim), {
				resource: 'chat',
				operation: 'getTranscript',
				chatId: shortChat,
				transcriptOptions: { maxLength },
			});
			const error = errorOf(run, 'Zendesk Chat');
			expect(error).toMatchObject({ name: 'NodeOperationError', context: { itemIndex: 0 } });
			expect(error.message).toMatch(/^Maximum Length must be a positive whole number/);
		}
		expect(restRequests(sim)).toEqual([]);
	});

	it('reports an unknown chat as the 404 of the API', async () => {
		const error = errorOf(
			await runNode(chatHarness(sim), {
				resource: 'chat',
				operation: 'getTranscript',
				chatId: 'no.such.chat',
			}),
			'Zendesk Chat',
		);
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
	});
});
