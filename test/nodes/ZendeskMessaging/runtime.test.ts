/**
 * The action runtime the Zendesk Messaging node shares with the Zendesk Chat node
 * (nodes/shared/actionRuntime.ts), through n8n-core's engine: stopping an execution aborts the
 * request in flight and runs no further item; an unknown operation is refused before any request.
 */
import type { IDataObject, IRun } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf } from '../../helpers/n8n/harness';
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
	sim.faults.reset();
	sim.faults.cancelWaits();
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error('timed out waiting for the request to reach the simulator');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('the action runtime', () => {
	it('stopping the execution aborts the Sunshine request in flight and runs no further item', async () => {
		const ids = [unique('stop'), unique('stop')];
		sim.faults.setDelay({ api: 'sunshine', ms: 15_000 });
		const stop = new AbortController();
		const started = Date.now();
		const running: Promise<IRun> = messagingHarness(sim).run({
			nodes: [
				messagingNode({ resource: 'user', operation: 'create', externalId: '={{ $json.id }}' }),
			],
			startNode: NODE_NAME,
			items: ids.map((id) => ({ json: { id } })),
			stopSignal: stop.signal,
		});
		await until(() => sim.faults.pendingWaitCount > 0);
		stop.abort();
		const run = await running;
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(run.status).toBe('canceled');
		expect(run.data.resultData.runData[NODE_NAME]?.[0]?.error?.message).toMatch(/abort/i);

		sim.faults.setDelay({ api: 'sunshine', ms: 0 });
		const second = errorOf(
			await runNode(messagingHarness(sim), {
				resource: 'user',
				operation: 'get',
				externalId: ids[1],
			}),
			NODE_NAME,
		);
		expect(second.message).toContain('user_not_found');
	});

	it('refuses an operation the node does not have, before any request', async () => {
		const run = await withoutRequests(sim, () =>
			runNode(messagingHarness(sim), {
				resource: 'user',
				operation: 'remove',
				externalId: 'x',
			} as IDataObject),
		);
		const error = errorOf(run, NODE_NAME);
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe('The operation "remove" of the resource "user" is not known');
	});
});
