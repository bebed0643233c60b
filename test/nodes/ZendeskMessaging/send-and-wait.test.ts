/**
 * Message › Send and Wait for Reply, through n8n-core's engine against the simulator over real
 * sockets: the text is sent as the business, then List Messages is polled until the customer's
 * next message. Business messages and other conversations are passed over, a reply stored before
 * the first poll still counts, the timeout gives a timedOut item, stopping the execution ends the
 * wait at once (no request after it), a 429 on a poll is retried after its Retry-After, and bad
 * input fails before any request.
 */
import type { IDataObject, IRun } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../simulator';
import { simClient } from '../../messaging/sim-client';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import {
	messagingHarness,
	messagingNode,
	NODE_NAME,
	runNode,
	unique,
	withoutRequests,
} from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());
afterEach(() => {
	jest.restoreAllMocks();
	sim.faults.reset();
});

async function until(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** A customer who wrote in the Web Widget before the bot asks anything. */
function customer(): { userExternalId: string; conversationId: string } {
	const userExternalId = unique('waiting');
	const { conversationId } = sim.sunshine.control.userSays({
		userExternalId,
		text: 'Hi, I need help',
	});
	return { userExternalId, conversationId };
}

const sendAndWait = (parameters: IDataObject): IDataObject => ({
	resource: 'message',
	operation: 'sendAndWaitForReply',
	timeout: 10,
	options: { pollInterval: 1 },
	...parameters,
});

/** The stored message of the conversation with this text (the one the node sent). */
const storedWithText = (conversationId: string, text: string) =>
	(sim.sunshine.control.messages({ conversationId }) as IDataObject[]).find(
		(m) => (m.content as IDataObject).text === text,
	);

/** How many List Messages requests the simulator has answered so far. */
const polls = () =>
	sim.sunshine.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages')).length;

describe('Send and Wait for Reply', () => {
	it("waits for the customer's next message: a business message and another conversation's message in between are passed over", async () => {
		const { userExternalId, conversationId } = customer();
		const other = customer();
		const question = 'Which order is it about?';
		const running = runNode(
			messagingHarness(sim),
			sendAndWait({ userExternalId, text: question, displayName: 'Support Bot' }),
		);

		await until(
			() => storedWithText(conversationId, question) !== undefined,
			'the question to be sent',
		);
		const client = simClient(sim);
		try {
			await client.postBusinessMessage(conversationId, { text: 'Our team is online until 6 pm' });
		} finally {
			await client.close();
		}
		sim.sunshine.control.userSays({
			conversationId: other.conversationId,
			text: 'A message in another conversation',
		});
		const seen = polls();
		await until(() => polls() > seen, 'a poll that sees only those two');
		const { message } = sim.sunshine.control.userSays({ conversationId, text: 'Order 1234' });

		const [out] = outputOf(await running, NODE_NAME);
		expect(out).toMatchObject({ replied: true, timedOut: false });
		expect(out.reply).toMatchObject({
			messageId: message.id,
			text: 'Order 1234',
			authorType: 'user',
			fromAgent: false,
			contentType: 'text',
			content: { type: 'text', text: 'Order 1234' },
			received: message.received,
			userId: (message.author as IDataObject).userId,
			channel: 'web',
			payload: null,
			media: [],
		});
		const sent = storedWithText(conversationId, question) as IDataObject;
		expect(out.sent).toMatchObject({
			id: sent.id,
			conversationId,
			content: { type: 'text', text: question },
		});
		expect((out.sent as IDataObject).author).toMatchObject({
			type: 'business',
			displayName: 'Support Bot',
		});
	});

	it('counts a reply stored before the first poll (it comes after the sent message), not the message before it', async () => {
		const { conversationId } = customer();
		const question = 'Shall I cancel it?';
		const app = sim.sunshine.app;
		const post = app.postMessage.bind(app);
		// The customer answers the moment the question is stored, before the node's first poll.
		jest.spyOn(app, 'postMessage').mockImplementation((conversation, input) => {
			const stored = post(conversation, input);
			if (input.author.type === 'business' && input.content.text === question) {
				sim.sunshine.control.userSays({ conversationId, text: 'Yes please' });
			}
			return stored;
		});
		const before = polls();
		const run = await runNode(
			messagingHarness(sim),
			sendAndWait({ conversationBy: 'conversationId', conversationId, text: question }),
		);
		const [out] = outputOf(run, NODE_NAME);
		expect(out).toMatchObject({
			replied: true,
			timedOut: false,
			reply: { text: 'Yes please', authorType: 'user' },
		});
		expect(polls() - before).toBe(1);
	});

	it("sends quick replies, and a tap on one is the reply, with the quick reply's payload", async () => {
		const { userExternalId, conversationId } = customer();
		const question = 'Did that solve it?';
		const running = runNode(
			messagingHarness(sim),
			sendAndWait({
				userExternalId,
				text: question,
				actions: {
					action: [
						{ type: 'reply', text: 'Yes', payload: 'SOLVED' },
						{ type: 'reply', text: 'No', payload: '' },
					],
				},
			}),
		);
		await until(
			() => storedWithText(conversationId, question) !== undefined,
			'the question to be sent',
		);
		const sent = storedWithText(conversationId, question) as IDataObject;
		sim.sunshine.control.userTapsReply({
			conversationId,
			messageId: sent.id as string,
			text: 'Yes',
		});

		const [out] = outputOf(await running, NODE_NAME);
		expect((out.sent as IDataObject).content).toEqual({
			type: 'text',
			text: question,
			actions: [
				{ type: 'reply', text: 'Yes', payload: 'SOLVED' },
				{ type: 'reply', text: 'No', payload: 'No' },
			],
		});
		expect(out).toMatchObject({
			replied: true,
			timedOut: false,
			reply: {
				text: 'Yes',
				payload: 'SOLVED',
				content: { type: 'text', text: 'Yes', payload: 'SOLVED' },
			},
		});
	});

	it('gives a timedOut item when the customer does not answer in time (a business message does not count)', async () => {
		const { conversationId } = customer();
		const started = Date.now();
		const running = runNode(
			messagingHarness(sim),
			sendAndWait({
				conversationBy: 'conversationId',
				conversationId,
				text: 'Are you still there?',
				timeout: 2,
			}),
		);
		await until(
			() => storedWithText(conversationId, 'Are you still there?') !== undefined,
			'the question to be sent',
		);
		const client = simClient(sim);
		try {
			await client.postBusinessMessage(conversationId, { text: 'I will close this chat soon' });
		} finally {
			await client.close();
		}
		const [out] = outputOf(await running, NODE_NAME);
		const elapsed = Date.now() - started;
		expect(out).toEqual({
			replied: false,
			timedOut: true,
			sent: expect.objectContaining({
				conversationId,
				content: { type: 'text', text: 'Are you still there?' },
			}),
		});
		expect(elapsed).toBeGreaterThanOrEqual(2_000);
		expect(elapsed).toBeLessThan(5_000);
	});

	it('ends the wait at once when the execution is stopped: no request after it', async () => {
		const { conversationId } = customer();
		const stop = new AbortController();
		const running: Promise<IRun> = messagingHarness(sim).run({
			nodes: [
				messagingNode(
					sendAndWait({
						conversationBy: 'conversationId',
						conversationId,
						text: 'One moment…',
						timeout: 600,
					}),
				),
			],
			startNode: NODE_NAME,
			stopSignal: stop.signal,
		});
		const seen = polls();
		await until(() => polls() >= seen + 2, 'two polls');
		const stoppedAt = Date.now();
		stop.abort();
		const run = await running;
		expect(Date.now() - stoppedAt).toBeLessThan(1_000);
		expect(run.status).toBe('canceled');
		const requestsAfterStop = sim.sunshine.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 2_500));
		expect(sim.sunshine.requests.length).toBe(requestsAfterStop);
	});

	it('retries a poll answered 429 after its Retry-After, and still gets the reply', async () => {
		const { conversationId } = customer();
		const question = 'What is your email address?';
		const running = runNode(
			messagingHarness(sim),
			sendAndWait({ conversationBy: 'conversationId', conversationId, text: question }),
		);
		const seen = polls();
		await until(() => polls() > seen, 'the first poll');
		const served = sim.faults.served.sunshine;
		sim.faults.failNextHttp({ api: 'sunshine', status: 429, retryAfter: 2 });
		await until(() => sim.faults.served.sunshine > served, 'the 429');
		const limitedAt = Date.now();
		const afterLimit = polls();
		await until(() => polls() > afterLimit, 'the retry');
		expect(Date.now() - limitedAt).toBeGreaterThanOrEqual(1_900);
		sim.sunshine.control.userSays({ conversationId, text: 'me@example.com' });

		const [out] = outputOf(await running, NODE_NAME);
		expect(out).toMatchObject({ replied: true, reply: { text: 'me@example.com' } });
	});

	describe('refuses bad input before any request, naming the field', () => {
		// The required fields come empty from an expression (the editor refuses them typed empty).
		const CASES: Array<[string, IDataObject, IDataObject, RegExp]> = [
			[
				'an empty text',
				{ text: '={{ $json.text }}' },
				{ text: '' },
				/^Text must be a non-empty string/,
			],
			[
				'a timeout of 0 seconds',
				{ text: 'Hi', timeout: 0 },
				{},
				/^Timeout \(Seconds\): must be a number from 1 to 3600, got 0$/,
			],
			[
				'a timeout over an hour',
				{ text: 'Hi', timeout: 3601 },
				{},
				/^Timeout \(Seconds\): must be a number from 1 to 3600, got 3601$/,
			],
			[
				'a poll interval under a second',
				{ text: 'Hi', options: { pollInterval: 0.5 } },
				{},
				/^Poll Interval \(Seconds\): must be a number of at least 1, got 0.5$/,
			],
			[
				'an empty conversation ID',
				{ text: 'Hi', conversationBy: 'conversationId', conversationId: '={{ $json.id }}' },
				{ id: '' },
				/^Conversation ID/,
			],
		];
		it.each(CASES)('%s', async (_title, parameters, json, message) => {
			const node = sendAndWait({ userExternalId: 'validation-user', ...parameters });
			const run = await withoutRequests(sim, () =>
				runNode(messagingHarness(sim), node, [{ json }]),
			);
			const error = errorOf(run, NODE_NAME);
			expect(error.name).toBe('NodeOperationError');
			expect(error.message).toMatch(message);
		});
	});
});
