import {
	SIM_BOT_AGENT_ID,
	SIM_DEPARTMENTS,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../simulator';
import { encodeRelayId } from '../../simulator/conversations';
import {
	addTags,
	agents,
	AgentSession,
	channels,
	chatActivitySubscription,
	departments,
	inviteAgent,
	listenVisitorChannel,
	messageSubscription,
	sendButtonTemplate,
	sendListTemplate,
	sendMessage,
	sendPanelTemplate,
	sendPanelTemplateCarousel,
	sendQuickReplies,
	setTypingIndicator,
	transferToDepartment,
	updateAgentStatus,
	type ChatActivityEvent,
	type ChatMessageEvent,
} from '../../src/conversations';
import {
	ClosedError,
	GraphqlError,
	InvalidInputError,
	staticToken,
	type TokenProvider,
} from '../../src/shared';
import { newSession, Recorder, waitFor } from './helpers';

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
});

afterEach(async () => {
	await session?.close();
});

const channelOf = (chatId: string) => encodeRelayId('CHANNEL', chatId);

describe('an agent session over real sockets', () => {
	it('starts over HTTP, connects, and answers queries', async () => {
		session = newSession(sim);
		expect(session.state).toBe('idle');
		await session.connect();
		expect(session.state).toBe('open');
		expect(sim.conversations.control.sessionStarts()).toMatchObject({
			total: 1,
			succeeded: 1,
			byAgent: { [SIM_BOT_AGENT_ID]: 1 },
		});

		expect(await session.request(departments())).toEqual([
			{
				id: encodeRelayId('DEPARTMENT', SIM_DEPARTMENTS.sales),
				raw_id: String(SIM_DEPARTMENTS.sales),
				name: 'Sales',
				status: 'ONLINE',
			},
			{
				id: encodeRelayId('DEPARTMENT', SIM_DEPARTMENTS.support),
				raw_id: String(SIM_DEPARTMENTS.support),
				name: 'Support',
				status: 'ONLINE',
			},
			{
				id: encodeRelayId('DEPARTMENT', SIM_DEPARTMENTS.billing),
				raw_id: String(SIM_DEPARTMENTS.billing),
				name: 'Billing',
				status: 'OFFLINE',
			},
		]);
		const team = await session.request(agents());
		expect(team.map((a) => [a.id, a.raw_id, a.display_name])).toEqual([
			[encodeRelayId('AGENT', SIM_BOT_AGENT_ID), String(SIM_BOT_AGENT_ID), 'Ada Bot'],
			[encodeRelayId('AGENT', SIM_HUMAN_AGENT_ID), String(SIM_HUMAN_AGENT_ID), 'Grace Hopper'],
		]);
		const chat = sim.world.startChat({ message: 'hi' });
		sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID);
		sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
		expect(await session.request(channels())).toEqual([
			{
				id: channelOf(chat.id),
				raw_id: chat.id,
				agents: [
					{
						id: encodeRelayId('AGENT', SIM_HUMAN_AGENT_ID),
						status: 'ONLINE',
						display_name: 'Grace Hopper',
					},
					{
						id: encodeRelayId('AGENT', SIM_BOT_AGENT_ID),
						status: 'OFFLINE',
						display_name: 'Ada Bot',
					},
				],
			},
		]);
	});

	it('sets the agent status on start when asked to, and on request', async () => {
		session = newSession(sim, { agentStatus: 'ONLINE' });
		await session.connect();
		await waitFor(
			() => sim.world.agents.get(SIM_BOT_AGENT_ID)?.status === 'ONLINE',
			'the agent to be ONLINE',
		);
		expect(await session.request(updateAgentStatus({ status: 'AWAY' }))).toEqual({
			id: encodeRelayId('AGENT', SIM_BOT_AGENT_ID),
			display_name: 'Ada Bot',
		});
		expect(sim.world.agents.get(SIM_BOT_AGENT_ID)?.status).toBe('AWAY');
	});

	it('delivers subscription events in order, and a send while subscribed uses the same session', async () => {
		session = newSession(sim);
		const messages = new Recorder<ChatMessageEvent>();
		const handle = session.subscribe(messageSubscription(), messages);
		await handle.ready;
		const chat = sim.world.startChat();
		const texts = Array.from({ length: 50 }, (_, i) => `message ${i}`);
		for (const text of texts) sim.world.visitorSays(chat.id, text);
		await waitFor(() => messages.events.length === 50, '50 events');
		expect(messages.events.map((e) => e.content)).toEqual(texts);
		expect(messages.events[0]).toMatchObject({
			channel: { id: channelOf(chat.id), visitor: { display_name: chat.visitor.name } },
			from: { __typename: 'Visitor', display_name: chat.visitor.name },
		});

		const sent = await session.request(
			sendMessage({ channelId: channelOf(chat.id), message: 'Hello visitor', msgId: 'my-id-1' }),
		);
		expect(sent).toEqual({ success: true, msgId: 'my-id-1' });
		expect(sim.world.requireChat(chat.id).delivered.map((d) => [d.text, d.msgId])).toEqual([
			['Hello visitor', 'my-id-1'],
		]);
		// The agent's own message comes back on the subscription too, as from an Agent.
		await waitFor(() => messages.events.length === 51, "the agent's own message");
		expect(messages.events[50]).toMatchObject({
			content: 'Hello visitor',
			msg_id: 'my-id-1',
			from: { __typename: 'Agent' },
		});
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 1, succeeded: 1 });
		expect(messages.errors).toEqual([]);
	});

	it('shares one server subscription between identical subscribers, and stops it with the last one', async () => {
		session = newSession(sim);
		const a = new Recorder<ChatMessageEvent>();
		const b = new Recorder<ChatMessageEvent>();
		const first = session.subscribe(messageSubscription(), a);
		const second = session.subscribe(messageSubscription(), b);
		await Promise.all([first.ready, second.ready]);
		const sessions = () => sim.conversations.control.sessions();
		expect(sessions()[0].subscriptions).toHaveLength(1);
		const chat = sim.world.startChat({ message: 'to both' });
		await waitFor(() => a.events.length === 1 && b.events.length === 1, 'both sinks');
		await first.unsubscribe();
		expect(a.ended).toBe(true);
		expect(sessions()[0].subscriptions).toHaveLength(1);
		sim.world.visitorSays(chat.id, 'to b only');
		await waitFor(() => b.events.length === 2, 'the second message');
		expect(a.events).toHaveLength(1);
		await second.unsubscribe();
		await waitFor(
			() => sessions()[0].subscriptions.length === 0,
			'the server subscription to stop',
		);
	});

	it('delivers chat activity with the channel', async () => {
		session = newSession(sim);
		const activity = new Recorder<ChatActivityEvent>();
		await session.subscribe(chatActivitySubscription({ types: ['MEMBER_JOIN'] }), activity).ready;
		const chat = sim.world.startChat();
		sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID);
		sim.world.agentLeaves(chat.id, SIM_HUMAN_AGENT_ID);
		await waitFor(() => activity.events.length === 2, 'two joins');
		expect(activity.events.map((e) => [e.__typename, e.user_name, e.channel?.id])).toEqual([
			['MemberJoinLog', chat.visitor.name, channelOf(chat.id)],
			['MemberJoinLog', 'Grace Hopper', channelOf(chat.id)],
		]);
	});

	it('runs every chat mutation the nodes need', async () => {
		session = newSession(sim);
		await session.connect();
		const chat = sim.world.startChat({ message: 'help' });
		const channelId = channelOf(chat.id);

		await session.request(setTypingIndicator({ channelId, typing: true }));
		expect(sim.conversations.control.typingIndicators({ chatId: chat.id })).toMatchObject([
			{ typing: true, agentId: SIM_BOT_AGENT_ID },
		]);

		expect(await session.request(addTags({ channelId, tags: ['vip', 'order-42'] }))).toEqual({
			success: true,
		});
		expect(sim.world.requireChat(chat.id).tags).toEqual(['vip', 'order-42']);

		await session.request(listenVisitorChannel({ channelId }));
		expect(sim.conversations.control.sessions()[0].listenedChats).toEqual([chat.id]);

		await session.request(
			inviteAgent({ channelId, agentId: encodeRelayId('AGENT', SIM_HUMAN_AGENT_ID) }),
		);
		expect(sim.world.requireChat(chat.id).activeAgentIds).toContain(SIM_HUMAN_AGENT_ID);

		await session.request(
			transferToDepartment({
				channelId,
				departmentId: encodeRelayId('DEPARTMENT', SIM_DEPARTMENTS.support),
			}),
		);
		expect(sim.world.requireChat(chat.id).departmentId).toBe(SIM_DEPARTMENTS.support);
	});

	it('sends the five structured messages, each with a fallback', async () => {
		session = newSession(sim);
		await session.connect();
		const chat = sim.world.startChat({ message: 'options?' });
		const channelId = channelOf(chat.id);
		const reply = { text: 'Yes', action: 'reply' as const, value: 'yes please' };
		await session.request(
			sendQuickReplies({
				channelId,
				message: 'Pick',
				quickReplies: [{ text: 'A' }, { text: 'B', value: 'bee' }],
			}),
		);
		await session.request(sendButtonTemplate({ channelId, message: 'Sure?', buttons: [reply] }));
		await session.request(
			sendPanelTemplate({
				channelId,
				panel: { heading: 'Shoes', imageUrl: 'https://example.com/s.png' },
				buttons: [reply],
			}),
		);
		await session.request(
			sendPanelTemplateCarousel({
				channelId,
				items: [{ panel: { heading: 'One' } }, { panel: { heading: 'Two' } }],
			}),
		);
		await session.request(
			sendListTemplate({
				channelId,
				items: [{ heading: 'Row 1' }, { heading: 'Row 2' }],
				buttons: [reply],
			}),
		);
		const delivered = sim.world.requireChat(chat.id).delivered;
		expect(delivered.map((d) => d.structured?.kind)).toEqual([
			'quick_replies',
			'buttons',
			'panel',
			'carousel',
			'list',
		]);
		expect(delivered[0].structured?.args).toEqual({
			channel_id: channelId,
			msg: 'Pick',
			quick_replies: [
				{ text: 'A', action: { value: 'A' } },
				{ text: 'B', action: { value: 'bee' } },
			],
			fallback: { msg: 'Pick', options: ['A', 'B'] },
		});
		expect(delivered[1].structured?.args.buttons).toEqual([
			{ text: 'Yes', action: { type: 'QUICK_REPLY_ACTION', value: 'yes please' } },
		]);
		expect(delivered[2].structured?.args.panel).toEqual({
			heading: 'Shoes',
			image_url: 'https://example.com/s.png',
		});
		expect(delivered.map((d) => (d.structured?.args.fallback as { msg: string }).msg)).toEqual([
			'Pick',
			'Sure?',
			'Shoes',
			'1. One\n2. Two',
			'1. Row 1\n2. Row 2',
		]);
	});

	it('surfaces API errors as typed GraphqlErrors with the UUID', async () => {
		session = newSession(sim);
		await session.connect();
		const error = await session
			.request(sendMessage({ channelId: 'not-a-relay-id', message: 'x' }))
			.catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error).toMatchObject({
			errorName: 'GRAPHQL_EXEC_ERROR',
			errorCode: 400,
			retryable: false,
			api: 'conversations',
		});
		expect(error.uuid).toMatch(/^[0-9a-f-]{36}$/);
		// Bad input never reaches the server.
		expect(() => session.request(sendMessage({ channelId: '', message: 'x' }))).toThrow(
			InvalidInputError,
		);
	});

	it('close() stops the session: stopAgentSession, then nothing is left', async () => {
		session = newSession(sim);
		const messages = new Recorder<ChatMessageEvent>();
		await session.subscribe(messageSubscription(), messages).ready;
		expect(sim.conversations.control.sessions()).toHaveLength(1);
		const states: string[] = [];
		session.on('state', (s) => states.push(s));
		await session.close();
		expect(states).toEqual(['closing', 'closed']);
		expect(sim.conversations.control.sessions()).toEqual([]);
		expect(messages.ended).toBe(true);
		expect(messages.endError).toBeUndefined();
		await expect(session.request(departments())).rejects.toBeInstanceOf(ClosedError);
		await expect(session.connect()).rejects.toBeInstanceOf(ClosedError);
		const late = new Recorder<ChatMessageEvent>();
		await expect(session.subscribe(messageSubscription(), late).ready).rejects.toBeInstanceOf(
			ClosedError,
		);
		await waitFor(() => late.ended, 'the late sink to end');
		await session.close(); // a second close is a no-op
	});

	it('a request waiting for the connection is rejected by close()', async () => {
		session = newSession(sim);
		const pending = session.request(departments());
		const closing = session.close();
		await expect(pending).rejects.toBeInstanceOf(ClosedError);
		await closing;
	});
});

describe('startAgentSession errors', () => {
	it('UNAUTHORIZED: asks the token provider to refresh once, then succeeds', async () => {
		let refreshes = 0;
		const provider: TokenProvider = {
			getToken: async () => SIM_TOKENS.revoked,
			refresh: async () => {
				refreshes++;
				return SIM_TOKENS.bot;
			},
		};
		session = newSession(sim, { tokenProvider: provider });
		await session.connect();
		expect(refreshes).toBe(1);
		expect(sim.conversations.control.sessionStarts()).toMatchObject({
			total: 2,
			byOutcome: { UNAUTHORIZED: 1, ok: 1 },
		});
	});

	it('UNAUTHORIZED without a refresh, and FORBIDDEN, fail at once as typed errors', async () => {
		session = newSession(sim, { tokenProvider: staticToken(SIM_TOKENS.revoked) });
		const unauthorized = await session.connect().catch((e) => e);
		expect(unauthorized).toBeInstanceOf(GraphqlError);
		expect(unauthorized).toMatchObject({
			errorName: 'UNAUTHORIZED',
			errorCode: 401,
			retryable: false,
		});
		expect(session.state).toBe('failed');

		const forbidden = newSession(sim, { tokenProvider: staticToken(SIM_TOKENS.readOnly) });
		const errors: unknown[] = [];
		forbidden.on('error', (e) => errors.push(e));
		const error = await forbidden.connect().catch((e) => e);
		expect(error).toMatchObject({ errorName: 'FORBIDDEN', errorCode: 403 });
		expect(errors).toEqual([error]);
		await expect(forbidden.request(departments())).rejects.toBe(error);
		expect(sim.conversations.control.sessionStarts()).toMatchObject({
			total: 2,
			byOutcome: { UNAUTHORIZED: 1, FORBIDDEN: 1 },
		});
	});

	it('RATE_LIMITED is retried with backoff', async () => {
		sim.conversations.control.failNextSessionStarts({ count: 2, name: 'RATE_LIMITED' });
		session = newSession(sim);
		await session.connect();
		expect(sim.conversations.control.sessionStarts()).toMatchObject({
			total: 3,
			byOutcome: { RATE_LIMITED: 2, ok: 1 },
		});
	});

	it('gives up on the first connection after startAttempts', async () => {
		sim.conversations.control.failNextSessionStarts({ count: 5, name: 'RATE_LIMITED' });
		session = newSession(sim, { startAttempts: 3 });
		const error = await session.connect().catch((e) => e);
		expect(error).toMatchObject({ errorName: 'RATE_LIMITED' });
		expect(sim.conversations.control.sessionStarts()).toMatchObject({ total: 3 });
	});

	it('sends the token as a variable: a token full of GraphQL syntax is merely unknown', async () => {
		session = newSession(sim, {
			tokenProvider: staticToken('x") { startAgentSession(access_token: "sim-token-bot'),
		});
		await expect(session.connect()).rejects.toMatchObject({ errorName: 'UNAUTHORIZED' });
	});

	it('a host that is not there is a retryable ConnectionError', async () => {
		session = new AgentSession({
			tokenProvider: staticToken('t'),
			httpUrl: 'http://127.0.0.1:9/graphql/request',
			startAttempts: 1,
		});
		await expect(session.connect()).rejects.toMatchObject({
			code: 'ZCHAT_ERR_CONNECTION',
			retryable: true,
		});
	});
});
