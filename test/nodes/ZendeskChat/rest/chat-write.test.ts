/**
 * Chat › Update and Delete through n8n-core's engine against the simulator: what the API saved,
 * what it refuses, pairing and continueOnFail.
 */
import { startSimulator, type Simulator } from '../../../../simulator';
import { errorOf } from '../../../helpers/n8n/harness';
import { chatHarness, inputs, itemsOf, restRequests, runNode } from './helpers';

let sim: Simulator;
let chatIds: string[];
let offlineId: string;

beforeAll(async () => {
	sim = await startSimulator();
	const seeded = sim.rest.control.seedChats({ count: 20, offlineEvery: 5 }).ids;
	offlineId = seeded[4];
	chatIds = seeded.filter((id) => id !== offlineId && sim.world.chats.get(id)?.type === 'chat');
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

describe('Chat › Update', () => {
	it('changes tags, comment, rating and unread, and gives the chat as saved', async () => {
		const id = chatIds[0];
		const items = itemsOf(
			await runNode(chatHarness(sim), {
				resource: 'chat',
				operation: 'update',
				chatId: id,
				updateFields: {
					tags: 'vip, follow_up ,vip',
					comment: 'Solved on the first reply',
					rating: 'bad',
					unread: true,
				},
			}),
		);
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toMatchObject({
			id,
			tags: ['vip', 'follow_up'],
			comment: 'Solved on the first reply',
			rating: 'bad',
			unread: true,
		});
		const record = sim.world.chats.get(id)!;
		expect([...record.tags]).toEqual(['vip', 'follow_up']);
		expect([record.comment, record.rating, record.unread]).toEqual([
			'Solved on the first reply',
			'bad',
			true,
		]);
		expect(restRequests(sim)).toEqual([`PUT /chats/${id}`]);
	});

	it('sends only the fields added, and an empty Tags removes every tag', async () => {
		const id = chatIds[1];
		await runNode(chatHarness(sim), {
			resource: 'chat',
			operation: 'update',
			chatId: id,
			updateFields: { tags: 'a,b' },
		});
		const before = sim.world.chats.get(id)!;
		const rating = before.rating;
		const items = itemsOf(
			await runNode(chatHarness(sim), {
				resource: 'chat',
				operation: 'update',
				chatId: id,
				updateFields: { tags: '' },
			}),
		);
		expect(items[0].json.tags).toEqual([]);
		expect(sim.world.chats.get(id)!.rating).toBe(rating);
	});

	it('updates the chat of each input item, paired with its item', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{
					resource: 'chat',
					operation: 'update',
					chatId: '={{ $json.id }}',
					updateFields: { tags: '={{ $json.tags }}' },
				},
				{
					items: inputs(
						{ id: chatIds[2], tags: ['refund'] },
						{ id: chatIds[3], tags: 'upgrade,renewal' },
					),
				},
			),
		);
		expect(items.map((item) => [item.json.id, item.json.tags, item.pairedItem])).toEqual([
			[chatIds[2], ['refund'], { item: 0 }],
			[chatIds[3], ['upgrade', 'renewal'], { item: 1 }],
		]);
	});

	it('reports what the API refuses (a rating on an offline message) as a NodeApiError with status 400', async () => {
		const run = await runNode(chatHarness(sim), {
			resource: 'chat',
			operation: 'update',
			chatId: offlineId,
			updateFields: { rating: 'good' },
		});
		const error = errorOf(run, 'Zendesk Chat');
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '400' });
		expect(error.message).toContain('(Bad Request: rating is not a field of the chat object)');
	});

	it('with continueOnFail, gives the error of a bad tag on its item and updates the others', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{
					resource: 'chat',
					operation: 'update',
					chatId: '={{ $json.id }}',
					updateFields: { tags: '={{ $json.tags }}' },
				},
				{
					continueOnFail: true,
					items: inputs({ id: chatIds[4], tags: 'good' }, { id: chatIds[5], tags: 'not ok' }),
				},
			),
		);
		expect(items[0].json.tags).toEqual(['good']);
		expect(items[1]).toEqual({
			json: {
				error: 'Update Fields › Tags: "not ok" is not a valid tag',
				description:
					'Field: Update Fields › Tags. Tags may only contain letters, digits, "-" and "_".',
			},
			pairedItem: { item: 1 },
		});
		expect(restRequests(sim)).toEqual([`PUT /chats/${chatIds[4]}`]);
	});
});

describe('Chat › Delete', () => {
	it('deletes the chat and says so', async () => {
		const id = chatIds[6];
		const items = itemsOf(
			await runNode(chatHarness(sim), { resource: 'chat', operation: 'delete', chatId: id }),
		);
		expect(items).toEqual([{ json: { id, deleted: true }, pairedItem: { item: 0 } }]);
		expect(sim.world.chats.has(id)).toBe(false);
		expect(restRequests(sim)).toEqual([`DELETE /chats/${id}`]);
	});

	it('deletes the chat of each input item; a chat already gone is a 404 on its own item with continueOnFail', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{ resource: 'chat', operation: 'delete', chatId: '={{ $json.id }}' },
				{
					continueOnFail: true,
					items: inputs({ id: chatIds[7] }, { id: chatIds[6] }, { id: offlineId }),
				},
			),
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toEqual({ id: chatIds[7], deleted: true });
		expect(items[1].json.error).toBe(
			`Chat REST API answered 404 to DELETE /api/v2/chat/chats/${chatIds[6]} (Not Found: chat ${chatIds[6]} not found). Nothing exists at this id or name.`,
		);
		expect(items[2].json).toEqual({ id: offlineId, deleted: true });
		expect([chatIds[7], offlineId].map((id) => sim.world.chats.has(id))).toEqual([false, false]);
	});
});
