import type { IDataObject, INode } from 'n8n-workflow';

import {
	startSimulator,
	SIM_BOT_AGENT_ID,
	SIM_DEPARTMENTS,
	SIM_HUMAN_AGENT_ID,
	type Simulator,
} from '../../../../simulator';
import { closeSharedSessionPool } from '../../../../src/conversations';
import type { N8nHarness } from '../../../helpers/n8n/harness';
import {
	delivered,
	errorOf,
	inputs,
	itemsOf,
	liveHarness,
	liveNode,
	NODE_NAME,
	run,
	startChat,
} from './helpers';

/**
 * The Channel ID of every Message and Live Chat operation also takes a chat's REST id (the
 * trigger's `chatId`, Chat › Search and Get's `id`), turned into the channel id through the
 * `channels` query's `raw_id`, once per execution. A chat id of a chat this agent cannot see, and
 * anything that is neither kind of id, fail the item with what to use instead; garbage before any
 * request at all. Through n8n's engine against the simulator over real sockets.
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

const rl = (mode: 'list' | 'id', value: string) => ({ __rl: true, mode, value });

/** Every chat's history length: a mutation that reached the world added an entry somewhere. */
const historySizes = () => sim.world.listChats().map((c) => [c.id, c.history.length]);

const NOT_OPEN_DESCRIPTION =
	'Field: Channel ID. A chat ID was given, but that chat is not among the chats going on now that this agent can see: ' +
	'it has ended, or another agent serves it and this agent does not listen to it. ' +
	'Use the channelId of the Zendesk Chat Trigger item (a chat ID works only for a chat this agent can see now).';

const NEITHER_DESCRIPTION =
	"Field: Channel ID. Give the chat's channel ID (the channelId of a Zendesk Chat Trigger item or of Live Chat › Get Many, " +
	'e.g. W1sibG9jYWxJZCIsIjEyMyJdLFsidHlwZSIsIkNIQU5ORUwiXV0=) or its chat ID (the chatId of a Zendesk Chat Trigger item, ' +
	'or the id Chat › Search and Chat › Get give, e.g. 1704.2314815.QHgVx6SOrRuSx). Visitor IDs, ticket numbers and URLs do not work here.';

describe('a chat ID where a channel ID is expected', () => {
	it("Send Text: the trigger items' chatId reaches each chat; the output gives the channel ID and the chat ID", async () => {
		const a = startChat(sim);
		const b = startChat(sim);
		const items = itemsOf(
			await run(
				harness,
				{
					resource: 'message',
					operation: 'sendText',
					channelId: '={{ $json.chatId }}',
					text: '={{ "Hello " + $json.name }}',
				},
				{ items: inputs({ chatId: a.chat.id, name: 'Ann' }, { chatId: b.chat.id, name: 'Bob' }) },
			),
		);
		expect(items).toEqual([
			{
				json: {
					success: true,
					channelId: a.channelId,
					chatId: a.chat.id,
					msgId: expect.any(String),
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					success: true,
					channelId: b.channelId,
					chatId: b.chat.id,
					msgId: expect.any(String),
				},
				pairedItem: { item: 1 },
			},
		]);
		expect(delivered(sim, a.chat.id)).toEqual([
			expect.objectContaining({ agentId: SIM_BOT_AGENT_ID, text: 'Hello Ann' }),
		]);
		expect(delivered(sim, b.chat.id)).toEqual([
			expect.objectContaining({ agentId: SIM_BOT_AGENT_ID, text: 'Hello Bob' }),
		]);
	});

	it('Send Text after Chat › Get (REST): the id it outputs works as it is', async () => {
		const { chat, channelId } = startChat(sim);
		const get: INode = {
			...liveNode({ resource: 'chat', operation: 'get', chatId: chat.id }),
			id: 'get',
			name: 'Get Chat',
		};
		const send = liveNode({
			resource: 'message',
			operation: 'sendText',
			channelId: '={{ $json.id }}',
			text: 'Found your chat',
		});
		const result = await harness.run({
			nodes: [get, send],
			connections: { [get.name]: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
			startNode: get.name,
		});
		expect(itemsOf(result).map((i) => i.json)).toEqual([
			{ success: true, channelId, chatId: chat.id, msgId: expect.any(String) },
		]);
		expect(delivered(sim, chat.id).map((d) => d.text)).toEqual(['Found your chat']);
	});

	it('Add Tags (Live Chat): a chat ID with spaces around it, as an AI agent may give it', async () => {
		const { chat, channelId } = startChat(sim);
		const [item] = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'addTags',
				channelId: `  ${chat.id}\n`,
				tags: 'vip',
			}),
		);
		expect(item.json).toEqual({ success: true, channelId, chatId: chat.id, tags: ['vip'] });
		expect(sim.world.requireChat(chat.id).tags).toEqual(['vip']);
	});

	it('Transfer to Department (Live Chat): a chat ID and a REST department ID, both turned into Relay ids', async () => {
		const { chat, channelId } = startChat(sim);
		const [item] = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'transferToDepartment',
				channelId: chat.id,
				department: rl('list', String(SIM_DEPARTMENTS.sales)),
			}),
		);
		expect(item.json).toMatchObject({
			success: true,
			channelId,
			chatId: chat.id,
			department: { restId: String(SIM_DEPARTMENTS.sales) },
		});
		expect(sim.world.requireChat(chat.id).departmentId).toBe(SIM_DEPARTMENTS.sales);
	});

	it('a chat another agent serves works once this agent listens to it', async () => {
		const { chat, channelId } = startChat(sim);
		sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID);
		await run(harness, { resource: 'liveChat', operation: 'listenToChannel', channelId });
		const [item] = itemsOf(
			await run(harness, {
				resource: 'liveChat',
				operation: 'setTypingIndicator',
				channelId: chat.id,
				typing: true,
			}),
		);
		expect(item.json).toEqual({ success: true, channelId, chatId: chat.id, typing: true });
		expect(
			sim.conversations.control.typingIndicators({ chatId: chat.id }).map((t) => t.agentId),
		).toEqual([SIM_BOT_AGENT_ID]);
	});

	it("the open chats are read once per execution: a chat that ends during the run is still mapped, and Zendesk's own error says it ended", async () => {
		const a = startChat(sim);
		const b = startChat(sim);
		// The moment the first item's message reaches chat A, chat B ends. A second look at the open
		// chats would no longer find B (and fail with "not open"); the one list read for the execution does.
		const endB = (chat: { id: string }) => {
			if (chat.id === a.chat.id) sim.world.endChat(b.chat.id);
		};
		sim.world.on('message', endB);
		try {
			const items = itemsOf(
				await run(
					harness,
					{
						resource: 'message',
						operation: 'sendText',
						channelId: '={{ $json.chatId }}',
						text: 'Still there?',
					},
					{ items: inputs({ chatId: a.chat.id }, { chatId: b.chat.id }), continueOnFail: true },
				),
			);
			expect(items[0].json).toMatchObject({ success: true, channelId: a.channelId });
			expect(items[1]).toEqual({
				json: {
					error: expect.stringMatching(/^GRAPHQL_EXEC_ERROR: .*has ended/),
					description: expect.any(String),
				},
				pairedItem: { item: 1 },
			});
		} finally {
			sim.world.off('message', endB);
		}
		expect(delivered(sim, b.chat.id)).toEqual([]);
	});
});

describe('a chat ID of a chat this agent cannot see fails the item, and nothing is sent', () => {
	it.each([
		['a chat that has ended', () => sim.world.endChat(startChat(sim).chat.id).id],
		[
			'a chat another agent serves, not listened to',
			() => {
				const { chat } = startChat(sim);
				sim.world.agentJoins(chat.id, SIM_HUMAN_AGENT_ID);
				return chat.id;
			},
		],
		['a chat ID this account never had', () => '1704.2314815.QHgVx6SOrRuSx'],
	])('%s', async (_what, chatOf) => {
		const chatId = chatOf();
		const before = historySizes();
		const send = await run(harness, {
			resource: 'message',
			operation: 'sendText',
			channelId: chatId,
			text: 'Hello?',
		});
		expect(errorOf(send)).toEqual({
			name: 'NodeOperationError',
			message: `The chat ${chatId} is not open for this agent`,
			description: NOT_OPEN_DESCRIPTION,
			itemIndex: 0,
		});
		const leave = await run(harness, {
			resource: 'liveChat',
			operation: 'leaveChat',
			channelId: chatId,
		});
		expect(errorOf(leave)).toMatchObject({
			name: 'NodeOperationError',
			message: `The chat ${chatId} is not open for this agent`,
		});
		expect(historySizes()).toEqual(before);
	});

	it('continueOnFail: the unknown one gives an error item, the others are sent', async () => {
		const a = startChat(sim);
		const items = itemsOf(
			await run(
				harness,
				{
					resource: 'message',
					operation: 'sendText',
					channelId: '={{ $json.chatId }}',
					text: 'Hi',
				},
				{
					items: inputs(
						{ chatId: a.chat.id },
						{ chatId: '1704.2314815.QHgVx6SOrRuSx' },
						{ chatId: a.channelId },
					),
					continueOnFail: true,
				},
			),
		);
		expect(items.map((i) => i.json)).toEqual([
			{ success: true, channelId: a.channelId, chatId: a.chat.id, msgId: expect.any(String) },
			{
				error: 'The chat 1704.2314815.QHgVx6SOrRuSx is not open for this agent',
				description: NOT_OPEN_DESCRIPTION,
			},
			{ success: true, channelId: a.channelId, msgId: expect.any(String) },
		]);
		expect(delivered(sim, a.chat.id).map((d) => d.text)).toEqual(['Hi', 'Hi']);
	});
});

describe('a Relay id in another base64 form (URL-safe, unpadded)', () => {
	it('is not refused by the node: it is sent as given', async () => {
		const { chat, channelId } = startChat(sim);
		const unpadded = channelId.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
		expect(unpadded).not.toBe(channelId);
		const items = itemsOf(
			await run(harness, {
				resource: 'message',
				operation: 'sendText',
				channelId: unpadded,
				text: 'Hi',
			}),
		);
		// The simulator decodes either base64 form (as Node does), so the message arrives: the node sent the id as given.
		expect(items[0].json).toMatchObject({ success: true, channelId: unpadded });
		expect(delivered(sim, chat.id).map((d) => d.text)).toEqual(['Hi']);
	});
});

describe('neither a channel ID nor a chat ID: refused before any request', () => {
	let chatId: string;

	beforeAll(async () => {
		// No session in the pool: any request would need one, and starting one is counted.
		await closeSharedSessionPool();
		({
			chat: { id: chatId },
		} = startChat(sim));
	});

	const expectNothingSent = (
		starts: ReturnType<Simulator['conversations']['control']['sessionStarts']>,
	) => {
		expect(sim.conversations.control.sessionStarts()).toEqual(starts);
		expect(sim.conversations.control.sessions()).toEqual([]);
		expect(delivered(sim, chatId)).toEqual([]);
	};

	it.each([
		['a REST visitor ID', '2.jlgwAAseGzxwEr', '"2.jlgwAAseGzxwEr"'],
		['a number (e.g. a ticket ID from an expression)', 12345, '12345'],
		['a URL', 'https://sim.zendesk.com/chat/agent', '"https://sim.zendesk.com/chat/agent"'],
		['a name', 'Visitor 70000001', '"Visitor 70000001"'],
		['digits only', '20240117', '"20240117"'],
		['a chat ID cut short', '1704.2314815', '"1704.2314815"'],
		[
			'a long text (shown cut short)',
			'the visitor asked about order 42 and wants a refund for the blue one',
			'"the visitor asked about order 42 and wants a refund for the …" (68 characters)',
		],
	])('%s', async (_what, value, shown) => {
		const starts = sim.conversations.control.sessionStarts();
		const result = await run(
			harness,
			{ resource: 'message', operation: 'sendText', channelId: '={{ $json.id }}', text: 'Hi' },
			{ items: inputs({ id: value }) },
		);
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message: `Channel ID ${shown} is neither a channel ID nor a chat ID`,
			description: NEITHER_DESCRIPTION,
			itemIndex: 0,
		});
		expectNothingSent(starts);
	});

	const parameters: Record<string, IDataObject> = {
		'message/sendText': { text: 'Hi' },
		'message/sendQuickReplies': { text: 'Pick', quickReplies: { reply: [{ text: 'Yes' }] } },
		'message/sendButtons': {
			text: 'Pick',
			buttons: { button: [{ text: 'A', actionType: 'reply', value: 'a' }] },
		},
		'message/sendPanel': { heading: 'Card' },
		'message/sendCarousel': { items: { item: [{ heading: 'One' }, { heading: 'Two' }] } },
		'message/sendList': { items: { item: [{ heading: 'One' }, { heading: 'Two' }] } },
		'liveChat/transferToDepartment': { department: rl('id', String(SIM_DEPARTMENTS.sales)) },
		'liveChat/inviteAgent': { agent: rl('id', String(SIM_HUMAN_AGENT_ID)) },
		'liveChat/addTags': { tags: 'vip' },
		'liveChat/setTypingIndicator': { typing: true },
		'liveChat/listenToChannel': {},
		'liveChat/leaveChat': {},
	};

	it.each(Object.keys(parameters))('%s checks it too', async (key) => {
		const [resource, operation] = key.split('/');
		const starts = sim.conversations.control.sessionStarts();
		const result = await run(harness, {
			resource,
			operation,
			channelId: 'https://example.com/chat?id=1',
			...parameters[key],
		});
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message: 'Channel ID "https://example.com/chat?id=1" is neither a channel ID nor a chat ID',
			description: NEITHER_DESCRIPTION,
			itemIndex: 0,
		});
		expectNothingSent(starts);
	});
});

describe('a channel ID needs no lookup', () => {
	let strict: Simulator;
	let strictHarness: N8nHarness;

	beforeAll(async () => {
		// A server that refuses VisitorChannel.raw_id: the channels lookup fails there, so any success
		// proves that no lookup was sent.
		strict = await startSimulator({
			conversations: { schemaVariant: { refuseFields: ['VisitorChannel.raw_id'] } },
		});
		strictHarness = liveHarness(strict);
	});

	afterAll(async () => {
		await closeSharedSessionPool();
		await strict.close();
	});

	it("a channel ID is sent as given, with no channels query; a chat ID there gets the server's refusal of raw_id", async () => {
		const { chat, channelId } = startChat(strict);
		const [item] = itemsOf(
			await run(strictHarness, {
				resource: 'message',
				operation: 'sendText',
				channelId,
				text: 'Direct',
			}),
		);
		expect(item.json).toEqual({ success: true, channelId, msgId: expect.any(String) });
		expect(delivered(strict, chat.id).map((d) => d.text)).toEqual(['Direct']);

		const error = errorOf(
			await run(strictHarness, {
				resource: 'message',
				operation: 'sendText',
				channelId: chat.id,
				text: 'By chat ID',
			}),
		);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(
			/^GRAPHQL_EXEC_ERROR: Cannot query field "raw_id" on type "VisitorChannel"/,
		);
		expect(delivered(strict, chat.id).map((d) => d.text)).toEqual(['Direct']);
	});
});
