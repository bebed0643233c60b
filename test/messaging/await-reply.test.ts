/**
 * awaitCustomerReply against the simulator's List Messages over real sockets: what a poll reads
 * (the newest page, and older pages only back to the last message seen), what counts as the reply,
 * the fallback when the message waited after was deleted, the timeout and the abort.
 */
import { awaitCustomerReply, type MessagingClient } from '../../src/messaging';
import { AbortedError, InvalidInputError } from '../../src/shared';
import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import { caught, simClient, unique } from './sim-client';

let sim: Simulator;
let clock: ManualClock;
let client: MessagingClient;

beforeAll(async () => {
	clock = new ManualClock();
	sim = await startSimulator({ clock });
	client = simClient(sim);
});

afterAll(async () => {
	await client.close();
	await sim.close();
});

/** How many List Messages requests the simulator has answered so far. */
const listRequests = () =>
	sim.sunshine.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages')).length;

/** A conversation in which the customer wrote, then the bot asked something a second later. */
async function asked(): Promise<{
	conversationId: string;
	sent: Awaited<ReturnType<MessagingClient['postBusinessMessage']>>;
}> {
	const { conversationId } = sim.sunshine.control.userSays({
		userExternalId: unique('await-reply'),
		text: 'Hello',
	});
	clock.advance(1000);
	const sent = await client.postBusinessMessage(conversationId, { text: 'What can I do for you?' });
	clock.advance(1000);
	return { conversationId, sent };
}

/** The client, counting the polls (each poll reads the pages anew). */
function counting(): { polls: () => number; pages: Pick<MessagingClient, 'messagePages'> } {
	let polls = 0;
	return {
		polls: () => polls,
		pages: {
			messagePages: (conversationId, options) => {
				polls++;
				return client.messagePages(conversationId, options);
			},
		},
	};
}

describe('awaitCustomerReply', () => {
	it('pages back past 150 bot messages to the one it waits after, then each poll reads only the newest page', async () => {
		const { conversationId, sent } = await asked();
		sim.sunshine.control.fillMessages({
			conversationId,
			count: 150,
			author: 'business',
			text: 'Bot update',
		});
		const { polls, pages } = counting();
		const before = listRequests();
		const waiting = awaitCustomerReply(pages, conversationId, {
			after: sent,
			timeoutMs: 10_000,
			pollIntervalMs: 20,
		});
		// The first poll: the newest page holds 100 bot messages, the one before it the sent message.
		while (polls() < 3) await new Promise((resolve) => setTimeout(resolve, 5));
		const { message } = sim.sunshine.control.userSays({ conversationId, text: 'My order is late' });
		const result = await waiting;
		expect(result).toMatchObject({
			replied: true,
			reply: { id: message.id, author: { type: 'user' }, content: { text: 'My order is late' } },
		});
		expect(listRequests() - before).toBe(polls() + 1);
	});

	it('passes over the bot and takes the first customer message after the sent one, not one before it', async () => {
		const { conversationId, sent } = await asked();
		await client.postBusinessMessage(conversationId, { text: 'Also: we are closed on Sunday' });
		const first = sim.sunshine.control.userSays({ conversationId, text: 'First answer' }).message;
		sim.sunshine.control.userSays({ conversationId, text: 'Second answer' });
		const result = await awaitCustomerReply(client, conversationId, {
			after: sent,
			timeoutMs: 1_000,
			pollIntervalMs: 20,
		});
		expect(result).toMatchObject({ replied: true, reply: { id: first.id } });
	});

	it('when the message it waits after was deleted, counts what was received after it, without paging through older history', async () => {
		const { conversationId } = sim.sunshine.control.userSays({
			userExternalId: unique('await-reply'),
			text: 'Hello',
		});
		sim.sunshine.control.fillMessages({ conversationId, count: 250, text: 'Old message' });
		clock.advance(1000);
		const sent = await client.postBusinessMessage(conversationId, { text: 'Deleted soon' });
		clock.advance(1000);
		const { message } = sim.sunshine.control.userSays({ conversationId, text: 'An answer' });
		await client.deleteMessage(conversationId, sent.id);
		const before = listRequests();
		const result = await awaitCustomerReply(client, conversationId, {
			after: sent,
			timeoutMs: 1_000,
			pollIntervalMs: 20,
		});
		expect(result).toMatchObject({ replied: true, reply: { id: message.id } });
		expect(listRequests() - before).toBe(1);
	});

	it('says no reply once the time is up', async () => {
		const { conversationId, sent } = await asked();
		await client.postBusinessMessage(conversationId, { text: 'Anyone there?' });
		const started = Date.now();
		expect(
			await awaitCustomerReply(client, conversationId, {
				after: sent,
				timeoutMs: 150,
				pollIntervalMs: 40,
			}),
		).toEqual({ replied: false });
		expect(Date.now() - started).toBeGreaterThanOrEqual(150);
	});

	it('rejects with AbortedError as soon as the signal aborts, and polls no more', async () => {
		const { conversationId, sent } = await asked();
		const abort = new AbortController();
		const { polls, pages } = counting();
		const waiting = caught(
			awaitCustomerReply(pages, conversationId, {
				after: sent,
				timeoutMs: 60_000,
				pollIntervalMs: 50,
				signal: abort.signal,
			}),
		);
		while (polls() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
		const abortedAt = Date.now();
		abort.abort();
		expect(await waiting).toBeInstanceOf(AbortedError);
		expect(Date.now() - abortedAt).toBeLessThan(100);
		const requests = sim.sunshine.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(sim.sunshine.requests.length).toBe(requests);
	});

	it('refuses a timeout or a poll interval that is not a positive number, before any request', async () => {
		const before = listRequests();
		const after = { id: '5f32b88acf6bf25073b2be56' };
		expect(
			await caught(awaitCustomerReply(client, 'c', { after, timeoutMs: 0, pollIntervalMs: 10 })),
		).toMatchObject({ field: 'timeoutMs' });
		expect(
			await caught(awaitCustomerReply(client, 'c', { after, timeoutMs: 10, pollIntervalMs: NaN })),
		).toBeInstanceOf(InvalidInputError);
		expect(listRequests()).toBe(before);
	});
});
