/**
 * Chat › Get, Get Many and Get Many by IDs through n8n-core's engine against the simulator's Chat
 * REST API: output items, pairing with several input items, Return All against Limit, API errors
 * and continueOnFail.
 */
import { startSimulator, type Simulator } from '../../../../simulator';
import { errorOf } from '../../../helpers/n8n/harness';
import { chatHarness, inputs, itemsOf, restRequests, runNode } from './helpers';

let sim: Simulator;
let ids: string[];

beforeAll(async () => {
	sim = await startSimulator();
	sim.rest.control.seedChats({ count: 130, offlineEvery: 10 });
	ids = sim.world.listChats().map((chat) => chat.id);
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

describe('Chat › Get', () => {
	it('gives the chat as the API sends it, one item paired with its input', async () => {
		const record = sim.world.listChats()[3];
		const items = itemsOf(
			await runNode(chatHarness(sim), {
				resource: 'chat',
				operation: 'get',
				chatId: ` ${record.id} `,
			}),
		);
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toMatchObject({
			id: record.id,
			type: 'chat',
			visitor: { name: record.visitor.name, email: record.visitor.email },
			timestamp: new Date(Math.floor(record.startedAt / 1000) * 1000)
				.toISOString()
				.replace('.000', ''),
		});
		expect(items[0].json.history).toEqual(
			expect.arrayContaining([expect.objectContaining({ type: 'chat.msg' })]),
		);
		expect(restRequests(sim)).toEqual([`GET /chats/${record.id}`]);
	});

	it('reads the Chat ID of each input item and pairs each chat with its item', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{ resource: 'chat', operation: 'get', chatId: '={{ $json.chat }}' },
				{ items: inputs({ chat: ids[5] }, { chat: ids[9] }, { chat: ids[7] }) },
			),
		);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[ids[5], { item: 0 }],
			[ids[9], { item: 1 }],
			[ids[7], { item: 2 }],
		]);
	});

	it('reports an unknown chat as a NodeApiError with status 404 naming the item', async () => {
		const run = await runNode(
			chatHarness(sim),
			{ resource: 'chat', operation: 'get', chatId: '={{ $json.chat }}' },
			{ items: inputs({ chat: ids[0] }, { chat: 'no.such.chat' }) },
		);
		const error = errorOf(run, 'Zendesk Chat');
		expect(error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '404',
			context: { itemIndex: 1 },
		});
		expect(error.message).toBe(
			'Chat REST API answered 404 to GET /api/v2/chat/chats/no.such.chat (Not Found: chat no.such.chat not found). Nothing exists at this id or name.',
		);
		expect(error.description).toBe('Zendesk answered HTTP 404.');
	});

	it('with continueOnFail, puts the error on the failing item and goes on with the others', async () => {
		const run = await runNode(
			chatHarness(sim),
			{ resource: 'chat', operation: 'get', chatId: '={{ $json.chat }}' },
			{
				continueOnFail: true,
				items: inputs({ chat: ids[1] }, { chat: 'no.such.chat' }, { chat: '' }, { chat: ids[2] }),
			},
		);
		const items = itemsOf(run);
		expect(items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(items[0].json.id).toBe(ids[1]);
		expect(items[1].json).toEqual({
			error:
				'Chat REST API answered 404 to GET /api/v2/chat/chats/no.such.chat (Not Found: chat no.such.chat not found). Nothing exists at this id or name.',
			description: 'Zendesk answered HTTP 404.',
		});
		expect(items[2].json).toEqual({
			error: 'Chat ID is empty',
			description: 'Give the Chat ID, e.g. with an expression such as {{ $json.id }}.',
		});
		expect(items[3].json.id).toBe(ids[2]);
		// The empty Chat ID sent nothing.
		expect(restRequests(sim)).toEqual([
			`GET /chats/${ids[1]}`,
			'GET /chats/no.such.chat',
			`GET /chats/${ids[2]}`,
		]);
	});
});

describe('Chat › Get Many', () => {
	it('with a Limit, gives that many chats, oldest first, from one page', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), { resource: 'chat', operation: 'getAll', limit: 7 }),
		);
		expect(items.map((item) => item.json.id)).toEqual(ids.slice(0, 7));
		expect(restRequests(sim)).toEqual(['GET /chats']);
	});

	it('with Return All, follows next_url through every page', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), {
				resource: 'chat',
				operation: 'getAll',
				returnAll: true,
				limit: 3,
			}),
		);
		expect(items.map((item) => item.json.id)).toEqual(ids);
		expect(items.filter((item) => item.json.type === 'offline_msg')).toHaveLength(13);
		expect(restRequests(sim)).toEqual(['GET /chats', 'GET /chats?page=2&limit=100']);
	});

	it('runs once per input item, each result paired with its item', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{ resource: 'chat', operation: 'getAll', limit: 2 },
				{ items: inputs({}, {}) },
			),
		);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[ids[0], { item: 0 }],
			[ids[1], { item: 0 }],
			[ids[0], { item: 1 }],
			[ids[1], { item: 1 }],
		]);
	});
});

describe('Chat › Get Many by IDs', () => {
	it('gives the chats in the order asked, leaving out IDs with no chat', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), {
				resource: 'chat',
				operation: 'getManyByIds',
				chatIds: `${ids[8]}, no.such.chat,${ids[2]} , ${ids[8]},${ids[4]}`,
			}),
		);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[ids[8], { item: 0 }],
			[ids[2], { item: 0 }],
			[ids[4], { item: 0 }],
		]);
		expect(items[0].json).toHaveProperty('visitor');
		expect(restRequests(sim)).toEqual([
			`GET /chats?ids=${encodeURIComponent([ids[8], 'no.such.chat', ids[2], ids[4]].join(','))}`,
		]);
	});

	it('takes a list from an expression, of any length, 50 IDs a request', async () => {
		const wanted = ids.slice(0, 120).reverse();
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{ resource: 'chat', operation: 'getManyByIds', chatIds: '={{ $json.ids }}' },
				{ items: inputs({ ids: wanted }) },
			),
		);
		expect(items.map((item) => item.json.id)).toEqual(wanted);
		expect(
			restRequests(sim).map(
				(r) => new URLSearchParams(r.split('?')[1]).get('ids')!.split(',').length,
			),
		).toEqual([50, 50, 20]);
	});

	it('with Fail on Missing Chats, fails naming the IDs that have no chat', async () => {
		const run = await runNode(chatHarness(sim), {
			resource: 'chat',
			operation: 'getManyByIds',
			chatIds: `${ids[0]},gone.1,${ids[1]},gone.2`,
			options: { failOnMissing: true },
		});
		const error = errorOf(run, 'Zendesk Chat');
		expect(error).toMatchObject({ name: 'NodeOperationError', context: { itemIndex: 0 } });
		expect(error.message).toBe('2 of 4 chats were not found: gone.1, gone.2');
		expect(error.description).toBe(
			'These chat IDs have no chat: they were deleted, or never existed. Turn off Fail on Missing Chats to leave them out.',
		);
	});

	it('pairs the chats of each input item with that item', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{ resource: 'chat', operation: 'getManyByIds', chatIds: '={{ $json.ids }}' },
				{ items: inputs({ ids: `${ids[0]},${ids[1]}` }, { ids: ids[2] }) },
			),
		);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[ids[0], { item: 0 }],
			[ids[1], { item: 0 }],
			[ids[2], { item: 1 }],
		]);
	});
});
