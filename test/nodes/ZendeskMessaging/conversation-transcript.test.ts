/**
 * Conversation › Get Transcript, and Escalate's "Append Conversation Transcript to Summary",
 * through n8n-core's engine against the simulator's Sunshine Conversations API: the customer, the
 * bot and a human agent told apart, non-text content as events, Markdown escaping, every page of a
 * long conversation, Maximum Length, and bad input refused before any request.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { messagingHarness, NODE_NAME, runNode, textOf, unique, withoutRequests } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const HOSTILE = 'I need **help** <b>now</b> [x](http://e.vil) _a_ `c` | ~d~';

interface TranscriptOut {
	conversationId: string;
	transcript: string;
	format: string;
	truncated: boolean;
	messages: { time: string; speaker: string; role: string; text: string }[];
}

async function transcript(
	conversationId: string,
	parameters: IDataObject = {},
): Promise<TranscriptOut> {
	const run = await runNode(messagingHarness(sim), {
		resource: 'conversation',
		operation: 'getTranscript',
		conversationBy: 'conversationId',
		conversationId,
		...parameters,
	});
	return outputOf(run, NODE_NAME)[0] as unknown as TranscriptOut;
}

async function escalate(externalId: string, parameters: IDataObject): Promise<IDataObject> {
	const run = await runNode(messagingHarness(sim), {
		resource: 'conversation',
		operation: 'escalate',
		userExternalId: externalId,
		...parameters,
	});
	return outputOf(run, NODE_NAME)[0];
}

/** A customer writes in the widget (text, then a photo), the bot escalates, a human agent answers. */
async function story(): Promise<{ externalId: string; conversationId: string }> {
	const externalId = unique('transcript');
	const { conversationId } = sim.sunshine.control.userSays({
		userExternalId: externalId,
		text: HOSTILE,
		displayName: 'Cara Customer',
	}) as { conversationId: string };
	sim.sunshine.control.userSays({
		conversationId,
		content: { type: 'image', mediaUrl: 'https://example.com/photo.jpg' },
	});
	await escalate(externalId, {
		conversationMode: 'id',
		conversationId,
		summary: 'Customer needs help',
		options: { botDisplayName: 'Helper Bot' },
	});
	sim.sunshine.control.agentReplies({
		conversationId,
		text: 'Agent here, on it',
		agentName: 'Ann Agent',
	});
	return { externalId, conversationId };
}

describe('Conversation › Get Transcript', () => {
	it('gives the text messages oldest first, the customer, the bot and the human agent told apart', async () => {
		const { conversationId } = await story();
		const out = await transcript(conversationId);
		expect(out).toMatchObject({ conversationId, format: 'text', truncated: false });
		expect(out.messages.map((m) => [m.speaker, m.role, m.text])).toEqual([
			['Cara Customer', 'visitor', HOSTILE],
			['Helper Bot', 'bot', 'Customer needs help'],
			['Ann Agent', 'agent', 'Agent here, on it'],
		]);
		const lines = out.transcript.split('\n');
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatch(
			/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\] Cara Customer \(visitor\): I need \*\*help\*\*/,
		);
		expect(lines[2]).toMatch(/Ann Agent \(agent\): Agent here, on it$/);
	});

	it('with Include System Events, adds non-text content as a short description', async () => {
		const { conversationId } = await story();
		const out = await transcript(conversationId, {
			transcriptOptions: { includeSystemEvents: true },
		});
		expect(out.messages[1]).toMatchObject({
			role: 'system',
			text: '[image] https://example.com/photo.jpg',
		});
		expect(out.transcript.split('\n')[1]).toMatch(
			/\] \* Cara Customer \[image\] https:\/\/example\.com\/photo\.jpg$/,
		);
	});

	it('as Markdown, escapes what the customer typed', async () => {
		const { conversationId } = await story();
		const out = await transcript(conversationId, { format: 'markdown' });
		const first = out.transcript.split('\n')[0];
		expect(first).toMatch(
			/^- \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \*\*Cara Customer\*\* \(visitor\): /,
		);
		expect(
			first.endsWith(
				'I need \\*\\*help\\*\\* \\<b\\>now\\</b\\> \\[x\\](http://e.vil) \\_a\\_ \\`c\\` \\| \\~d\\~',
			),
		).toBe(true);
	});

	it('reads every page of a long conversation, and Maximum Length keeps the latest lines', async () => {
		const { conversationId } = await story();
		sim.sunshine.control.fillMessages({ conversationId, count: 250 });
		const all = await transcript(conversationId);
		expect(all.messages).toHaveLength(253);
		expect(all.messages[0].text).toBe(HOSTILE);
		expect(all.messages[252].text).toBe('Filler message 250');
		expect(all.messages.slice(3).map((m) => m.text)).toEqual(
			Array.from({ length: 250 }, (_, i) => `Filler message ${i + 1}`),
		);

		const short = await transcript(conversationId, { transcriptOptions: { maxLength: 1000 } });
		expect(short.truncated).toBe(true);
		expect(short.transcript.length).toBeLessThanOrEqual(1000);
		const lines = short.transcript.split('\n');
		expect(lines[0]).toBe(`[${253 - short.messages.length} earlier lines left out]`);
		expect(lines[lines.length - 1]).toMatch(/Filler message 250$/);
		expect(short.messages[short.messages.length - 1].text).toBe('Filler message 250');
	});

	it('refuses a Maximum Length that is not a positive whole number, naming the field, before any request', async () => {
		for (const maxLength of [0, -1, 1.5, '={{ "lots" }}']) {
			const run = await withoutRequests(sim, () =>
				runNode(messagingHarness(sim), {
					resource: 'conversation',
					operation: 'getTranscript',
					conversationBy: 'conversationId',
					conversationId: 'c1',
					transcriptOptions: { maxLength },
				}),
			);
			const error = errorOf(run, NODE_NAME);
			expect(error.name).toBe('NodeOperationError');
			expect(error.message).toMatch(/^Maximum Length must be a positive whole number/);
		}
	});
});

describe('Conversation › Escalate to Agent › Append Conversation Transcript to Summary', () => {
	it("appends the reused conversation's messages so far to the summary", async () => {
		const externalId = unique('append');
		const { conversationId } = sim.sunshine.control.userSays({
			userExternalId: externalId,
			text: 'My order is late',
			displayName: 'Cara',
		}) as { conversationId: string };
		sim.sunshine.control.userSays({ conversationId, text: 'Order 1234' });
		const out = await escalate(externalId, {
			conversationMode: 'latest',
			summary: 'Late order',
			options: { appendTranscript: true },
		});
		expect(out).toMatchObject({
			conversationId,
			conversationCreated: false,
			appendedTranscript: { lines: 2, truncated: false },
		});
		const summary = textOf((out.messages as unknown[])[0]);
		expect(summary).toMatch(
			/^Late order\n\nConversation so far:\n\[[^\]]+\] Cara \(visitor\): My order is late\n\[[^\]]+\] Cara \(visitor\): Order 1234$/,
		);
		expect(out.firstMessageId).toBe((out.messages as { id: string }[])[0].id);
	});

	it('keeps the latest lines within the 4096 characters of a message', async () => {
		const externalId = unique('append-long');
		const { conversationId } = sim.sunshine.control.userSays({
			userExternalId: externalId,
			text: 'First words',
		}) as { conversationId: string };
		sim.sunshine.control.fillMessages({
			conversationId,
			count: 300,
			text: 'A rather long filler message to fill the room',
		});
		const out = await escalate(externalId, {
			conversationMode: 'id',
			conversationId,
			summary: 'Long story',
			options: { appendTranscript: true },
		});
		const summary = textOf((out.messages as unknown[])[0]);
		expect(summary.length).toBeLessThanOrEqual(4096);
		expect(summary).toMatch(
			/^Long story\n\nConversation so far:\n\[\d+ earlier lines left out\]\n/,
		);
		expect(summary).toMatch(/A rather long filler message to fill the room 300$/);
		expect(out.appendedTranscript).toMatchObject({ truncated: true });
	});

	it('appends nothing to a new conversation, and nothing without the option', async () => {
		const externalId = unique('append-new');
		const created = await escalate(externalId, {
			conversationMode: 'new',
			summary: 'Fresh start',
			options: { appendTranscript: true },
		});
		expect(created.conversationCreated).toBe(true);
		expect(created.appendedTranscript).toBeUndefined();
		expect(textOf((created.messages as unknown[])[0])).toBe('Fresh start');

		const again = await escalate(externalId, {
			conversationMode: 'latest',
			summary: 'Second time',
		});
		expect(again.conversationCreated).toBe(false);
		expect(textOf((again.messages as unknown[])[0])).toBe('Second time');
	});

	it('refuses an option value that is not a boolean before any request', async () => {
		const run = await withoutRequests(sim, () =>
			runNode(messagingHarness(sim), {
				resource: 'conversation',
				operation: 'escalate',
				userExternalId: unique('bad'),
				summary: 'x',
				options: { appendTranscript: '={{ "yes" }}' },
			}),
		);
		const error = errorOf(run, NODE_NAME);
		expect(error.message).toMatch(/^Append Conversation Transcript to Summary: /);
	});
});
