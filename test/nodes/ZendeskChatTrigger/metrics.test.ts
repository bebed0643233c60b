import { SIM_DEPARTMENTS } from '../../../simulator';
import { closeSharedSessionPool } from '../../../src/conversations';
import { leaseRestRateLimiter } from '../../../src/rest';
import { streamingSocketCount } from '../../../src/streaming';
import { outputOf } from '../../helpers/n8n/harness';
import { ChatTriggerFixture, DOWNSTREAM, sleep, TRIGGER, waitFor } from './fixture';

let fx: ChatTriggerFixture;
const items = ChatTriggerFixture.items;
const control = () => fx.sim.streaming.control;

beforeAll(async () => {
	fx = await ChatTriggerFixture.start();
});

beforeEach(() => {
	control().clearMetric();
});

afterEach(async () => {
	await fx.closeAll();
	await waitFor(
		() => streamingSocketCount() === 0 && control().connections().total === 0,
		'every metrics socket to close',
	);
});

afterAll(async () => {
	await fx.shutdown();
	await closeSharedSessionPool();
});

describe('Live Metrics, Every Change', () => {
	it('emits the value on subscribe, then each change, and not a value repeated after a reconnect', async () => {
		control().setMetric({ key: 'incoming_chats', value: 2 });
		const trigger = await fx.activate({ event: 'liveMetrics', metrics: ['incoming_chats'] });
		await trigger.waitForEmits(1);
		control().setMetric({ key: 'incoming_chats', value: 7 });
		await trigger.waitForEmits(2);
		// The reconnected client subscribes again and the server repeats 7: not a change.
		expect(control().dropSockets()).toMatchObject({ dropped: 1 });
		await waitFor(() => control().connections().total === 1, 'the client to reconnect', 10_000);
		await sleep(100);
		control().setMetric({ key: 'incoming_chats', value: 8 });
		await trigger.waitForEmits(3);
		await sleep(100);
		expect(items(trigger)).toEqual([
			[expect.objectContaining({ metric: 'incoming_chats', value: 2, previousValue: null })],
			[expect.objectContaining({ metric: 'incoming_chats', value: 7, previousValue: 2 })],
			[expect.objectContaining({ metric: 'incoming_chats', value: 8, previousValue: 7 })],
		]);
		expect(items(trigger)[1][0]).toEqual({
			event: 'liveMetrics',
			mode: 'everyChange',
			metric: 'incoming_chats',
			topic: 'chats.incoming_chats',
			category: 'chats',
			value: 7,
			previousValue: 2,
			window: null,
			departmentId: null,
			updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		const run = await trigger.emits[1].run;
		expect(outputOf(run, DOWNSTREAM)).toEqual([{ seen: 'incoming_chats' }]);
		expect(trigger.errors).toEqual([]);
	});

	it('a windowed metric follows the chosen window only', async () => {
		control().setMetric({ key: 'missed_chats', window: 60, value: 1 });
		const trigger = await fx.activate({
			event: 'liveMetrics',
			metrics: ['missed_chats', 'agents_away'],
			window: 60,
		});
		await trigger.waitForEmits(2);
		control().setMetric({ key: 'missed_chats', window: 30, value: 9 });
		control().setMetric({ key: 'missed_chats', window: 60, value: 3 });
		await trigger.waitForEmits(3);
		await sleep(100);
		const readings = items(trigger).map(([i]) => `${i.metric}/${i.window}=${i.value}`);
		expect(readings.sort()).toEqual([
			'agents_away/null=0',
			'missed_chats/60=1',
			'missed_chats/60=3',
		]);
	});

	it("Department filter: that department's numbers only", async () => {
		control().setMetric({ key: 'agents_online', value: 5 });
		control().setMetric({ key: 'agents_online', departmentId: SIM_DEPARTMENTS.sales, value: 1 });
		const trigger = await fx.activate({
			event: 'liveMetrics',
			metrics: ['agents_online'],
			metricFilters: { departmentId: String(SIM_DEPARTMENTS.sales) },
		});
		await trigger.waitForEmits(1);
		control().setMetric({ key: 'agents_online', value: 9 });
		control().setMetric({ key: 'agents_online', departmentId: SIM_DEPARTMENTS.sales, value: 2 });
		await trigger.waitForEmits(2);
		await sleep(100);
		expect(items(trigger).map(([i]) => [i.departmentId, i.value])).toEqual([
			[SIM_DEPARTMENTS.sales, 1],
			[SIM_DEPARTMENTS.sales, 2],
		]);
	});

	it("connects count against the credential's REST budget (the limiter the REST client uses)", async () => {
		const budget = leaseRestRateLimiter(fx.credentialKey());
		try {
			budget.limiter.penalize(1500);
			const started = Date.now();
			const trigger = await fx.activate({ event: 'liveMetrics', metrics: ['incoming_chats'] });
			expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
			await trigger.waitForEmits(1);
		} finally {
			budget.release();
		}
	});
});

describe('Live Metrics, Snapshot', () => {
	it('emits every metric at once when something changed, at most once per interval', async () => {
		control().setMetric({ key: 'incoming_chats', value: 1 });
		control().setMetric({ key: 'agents_online', value: 2 });
		const trigger = await fx.activate({
			event: 'liveMetrics',
			metricMode: 'snapshot',
			metrics: ['incoming_chats', 'agents_online'],
			snapshotInterval: 1,
		});
		await trigger.waitForEmits(1);
		const firstAt = Date.now();
		expect(items(trigger)[0].map((i) => [i.metric, i.value, i.changed])).toEqual([
			['incoming_chats', 1, true],
			['agents_online', 2, true],
		]);
		expect(items(trigger)[0][0]).toEqual({
			event: 'liveMetrics',
			mode: 'snapshot',
			metric: 'incoming_chats',
			topic: 'chats.incoming_chats',
			category: 'chats',
			value: 1,
			previousValue: null,
			window: null,
			departmentId: null,
			updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			changed: true,
			snapshotAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		control().setMetric({ key: 'incoming_chats', value: 4 });
		control().setMetric({ key: 'incoming_chats', value: 5 });
		await trigger.waitForEmits(2, 3000);
		expect(Date.now() - firstAt).toBeGreaterThanOrEqual(900);
		expect(items(trigger)[1].map((i) => [i.metric, i.value, i.previousValue, i.changed])).toEqual([
			['incoming_chats', 5, 1, true],
			['agents_online', 2, 2, false],
		]);
		// Nothing changed since: no snapshot.
		await sleep(1300);
		expect(trigger.emits).toHaveLength(2);
		const run = await trigger.emits[1].run;
		expect(outputOf(run, DOWNSTREAM)).toHaveLength(2);
	});
});

describe('Live Metrics, Threshold Crossings', () => {
	it('emits when a metric crosses a rule, and again when it recovers', async () => {
		control().setMetric({ key: 'incoming_chats', value: 2 });
		control().setMetric({ key: 'agents_online', value: 1 });
		const trigger = await fx.activate({
			event: 'liveMetrics',
			metricMode: 'threshold',
			thresholds: {
				rules: [
					{ metric: 'incoming_chats', direction: 'above', value: 3 },
					{ metric: 'agents_online', direction: 'below', value: 1 },
				],
			},
		});
		await sleep(200);
		expect(trigger.emits).toHaveLength(0);
		control().setMetric({ key: 'incoming_chats', value: 5 });
		await trigger.waitForEmits(1);
		control().setMetric({ key: 'incoming_chats', value: 6 });
		control().setMetric({ key: 'incoming_chats', value: 3 });
		await trigger.waitForEmits(2);
		control().setMetric({ key: 'agents_online', value: 0 });
		await trigger.waitForEmits(3);
		await sleep(100);
		expect(
			items(trigger).map(([i]) => [i.metric, i.state, i.value, i.previousValue, i.threshold]),
		).toEqual([
			['incoming_chats', 'crossed', 5, 2, { direction: 'above', value: 3 }],
			['incoming_chats', 'recovered', 3, 6, { direction: 'above', value: 3 }],
			['agents_online', 'crossed', 0, 1, { direction: 'below', value: 1 }],
		]);
		expect(items(trigger)[0][0]).toMatchObject({
			event: 'liveMetrics',
			mode: 'threshold',
			topic: 'chats.incoming_chats',
			window: null,
			departmentId: null,
		});
	});

	it('a metric already past its value when the trigger starts counts as a crossing', async () => {
		control().setMetric({ key: 'satisfaction_bad', window: 30, value: 4 });
		const trigger = await fx.activate({
			event: 'liveMetrics',
			metricMode: 'threshold',
			window: 30,
			thresholds: { rules: [{ metric: 'satisfaction_bad', direction: 'above', value: 2 }] },
		});
		await trigger.waitForEmits(1);
		expect(items(trigger)[0][0]).toMatchObject({
			metric: 'satisfaction_bad',
			window: 30,
			state: 'crossed',
			value: 4,
			previousValue: null,
		});
	});
});

describe('Live Metrics, manual mode', () => {
	it('returns the first reading and closes the socket', async () => {
		control().setMetric({ key: 'active_chats', value: 3 });
		const run = await fx.harness.run({
			...fx.workflow({ event: 'liveMetrics', metrics: ['active_chats'] }),
			startNode: TRIGGER,
			mode: 'manual',
		});
		expect(outputOf(run, TRIGGER)).toEqual([
			expect.objectContaining({ metric: 'active_chats', value: 3 }),
		]);
	});
});
