/**
 * Chat › Export (the incremental export) through n8n-core's engine against the simulator: a Limit
 * never splits a page, the Next Cursor continues an export, and Continue From Last Run keeps the
 * cursor in the workflow's static data so that each run goes on where the last one stopped.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../../simulator';
import { chatHarness, inputs, itemsOf, restRequests, runNode } from './helpers';

const DAY = 86_400_000;
let sim: Simulator;
let older: string[];

beforeAll(async () => {
	sim = await startSimulator();
	older = sim.rest.control.seedChats({
		count: 1200,
		from: Date.now() - 20 * DAY,
		to: Date.now() - 10 * DAY,
	}).ids;
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

const exportFrom = (startTime: string, parameters: IDataObject = {}) => ({
	resource: 'chat',
	operation: 'export',
	startTime,
	...parameters,
});
const limitsSent = () =>
	restRequests(sim).map((r) => new URLSearchParams(r.split('?')[1]).get('limit'));
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('Chat › Export', () => {
	it('with Return All, exports every chat from the start time, in pages of 1000', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), exportFrom(daysAgo(21), { returnAll: true })),
		);
		expect(items.map((item) => item.json.id)).toEqual(older);
		expect(items[0].json).toHaveProperty('engagements');
		expect(
			items.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
		expect(limitsSent()).toEqual(['1000', '1000']);
	});

	it('with a Limit above a page, sizes the last request to what is still wanted', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), exportFrom(daysAgo(21), { limit: 1100 })),
		);
		expect(items.map((item) => item.json.id)).toEqual(older.slice(0, 1100));
		expect(limitsSent()).toEqual(['1000', '100']);
	});

	it('gives the next cursor in one item, and that cursor continues the export with nothing lost or repeated', async () => {
		const seen: string[] = [];
		let cursor: unknown;
		for (let run = 0; run < 4; run++) {
			const parameters =
				run === 0
					? exportFrom(daysAgo(21))
					: {
							resource: 'chat',
							operation: 'export',
							startFrom: 'cursor',
							cursor: '={{ $json.cursor }}',
						};
			const items = itemsOf(
				await runNode(
					chatHarness(sim),
					{ ...parameters, limit: 400, output: 'batch' },
					{ items: inputs({ cursor: cursor as string }) },
				),
			);
			expect(items).toHaveLength(1);
			const batch = items[0].json as {
				chats: IDataObject[];
				count: number;
				nextCursor: string;
				caughtUp: boolean;
				startedFrom: string;
			};
			expect(batch.count).toBe(batch.chats.length);
			expect(batch.startedFrom).toBe(run === 0 ? 'startTime' : 'cursor');
			expect(batch.caughtUp).toBe(run === 3);
			seen.push(...batch.chats.map((chat) => chat.id as string));
			const last = batch.chats[batch.chats.length - 1];
			expect(batch.nextCursor).toBe(
				last
					? `${Math.floor(Date.parse(last.update_timestamp as string) / 1000)}:${last.id}`
					: cursor,
			);
			cursor = batch.nextCursor;
		}
		expect(seen).toEqual(older);
	});

	it('takes a cursor in the object form too', async () => {
		const [first] = itemsOf(
			await runNode(chatHarness(sim), exportFrom(daysAgo(21), { limit: 5, output: 'batch' })),
		);
		const [startTime, startId] = (first.json.nextCursor as string).split(':');
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{
					resource: 'chat',
					operation: 'export',
					startFrom: 'cursor',
					cursor: '={{ $json.cursor }}',
					limit: 5,
				},
				{
					items: inputs({ cursor: { startTime: Number(startTime), startId } }),
				},
			),
		);
		expect(items.map((item) => item.json.id)).toEqual(older.slice(5, 10));
	});
});

describe('Chat › Export with Continue From Last Run', () => {
	it('continues across runs from the cursor kept in the static data, with each chat once', async () => {
		const harness = chatHarness(sim);
		const staticData: IDataObject = {};
		const parameters = exportFrom(daysAgo(9), { returnAll: true, storeCursor: true });

		const firstBatch = sim.rest.control.seedChats({
			count: 25,
			from: Date.now() - 8 * DAY,
			to: Date.now() - 7 * DAY,
		}).ids;
		const run1 = itemsOf(await runNode(harness, parameters, { staticData }));
		expect(run1.map((item) => item.json.id)).toEqual(firstBatch);
		const stored = (staticData['node:Zendesk Chat'] as IDataObject).exportCursor as string;
		const last = sim.world.chats.get(firstBatch[24])!;
		expect(stored).toBe(`${Math.floor(last.updatedAt / 1000)}:${last.id}`);

		const secondBatch = sim.rest.control.seedChats({
			count: 10,
			from: Date.now() - 2 * DAY,
			to: Date.now() - 20 * 60_000,
		}).ids;
		sim.rest.control.clearRequestLog();
		const run2 = itemsOf(await runNode(harness, parameters, { staticData }));
		expect(run2.map((item) => item.json.id)).toEqual(secondBatch);
		// The stored cursor, not the Start Time, was where the second run began.
		const sent = new URLSearchParams(restRequests(sim)[0].split('?')[1]);
		expect(`${sent.get('start_time')}:${sent.get('start_id')}`).toBe(stored);

		const run3 = itemsOf(
			await runNode(harness, { ...parameters, output: 'batch' }, { staticData }),
		);
		expect(run3[0].json).toMatchObject({
			chats: [],
			count: 0,
			caughtUp: true,
			startedFrom: 'storedCursor',
		});
	});

	it('after a chat updated just now, waits until its cursor is 5 minutes old, sending nothing', async () => {
		const harness = chatHarness(sim);
		const staticData: IDataObject = {};
		const parameters = exportFrom(daysAgo(1), {
			returnAll: true,
			storeCursor: true,
			output: 'batch',
		});
		const chat = sim.world.startChat({
			visitor: { name: 'Late Visitor', email: 'late@example.com' },
			message: 'Still there?',
		});
		sim.world.endChat(chat.id);

		const [first] = itemsOf(await runNode(harness, parameters, { staticData }));
		expect((first.json.chats as IDataObject[]).map((c) => c.id)).toContain(chat.id);
		expect(first.json.caughtUp).toBe(true);

		sim.rest.control.clearRequestLog();
		const [second] = itemsOf(await runNode(harness, parameters, { staticData }));
		expect(second.json).toEqual({
			chats: [],
			count: 0,
			nextCursor: first.json.nextCursor,
			caughtUp: true,
			startedFrom: 'storedCursor',
		});
		expect(restRequests(sim)).toEqual([]);
	});

	it('keeps one cursor per node: a node of another name starts from Start From', async () => {
		const staticData: IDataObject = {};
		const parameters = exportFrom(daysAgo(21), { limit: 3, storeCursor: true });
		const harness = chatHarness(sim);
		const a1 = itemsOf(
			await runNode(harness, parameters, { staticData, name: 'Export A' }),
			'Export A',
		);
		const a2 = itemsOf(
			await runNode(harness, parameters, { staticData, name: 'Export A' }),
			'Export A',
		);
		const b1 = itemsOf(
			await runNode(harness, parameters, { staticData, name: 'Export B' }),
			'Export B',
		);
		expect([a1, a2, b1].map((items) => items.map((item) => item.json.id))).toEqual([
			older.slice(0, 3),
			older.slice(3, 6),
			older.slice(0, 3),
		]);
		expect(Object.keys(staticData).sort()).toEqual(['node:Export A', 'node:Export B']);
	});

	it('does not move the stored cursor when an export fails (continueOnFail: the next item starts from the same place)', async () => {
		const start = `${Math.floor((Date.now() - 21 * DAY) / 1000)}`;
		const staticData: IDataObject = { 'node:Zendesk Chat': { exportCursor: start } };
		sim.faults.failNextHttp({ api: 'rest', status: 400, count: 1 });
		const run = await runNode(
			chatHarness(sim),
			exportFrom(daysAgo(21), { limit: 3, storeCursor: true }),
			{
				staticData,
				continueOnFail: true,
				items: inputs({}, {}),
			},
		);
		const items = itemsOf(run);
		expect(items[0].json.error).toBe(
			'Chat REST API answered 400 to GET /api/v2/chat/incremental/chats (Bad Request: injected fault: HTTP 400). The request was refused as invalid; check its parameters.',
		);
		expect(items.slice(1).map((item) => [item.json.id, item.pairedItem])).toEqual(
			older.slice(0, 3).map((id) => [id, { item: 1 }]),
		);
		const third = sim.world.chats.get(older[2])!;
		expect(staticData['node:Zendesk Chat']).toEqual({
			exportCursor: `${Math.floor(third.updatedAt / 1000)}:${third.id}`,
		});
	});

	it('with several input items, each continues from the one before; the cursor is stored after the last', async () => {
		const staticData: IDataObject = {};
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				exportFrom(daysAgo(21), { limit: '={{ $json.limit }}', storeCursor: true }),
				{
					staticData,
					items: inputs({ limit: 2 }, { limit: 3 }),
				},
			),
		);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[older[0], { item: 0 }],
			[older[1], { item: 0 }],
			[older[2], { item: 1 }],
			[older[3], { item: 1 }],
			[older[4], { item: 1 }],
		]);
		const fifth = sim.world.chats.get(older[4])!;
		expect(staticData['node:Zendesk Chat']).toEqual({
			exportCursor: `${Math.floor(fifth.updatedAt / 1000)}:${fifth.id}`,
		});
	});

	it('leaves the stored cursor where it was when a later item fails the node, so nothing is skipped', async () => {
		const staticData: IDataObject = {};
		const run = await runNode(
			chatHarness(sim),
			exportFrom(daysAgo(21), { limit: '={{ $json.limit }}', storeCursor: true }),
			{
				staticData,
				items: inputs({ limit: 2 }, { limit: 0 }),
			},
		);
		expect(run.data.resultData.runData['Zendesk Chat'][0].error?.message).toBe(
			'Limit must be a whole number of at least 1 (it is 0)',
		);
		expect(staticData['node:Zendesk Chat'] ?? {}).toEqual({});
		// The next run starts from Start From again, so the two chats of the failed run come again.
		const again = itemsOf(
			await runNode(chatHarness(sim), exportFrom(daysAgo(21), { limit: 2, storeCursor: true }), {
				staticData,
			}),
		);
		expect(again.map((item) => item.json.id)).toEqual(older.slice(0, 2));
	});

	it('with continueOnFail, stores the cursor of the items that went through even when the last one fails', async () => {
		const staticData: IDataObject = {};
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				exportFrom(daysAgo(21), { limit: '={{ $json.limit }}', storeCursor: true }),
				{
					staticData,
					continueOnFail: true,
					items: inputs({ limit: 2 }, { limit: 0 }),
				},
			),
		);
		expect(items.map((item) => item.json.id ?? item.json.error)).toEqual([
			older[0],
			older[1],
			'Limit must be a whole number of at least 1 (it is 0)',
		]);
		const second = sim.world.chats.get(older[1])!;
		expect(staticData['node:Zendesk Chat']).toEqual({
			exportCursor: `${Math.floor(second.updatedAt / 1000)}:${second.id}`,
		});
	});
});
