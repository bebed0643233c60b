/**
 * Stopping an execution (n8n's Stop button: WorkflowExecute's promise cancelled, which aborts the
 * signal of getExecutionCancelSignal()) aborts the Zendesk Chat request in flight instead of
 * waiting for Zendesk's answer: a REST call, and the wait for the Conversations session.
 */
import type { IDataObject, IRun } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../../simulator';
import { chatHarness, chatNode, NODE_NAME, restRequests } from './helpers';

let sim: Simulator;
let chatId: string;

beforeAll(async () => {
	sim = await startSimulator();
	sim.rest.control.seedChats({ count: 2 });
	chatId = sim.world.listChats()[0].id;
});

afterAll(() => sim.close());

afterEach(() => {
	sim.faults.reset();
	sim.faults.cancelWaits();
});

const DELAY_MS = 15_000;

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error('timed out waiting for the request to reach the simulator');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** Runs the node with these parameters, stops the execution once a request is held by the simulator. */
async function stopWhileInFlight(
	parameters: IDataObject,
): Promise<{ run: IRun; elapsedMs: number }> {
	const stop = new AbortController();
	const started = Date.now();
	const node = chatNode(parameters);
	const running = chatHarness(sim).run({
		nodes: [node],
		startNode: node.name,
		stopSignal: stop.signal,
	});
	await until(() => sim.faults.pendingWaitCount > 0);
	stop.abort();
	const run = await running;
	return { run, elapsedMs: Date.now() - started };
}

describe('stopping an execution', () => {
	it('aborts a Chat REST call in flight: the node returns at once, not when Zendesk answers', async () => {
		sim.rest.control.clearRequestLog();
		sim.faults.setDelay({ api: 'rest', ms: DELAY_MS });
		const { run, elapsedMs } = await stopWhileInFlight({
			resource: 'chat',
			operation: 'get',
			chatId,
		});
		expect(elapsedMs).toBeLessThan(5_000);
		expect(run.status).toBe('canceled');
		const task = run.data.resultData.runData[NODE_NAME]?.[0];
		expect(task?.error?.message).toMatch(/abort/i);
		// Nothing came out of the node, and nothing was answered by the simulator.
		expect(task?.data?.main?.[0] ?? []).toEqual([]);
		expect(restRequests(sim)).toEqual([]);
	});

	it('aborts the wait for the Conversations session of a live chat operation', async () => {
		sim.faults.setDelay({ api: 'conversations', ms: DELAY_MS });
		const { run, elapsedMs } = await stopWhileInFlight({
			resource: 'liveChat',
			operation: 'getAll',
		});
		expect(elapsedMs).toBeLessThan(5_000);
		expect(run.status).toBe('canceled');
		expect(run.data.resultData.runData[NODE_NAME]?.[0]?.error?.message).toMatch(/abort/i);
	});
});
