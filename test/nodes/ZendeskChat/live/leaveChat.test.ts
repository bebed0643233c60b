import {
	startSimulator,
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	type Simulator,
} from '../../../../simulator';
import { closeSharedSessionPool } from '../../../../src/conversations';
import type { N8nHarness } from '../../../helpers/n8n/harness';
import { errorOf, itemsOf, liveHarness, run, startChat } from './helpers';

/**
 * Live Chat › Leave Chat through n8n's engine against the simulator: `leaveChannel` ("Leave the
 * channel if joined, or stop listening to it if listening", schema page). What changed is read from
 * the simulator's world (the chat's members and history) and its sessions (what each one listens to).
 */

let sim: Simulator;
let harness: N8nHarness;

beforeAll(async () => {
	sim = await startSimulator();
	harness = liveHarness(sim);
});

afterAll(async () => {
	await closeSharedSessionPool();
	expect(sim.conversations.control.sessions()).toEqual([]);
	await sim.close();
});

const listened = () =>
	sim.conversations.control
		.sessions()
		.flatMap((s) => (s.agentId === SIM_BOT_AGENT_ID ? s.listenedChats : []));
const memberChanges = (chatId: string) =>
	sim.world
		.requireChat(chatId)
		.history.filter((h) => h.type === 'chat.memberjoin' || h.type === 'chat.memberleave')
		.map((h) => [h.type, h.agentId ?? h.senderType]);

describe('Leave Chat', () => {
	it('leaves a chat the agent joined: a member leave shows in the chat, which goes on without it', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId,
			text: 'A colleague will take over',
		});
		expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_BOT_AGENT_ID]);

		const items = itemsOf(
			await run(harness, { resource: 'liveChat', operation: 'leaveChat', channelId }),
		);

		expect(items).toEqual([{ json: { success: true, channelId }, pairedItem: { item: 0 } }]);
		expect(sim.world.requireChat(chat.id)).toMatchObject({
			activeAgentIds: [],
			agentIds: [SIM_BOT_AGENT_ID],
			endedAt: null,
			visitorPresent: true,
		});
		expect(memberChanges(chat.id)).toEqual([
			['chat.memberjoin', 'Visitor'],
			['chat.memberjoin', SIM_BOT_AGENT_ID],
			['chat.memberleave', SIM_BOT_AGENT_ID],
		]);
	});

	it('stops listening to a chat another agent serves, without touching its members', async () => {
		const { chat, channelId } = startChat(sim);
		sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID);
		await run(harness, { resource: 'liveChat', operation: 'listenToChannel', channelId });
		expect(listened()).toContain(chat.id);

		const [item] = itemsOf(
			await run(harness, { resource: 'liveChat', operation: 'leaveChat', channelId }),
		);

		expect(item.json).toEqual({ success: true, channelId });
		expect(listened()).not.toContain(chat.id);
		expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_HUMAN_AGENT_ID]);
		expect(memberChanges(chat.id)).toEqual([
			['chat.memberjoin', 'Visitor'],
			['chat.memberjoin', SIM_HUMAN_AGENT_ID],
		]);
	});

	it("takes the chat ID (the trigger item's chatId) and leaves that chat", async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId,
			text: 'Bye for now',
		});

		const [item] = itemsOf(
			await run(
				harness,
				{ resource: 'liveChat', operation: 'leaveChat', channelId: '={{ $json.chatId }}' },
				{ items: [{ json: { chatId: chat.id } }] },
			),
		);

		expect(item.json).toEqual({ success: true, channelId, chatId: chat.id });
		expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([]);
		expect(memberChanges(chat.id).at(-1)).toEqual(['chat.memberleave', SIM_BOT_AGENT_ID]);
	});

	it("a chat the agent neither joined nor listens to: Zendesk's refusal reaches the user", async () => {
		const { chat, channelId } = startChat(sim);
		const error = errorOf(
			await run(harness, { resource: 'liveChat', operation: 'leaveChat', channelId }),
		);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(
			`GRAPHQL_EXEC_ERROR: channel ${channelId} is neither joined nor listened to by this agent`,
		);
		expect(memberChanges(chat.id)).toEqual([['chat.memberjoin', 'Visitor']]);
	});
});
