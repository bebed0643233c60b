import { startSimulator, type Simulator } from '../../../../simulator';
import { closeSharedSessionPool } from '../../../../src/conversations';
import type { N8nHarness } from '../../../helpers/n8n/harness';
import { delivered, errorOf, inputs, itemsOf, liveHarness, run, startChat } from './helpers';

/**
 * Message › Send Text › Answer Options (sendMessage's `options`: "discrete answers the visitor can
 * pick"), through n8n's engine against the simulator: what the visitor's widget got, what the chat's
 * REST history records, and every bad answer refused before a session is even started.
 */

let sim: Simulator;
let harness: N8nHarness;

beforeAll(async () => {
	sim = await startSimulator();
	harness = liveHarness(sim);
});

afterAll(async () => {
	await closeSharedSessionPool();
	expect(sim.conversations.control.sessions()).toEqual([]);
	await sim.close();
});

const last = (chatId: string) => delivered(sim, chatId).at(-1)!;

describe('Send Text with Answer Options', () => {
	it('sends comma-separated answers (trimmed, empty ones dropped) with the text; the REST history records them', async () => {
		const { chat, channelId } = startChat(sim);
		const [item] = itemsOf(
			await run(harness, {
				resource: 'message',
				operation: 'sendText',
				channelId,
				text: 'Did that help?',
				options: { answerOptions: ' Yes, No ,, Talk to a human,' },
			}),
		);
		expect(item.json).toEqual({
			success: true,
			channelId,
			msgId: expect.any(String),
			answerOptions: ['Yes', 'No', 'Talk to a human'],
		});
		expect(last(chat.id)).toMatchObject({
			text: 'Did that help?',
			msgId: item.json.msgId,
			options: ['Yes', 'No', 'Talk to a human'],
		});

		// The same chat read back through Chat › Get: the REST history gives a message's options joined by "/".
		const [restChat] = itemsOf(
			await run(harness, { resource: 'chat', operation: 'get', chatId: chat.id }),
		);
		const history = restChat.json.history as Array<{
			type: string;
			msg?: string;
			msg_id?: string;
			options?: string;
		}>;
		expect(history.find((h) => h.msg_id === item.json.msgId)).toMatchObject({
			type: 'chat.msg',
			msg: 'Did that help?',
			options: 'Yes/No/Talk to a human',
		});
	});

	it('takes a list from an expression, where an answer may hold a comma', async () => {
		const { chat, channelId } = startChat(sim);
		const [item] = itemsOf(
			await run(
				harness,
				{
					resource: 'message',
					operation: 'sendText',
					channelId,
					text: 'Shall I book it?',
					options: { answerOptions: '={{ $json.answers }}' },
				},
				{ items: inputs({ answers: ['Yes, please', 'No, thanks', 42] }) },
			),
		);
		expect(item.json.answerOptions).toEqual(['Yes, please', 'No, thanks', '42']);
		expect(last(chat.id).options).toEqual(['Yes, please', 'No, thanks', '42']);
	});

	it('without answers (or only blanks) it is a plain text message, with no options at all', async () => {
		const { chat, channelId } = startChat(sim);
		const plain = itemsOf(
			await run(harness, {
				resource: 'message',
				operation: 'sendText',
				channelId,
				text: 'Plain',
				options: { answerOptions: ' , ' },
			}),
		);
		expect(plain[0].json).toEqual({ success: true, channelId, msgId: expect.any(String) });
		expect(last(chat.id)).toEqual(expect.objectContaining({ text: 'Plain' }));
		expect(last(chat.id)).not.toHaveProperty('options');
	});
});

describe('bad answers are refused with a clear error, before any session is started', () => {
	let channelId: string;
	let chatId: string;

	beforeAll(async () => {
		// No session in the pool: a request sent would need one, and starting one is counted.
		await closeSharedSessionPool();
		({
			channelId,
			chat: { id: chatId },
		} = startChat(sim));
	});

	it.each([
		[
			'an answer with "/" (Zendesk would split it in two)',
			'Yes, Yes/No, No',
			'Answer Options › "Yes/No": an option must not contain "/": Zendesk splits an option at "/" into two',
			'Field: Answer Options › "Yes/No". Give each answer as text without "/" (e.g. "Yes or no", not "Yes/No").',
		],
		[
			'an answer that is not text (from an expression)',
			'={{ [ "Yes", { "label": "No" } ] }}',
			'Answer Options › {"label":"No"}: an option must be a string',
			'Field: Answer Options › {"label":"No"}. Give each answer as text without "/" (e.g. "Yes or no", not "Yes/No").',
		],
		[
			'answers that are not a list (from an expression)',
			'={{ { "yes": 1 } }}',
			'Answer Options must be a list of strings',
			'Field: Answer Options. Give each answer as text without "/" (e.g. "Yes or no", not "Yes/No").',
		],
	])('%s', async (_what, answerOptions, message, description) => {
		const starts = sim.conversations.control.sessionStarts();
		const result = await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId,
			text: 'Pick one',
			options: { answerOptions },
		});
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message,
			description,
			itemIndex: 0,
		});
		expect(sim.conversations.control.sessionStarts()).toEqual(starts);
		expect(sim.conversations.control.sessions()).toEqual([]);
		expect(delivered(sim, chatId)).toEqual([]);
	});
});
