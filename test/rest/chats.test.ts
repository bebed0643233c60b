/**
 * Chats over real sockets against the simulator: list (to the last page, whose next_url is the
 * *string* "null"), show, by ids in batches of 50, update, delete.
 */
import { startSimulator, type Simulator } from '../../simulator';
import type { ChatRestClient } from '../../src/rest';
import { HttpError, InvalidInputError } from '../../src/shared';
import { collect, queryOf, requestsSeen, simClient } from './helpers';

let sim: Simulator;
let client: ChatRestClient;
let seededIds: string[];

beforeAll(async () => {
	sim = await startSimulator();
	seededIds = sim.rest.control.seedChats({ count: 250, offlineEvery: 10 }).ids;
	client = simClient(sim);
});

afterAll(async () => {
	await client.close();
	await sim.close();
});

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

describe('listChats', () => {
	it('walks every page to the one whose next_url is the string "null": each chat once, none missing', async () => {
		const chats = await collect(client.listChats());
		expect(chats.map((c) => c.id)).toEqual(seededIds);
		// The simulator pages by 100: three pages, the last one's next_url is "null" and is not followed.
		const paths = requestsSeen(sim).map((r) => r.path);
		expect(paths).toHaveLength(3);
		expect(paths[0]).toBe('/api/v2/chat/chats');
		expect(queryOf(paths[1]).get('page')).toBe('2');
		expect(queryOf(paths[2]).get('page')).toBe('3');
	});

	it('fetches only the pages that are read', async () => {
		const first: string[] = [];
		for await (const chat of client.listChats()) {
			first.push(chat.id);
			if (first.length === 5) break;
		}
		expect(first).toEqual(seededIds.slice(0, 5));
		expect(requestsSeen(sim)).toHaveLength(1);
	});
});

describe('getChat', () => {
	it('returns the chat with its documented fields', async () => {
		const chat = await client.getChat(seededIds[0]);
		expect(chat.id).toBe(seededIds[0]);
		expect(chat.type).toBe('chat');
		expect(chat.visitor).toEqual(
			expect.objectContaining({ name: 'Harry Potter', email: 'harry.potter@example.com' }),
		);
		expect(Array.isArray(chat.history)).toBe(true);
		const offline = await client.getChat(seededIds[9]);
		expect(offline.type).toBe('offline_msg');
	});

	it('rejects an unknown chat with HttpError 404 carrying the body and headers', async () => {
		const error = await client.getChat('2601.1.doesnotexist').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(HttpError);
		const http = error as HttpError;
		expect(http.statusCode).toBe(404);
		expect(http.retryable).toBe(false);
		expect(http.api).toBe('rest');
		expect(http.body).toEqual(expect.objectContaining({ error: expect.any(String) }));
		expect(http.headers['content-type']).toMatch(/json/);
		expect(http.message).toMatch(/404 to GET \/api\/v2\/chat\/chats\/2601\.1\.doesnotexist/);
		expect(http.retryAfterMs).toBeUndefined();
	});

	it('checks the id before sending anything', async () => {
		await expect(client.getChat('../agents/me')).rejects.toBeInstanceOf(InvalidInputError);
		await expect(client.getChat('')).rejects.toBeInstanceOf(InvalidInputError);
		expect(requestsSeen(sim)).toHaveLength(0);
	});
});

describe('getChats', () => {
	it('asks for 50 ids a request and gives the chats in the order asked, with the ids not found', async () => {
		const wanted = [...seededIds.slice(0, 120)].reverse();
		const { chats, missingIds } = await client.getChats([...wanted, '2601.1.gone', wanted[0]]);
		expect(chats.map((c) => c.id)).toEqual(wanted);
		expect(missingIds).toEqual(['2601.1.gone']);
		const batches = requestsSeen(sim).map((r) => queryOf(r.path).get('ids')!.split(','));
		expect(batches.map((b) => b.length)).toEqual([50, 50, 21]);
		expect(batches.flat()).toEqual([...wanted, '2601.1.gone']);
	});
});

describe('updateChat', () => {
	it('changes tags, comment, rating and unread, and returns the chat as saved', async () => {
		const id = seededIds[1];
		const updated = await client.updateChat(id, {
			tags: ['vip', 'follow-up'],
			comment: 'Called back',
			rating: 'good',
			unread: true,
		});
		expect(updated).toEqual(
			expect.objectContaining({
				id,
				tags: ['vip', 'follow-up'],
				comment: 'Called back',
				rating: 'good',
				unread: true,
			}),
		);
		const [put] = requestsSeen(sim);
		expect(put).toEqual(
			expect.objectContaining({ method: 'PUT', path: `/api/v2/chat/chats/${id}`, status: 200 }),
		);
		expect(await client.getChat(id)).toEqual(
			expect.objectContaining({ tags: ['vip', 'follow-up'], comment: 'Called back' }),
		);
	});

	it('refuses bad changes before sending, and passes the API refusal on as HttpError 400', async () => {
		await expect(client.updateChat(seededIds[1], { tags: ['two words'] })).rejects.toMatchObject({
			field: 'changes.tags[0]',
		});
		await expect(client.updateChat(seededIds[1], {})).rejects.toMatchObject({ field: 'changes' });
		expect(requestsSeen(sim)).toHaveLength(0);
		// An offline message has no tags to change (its only writable field is unread).
		await expect(client.updateChat(seededIds[9], { tags: ['vip'] })).rejects.toMatchObject({
			statusCode: 400,
		});
	});
});

describe('deleteChat and deleteChats', () => {
	it('deletes one chat', async () => {
		const id = seededIds[200];
		await client.deleteChat(id);
		await expect(client.getChat(id)).rejects.toMatchObject({ statusCode: 404 });
		expect(requestsSeen(sim)[0]).toEqual(
			expect.objectContaining({ method: 'DELETE', path: `/api/v2/chat/chats/${id}`, status: 204 }),
		);
	});

	it('deletes many, 50 ids a request', async () => {
		const ids = seededIds.slice(130, 190);
		await client.deleteChats(ids);
		const deletes = requestsSeen(sim);
		expect(deletes.map((r) => [r.method, queryOf(r.path).get('ids')!.split(',').length])).toEqual([
			['DELETE', 50],
			['DELETE', 10],
		]);
		const { chats, missingIds } = await client.getChats(ids);
		expect(chats).toEqual([]);
		expect(missingIds).toEqual(ids);
	});
});
