import { SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import { encodeRelayId } from '../../simulator/conversations';
import {
	closeSharedSessionPool,
	createStartBudget,
	departments,
	InProcessSessionPool,
	messageSubscription,
	sendMessage,
	sharedSessionPool,
	type ChatMessageEvent,
	type InProcessSessionPoolOptions,
	type SessionCredential,
} from '../../src/conversations';
import {
	AbortedError,
	ClosedError,
	credentialKey,
	exponentialBackoff,
	GraphqlError,
	staticToken,
} from '../../src/shared';
import { Recorder, waitFor } from './helpers';

let sim: Simulator;
let pool: InProcessSessionPool;

beforeAll(async () => {
	sim = await startSimulator();
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.conversations.control.reset();
});

afterEach(async () => {
	await pool?.close();
});

const control = () => sim.conversations.control;
const channelOf = (chatId: string) => encodeRelayId('CHANNEL', chatId);

function newPool(options: InProcessSessionPoolOptions = {}): InProcessSessionPool {
	return new InProcessSessionPool({
		idleMs: 60_000,
		...options,
		sessionOptions: {
			retryWait: exponentialBackoff({ initialMs: 20, maxMs: 200 }),
			requestRetryWait: exponentialBackoff({ initialMs: 20, maxMs: 200 }),
			startBudget: createStartBudget(),
			...options.sessionOptions,
		},
	});
}

function credential(token: string = SIM_TOKENS.bot, id = 'cred-bot'): SessionCredential {
	return {
		key: credentialKey(sim.urls.conversationsHttp, id),
		tokenProvider: staticToken(token),
		httpUrl: sim.urls.conversationsHttp,
	};
}

describe('one agent session per agent, shared by leases', () => {
	it('1,000 sends from 10 concurrent callers start one session', async () => {
		pool = newPool();
		const chat = sim.world.startChat({ message: 'hi' });
		const channelId = channelOf(chat.id);
		const callers = Array.from({ length: 10 }, async (_, caller) => {
			for (let i = 0; i < 100; i++) {
				// Each send as an action execution would do it: lease, send, release.
				const lease = await pool.lease(credential());
				try {
					await lease.session.request(
						sendMessage({
							channelId,
							message: `caller ${caller} send ${i}`,
							msgId: `c${caller}-${i}`,
						}),
					);
				} finally {
					await lease.release();
				}
			}
		});
		await Promise.all(callers);
		expect(control().sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
		const delivered = sim.world.requireChat(chat.id).delivered;
		expect(delivered).toHaveLength(1000);
		expect(new Set(delivered.map((d) => d.msgId)).size).toBe(1000);
		// In order per caller.
		const caller3 = delivered.filter((d) => d.msgId?.startsWith('c3-')).map((d) => d.text);
		expect(caller3).toEqual(Array.from({ length: 100 }, (_, i) => `caller 3 send ${i}`));
		expect(pool.leases(credential().key)).toBe(0);
	}, 40_000);

	it("an action's send while the trigger is subscribed reuses the trigger's session", async () => {
		pool = newPool();
		const trigger = await pool.lease(credential());
		const messages = new Recorder<ChatMessageEvent>();
		await trigger.session.subscribe(messageSubscription(), messages).ready;
		const chat = sim.world.startChat({ message: 'visitor asks' });
		await waitFor(() => messages.events.length === 1, 'the visitor message');
		const action = await pool.lease(credential());
		expect(pool.leases(credential().key)).toBe(2);
		await action.session.request(
			sendMessage({ channelId: messages.events[0].channel!.id, message: 'bot answers' }),
		);
		await action.release();
		await waitFor(
			() => messages.events.length === 2,
			"the bot's answer on the trigger's subscription",
		);
		expect(messages.events.map((e) => [e.content, e.from?.__typename])).toEqual([
			['visitor asks', 'Visitor'],
			['bot answers', 'Agent'],
		]);
		expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['bot answers']);
		expect(control().sessionStarts()).toMatchObject({ total: 1 });
		await trigger.release();
	});

	it('different credentials get different sessions', async () => {
		pool = newPool();
		const bot = await pool.lease(credential());
		const human = await pool.lease(credential(SIM_TOKENS.human, 'cred-human'));
		expect(pool.sessionFor(credential().key)).not.toBe(
			pool.sessionFor(credential(SIM_TOKENS.human, 'cred-human').key),
		);
		expect(control().sessions()).toHaveLength(2);
		await Promise.all([bot.release(), human.release()]);
	});
});

describe('lease lifecycle', () => {
	it('a session nobody leases closes after the idle time; the next lease starts a new one', async () => {
		pool = newPool({ idleMs: 100 });
		const lease = await pool.lease(credential());
		await lease.session.request(departments());
		const first = pool.sessionFor(credential().key);
		await lease.release();
		expect(first?.state).toBe('open');
		await waitFor(() => first?.state === 'closed', 'the idle session to be closed');
		expect(control().sessions()).toEqual([]);
		expect(pool.sessionFor(credential().key)).toBeUndefined();
		const again = await pool.lease(credential());
		expect(pool.sessionFor(credential().key)).not.toBe(first);
		await again.release();
		expect(control().sessionStarts()).toMatchObject({ succeeded: 2 });
	});

	it("release stops the lease's subscriptions and refuses further use; other leases go on", async () => {
		pool = newPool();
		const a = await pool.lease(credential());
		const b = await pool.lease(credential());
		const messages = new Recorder<ChatMessageEvent>();
		await a.session.subscribe(messageSubscription(), messages).ready;
		expect(control().sessions()[0].subscriptions).toHaveLength(1);
		await a.release();
		await a.release(); // twice is harmless
		expect(messages.ended).toBe(true);
		expect(control().sessions()[0].subscriptions).toHaveLength(0);
		await expect(a.session.request(departments())).rejects.toBeInstanceOf(ClosedError);
		expect(() => a.session.subscribe(messageSubscription(), new Recorder())).toThrow(ClosedError);
		await expect(b.session.request(departments())).resolves.toHaveLength(3);
		expect(pool.leases(credential().key)).toBe(1);
		await b.release();
	});

	it('a lease survives a dropped socket and an EOS transparently', async () => {
		pool = newPool();
		const lease = await pool.lease(credential());
		const session = pool.sessionFor(credential().key);
		const messages = new Recorder<ChatMessageEvent>();
		await lease.session.subscribe(messageSubscription(), messages).ready;
		control().dropSockets({});
		await expect(lease.session.request(departments())).resolves.toHaveLength(3);
		control().sendEos({});
		await expect(lease.session.request(departments())).resolves.toHaveLength(3);
		expect(pool.sessionFor(credential().key)).toBe(session);
		await waitFor(
			() => control().sessions()[0]?.subscriptions.length === 1,
			'the subscription in the new session',
		);
		sim.world.startChat({ message: 'after both' });
		await waitFor(() => messages.events.length === 1, 'the event');
		await lease.release();
	});

	it('a failed start fails the lease with the typed error and leaves nothing pooled', async () => {
		pool = newPool();
		const bad = credential(SIM_TOKENS.revoked);
		const error = await pool.lease(bad).catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error).toMatchObject({ errorName: 'UNAUTHORIZED' });
		expect(pool.leases(bad.key)).toBe(0);
		expect(pool.sessionFor(bad.key)).toBeUndefined();
		// The credential fixed (same key): the next lease starts afresh.
		const fixed = await pool.lease(credential(SIM_TOKENS.bot));
		await expect(fixed.session.request(departments())).resolves.toHaveLength(3);
		await fixed.release();
	});

	it('a lease can be aborted while the session starts', async () => {
		pool = newPool();
		const controller = new AbortController();
		const leasing = pool.lease(credential(), { signal: controller.signal });
		controller.abort();
		await expect(leasing).rejects.toBeInstanceOf(AbortedError);
		expect(pool.leases(credential().key)).toBe(0);
	});

	it('refuses a lease without a key, and after close()', async () => {
		pool = newPool();
		await expect(pool.lease({ key: '', tokenProvider: staticToken('t') })).rejects.toMatchObject({
			code: 'ZCHAT_ERR_INVALID_INPUT',
			field: 'key',
		});
		const lease = await pool.lease(credential());
		const session = pool.sessionFor(credential().key);
		await pool.close();
		expect(session?.state).toBe('closed');
		expect(control().sessions()).toEqual([]);
		await expect(lease.session.request(departments())).rejects.toBeInstanceOf(ClosedError);
		await expect(pool.lease(credential())).rejects.toBeInstanceOf(ClosedError);
	});

	it('the process-wide pool is one instance until closed', async () => {
		const shared = sharedSessionPool();
		expect(sharedSessionPool()).toBe(shared);
		const lease = await shared.lease(credential());
		await lease.release();
		await closeSharedSessionPool();
		expect(control().sessions()).toEqual([]);
		expect(sharedSessionPool()).not.toBe(shared);
		await closeSharedSessionPool();
	});
});
