import { NodeApiError, NodeOperationError, type INodeParameters } from 'n8n-workflow';

import { CLOSE_TIMEOUT_MS } from '../../../nodes/ZendeskChatTrigger/ZendeskChatTrigger.node';
import { SIM_DEPARTMENTS, SIM_TOKENS } from '../../../simulator';
import { encodeRelayId } from '../../../simulator/conversations';
import type { ChatRecord } from '../../../simulator/world/types';
import {
	closeSharedSessionPool,
	sharedSessionPool,
	type SessionState,
} from '../../../src/conversations';
import { streamingSocketCount } from '../../../src/streaming';
import { ChatTriggerFixture, gates, leasesOf, sleep, waitFor } from './fixture';

let fx: ChatTriggerFixture;
const items = ChatTriggerFixture.firstItems;

beforeAll(async () => {
	fx = await ChatTriggerFixture.start();
});

afterEach(async () => {
	await fx.closeAll();
	fx.useToken(SIM_TOKENS.bot);
	fx.sim.faults.reset();
	fx.sim.conversations.control.setSubscriptionsSurviveDrop({ survive: false });
	gates.clear();
});

afterAll(async () => {
	await fx.shutdown();
	await closeSharedSessionPool();
});

async function activationError(
	parameters: INodeParameters,
): Promise<Error & { description?: string | null; httpCode?: string | null }> {
	try {
		await fx.activate(parameters);
	} catch (error) {
		return error as never;
	}
	throw new Error('the activation did not fail');
}

/** The visitor messages of `chat` as the trigger must emit them: their Relay ids, in order. */
function visitorMessageIds(chat: ChatRecord): string[] {
	return chat.history
		.filter((h) => h.type === 'chat.msg' && h.senderType === 'Visitor')
		.map((h) => encodeRelayId('MESSAGE', h.id));
}

describe('activation fails with a clear error, and leaves nothing behind', () => {
	it('a revoked token: UNAUTHORIZED', async () => {
		fx.useToken(SIM_TOKENS.revoked);
		const error = await activationError({ event: 'chatMessage' });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'UNAUTHORIZED: the access token is invalid, revoked or expired, or its agent is disabled',
		);
		expect(error.description).toMatch(
			/^The token was refused: reconnect the credential \(or create a new access token\)\. Error id \(for Zendesk support\): [0-9a-f-]{36}\.$/,
		);
		expect(leasesOf(fx.key(SIM_TOKENS.revoked))).toBe(0);
		expect(sharedSessionPool().sessionFor(fx.key(SIM_TOKENS.revoked))).toBeUndefined();
	});

	it('an account or token without Conversations API access: FORBIDDEN', async () => {
		fx.useToken(SIM_TOKENS.readOnly);
		const error = await activationError({ event: 'chatActivity' });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'FORBIDDEN: the access token lacks the scope(s) write, chat: the Conversations API needs read, write and chat',
		);
		expect(error.description).toMatch(
			/^The account or token may not use the Conversations API: it needs a Chat Enterprise plan and the scopes read, write and chat\. Error id/,
		);
		expect(leasesOf(fx.key(SIM_TOKENS.readOnly))).toBe(0);
	});

	it('Live Metrics with a revoked token: HTTP 401 from the Streaming API', async () => {
		fx.useToken(SIM_TOKENS.revoked);
		const error = await activationError({ event: 'liveMetrics', metrics: ['incoming_chats'] });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'the Streaming API refused the connection with HTTP 401: unauthenticated',
		);
		expect(error.httpCode).toBe('401');
		expect(streamingSocketCount()).toBe(0);
		expect(fx.sim.streaming.control.connections().total).toBe(0);
	});

	it.each<[string, INodeParameters, string]>([
		['an unknown event', { event: 'chatTyping' }, 'Event: "chatTyping" is not one of the choices'],
		[
			'an invalid regular expression',
			{ event: 'chatMessage', messageFilters: { textRegex: '(order' } },
			'Text Matches (Regex): "(order" is not a valid regular expression',
		],
		[
			'a department that is not an ID',
			{ event: 'chatMessage', messageFilters: { departmentId: 'Sales' } },
			'Department: "Sales" is not a department ID',
		],
		[
			'no activity',
			{ event: 'chatActivity', activityTypes: [] },
			'Choose at least one activity in Activities',
		],
		['no metric', { event: 'liveMetrics', metrics: [] }, 'Choose at least one metric in Metrics'],
		[
			'no threshold rule',
			{ event: 'liveMetrics', metricMode: 'threshold', thresholds: { rules: [] } },
			'Add at least one rule in Thresholds',
		],
		[
			'a threshold that is not a number',
			{
				event: 'liveMetrics',
				metricMode: 'threshold',
				thresholds: { rules: [{ metric: 'incoming_chats', direction: 'above', value: 'many' }] },
			},
			'Thresholds rule 1: Value must be a number',
		],
		[
			'a snapshot interval under a second',
			{
				event: 'liveMetrics',
				metricMode: 'snapshot',
				metrics: ['incoming_chats'],
				snapshotInterval: 0.5,
			},
			'Interval (Seconds) must be at least 1',
		],
		[
			'an unknown metric',
			{ event: 'liveMetrics', metrics: ['queue_length'] },
			'"queue_length" is not a Streaming API metric',
		],
		[
			'a window the API does not have',
			{ event: 'liveMetrics', metrics: ['missed_chats'], window: 15 },
			'the window must be 30 or 60 (minutes), got 15',
		],
	])('bad input (%s) is refused before anything is sent', async (_, parameters, message) => {
		const starts = fx.sim.conversations.control.sessionStarts().total;
		const error = await activationError(parameters);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(fx.sim.conversations.control.sessionStarts().total).toBe(starts);
		expect(fx.sim.streaming.control.connections().total).toBe(0);
	});

	it('a credential whose custom base URL is not a URL', async () => {
		fx.harness.credentialsHelper.setData('zendeskChatApi', {
			accessToken: SIM_TOKENS.bot,
			host: 'custom',
			customBaseUrl: 'sim:4010',
		});
		const error = await activationError({ event: 'chatMessage' });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			"The credential's Custom Base URL must start with http:// or https://",
		);
	});
});

describe('after start', () => {
	it('a token revoked while listening (then an EOS forces a new session) goes to emitError', async () => {
		fx.sim.world.addAgent({ id: 1077, displayName: 'Temp Bot' });
		fx.sim.world.addToken({ accessToken: 'sim-token-temp', agentId: 1077 });
		fx.useToken('sim-token-temp');
		const trigger = await fx.activate({ event: 'chatMessage' });
		fx.sim.world.revokeToken('sim-token-temp');
		fx.sim.conversations.control.sendEos({ agentId: 1077 });
		await waitFor(() => trigger.errors.length > 0, 'the fatal error', 15_000);
		expect(trigger.errors).toHaveLength(1);
		expect(trigger.errors[0]).toBeInstanceOf(NodeApiError);
		expect(trigger.errors[0].message).toBe(
			'UNAUTHORIZED: the access token is invalid, revoked or expired, or its agent is disabled',
		);
		// n8n answers emitError by calling closeFunction.
		await fx.close(trigger);
		expect(leasesOf(fx.key('sim-token-temp'))).toBe(0);
	});

	it('Live Metrics: a token revoked while listening goes to emitError', async () => {
		fx.sim.world.addToken({ accessToken: 'sim-token-temp-2', agentId: 1002 });
		fx.useToken('sim-token-temp-2');
		const trigger = await fx.activate({ event: 'liveMetrics', metrics: ['incoming_chats'] });
		await trigger.waitForEmits(1);
		fx.sim.world.revokeToken('sim-token-temp-2');
		expect(fx.sim.streaming.control.revalidateTokens()).toEqual({ closed: 1 });
		await waitFor(() => trigger.errors.length > 0, 'the fatal error', 15_000);
		expect(trigger.errors[0]).toBeInstanceOf(NodeApiError);
		// The socket was closed with "unauthenticated"; a pre-issued token cannot be refreshed, so that is final.
		expect(trigger.errors[0].message).toBe(
			'the Streaming API answered status_code 401: unauthenticated',
		);
		await fx.close(trigger);
		expect(streamingSocketCount()).toBe(0);
	});

	it('an event that cannot be judged (its department lookup failed) is a failed execution; the trigger goes on', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { departmentId: String(SIM_DEPARTMENTS.sales) },
		});
		fx.sim.faults.failNextHttp({ api: 'rest', status: 400 });
		const lost = fx.sim.world.startChat({
			departmentId: SIM_DEPARTMENTS.sales,
			message: 'lookup fails',
		});
		await waitFor(() => trigger.failedExecutions.length === 1, 'the failed execution');
		expect(trigger.failedExecutions[0]).toBeInstanceOf(NodeApiError);
		expect((trigger.failedExecutions[0] as NodeApiError).httpCode).toBe('400');
		fx.sim.world.visitorSays(lost.id, 'lookup works again');
		await trigger.waitForEmits(1);
		expect(items(trigger).map((i) => i.text)).toEqual(['lookup works again']);
		expect(trigger.errors).toEqual([]);
	});

	it('without a department filter, a failed lookup only leaves the department out', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			options: { includeDepartment: true },
		});
		fx.sim.faults.failNextHttp({ api: 'rest', status: 400 });
		fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'still emitted' });
		await trigger.waitForEmits(1);
		expect(items(trigger)[0]).toMatchObject({
			text: 'still emitted',
			department: null,
			departmentStatus: 'lookupFailed',
		});
		expect(trigger.failedExecutions).toEqual([]);
	});

	it('a dropped socket mid-stream: every message once, in order (the server keeps the old subscription a moment)', async () => {
		fx.sim.conversations.control.setSubscriptionsSurviveDrop({ survive: true });
		const trigger = await fx.activate({ event: 'chatMessage' });
		const chat = fx.sim.world.startChat({ message: 'before 1' });
		for (const n of [2, 3]) fx.sim.world.visitorSays(chat.id, `before ${n}`);
		await trigger.waitForEmits(3);
		const session = sharedSessionPool().sessionFor(fx.key())!;
		const states: SessionState[] = [];
		const reopened = new Promise<void>((resolve) => {
			const off = session.on('state', (state) => {
				states.push(state);
				if (state !== 'open') return;
				off();
				// The socket is open again; the client has not subscribed anew yet.
				for (const n of [1, 2, 3, 4, 5]) fx.sim.world.visitorSays(chat.id, `during ${n}`);
				setImmediate(() => {
					for (const n of [6, 7, 8, 9, 10]) fx.sim.world.visitorSays(chat.id, `during ${n}`);
					resolve();
				});
			});
		});
		const starts = fx.sim.conversations.control.sessionStarts().total;
		expect(fx.sim.conversations.control.dropSockets().dropped).toHaveLength(1);
		await reopened;
		await trigger.waitForEmits(13);
		await waitFor(
			() => fx.serverSubscriptions('message') === 1,
			'the old server subscription to stop',
		);
		for (const n of [1, 2, 3]) fx.sim.world.visitorSays(chat.id, `after ${n}`);
		await trigger.waitForEmits(16);
		await sleep(150);
		expect(states).toEqual(['reconnecting', 'open']);
		expect(items(trigger).map((i) => i.messageId)).toEqual(visitorMessageIds(chat));
		expect(visitorMessageIds(chat)).toHaveLength(16);
		expect(fx.sim.conversations.control.sessionStarts().total).toBe(starts);
		expect(trigger.errors).toEqual([]);
	});

	it('an EOS mid-stream: a new session, and every message the API could deliver once, in order', async () => {
		const trigger = await fx.activate({ event: 'chatMessage' });
		const chat = fx.sim.world.startChat({ message: 'before 1' });
		for (const n of [2, 3]) fx.sim.world.visitorSays(chat.id, `before ${n}`);
		await trigger.waitForEmits(3);
		// What the API can deliver: a message said while a connected session holds a message subscription.
		const deliverable: string[] = [];
		const undeliverable: string[] = [];
		const judge = (_: ChatRecord, entry: { id: string; senderType: string }) => {
			if (entry.senderType !== 'Visitor') return;
			const listening = fx.sim.conversations.control
				.sessions()
				.some((s) => s.connected && s.subscriptions.some((sub) => sub.field === 'message'));
			(listening ? deliverable : undeliverable).push(encodeRelayId('MESSAGE', entry.id));
		};
		fx.sim.world.on('message', judge);
		try {
			const starts = fx.sim.conversations.control.sessionStarts().total;
			const oldSession = fx.sim.conversations.control.sessions()[0].sessionId;
			fx.sim.conversations.control.sendEos();
			// The visitor keeps talking through the switch, every few milliseconds.
			let n = 0;
			let recoveredAt: number | undefined;
			while (recoveredAt === undefined || Date.now() - recoveredAt < 100) {
				fx.sim.world.visitorSays(chat.id, `during ${++n}`);
				const fresh = fx.sim.conversations.control
					.sessions()
					.find((s) => s.sessionId !== oldSession && s.subscriptions.length > 0);
				if (fresh && recoveredAt === undefined) recoveredAt = Date.now();
				await sleep(5);
				if (n > 2000) throw new Error('no new session with the subscription');
			}
			for (const k of [1, 2, 3]) fx.sim.world.visitorSays(chat.id, `after ${k}`);
			const expected = [...visitorMessageIds(chat).slice(0, 3), ...deliverable];
			await trigger.waitForEmits(expected.length, 10_000);
			await sleep(150);
			expect(items(trigger).map((i) => i.messageId)).toEqual(expected);
			expect(new Set(expected).size).toBe(expected.length);
			// Before, after and the messages said while the new subscription was live are all there.
			expect(expected.slice(-3)).toEqual(visitorMessageIds(chat).slice(-3));
			expect(deliverable.length).toBeGreaterThan(3);
			expect(fx.sim.conversations.control.sessionStarts().total).toBe(starts + 1);
			expect(trigger.errors).toEqual([]);
			// The rest was said while the agent had no session: the Conversations API has no replay.
			expect(undeliverable.length + deliverable.length).toBe(n + 3);
		} finally {
			fx.sim.world.off('message', judge);
		}
	});
});

describe('closeFunction', () => {
	it("releases the subscription and the session lease, and leaves the pool's warm session for the next user", async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { departmentId: String(SIM_DEPARTMENTS.sales) },
		});
		expect(leasesOf(fx.key())).toBe(1);
		expect(fx.serverSubscriptions('message')).toBe(1);
		const started = Date.now();
		await fx.close(trigger);
		expect(Date.now() - started).toBeLessThan(CLOSE_TIMEOUT_MS);
		expect(leasesOf(fx.key())).toBe(0);
		await waitFor(() => fx.serverSubscriptions('message') === 0, 'the server subscription to stop');
		// Closing again is harmless.
		await trigger.close();
		// Nothing is emitted after close.
		fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'too late' });
		await sleep(100);
		expect(trigger.emits).toHaveLength(0);
	});

	it('closes the metrics socket', async () => {
		const trigger = await fx.activate({
			event: 'liveMetrics',
			metrics: ['incoming_chats', 'agents_online'],
		});
		expect(streamingSocketCount()).toBe(1);
		await fx.close(trigger);
		expect(streamingSocketCount()).toBe(0);
		await waitFor(
			() => fx.sim.streaming.control.connections().total === 0,
			'the server to see the socket close',
		);
	});

	it('does not wait for a workflow still running (Wait for Each Execution)', async () => {
		gates.set('held', new Promise<void>(() => undefined));
		const trigger = await fx.activate({
			event: 'chatMessage',
			options: { waitForExecution: true },
		});
		const chat = fx.sim.world.startChat({ message: 'held' });
		fx.sim.world.visitorSays(chat.id, 'queued');
		await trigger.waitForEmits(1);
		const started = Date.now();
		await fx.close(trigger);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(leasesOf(fx.key())).toBe(0);
		await sleep(100);
		expect(trigger.emits).toHaveLength(1);
	});
});
