import type { IDataObject, IRun } from 'n8n-workflow';

import {
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	startSimulator,
	type Simulator,
} from '../../../../simulator';
import type { ChatRecord, HistoryEntry } from '../../../../simulator/world/types';
import { closeSharedSessionPool, sharedSessionPool } from '../../../../src/conversations';
import { ZendeskChat } from '../../../../nodes/ZendeskChat/ZendeskChat.node';
import { ZendeskChatTrigger } from '../../../../nodes/ZendeskChatTrigger/ZendeskChatTrigger.node';
import {
	chatCredentialsFor,
	chatCredentialTypes,
	simAgentKey,
} from '../../../helpers/chat-credentials';
import { N8nHarness } from '../../../helpers/n8n/harness';
import { TRIGGER, TRIGGER_TYPE, triggerNode } from '../../ZendeskChatTrigger/fixture';
import {
	delivered,
	errorOf,
	inputs,
	itemsOf,
	liveHarness,
	liveNode,
	NODE_NAME,
	NODE_TYPE,
	run,
	startChat,
} from './helpers';

/**
 * Message › Send and Wait for Reply through n8n's engine against the simulator over real sockets:
 * the visitor's next message in the chat after the sent one is the reply (agent messages and other
 * chats are not), a timeout gives a timedOut item, stopping the execution ends the wait at once and
 * leaves no subscription and no lease behind, and bad input is refused before any request.
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

const control = () => sim.conversations.control;
const subscriptionsOnSimulator = () =>
	control()
		.sessions()
		.flatMap((s) => s.subscriptions);
const leases = () => sharedSessionPool().leases(simAgentKey(sim, SIM_BOT_AGENT_ID));

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

const sendAndWait = (channelId: string, extra: IDataObject = {}): IDataObject => ({
	resource: 'message',
	operation: 'sendAndWaitForReply',
	channelId,
	text: 'Did that help?',
	timeout: 10,
	...extra,
});

describe('Send and Wait for Reply', () => {
	it("outputs the visitor's next message in the chat; agent messages and other chats' messages in between are not the reply", async () => {
		const { chat, channelId } = startChat(sim, 'My order is late');
		const other = startChat(sim, 'Hello?');
		const started = Date.now();
		const running = run(harness, sendAndWait(channelId));
		await until(() => delivered(sim, chat.id).length === 1, 'the message to reach the visitor');
		sim.world.agentSays(chat.id, SIM_HUMAN_AGENT_ID, { text: 'Let me check that for you' });
		sim.world.visitorSays(other.chat.id, 'Anyone there?');
		sim.world.visitorSays(chat.id, 'Yes, thanks!');
		sim.world.visitorSays(chat.id, 'Bye');
		const items = itemsOf(await running);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(items).toHaveLength(1);
		const sent = delivered(sim, chat.id)[0];
		expect(sent).toMatchObject({ agentId: SIM_BOT_AGENT_ID, text: 'Did that help?' });
		expect(items[0]).toEqual({
			json: {
				replied: true,
				timedOut: false,
				reply: expect.objectContaining({
					event: 'chatMessage',
					channelId,
					chatId: chat.id,
					text: 'Yes, thanks!',
					senderType: 'visitor',
					messageId: expect.any(String),
					timestamp: expect.any(String),
					receivedAt: expect.any(String),
					visitor: expect.objectContaining({ name: chat.visitor.name }),
				}),
				sent: { success: true, channelId, msgId: sent.msgId },
			},
			pairedItem: { item: 0 },
		});
		// The wait's subscription is gone again; the lease was given back.
		expect(subscriptionsOnSimulator()).toEqual([]);
		expect(leases()).toBe(0);
	});

	it('sends quick replies and takes the picked chip as the reply', async () => {
		const { chat, channelId } = startChat(sim);
		const running = run(
			harness,
			sendAndWait(channelId, {
				messageType: 'quickReplies',
				text: 'Rate us',
				quickReplies: { reply: [{ text: 'Good' }, { text: 'Bad' }] },
			}),
		);
		await until(
			() => delivered(sim, chat.id).length === 1,
			'the quick replies to reach the visitor',
		);
		expect(delivered(sim, chat.id)[0].structured).toMatchObject({ kind: 'quick_replies' });
		sim.world.visitorSays(chat.id, 'Good');
		const [item] = itemsOf(await running);
		expect(item.json).toEqual({
			replied: true,
			timedOut: false,
			reply: expect.objectContaining({ text: 'Good', senderType: 'visitor', channelId }),
			sent: { success: true, channelId },
		});
	});

	it("takes the chat's REST id too (as a trigger item's chatId): the reply is the chat's", async () => {
		const { chat, channelId } = startChat(sim);
		const running = run(harness, sendAndWait(chat.id));
		await until(() => delivered(sim, chat.id).length === 1, 'the message to reach the visitor');
		sim.world.visitorSays(chat.id, 'by chat id');
		const [item] = itemsOf(await running);
		expect(item.json).toMatchObject({
			replied: true,
			reply: { text: 'by chat id', channelId, chatId: chat.id },
			sent: { success: true, channelId, chatId: chat.id },
		});
	});

	it('does not miss a reply the visitor writes the instant the message arrives', async () => {
		const { chat, channelId } = startChat(sim);
		// The simulator answers inside the send itself: the reply's event goes out before the send's answer.
		const answer = (to: ChatRecord, entry: HistoryEntry) => {
			if (to.id === chat.id && entry.senderType === 'Agent')
				sim.world.visitorSays(chat.id, 'instant reply');
		};
		sim.world.on('message', answer);
		try {
			const [item] = itemsOf(await run(harness, sendAndWait(channelId, { timeout: 5 })));
			expect(item.json).toMatchObject({ replied: true, reply: { text: 'instant reply' } });
		} finally {
			sim.world.off('message', answer);
		}
	});

	it('gives a timedOut item when the visitor does not reply in time, one item per input item', async () => {
		const { chat, channelId } = startChat(sim);
		const started = Date.now();
		const items = itemsOf(
			await run(harness, sendAndWait(channelId, { timeout: 1, text: '={{ $json.text }}' }), {
				items: inputs({ text: 'One?' }, { text: 'Two?' }),
			}),
		);
		const elapsed = Date.now() - started;
		expect(elapsed).toBeGreaterThanOrEqual(2_000);
		expect(elapsed).toBeLessThan(6_000);
		expect(items.map((i) => i.json)).toEqual([
			{
				replied: false,
				timedOut: true,
				sent: { success: true, channelId, msgId: expect.any(String) },
			},
			{
				replied: false,
				timedOut: true,
				sent: { success: true, channelId, msgId: expect.any(String) },
			},
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(delivered(sim, chat.id).map((d) => d.text)).toEqual(['One?', 'Two?']);
		expect(subscriptionsOnSimulator()).toEqual([]);
	});

	it('stopping the execution ends the wait at once: no subscription left on the session, no lease', async () => {
		const { chat, channelId } = startChat(sim);
		const stop = new AbortController();
		const node = liveNode(sendAndWait(channelId, { timeout: 300 }));
		const running: Promise<IRun> = harness.run({
			nodes: [node],
			startNode: node.name,
			stopSignal: stop.signal,
		});
		await until(
			() => delivered(sim, chat.id).length === 1 && subscriptionsOnSimulator().length === 1,
			'the wait to begin',
		);
		const stoppedAt = Date.now();
		stop.abort();
		const result = await running;
		expect(Date.now() - stoppedAt).toBeLessThan(2_000);
		expect(result.status).toBe('canceled');
		const task = result.data.resultData.runData[NODE_NAME]?.[0];
		expect(task?.error?.message).toMatch(/abort/i);
		expect(task?.data?.main?.[0] ?? []).toEqual([]);
		await until(() => subscriptionsOnSimulator().length === 0, 'the subscription to be stopped');
		expect(leases()).toBe(0);
		// A reply now goes nowhere, and the session stays usable.
		sim.world.visitorSays(chat.id, 'too late');
		const [item] = itemsOf(
			await run(harness, {
				resource: 'message',
				operation: 'sendText',
				channelId,
				text: 'Still here',
			}),
		);
		expect(item.json).toMatchObject({ success: true });
	});
});

describe('Send and Wait for Reply beside an active Zendesk Chat Trigger', () => {
	it("waits on the trigger's session and subscription: no second session, no second subscription; the trigger hears the reply too", async () => {
		await closeSharedSessionPool();
		const both = new N8nHarness({
			nodeTypes: { [NODE_TYPE]: new ZendeskChat(), [TRIGGER_TYPE]: new ZendeskChatTrigger() },
			credentialTypes: chatCredentialTypes(),
			credentials: chatCredentialsFor(sim),
		});
		const trigger = await both.activate({ nodes: [triggerNode()], triggerNode: TRIGGER });
		try {
			const starts = control().sessionStarts().total;
			expect(subscriptionsOnSimulator()).toHaveLength(1);
			const { chat, channelId } = startChat(sim, 'Hi there');
			await trigger.waitForEmits(1);
			const running = run(both, sendAndWait(channelId));
			await until(() => delivered(sim, chat.id).length === 1, 'the message to reach the visitor');
			expect(control().sessions()).toHaveLength(1);
			expect(subscriptionsOnSimulator()).toHaveLength(1);
			sim.world.visitorSays(chat.id, 'All good');
			const [item] = itemsOf(await running);
			expect(item.json).toMatchObject({ replied: true, reply: { text: 'All good' } });
			await trigger.waitForEmits(2);
			expect(trigger.emits[1].items[0][0].json).toMatchObject({
				text: 'All good',
				messageId: (item.json.reply as IDataObject).messageId,
			});
			// The trigger's subscription stays; the wait started nothing.
			expect(subscriptionsOnSimulator()).toHaveLength(1);
			expect(control().sessionStarts().total).toBe(starts);
		} finally {
			await trigger.close();
		}
	});
});

describe('Send and Wait for Reply: bad input is refused before any request', () => {
	let channelId: string;
	let chatId: string;

	beforeAll(async () => {
		await closeSharedSessionPool();
		({
			channelId,
			chat: { id: chatId },
		} = startChat(sim));
	});

	it.each([
		[
			'an empty text',
			{ text: '={{ $json.reply }}' },
			'Text must not be empty',
			'Field: Text. Type the text, or map it with an expression such as {{ $json.reply }}.',
		],
		[
			'an empty quick-replies text',
			{
				messageType: 'quickReplies',
				text: '={{ $json.reply }}',
				quickReplies: { reply: [{ text: 'Yes' }] },
			},
			'Text must not be empty',
			'Field: Text. Type the text, or map it with an expression such as {{ $json.reply }}.',
		],
		[
			'an empty channel id',
			{ channelId: '={{ $json.channel }}' },
			'Channel ID must not be empty',
			'Field: Channel ID. Map the chat: a Zendesk Chat Trigger item carries its channel ID as channelId (Live Chat › Get Many too) and its chat ID as chatId; either works.',
		],
		[
			'a timeout of 0',
			{ timeout: 0 },
			'Timeout (Seconds) must be a number from 1 to 3600, got 0',
			"Field: Timeout (Seconds). Give how many seconds to wait for the visitor's reply (at most an hour).",
		],
		[
			'a timeout over an hour',
			{ timeout: 3601 },
			'Timeout (Seconds) must be a number from 1 to 3600, got 3601',
			"Field: Timeout (Seconds). Give how many seconds to wait for the visitor's reply (at most an hour).",
		],
	])('%s', async (_what, parameters, message, description) => {
		const starts = control().sessionStarts().total;
		const result = await run(harness, sendAndWait(channelId, parameters), {
			items: inputs({ reply: '', channel: '' }),
		});
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message,
			description,
			itemIndex: 0,
		});
		expect(control().sessionStarts().total).toBe(starts);
		expect(control().sessions()).toEqual([]);
		expect(delivered(sim, chatId)).toEqual([]);
	});
});
