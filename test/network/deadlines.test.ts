/**
 * The time limit of one HTTP call across its retries (REST and Messaging clients), over real
 * sockets against the simulator: a slow server fails the call at its limit with a TimeoutError,
 * not after every attempt has timed out in turn; a retry wait that would outlast the limit is not
 * started; and the caller's signal still ends a call at once.
 */
import { startSimulator, type Simulator } from '../../simulator';
import {
	AbortedError,
	CallDeadline,
	DEFAULT_CALL_DEADLINE_MS,
	HttpError,
	TimeoutError,
} from '../../src/shared';
import { simClient as messagingClient } from '../messaging/sim-client';
import { simClient as restClient } from '../rest/helpers';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator();
});

afterAll(() => sim.close());

afterEach(() => {
	sim.faults.reset();
	sim.faults.cancelWaits();
});

async function timed(call: () => Promise<unknown>): Promise<{ error: Error; elapsedMs: number }> {
	const started = Date.now();
	const error = await call().then(
		() => {
			throw new Error('expected the call to fail');
		},
		(e: Error) => e,
	);
	return { error, elapsedMs: Date.now() - started };
}

describe('the default', () => {
	it('is 60 s for both clients', () => {
		expect(DEFAULT_CALL_DEADLINE_MS).toBe(60_000);
	});
});

describe('Chat REST client', () => {
	it('a slow server fails the call at its time limit, not after every attempt timed out', async () => {
		sim.faults.setDelay({ api: 'rest', ms: 20_000 });
		// Five attempts of 1 s each (and the waits between) would take over 5 s.
		const client = restClient(sim, {
			timeoutMs: 1_000,
			maxAttempts: 5,
			backoff: () => 50,
			deadlineMs: 2_500,
		});
		try {
			const { error, elapsedMs } = await timed(() => client.listDepartments());
			expect(error).toBeInstanceOf(TimeoutError);
			expect(error.message).toBe(
				"Chat REST API GET /api/v2/chat/departments did not finish within 2.5 s (the call's time limit, retries included)",
			);
			expect(elapsedMs).toBeGreaterThanOrEqual(2_400);
			expect(elapsedMs).toBeLessThan(3_500);
		} finally {
			await client.close();
		}
	});

	it('does not start a retry wait that would outlast the limit: the 503 is the answer, at once', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 503, retryAfter: 30 });
		const client = restClient(sim, { deadlineMs: 5_000 });
		try {
			const { error, elapsedMs } = await timed(() => client.listDepartments());
			expect(error).toBeInstanceOf(HttpError);
			expect((error as HttpError).statusCode).toBe(503);
			expect(elapsedMs).toBeLessThan(1_000);
		} finally {
			await client.close();
		}
	});

	it('still retries within the limit', async () => {
		sim.faults.failNextHttp({ api: 'rest', status: 503, count: 2 });
		const client = restClient(sim, { deadlineMs: 5_000 });
		try {
			expect((await client.listDepartments()).length).toBeGreaterThan(0);
		} finally {
			await client.close();
		}
	});

	it("the caller's abort ends a call in flight within a second, as an abort (not a timeout)", async () => {
		sim.faults.setDelay({ api: 'rest', ms: 20_000 });
		const client = restClient(sim);
		const controller = new AbortController();
		try {
			setTimeout(() => controller.abort(), 300);
			const { error, elapsedMs } = await timed(() =>
				client.listDepartments({ signal: controller.signal }),
			);
			expect(error).toBeInstanceOf(AbortedError);
			expect(elapsedMs).toBeLessThan(1_300);
		} finally {
			await client.close();
		}
	});
});

describe('Messaging client', () => {
	it('a slow server fails the call at its time limit, not after every attempt timed out', async () => {
		sim.faults.setDelay({ api: 'sunshine', ms: 20_000 });
		const client = messagingClient(sim, { timeoutMs: 1_000, maxRetries: 3, deadlineMs: 2_500 });
		try {
			const { error, elapsedMs } = await timed(() => client.listSwitchboards());
			expect(error).toBeInstanceOf(TimeoutError);
			expect(error.message).toBe(
				"Sunshine Conversations GET /switchboards did not finish within 2.5 s (the call's time limit, retries included)",
			);
			expect(elapsedMs).toBeGreaterThanOrEqual(2_400);
			expect(elapsedMs).toBeLessThan(3_500);
		} finally {
			await client.close();
		}
	});

	it('does not start a retry wait that would outlast the limit: the 429 is the answer, at once', async () => {
		sim.faults.failNextHttp({ api: 'sunshine', status: 429, retryAfter: 30 });
		const client = messagingClient(sim, { deadlineMs: 5_000 });
		try {
			const { error, elapsedMs } = await timed(() => client.listSwitchboards());
			expect(error).toBeInstanceOf(HttpError);
			expect((error as HttpError).statusCode).toBe(429);
			expect(elapsedMs).toBeLessThan(1_000);
		} finally {
			await client.close();
		}
	});

	it("the client's own signal (the execution's) aborts every call, as an abort", async () => {
		sim.faults.setDelay({ api: 'sunshine', ms: 20_000 });
		const controller = new AbortController();
		const client = messagingClient(sim, { signal: controller.signal });
		try {
			setTimeout(() => controller.abort(), 300);
			const { error, elapsedMs } = await timed(() => client.listSwitchboards());
			expect(error).toBeInstanceOf(AbortedError);
			expect(elapsedMs).toBeLessThan(1_300);
		} finally {
			await client.close();
		}
	});
});

describe('CallDeadline', () => {
	it('tells its own expiry from a source abort, and starts its clock once', async () => {
		const source = new AbortController();
		const deadline = new CallDeadline(50, [source.signal, undefined]);
		expect(deadline.remainingMs()).toBe(50);
		deadline.start();
		deadline.start();
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect(deadline.signal.aborted).toBe(true);
		expect(deadline.expired).toBe(true);
		deadline.dispose();

		const other = new CallDeadline(10_000, [source.signal]);
		other.start();
		source.abort();
		expect(other.signal.aborted).toBe(true);
		expect(other.expired).toBe(false);
		other.dispose();
		expect(new CallDeadline(10, [source.signal]).signal.aborted).toBe(true);

		// dispose() lets go of the sources (a client's close signal outlives its calls).
		const lasting = new AbortController();
		const disposed = new CallDeadline(10_000, [lasting.signal, undefined]);
		disposed.dispose();
		lasting.abort();
		expect(disposed.signal.aborted).toBe(false);
	});
});
