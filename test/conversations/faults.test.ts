import { SIM_BOT_AGENT_ID, startSimulator, type Simulator } from '../../simulator';
import { encodeRelayId } from '../../simulator/conversations';
import {
	AgentSession,
	departments,
	messageSubscription,
	sendMessage,
	type ChatMessageEvent,
	type SessionState,
	type SubscriptionOperation,
} from '../../src/conversations';
import {
	GraphqlError,
	ProtocolError,
	RateLimiter,
	SessionEndedError,
	TimeoutError,
	type ZendeskError,
} from '../../src/shared';
import { LogRecorder, newSession, nextEvent, Recorder, waitFor } from './helpers';

let sim: Simulator;
let session: AgentSession;

beforeAll(async () => {
	sim = await startSimulator();
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.conversations.control.reset();
	sim.faults.reset();
});

afterEach(async () => {
	await session?.close();
});

const control = () => sim.conversations.control;
const channelOf = (chatId: string) => encodeRelayId('CHANNEL', chatId);

/** The simulator's view: one connected session holding exactly `count` subscriptions. */
function serverHas(count: number): boolean {
	const sessions = control().sessions();
	return (
		sessions.length === 1 && sessions[0].connected && sessions[0].subscriptions.length === count
	);
}

/** Records the session's state changes. */
function watchStates(target: AgentSession): SessionState[] {
	const states: SessionState[] = [];
	target.on('state', (s) => states.push(s));
	return states;
}

async function subscribedSession(
	extra: Parameters<typeof newSession>[1] = {},
): Promise<Recorder<ChatMessageEvent>> {
	session = newSession(sim, extra);
	const messages = new Recorder<ChatMessageEvent>();
	await session.subscribe(messageSubscription(), messages).ready;
	return messages;
}

describe('abnormal close', () => {
	it('reconnects to the same websocket_url at once and subscribes again', async () => {
		const messages = await subscribedSession();
		const chat = sim.world.startChat({ message: 'before' });
		await waitFor(() => messages.events.length === 1, 'the first event');
		const states = watchStates(session);
		const reopened = nextEvent<SessionState>(
			(l) => session.on('state', l),
			(s) => s === 'open',
		);
		expect(control().dropSockets({}).dropped).toHaveLength(1);
		await reopened;
		await waitFor(() => serverHas(1), 'the subscription to be re-established');
		sim.world.visitorSays(chat.id, 'after');
		await waitFor(() => messages.events.length === 2, 'the event after the reconnect');
		expect(messages.events.map((e) => e.content)).toEqual(['before', 'after']);
		expect(states).toEqual(['reconnecting', 'open']);
		expect(control().sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
		expect(messages.ended).toBe(false);
	});

	it('delivers each event once when the server kept the old subscription too', async () => {
		control().setSubscriptionsSurviveDrop({ survive: true });
		const messages = await subscribedSession();
		const chat = sim.world.startChat({ message: 'm0' });
		await waitFor(() => messages.events.length === 1, 'the first event');
		const texts = Array.from({ length: 20 }, (_, i) => `m${i + 1}`);
		// The moment the socket is open again (before the client has re-subscribed), the visitor keeps
		// talking: events arrive on the kept subscription, then on both, then on the new one only.
		const off = session.on('state', (state) => {
			if (state !== 'open') return;
			off();
			for (const text of texts.slice(0, 10)) sim.world.visitorSays(chat.id, text);
			setImmediate(() => {
				for (const text of texts.slice(10)) sim.world.visitorSays(chat.id, text);
			});
		});
		control().dropSockets({});
		await waitFor(() => messages.events.length >= 21, 'the 20 events');
		// The stale server subscription was stopped, leaving one.
		await waitFor(() => serverHas(1), 'the stale subscription to be stopped');
		sim.world.visitorSays(chat.id, 'last');
		await waitFor(() => messages.events.length === 22, 'the last event');
		expect(messages.events.map((e) => e.content)).toEqual(['m0', ...texts, 'last']);
		expect(new Set(messages.events.map((e) => e.id)).size).toBe(22);
	});

	it('a dropped connection re-sends an idempotent request, and fails a non-idempotent one', async () => {
		session = newSession(sim);
		await session.connect();
		sim.faults.setDelay({ api: 'conversations', ms: 300 });
		const chat = sim.world.startChat({ message: 'hi' });
		const query = session.request(departments());
		const structured = session
			.request({
				...sendMessage({ channelId: channelOf(chat.id), message: 'x' }),
				idempotent: false,
			})
			.catch((e) => e);
		await new Promise((r) => setTimeout(r, 50));
		control().dropSockets({});
		sim.faults.setDelay({ api: 'conversations', ms: 0 });
		await expect(query).resolves.toHaveLength(3);
		expect(await structured).toMatchObject({ code: 'ZCHAT_ERR_CONNECTION', retryable: true });
	});

	it('a URL that is no longer a session (EOS on connect) leads to a new session', async () => {
		const messages = await subscribedSession();
		// The dropped session expires at once; the next one lives normally. The reconnect is held back
		// a little, so that it reaches the server after the session expired (else it may resume it).
		control().setResumeGraceMs({ ms: 0 });
		sim.faults.setDelay({ api: 'conversations', ms: 200 });
		const eos = nextEvent<string>((l) => session.on('eos', l));
		session.on('eos', () => {
			control().setResumeGraceMs({ ms: 60_000 });
			sim.faults.setDelay({ api: 'conversations', ms: 0 });
		});
		control().dropSockets({});
		expect(await eos).toBe('unexpected session state');
		await waitFor(() => serverHas(1), 'a new session with the subscription');
		expect(control().sessionStarts()).toMatchObject({ succeeded: 2 });
		const chat = sim.world.startChat({ message: 'in the new session' });
		await waitFor(() => messages.events.length === 1, 'the event');
		expect(messages.events[0].channel?.id).toBe(channelOf(chat.id));
	});
});

describe('HTTP faults', () => {
	it('a 503 and a 429 with Retry-After at startAgentSession are retried', async () => {
		sim.faults.failNextHttp({ api: 'conversations', status: 503 });
		sim.faults.failNextHttp({ api: 'conversations', status: 429, retryAfter: 1 });
		session = newSession(sim);
		await session.connect();
		expect(sim.faults.served.conversations).toBe(2);
		expect(control().sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
	});

	it('GRAPHQL_EXEC_ERROR at startAgentSession is not retried', async () => {
		control().failNextSessionStarts({ name: 'GRAPHQL_EXEC_ERROR' });
		session = newSession(sim);
		await expect(session.connect()).rejects.toMatchObject({
			errorName: 'GRAPHQL_EXEC_ERROR',
			errorCode: 400,
		});
		expect(control().sessionStarts()).toMatchObject({ total: 1 });
	});

	it('a WebSocket upgrade refused with 404 gives the URL up for a new session', async () => {
		const messages = await subscribedSession();
		sim.faults.failNextHttp({ api: 'conversations', status: 404 });
		control().dropSockets({});
		await waitFor(
			() => control().sessionStarts().succeeded === 2 && serverHas(1),
			'a new session with the subscription',
		);
		sim.world.startChat({ message: 'after the refusal' });
		await waitFor(() => messages.events.length === 1, 'the event');
	});

	it('a WebSocket upgrade refused with 503 is tried again at the same URL', async () => {
		const messages = await subscribedSession();
		sim.faults.failNextHttp({ api: 'conversations', status: 503 });
		const warning = nextEvent<ZendeskError>((l) => session.on('warning', l));
		control().dropSockets({});
		expect((await warning).message).toBe("the server refused the session's WebSocket (HTTP 503)");
		await waitFor(() => serverHas(1), 'the subscription back');
		expect(control().sessionStarts()).toMatchObject({ succeeded: 1 });
		sim.world.startChat({ message: 'same session' });
		await waitFor(() => messages.events.length === 1, 'the event');
	});

	it('UNAUTHORIZED and FORBIDDEN answered on the socket surface as typed errors, not retried', async () => {
		session = newSession(sim);
		await session.connect();
		control().failNextRequests({ name: 'UNAUTHORIZED' });
		control().failNextRequests({ name: 'FORBIDDEN' });
		await expect(session.request(departments())).rejects.toMatchObject({
			errorName: 'UNAUTHORIZED',
			errorCode: 401,
			retryable: false,
		});
		await expect(session.request(departments())).rejects.toMatchObject({
			errorName: 'FORBIDDEN',
			errorCode: 403,
			retryable: false,
		});
		await expect(session.request(departments())).resolves.toHaveLength(3);
		expect(session.state).toBe('open');
	});
});

describe('end of service (EOS)', () => {
	it('starts a new session, sets the agent status again, and re-establishes subscriptions', async () => {
		const messages = await subscribedSession({ agentStatus: 'ONLINE' });
		await waitFor(() => sim.world.agents.get(SIM_BOT_AGENT_ID)?.status === 'ONLINE', 'ONLINE');
		const firstSession = control().sessions()[0].sessionId;
		sim.world.setAgentStatus(SIM_BOT_AGENT_ID, 'AWAY');
		const eos = nextEvent<string>((l) => session.on('eos', l));
		control().sendEos({ reason: 'unexpected session state' });
		expect(await eos).toBe('unexpected session state');
		await waitFor(() => serverHas(1), 'the new session with its subscription');
		expect(control().sessions()[0].sessionId).not.toBe(firstSession);
		expect(control().sessionStarts()).toMatchObject({ total: 2, succeeded: 2 });
		expect(session.sessionsStarted).toBe(2);
		await waitFor(
			() => sim.world.agents.get(SIM_BOT_AGENT_ID)?.status === 'ONLINE',
			'ONLINE again',
		);
		const chat = sim.world.startChat({ message: 'after EOS' });
		await waitFor(() => messages.events.length === 1, 'the event');
		await session.request(sendMessage({ channelId: channelOf(chat.id), message: 'still here' }));
		expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['still here']);
	});

	it('loses no event and repeats none over alternating drops and EOSes', async () => {
		const messages = await subscribedSession();
		const chat = sim.world.startChat();
		const expected: string[] = [];
		for (let round = 0; round < 4; round++) {
			for (let i = 0; i < 5; i++) {
				const text = `round ${round} message ${i}`;
				expected.push(text);
				sim.world.visitorSays(chat.id, text);
			}
			await waitFor(() => messages.events.length === expected.length, `round ${round}`);
			const reopened = nextEvent<SessionState>(
				(l) => session.on('state', l),
				(s) => s === 'open',
			);
			if (round % 2 === 0) control().dropSockets({});
			else control().sendEos({});
			await reopened;
			await waitFor(() => serverHas(1), 'the subscription to be back');
		}
		expect(messages.events.map((e) => e.content)).toEqual(expected);
		expect(messages.errors).toEqual([]);
		expect(control().sessionStarts()).toMatchObject({ succeeded: 3 });
	});
});

describe('end of service that would only repeat: another login of the same agent', () => {
	it('EOS "concurrent session limit reached" fails the session with what to do, and starts nothing more', async () => {
		const logs = new LogRecorder();
		const messages = await subscribedSession({ logger: logs });
		const failed = nextEvent<ZendeskError>((l) => session.on('error', l));
		control().sendEos({ reason: 'concurrent session limit reached' });
		const error = await failed;
		expect(error).toBeInstanceOf(SessionEndedError);
		expect(error.message).toContain('another app or n8n instance logged in as the same agent');
		expect(error.message).toContain('Stop the other app or n8n instance');
		expect(error.retryable).toBe(false);
		expect(messages.endError).toBe(error);
		expect(session.state).toBe('failed');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(control().sessionStarts()).toMatchObject({ total: 1 });
		expect(logs.lines('error').join('\n')).toContain('another app or n8n instance');
	});

	it('sessions ended by EOS again and again before they settle: the fourth in a row fails instead of fighting', async () => {
		await subscribedSession({ stableAfterMs: 60_000 });
		const failed = nextEvent<ZendeskError>((l) => session.on('error', l));
		for (let round = 1; round <= 4; round++) {
			const reopened =
				round < 4
					? nextEvent<SessionState>(
							(l) => session.on('state', l),
							(s) => s === 'open',
						)
					: undefined;
			control().sendEos({ reason: 'unexpected session state' });
			await reopened;
			if (round < 4) await waitFor(() => serverHas(1), `session ${round + 1}`);
		}
		const error = await failed;
		expect(error).toBeInstanceOf(SessionEndedError);
		expect(error.message).toContain('4 times in a row');
		expect(control().sessionStarts()).toMatchObject({ total: 4, succeeded: 4 });
	});
});

describe('start budget spent after the session was up', () => {
	it('each refused start is an error in the log saying when the next try is; the session comes back by itself', async () => {
		const logs = new LogRecorder();
		// One start per 1.5 s stands in for "50 an hour": the same code path, a wait a test can sit out.
		const budget = new RateLimiter([{ limit: 1, windowMs: 1_500 }], 'conversations');
		const messages = await subscribedSession({
			logger: logs,
			startBudget: budget,
			maxBudgetWaitMs: 50,
		});
		const reopened = nextEvent<SessionState>(
			(l) => session.on('state', l),
			(s) => s === 'open',
		);
		control().sendEos({ reason: 'unexpected session state' });
		await waitFor(() => logs.lines('error').length === 1, 'the refused start in the log');
		const [line] = logs.lines('error');
		expect(line).toContain('startAgentSession was refused');
		expect(line).toContain('budget spent');
		expect(line).toMatch(/Next try at \d{4}-\d{2}-\d{2}T/);
		expect(session.state).toBe('reconnecting');
		await reopened;
		await waitFor(() => serverHas(1), 'the subscription back');
		// Waited for the slot instead of trying again and again.
		expect(logs.lines('error')).toHaveLength(1);
		expect(control().sessionStarts()).toMatchObject({ total: 2, succeeded: 2 });
		sim.world.startChat({ message: 'back' });
		await waitFor(() => messages.events.length === 1, 'the event after recovery');
	});
});

describe('keepalive', () => {
	it('a missing PONG closes the half-open socket and reconnects', async () => {
		const messages = await subscribedSession({ pingIntervalMs: 30, pongTimeoutMs: 60 });
		const states = watchStates(session);
		session.on('state', (state) => {
			if (state === 'reconnecting')
				sim.faults.setPingSilenced({ api: 'conversations', silenced: false });
		});
		sim.faults.setPingSilenced({ api: 'conversations', silenced: true });
		await waitFor(() => states.includes('open'), 'the reconnect');
		expect(states.slice(0, 2)).toEqual(['reconnecting', 'open']);
		await waitFor(() => serverHas(1), 'the subscription');
		sim.world.startChat({ message: 'alive' });
		await waitFor(() => messages.events.length === 1, 'the event');
		expect(control().sessionStarts()).toMatchObject({ succeeded: 1 });
	});
});

describe('errors the server injects', () => {
	it('RATE_LIMITED on a request is retried with backoff; the message is sent once', async () => {
		session = newSession(sim);
		await session.connect();
		const chat = sim.world.startChat({ message: 'hi' });
		control().failNextRequests({ count: 2, name: 'RATE_LIMITED' });
		await expect(
			session.request(sendMessage({ channelId: channelOf(chat.id), message: 'once' })),
		).resolves.toMatchObject({ success: true });
		expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['once']);
	});

	it('RATE_LIMITED beyond the retries is a typed, retryable error', async () => {
		session = newSession(sim, { requestRetries: 2 });
		await session.connect();
		control().failNextRequests({ count: 3, name: 'RATE_LIMITED' });
		const error = await session.request(departments()).catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error).toMatchObject({ errorName: 'RATE_LIMITED', errorCode: 429, retryable: true });
	});

	it('GRAPHQL_SUB_START_ERROR is retried a few times, then surfaces', async () => {
		session = newSession(sim, { subscribeRetries: 3 });
		await session.connect();
		control().failNextSubscriptionStarts({ count: 2 });
		const recovered = new Recorder<ChatMessageEvent>();
		await session.subscribe(messageSubscription(), recovered).ready;
		expect(serverHas(1)).toBe(true);

		control().failNextSubscriptionStarts({ count: 4 });
		const failing = new Recorder<unknown>();
		const handle = session.subscribe(customSubscription(1), failing);
		const error = await handle.ready.catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error).toMatchObject({ errorName: 'GRAPHQL_SUB_START_ERROR', retryable: true });
		expect(failing.endError).toBe(error);
		// 1 try + 3 retries used all 4 injected failures.
		expect(control().failNextSubscriptionStarts({ count: 1 }).queued).toBe(1);
		expect(recovered.ended).toBe(false);
	});

	it('MAX_SUB: the eleventh subscription fails as a typed error, the ten others go on', async () => {
		session = newSession(sim);
		await session.connect();
		const sinks = Array.from({ length: 10 }, () => new Recorder<unknown>());
		await Promise.all(sinks.map((sink, i) => session.subscribe(customSubscription(i), sink).ready));
		const eleventh = new Recorder<unknown>();
		const error = await session.subscribe(customSubscription(10), eleventh).ready.catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error).toMatchObject({ errorName: 'MAX_SUB', retryable: false });
		expect(eleventh.ended).toBe(true);
		sim.world.startChat({ message: 'to the ten' });
		await waitFor(() => sinks.every((s) => s.events.length === 1), 'all ten');
	});

	it('malformed frames are reported and ignored; an error DATA frame reaches the sink', async () => {
		const messages = await subscribedSession();
		const warnings: ZendeskError[] = [];
		session.on('warning', (w) => warnings.push(w));
		control().sendMalformedFrame({});
		control().sendMalformedFrame({ text: '[1,2]' });
		await waitFor(() => warnings.length === 2, 'two warnings');
		expect(warnings.every((w) => w instanceof ProtocolError)).toBe(true);
		expect(warnings[0].message).toBe('ignored a frame that is not a Conversations API message');

		const id = control().sessions()[0].subscriptions[0].id;
		control().sendMalformedFrame({
			text: JSON.stringify({
				sig: 'DATA',
				subscription_id: id,
				payload: { data: { message: null } },
			}),
		});
		control().sendMalformedFrame({
			text: JSON.stringify({
				error_code: 500,
				payload: { errors: [{ name: 'GRAPHQL_EXEC_ERROR', message: 'boom', UUID: 'u-1' }] },
				sig: 'DATA',
				subscription_id: id,
			}),
		});
		await waitFor(() => messages.errors.length === 2, 'two sink errors');
		expect(messages.errors[0]).toBeInstanceOf(ProtocolError);
		expect(messages.errors[1]).toMatchObject({
			errorName: 'GRAPHQL_EXEC_ERROR',
			uuid: 'u-1',
			errorCode: 500,
		});
		expect(session.state).toBe('open');
		sim.world.startChat({ message: 'still flowing' });
		await waitFor(() => messages.events.length === 1, 'the event');
		await expect(session.request(departments())).resolves.toHaveLength(3);
		expect(messages.ended).toBe(false);
	});

	it('delayed answers: waited for within the timeout, a TimeoutError beyond it', async () => {
		session = newSession(sim);
		await session.connect();
		sim.faults.setDelay({ api: 'conversations', ms: 150 });
		await expect(session.request(departments())).resolves.toHaveLength(3);
		const error = await session.request(departments(), { timeoutMs: 50 }).catch((e) => e);
		expect(error).toBeInstanceOf(TimeoutError);
		expect(error).toMatchObject({ code: 'ZCHAT_ERR_TIMEOUT', retryable: true });
		sim.faults.setDelay({ api: 'conversations', ms: 0 });
		// The late answer of the timed-out request is ignored; the next request gets its own.
		await new Promise((r) => setTimeout(r, 200));
		await expect(session.request(departments())).resolves.toHaveLength(3);
		expect(session.state).toBe('open');
	});

	it('an aborted request rejects with AbortedError', async () => {
		session = newSession(sim);
		await session.connect();
		sim.faults.setDelay({ api: 'conversations', ms: 200 });
		const controller = new AbortController();
		const pending = session.request(departments(), { signal: controller.signal });
		controller.abort();
		await expect(pending).rejects.toMatchObject({ code: 'ZCHAT_ERR_ABORTED' });
	});

	it('closing while reconnecting leaves nothing behind', async () => {
		const messages = await subscribedSession();
		const states = watchStates(session);
		control().setResumeGraceMs({ ms: 0 });
		control().failNextSessionStarts({ count: 50, name: 'RATE_LIMITED' });
		// Held back so the reconnect finds the session expired (else it may resume it and never reconnect).
		sim.faults.setDelay({ api: 'conversations', ms: 200 });
		control().dropSockets({});
		await waitFor(() => states.includes('reconnecting'), 'reconnecting');
		await session.close();
		expect(session.state).toBe('closed');
		expect(messages.ended).toBe(true);
	});
});

/** A subscription with a document of its own, so each counts as a separate server subscription. */
function customSubscription(n: number): SubscriptionOperation<{ id: string }> {
	return {
		kind: 'subscription',
		name: `Custom${n}`,
		document: `subscription Custom${n} { message { node { id } } }`,
		variables: {},
		select: (data) => (data as { message?: { node?: { id: string } } })?.message?.node,
		eventId: (event) => event.id,
	};
}
