import {
	ManualClock,
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	startSimulator,
	type Simulator,
} from '../../simulator';
import type { WsProbe } from '../helpers/ws-probe';
import {
	control,
	dataFrames,
	gql,
	openSession,
	relayId,
	subscribe,
	UUID,
	waitForData,
} from './conversations-helpers';
import { restClient } from './rest-helpers';

/**
 * Two things the public schema pages show (conversations-api-schema.md): leaveChannel ("Leave the
 * channel if joined, or stop listening to it if listening") and sendMessage's options ("discrete
 * answers the visitor can pick ('/' inside an option splits it in two)"), which Message.options carries.
 */
describe('conversations: leaveChannel and sendMessage options', () => {
	let sim: Simulator;
	let clock: ManualClock;
	let probe: WsProbe;

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await control(sim, 'reset');
		for (const chat of sim.world.openChats()) sim.world.endChat(chat.id);
		probe = (await openSession(sim, clock)).probe;
	});
	afterEach(() => probe.close());

	const LEAVE = 'mutation($c: ID!) { leaveChannel(channel_id: $c) { success } }';
	const LEFT = { payload: { data: { leaveChannel: { success: true } } }, id: expect.anything() };
	const execError = (message: string) => ({
		errorCode: 400,
		payload: { errors: [{ name: 'GRAPHQL_EXEC_ERROR', message, UUID }] },
		id: expect.anything(),
	});

	function newChat(message = 'Hi') {
		const chat = sim.world.startChat({ visitor: { name: 'Harry' }, message });
		return { chat, channelId: relayId('CHANNEL', chat.id) };
	}

	describe('leaveChannel', () => {
		it('takes the agent out of a chat it joined, with a MemberLeaveLog like every other leave', async () => {
			const activity = await subscribe(
				probe,
				'subscription { chatActivity(filter: {chat_activity_types: [MEMBER_LEAVE]}) { node { __typename ... on MemberLeaveLog { user_name user { __typename id } } } } }',
			);
			const { chat, channelId } = newChat();
			sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
			expect(await gql(probe, LEAVE, { c: channelId })).toEqual(LEFT);
			expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([]);
			expect(sim.world.requireChat(chat.id).history.at(-1)).toMatchObject({
				type: 'chat.memberleave',
				senderType: 'Agent',
				agentId: SIM_BOT_AGENT_ID,
			});
			const [frame] = await waitForData(probe, activity, 1);
			expect(frame.payload).toEqual({
				data: {
					chatActivity: {
						node: {
							__typename: 'MemberLeaveLog',
							user_name: 'Ada Bot',
							user: { __typename: 'Agent', id: relayId('AGENT', SIM_BOT_AGENT_ID) },
						},
					},
				},
			});
		});

		it('stops listening to a chat it only listened to: its messages stop arriving', async () => {
			const messages = await subscribe(probe, 'subscription { message { node { content } } }');
			const { chat, channelId } = newChat('first');
			sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID);
			await gql(probe, 'mutation($c: ID!) { listenVisitorChannel(channel_id: $c) { success } }', {
				c: channelId,
			});
			sim.world.visitorSays(chat.id, 'heard');
			await waitForData(probe, messages, 2);
			expect(await gql(probe, LEAVE, { c: channelId })).toEqual(LEFT);
			expect(sim.conversations.control.sessions()[0].listenedChats).toEqual([]);
			expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_HUMAN_AGENT_ID]);
			sim.world.visitorSays(chat.id, 'not heard');
			const other = newChat('unserved, so heard');
			await waitForData(probe, messages, 3);
			expect(dataFrames(probe, messages).map((f) => f.payload.data.message.node.content)).toEqual([
				'first',
				'heard',
				'unserved, so heard',
			]);
			expect(other.chat.activeAgentIds).toEqual([]);
		});

		it('leaves a chat it joined and listens to first, then stops listening, then refuses', async () => {
			const { chat, channelId } = newChat();
			sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
			await gql(probe, 'mutation($c: ID!) { listenVisitorChannel(channel_id: $c) { success } }', {
				c: channelId,
			});
			expect(await gql(probe, LEAVE, { c: channelId })).toEqual(LEFT);
			expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([]);
			expect(sim.conversations.control.sessions()[0].listenedChats).toEqual([chat.id]);
			expect(await gql(probe, LEAVE, { c: channelId })).toEqual(LEFT);
			expect(sim.conversations.control.sessions()[0].listenedChats).toEqual([]);
			expect(await gql(probe, LEAVE, { c: channelId })).toEqual(
				execError(`channel ${channelId} is neither joined nor listened to by this agent`),
			);
			expect(
				sim.world.requireChat(chat.id).history.filter((h) => h.type === 'chat.memberleave'),
			).toHaveLength(1);
		});

		it('refuses a channel the agent is in neither way, and ids that are not channels of this API', async () => {
			const { chat, channelId } = newChat();
			expect(await gql(probe, LEAVE, { c: channelId })).toEqual(
				execError(`channel ${channelId} is neither joined nor listened to by this agent`),
			);
			sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID);
			expect(await gql(probe, LEAVE, { c: channelId })).toEqual(
				execError(`channel ${channelId} is neither joined nor listened to by this agent`),
			);
			expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_HUMAN_AGENT_ID]);
			expect(await gql(probe, LEAVE, { c: chat.id })).toEqual(
				execError(
					`channel_id ${JSON.stringify(chat.id)} is not a CHANNEL id of this API (ids from the Chat REST API do not work here)`,
				),
			);
			expect(await gql(probe, LEAVE, { c: relayId('CHANNEL', 'no-such-chat') })).toEqual(
				execError(`no channel ${relayId('CHANNEL', 'no-such-chat')}`),
			);
		});
	});

	describe('sendMessage options', () => {
		const MESSAGE =
			'subscription { message { node { channel { id } content from { __typename } id msg_id options sender_name timestamp } } }';
		const SEND =
			'mutation($c: ID!, $o: [String!]) { sendMessage(channel_id: $c, msg: "Which colour?", msg_id: "q-1", options: $o) { success } }';

		it('delivers the options on the message subscription as Message.options, a "/" splitting an option in two', async () => {
			const messages = await subscribe(probe, MESSAGE);
			const { chat, channelId } = newChat();
			expect(await gql(probe, SEND, { c: channelId, o: ['Red/Blue', 'Green'] })).toEqual({
				payload: { data: { sendMessage: { success: true } } },
				id: expect.anything(),
			});
			const frames = await waitForData(probe, messages, 2);
			const reply = chat.history.find((h) => h.msgId === 'q-1')!;
			expect(frames[1].payload).toEqual({
				data: {
					message: {
						node: {
							channel: { id: channelId },
							content: 'Which colour?',
							from: { __typename: 'Agent' },
							id: relayId('MESSAGE', reply.id),
							msg_id: 'q-1',
							options: ['Red', 'Blue', 'Green'],
							sender_name: 'Ada Bot',
							timestamp: reply.timestamp,
						},
					},
				},
			});
			expect(frames[0].payload.data.message.node).toMatchObject({
				content: 'Hi',
				from: { __typename: 'Visitor' },
				options: null,
			});
			expect(sim.world.requireChat(chat.id).delivered).toEqual([
				{
					entryId: reply.id,
					timestamp: reply.timestamp,
					agentId: SIM_BOT_AGENT_ID,
					text: 'Which colour?',
					msgId: 'q-1',
					options: ['Red', 'Blue', 'Green'],
				},
			]);
		});

		it('gives a message without options null, and takes an inline list literal too', async () => {
			const messages = await subscribe(
				probe,
				'subscription { message { node { content options } } }',
			);
			const { channelId } = newChat();
			await gql(
				probe,
				'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "plain") { success } }',
				{ c: channelId },
			);
			await gql(
				probe,
				`mutation { sendMessage(channel_id: ${JSON.stringify(channelId)}, msg: "pick", options: ["Yes", "No"]) { success } }`,
			);
			await gql(
				probe,
				'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "none offered", options: []) { success } }',
				{ c: channelId },
			);
			const frames = await waitForData(probe, messages, 4);
			expect(frames.map((f) => f.payload.data.message.node)).toEqual([
				{ content: 'Hi', options: null },
				{ content: 'plain', options: null },
				{ content: 'pick', options: ['Yes', 'No'] },
				{ content: 'none offered', options: [] },
			]);
		});

		it('shows the options in the REST chat history as the "/"-joined options string', async () => {
			const { chat, channelId } = newChat();
			await gql(probe, SEND, { c: channelId, o: ['Red/Blue', 'Green'] });
			await gql(
				probe,
				'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "plain") { success } }',
				{ c: channelId },
			);
			const answer = await restClient(sim)('GET', `/chats/${chat.id}`);
			expect(answer.status).toBe(200);
			const messages = answer.body.history.filter((h: { type: string }) => h.type === 'chat.msg');
			expect(messages.map((h: { msg: string; options: string }) => [h.msg, h.options])).toEqual([
				['Hi', ''],
				['Which colour?', 'Red/Blue/Green'],
				['plain', ''],
			]);
		});
	});
});
