import { SIM_BOT_AGENT_ID, startSimulator, type Simulator } from '../../simulator';
import { encodeRelayId } from '../../simulator/conversations';
import {
	AgentSession,
	chatActivitySubscription,
	messageSubscription,
	sendMessage,
	updateAgentStatus,
	type ChatActivityEvent,
	type ChatMessageEvent,
} from '../../src/conversations';
import { GraphqlError } from '../../src/shared';
import { LogRecorder, newSession, Recorder, waitFor } from './helpers';

/**
 * How the client behaves where a real Zendesk may differ from the simulator's reading: a selection
 * the server refuses, a status it refuses, an answer lost in a drop (NOTES.md section 1).
 */

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

describe('a selection the server refuses costs only the unconfirmed fields', () => {
	it('message: Visitor.id refused → one retry with the confirmed selection, a warning naming the field, events without it', async () => {
		control().refuseFields({ fields: ['Visitor.id'] });
		const logs = new LogRecorder();
		session = newSession(sim, { logger: logs });
		const messages = new Recorder<ChatMessageEvent>();
		await session.subscribe(messageSubscription(), messages).ready;
		const warnings = logs.lines('warn');
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('(field Visitor.id)');
		expect(warnings[0]).toContain('without the unconfirmed fields Visitor.id');
		const chat = sim.world.startChat({ message: 'hello' });
		await waitFor(() => messages.events.length === 1, 'the event');
		const [event] = messages.events;
		expect(event.content).toBe('hello');
		expect(event.channel?.raw_id).toBe(chat.id);
		expect(event.channel?.visitor).not.toHaveProperty('id');
		expect(event.channel?.visitor?.display_name).toBe(chat.visitor.name);
		// The confirmed selection is kept across a reconnect: no second refusal, no second warning.
		control().dropSockets({});
		await waitFor(
			() =>
				control().sessions()[0]?.connected && control().sessions()[0].subscriptions.length === 1,
			'the subscription back',
		);
		expect(logs.lines('warn').filter((w) => w.includes('refused'))).toHaveLength(1);
	});

	it("chatActivity: the logs' channel refused → members joining still arrive, without their channel", async () => {
		control().refuseFields({ fields: ['MemberJoinLog.channel', 'MemberLeaveLog.channel'] });
		const logs = new LogRecorder();
		session = newSession(sim, { logger: logs });
		const activity = new Recorder<ChatActivityEvent>();
		await session.subscribe(chatActivitySubscription({ types: ['MEMBER_JOIN'] }), activity).ready;
		expect(logs.lines('warn')[0]).toContain('MemberJoinLog.channel, MemberLeaveLog.channel');
		const chat = sim.world.startChat({ message: 'hi' });
		sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
		await waitFor(() => activity.events.length >= 1, 'the join');
		expect(activity.events[0].__typename).toBe('MemberJoinLog');
		expect(activity.events[0]).not.toHaveProperty('channel');
	});

	it('a refusal the confirmed selection cannot help with still fails the subscription', async () => {
		control().refuseFields({ fields: ['Message.sender_name'] });
		session = newSession(sim);
		const messages = new Recorder<ChatMessageEvent>();
		const error = await session.subscribe(messageSubscription(), messages).ready.catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error.message).toContain('Cannot query field "sender_name" on type "Message"');
		expect(messages.endError).toBe(error);
	});
});

describe('an agent status the server refuses', () => {
	it('names the status and suggests ONLINE', async () => {
		session = newSession(sim);
		await session.connect();
		control().failNextRequests({ name: 'GRAPHQL_EXEC_ERROR', message: 'invalid value for status' });
		const error = await session.request(updateAgentStatus({ status: 'INVISIBLE' })).catch((e) => e);
		expect(error).toBeInstanceOf(GraphqlError);
		expect(error.message).toContain('Zendesk refused the agent status INVISIBLE');
		expect(error.message).toContain('use ONLINE');
		expect(error.message).toContain('invalid value for status');
	});

	it('ONLINE refused is passed on as it came (nothing better to suggest)', async () => {
		session = newSession(sim);
		await session.connect();
		control().failNextRequests({ name: 'GRAPHQL_EXEC_ERROR', message: 'nope' });
		const error = await session.request(updateAgentStatus({ status: 'ONLINE' })).catch((e) => e);
		expect(error.message).toBe('nope');
	});
});

describe('a send whose answer was lost in a dropped connection', () => {
	/** Drops every socket as soon as the agent message is in the chat, before the (delayed) answer leaves. */
	function dropWhenDelivered(chatId: string, afterMs: number): void {
		sim.faults.setDelay({ api: 'conversations', ms: 1_000 });
		const onMessage = (chat: { id: string }) => {
			if (chat.id !== chatId) return;
			sim.world.off('message', onMessage);
			setTimeout(() => {
				sim.faults.setDelay({ api: 'conversations', ms: 0 });
				control().dropSockets({});
			}, afterMs);
		};
		sim.world.on('message', onMessage);
	}

	it('is not sent again when the message subscription already showed it: the visitor sees it once', async () => {
		const logs = new LogRecorder();
		session = newSession(sim, { logger: logs });
		const messages = new Recorder<ChatMessageEvent>();
		await session.subscribe(messageSubscription(), messages).ready;
		const chat = sim.world.startChat({ message: 'hi' });
		await waitFor(() => messages.events.length === 1, 'the visitor message');
		dropWhenDelivered(chat.id, 100);
		const result = await session.request(
			sendMessage({ channelId: channelOf(chat.id), message: 'once only', msgId: 'm-1' }),
		);
		expect(result).toEqual({ success: true, msgId: 'm-1' });
		expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['once only']);
		expect(logs.lines('info').some((l) => l.includes('not sent again'))).toBe(true);
	});

	it('without a message subscription the client cannot know, and sends again (the documented window)', async () => {
		session = newSession(sim);
		await session.connect();
		const chat = sim.world.startChat({ message: 'hi' });
		dropWhenDelivered(chat.id, 100);
		await session.request(
			sendMessage({ channelId: channelOf(chat.id), message: 'twice', msgId: 'm-2' }),
		);
		expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['twice', 'twice']);
	});
});
