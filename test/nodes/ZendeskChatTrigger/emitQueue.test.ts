import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import { EmitQueue, type EmitJob } from '../../../nodes/ZendeskChatTrigger/helpers/emitQueue';

/**
 * The emit queue's lanes on their own, for what the engine tests cannot see: lanes are forgotten
 * once empty, and the pending bound holds across lanes. n8n's side is a recorder of emits and
 * warnings (what TriggerContext would do with them is covered by enrichment.test.ts).
 */

function recorder() {
	const emitted: IDataObject[] = [];
	const warnings: string[] = [];
	const ctx = {
		emit: (data: Array<Array<{ json: IDataObject }>>) => void emitted.push(data[0][0].json),
		helpers: {},
		logger: { warn: (message: string) => void warnings.push(message) },
	} as unknown as Pick<ITriggerFunctions, 'emit' | 'helpers' | 'logger'>;
	return { ctx, emitted, warnings };
}

function gate(): { wait: Promise<void>; open: () => void } {
	let open!: () => void;
	const wait = new Promise<void>((resolve) => (open = resolve));
	return { wait, open };
}

function job(lane: string, name: string, before?: Promise<void>): EmitJob {
	return Object.assign(
		async () => {
			await before;
			return { items: [{ name }] };
		},
		{ lane },
	);
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('EmitQueue lanes', () => {
	it('a lane waiting holds back only itself, keeps its order, and is forgotten once empty', async () => {
		const { ctx, emitted } = recorder();
		const controller = new AbortController();
		const queue = new EmitQueue(ctx, {
			waitForExecution: false,
			manual: false,
			signal: controller.signal,
			onJobFailure: () => undefined,
		});
		queue.open();
		const slow = gate();
		queue.push(job('a', 'a1', slow.wait));
		queue.push(job('a', 'a2'));
		queue.push(job('b', 'b1'));
		queue.push(job('b', 'b2'));
		await settle();
		expect(emitted.map((i) => i.name)).toEqual(['b1', 'b2']);
		expect(queue.laneCount).toBe(1);
		slow.open();
		await settle();
		expect(emitted.map((i) => i.name)).toEqual(['b1', 'b2', 'a1', 'a2']);
		expect(queue.laneCount).toBe(0);
		controller.abort();
		await queue.stopped();
	});

	it('holds at most maxPending waiting jobs across all lanes, warns once, and drops the newer ones', async () => {
		const { ctx, emitted, warnings } = recorder();
		const controller = new AbortController();
		const queue = new EmitQueue(ctx, {
			waitForExecution: false,
			manual: false,
			signal: controller.signal,
			onJobFailure: () => undefined,
			maxPending: 3,
		});
		queue.open();
		const a = gate();
		const b = gate();
		queue.push(job('a', 'a1', a.wait));
		queue.push(job('b', 'b1', b.wait));
		await settle();
		// a1 and b1 are in hand; three more may wait, whatever their lane.
		for (const [lane, name] of [
			['a', 'a2'],
			['a', 'a3'],
			['b', 'b2'],
			['b', 'b3'],
			['c', 'c1'],
		])
			queue.push(job(lane, name));
		expect(warnings).toHaveLength(1);
		expect(queue.laneCount).toBe(2);
		a.open();
		b.open();
		await settle();
		expect(emitted.map((i) => i.name).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
		expect(queue.laneCount).toBe(0);
		controller.abort();
		await queue.stopped();
	});

	it('stopped() drops what waits in every lane and waits only for the jobs in hand', async () => {
		const { ctx, emitted } = recorder();
		const controller = new AbortController();
		const queue = new EmitQueue(ctx, {
			waitForExecution: false,
			manual: false,
			signal: controller.signal,
			onJobFailure: () => undefined,
		});
		queue.open();
		const a = gate();
		queue.push(job('a', 'a1', a.wait));
		queue.push(job('a', 'a2'));
		queue.push(job('b', 'b1', a.wait));
		queue.push(job('b', 'b2'));
		await settle();
		controller.abort();
		const stopped = queue.stopped();
		a.open();
		await stopped;
		// Aborted before the jobs in hand finished: nothing more is emitted.
		expect(emitted).toEqual([]);
		expect(queue.laneCount).toBe(0);
	});
});
