import {
	startSimulator,
	SIM_BOT_AGENT_ID,
	SIM_DEPARTMENTS,
	SIM_HUMAN_AGENT_ID,
	type Simulator,
} from '../../../../simulator';
import { closeSharedSessionPool } from '../../../../src/conversations';
import type { N8nHarness } from '../../../helpers/n8n/harness';
import { encodeRelayId, errorOf, inputs, itemsOf, liveHarness, run, startChat } from './helpers';

/**
 * The Live Chat resource through n8n's engine against the simulator: transfers and invitations by
 * REST id (mapped to the Conversations API's Relay id through raw_id) or by Relay id, tags, typing,
 * listening, agent status and the open chats.
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

const transfers = (chatId: string) =>
	sim.world
		.requireChat(chatId)
		.history.filter((h) => h.type === 'chat.transfer')
		.map((h) => ({ departmentId: h.departmentId, agentId: h.agentId }));

const rl = (mode: 'list' | 'id', value: string) => ({ __rl: true, mode, value });

describe('Transfer to Department', () => {
	it('takes the REST id a From List pick gives and transfers to its Relay id', async () => {
		const { chat, channelId } = startChat(sim);
		const items = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'transferToDepartment',
				channelId,
				department: rl('list', String(SIM_DEPARTMENTS.support)),
			}),
		);
		expect(items).toEqual([
			{
				json: {
					success: true,
					channelId,
					department: {
						id: encodeRelayId('DEPARTMENT', SIM_DEPARTMENTS.support),
						restId: String(SIM_DEPARTMENTS.support),
						name: 'Support',
					},
					leftChat: false,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(sim.world.requireChat(chat.id).departmentId).toBe(SIM_DEPARTMENTS.support);
		expect(transfers(chat.id)).toEqual([
			{ departmentId: SIM_DEPARTMENTS.support, agentId: SIM_BOT_AGENT_ID },
		]);
	});

	it('takes a Relay id By ID as given, and a REST id as a number from an expression', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'liveChat',
			operation: 'transferToDepartment',
			channelId,
			department: rl('id', encodeRelayId('DEPARTMENT', SIM_DEPARTMENTS.billing)),
		});
		await run(
			harness,
			{
				resource: 'liveChat',
				operation: 'transferToDepartment',
				channelId,
				department: rl('id', '={{ $json.department }}'),
			},
			{ items: inputs({ department: SIM_DEPARTMENTS.sales }) },
		);
		expect(transfers(chat.id).map((t) => t.departmentId)).toEqual([
			SIM_DEPARTMENTS.billing,
			SIM_DEPARTMENTS.sales,
		]);
	});

	it('leaves the chat after the transfer when asked to', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId,
			text: 'Let me transfer you',
		});
		expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_BOT_AGENT_ID]);
		const [item] = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'transferToDepartment',
				channelId,
				department: rl('list', String(SIM_DEPARTMENTS.sales)),
				options: { leave: true },
			}),
		);
		expect(item.json.leftChat).toBe(true);
		expect(sim.world.requireChat(chat.id)).toMatchObject({
			departmentId: SIM_DEPARTMENTS.sales,
			activeAgentIds: [],
		});
	});

	it('an unknown REST department id fails the item, naming the field, before any transfer', async () => {
		const { chat, channelId } = startChat(sim);
		const result = await run(harness, {
			resource: 'liveChat',
			operation: 'transferToDepartment',
			channelId,
			department: rl('id', '9999'),
		});
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message: 'Department 9999 was not found in this Zendesk Chat account',
			description:
				'Field: Department. Pick it from the list, or give its numeric ID (Zendesk Chat › Settings › Departments, or Department › Get Many) or its Conversations API ID.',
			itemIndex: 0,
		});
		expect(transfers(chat.id)).toEqual([]);
	});

	it('an unknown Relay id is refused by Zendesk, and the API error reaches the user', async () => {
		const { chat, channelId } = startChat(sim);
		const result = await run(harness, {
			resource: 'liveChat',
			operation: 'transferToDepartment',
			channelId,
			department: rl('id', encodeRelayId('DEPARTMENT', 9999)),
		});
		const error = errorOf(result);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe('GRAPHQL_EXEC_ERROR: no department 9999');
		expect(error.description).toMatch(
			/^Zendesk could not run the request: check the IDs and values given\. Error id \(for Zendesk support\): [0-9a-f-]{36}\.$/,
		);
		expect(transfers(chat.id)).toEqual([]);
	});

	it('an empty department fails before anything is asked', async () => {
		const { channelId } = startChat(sim);
		const result = await run(
			harness,
			{
				resource: 'liveChat',
				operation: 'transferToDepartment',
				channelId,
				department: rl('id', '={{ $json.department }}'),
			},
			{ items: inputs({ department: '' }) },
		);
		expect(errorOf(result)).toMatchObject({
			message: 'Department must not be empty',
			description: 'Field: Department.',
		});
	});
});

describe('Invite Agent', () => {
	it('invites the agent picked by REST id, and leaves when asked to', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId,
			text: 'One moment',
		});
		const [item] = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'inviteAgent',
				channelId,
				agent: rl('list', String(SIM_HUMAN_AGENT_ID)),
				options: { leave: true },
			}),
		);
		expect(item.json).toEqual({
			success: true,
			channelId,
			agent: {
				id: encodeRelayId('AGENT', SIM_HUMAN_AGENT_ID),
				restId: String(SIM_HUMAN_AGENT_ID),
				name: 'Grace Hopper',
			},
			leftChat: true,
		});
		expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_HUMAN_AGENT_ID]);
	});

	it('takes a Relay id as given and stays in the chat by default', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId,
			text: 'Inviting a colleague',
		});
		await run(harness, {
			resource: 'liveChat',
			operation: 'inviteAgent',
			channelId,
			agent: rl('id', encodeRelayId('AGENT', SIM_HUMAN_AGENT_ID)),
		});
		expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([
			SIM_BOT_AGENT_ID,
			SIM_HUMAN_AGENT_ID,
		]);
	});

	it('an unknown REST agent id fails the item, naming the field', async () => {
		const { chat, channelId } = startChat(sim);
		const result = await run(harness, {
			resource: 'liveChat',
			operation: 'inviteAgent',
			channelId,
			agent: rl('id', '4242'),
		});
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message: 'Agent 4242 was not found in this Zendesk Chat account',
			description:
				'Field: Agent. Pick the agent from the list, or give their numeric ID (Agent › Get Many) or their Conversations API ID.',
			itemIndex: 0,
		});
		expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([]);
	});
});

describe('Add Tags', () => {
	it('adds comma-separated tags (trimmed, duplicates once) to the chat and its visitor', async () => {
		const { chat, channelId } = startChat(sim);
		const [item] = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'addTags',
				channelId,
				tags: ' vip, order-42 ,a_B, vip,',
			}),
		);
		expect(item.json).toEqual({ success: true, channelId, tags: ['vip', 'order-42', 'a_B'] });
		expect(sim.world.requireChat(chat.id).tags).toEqual(['vip', 'order-42', 'a_B']);
		expect(sim.world.requireChat(chat.id).visitor.tags).toEqual(['vip', 'order-42', 'a_B']);
	});

	it('takes a list from an expression', async () => {
		const { chat, channelId } = startChat(sim);
		await run(
			harness,
			{ resource: 'liveChat', operation: 'addTags', channelId, tags: '={{ $json.tags }}' },
			{ items: inputs({ tags: ['lead', 42] }) },
		);
		expect(sim.world.requireChat(chat.id).tags).toEqual(['lead', '42']);
	});

	it.each([
		[
			'a tag with a space',
			'vip, gold customer',
			'Tags › "gold customer": a tag may only contain letters, digits, - and _ (no spaces); e.g. vip_customer',
			'Field: Tags › "gold customer".',
		],
		[
			'a tag with an accent',
			'café',
			'Tags › "café": a tag may only contain letters, digits, - and _ (no spaces); e.g. vip_customer',
			'Field: Tags › "café".',
		],
		['no tags', ' , ', 'Tags must have at least 1 entry, got 0', 'Field: Tags.'],
	])('%s is refused before anything is sent', async (_what, tags, message, description) => {
		const { chat, channelId } = startChat(sim);
		const result = await run(harness, {
			resource: 'liveChat',
			operation: 'addTags',
			channelId,
			tags,
		});
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message,
			description,
			itemIndex: 0,
		});
		expect(sim.world.requireChat(chat.id).tags).toEqual([]);
	});
});

describe('Set Typing Indicator', () => {
	it('turns "agent is typing" on and off', async () => {
		const { chat, channelId } = startChat(sim);
		const on = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'setTypingIndicator',
				channelId,
				typing: true,
			}),
		);
		const off = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'setTypingIndicator',
				channelId,
				typing: false,
			}),
		);
		expect([on[0].json, off[0].json]).toEqual([
			{ success: true, channelId, typing: true },
			{ success: true, channelId, typing: false },
		]);
		expect(
			sim.conversations.control
				.typingIndicators({ chatId: chat.id })
				.map((t) => [t.agentId, t.typing]),
		).toEqual([
			[SIM_BOT_AGENT_ID, true],
			[SIM_BOT_AGENT_ID, false],
		]);
	});
});

describe('Listen to Visitor Channel', () => {
	it('makes the session listen to the chat', async () => {
		const { chat, channelId } = startChat(sim);
		const [item] = itemsOf(
			await run(harness, { resource: 'liveChat', operation: 'listenToChannel', channelId }),
		);
		expect(item.json).toEqual({ success: true, channelId });
		expect(sim.conversations.control.sessions()).toEqual([
			expect.objectContaining({
				agentId: SIM_BOT_AGENT_ID,
				listenedChats: expect.arrayContaining([chat.id]),
			}),
		]);
	});
});

describe('Set Agent Status', () => {
	it('sets the agent of the credential away, then online', async () => {
		const away = itemsOf(
			await run(harness, { resource: 'liveChat', operation: 'setAgentStatus', status: 'AWAY' }),
		);
		expect(away[0].json).toEqual({
			success: true,
			status: 'AWAY',
			agent: { id: encodeRelayId('AGENT', SIM_BOT_AGENT_ID), displayName: 'Ada Bot' },
		});
		expect(sim.world.requireAgent(SIM_BOT_AGENT_ID).status).toBe('AWAY');
		await run(harness, { resource: 'liveChat', operation: 'setAgentStatus', status: 'ONLINE' });
		expect(sim.world.requireAgent(SIM_BOT_AGENT_ID).status).toBe('ONLINE');
	});
});

describe('Get Many', () => {
	it('lists the open chats the agent sees, with their channel ids and agents, up to the limit', async () => {
		for (const chat of sim.world.openChats()) sim.world.endChat(chat.id);
		const first = startChat(sim);
		const second = startChat(sim);
		sim.world.agentJoins(second.chat.id, SIM_BOT_AGENT_ID);
		const all = itemsOf(
			await run(harness, { resource: 'liveChat', operation: 'getAll', returnAll: true }),
		);
		expect(all.map((i) => i.json)).toEqual([
			{ channelId: first.channelId, agents: [] },
			{
				channelId: second.channelId,
				agents: [
					{
						id: encodeRelayId('AGENT', SIM_BOT_AGENT_ID),
						displayName: 'Ada Bot',
						status: expect.any(String),
					},
				],
			},
		]);
		expect(all.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		const one = itemsOf(
			await run(harness, { resource: 'liveChat', operation: 'getAll', returnAll: false, limit: 1 }),
		);
		expect(one.map((i) => i.json.channelId)).toEqual([first.channelId]);
	});
});

describe('a missing channel id', () => {
	it.each([
		'transferToDepartment',
		'inviteAgent',
		'addTags',
		'setTypingIndicator',
		'listenToChannel',
		'leaveChat',
	])('%s refuses it', async (operation) => {
		const result = await run(
			harness,
			{
				resource: 'liveChat',
				operation,
				channelId: '={{ $json.channelId }}',
				department: rl('id', '2001'),
				agent: rl('id', '1002'),
				tags: 'vip',
				typing: true,
			},
			{ items: inputs({ channelId: '' }) },
		);
		expect(errorOf(result)).toMatchObject({
			name: 'NodeOperationError',
			message: 'Channel ID must not be empty',
			description:
				'Field: Channel ID. Map the chat: a Zendesk Chat Trigger item carries its channel ID as channelId (Live Chat › Get Many too) and its chat ID as chatId; either works.',
		});
	});
});
