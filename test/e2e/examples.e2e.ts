/**
 * End to end: a real n8n (2.41.1; 1.123.81 with E2E_N8N_LINE=1, `npm run test:e2e:1x`) with this
 * package installed as the Community Nodes installer does, the three workflows of examples/
 * imported as written (credentials resolved by name) and activated, and one scripted round against
 * the simulator, then the Messaging bot example switched on and talked to. Asserts each example's effect on the
 * Zendesk side (what the visitor received, the Messaging conversation, switchboard and ticket, the
 * webhooks delivered to n8n, the alerts posted) and every execution's status through n8n's API.
 */
import {
	AGENT_FILE,
	AI_STORY,
	AGENT_IMAGE,
	ALERT_THRESHOLD,
	BOT_BACK_TEXT,
	BOT_HANDOFF_TEXT,
	HUMAN_REQUEST,
	MESSAGING_BOT,
	playBotConversation,
	playRound,
	type BotConversationResult,
	type RoundResult,
} from '../../e2e/scenario';
import {
	BOT_SETUP,
	CREDENTIAL_NAMES,
	readExample,
	startAiAgent,
	startMessagingBot,
	startStack,
	type Stack,
} from '../../e2e/stack';
import {
	createSupportCredential,
	importPickersWorkflow,
	listSearch,
	picked,
	PICKERS_NODE,
} from '../../e2e/support-pickers';
import { SIM_BOT_AGENT_ID, SIM_SUNSHINE, SIM_TOKENS } from '../../simulator';
import { MODEL_ANSWERS } from '../../simulator/model';

const PACKAGE = 'n8n-nodes-zendesk-chat';
const FIRST_MESSAGE = 'Hi! I have a question about my order.';
const PROBLEM = 'Order 42 never arrived. It was due last Friday.';
const AGENT_REPLY =
	'Sorry about that, Harry! Order 42 left our warehouse this morning; it arrives tomorrow.';

let stack: Stack;
let round: RoundResult;

/** The names of the nodes that ran in an execution. */
function nodesRun(execution: Record<string, any>): string[] {
	return Object.keys(execution.data?.resultData?.runData ?? {});
}

function outputOf(execution: Record<string, any>, node: string): Array<Record<string, any>> {
	return (execution.data.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []).map(
		(item: any) => item.json,
	);
}

beforeAll(async () => {
	stack = await startStack({ n8nOutputFile: process.env.E2E_N8N_LOG });
}, 20 * 60_000);

afterAll(async () => {
	await stack?.stop();
}, 60_000);

describe('the package in a real n8n', () => {
	it('is loaded as a community package: four node types under its package name, and the two action nodes as AI tools', async () => {
		const names = await stack.n8n.nodeTypeNames();
		expect(names.filter((n) => n.startsWith(`${PACKAGE}.`)).sort()).toEqual([
			`${PACKAGE}.zendeskChat`,
			`${PACKAGE}.zendeskChatTool`,
			`${PACKAGE}.zendeskChatTrigger`,
			`${PACKAGE}.zendeskMessaging`,
			`${PACKAGE}.zendeskMessagingTool`,
			`${PACKAGE}.zendeskMessagingTrigger`,
		]);
	});

	it('imports the examples with their credentials resolved by name, and activates them', async () => {
		for (const [key, { id }] of Object.entries(stack.workflows)) {
			const workflow = await stack.n8n.workflow(id);
			expect({ key, active: workflow.active }).toEqual({ key, active: true });
			const example = readExample(key as keyof Stack['workflows']);
			expect(workflow.name).toBe(example.name);
			for (const node of workflow.nodes.filter((n: any) => n.credentials)) {
				for (const [type, ref] of Object.entries(
					node.credentials as Record<string, { id: string; name: string }>,
				)) {
					const expected =
						type === 'zendeskChatApi'
							? { id: stack.credentials.chat, name: CREDENTIAL_NAMES.chat }
							: { id: stack.credentials.messaging, name: CREDENTIAL_NAMES.messaging };
					expect({ node: node.name, ...ref }).toEqual({ node: node.name, ...expected });
				}
			}
		}
	});

	it("registers the Messaging Trigger's webhook in Zendesk on activation: a new integration with n8n's production URL", () => {
		const { store } = stack.sim.sunshine.app;
		const integration = [...store.integrations.values()].find(
			(i) => i.displayName === `n8n: ${stack.workflows.escalation.name}`,
		);
		expect(integration).toMatchObject({ type: 'custom', status: 'active' });
		const webhooks = [...store.webhooks.values()].filter(
			(w) => w.integrationId === integration!.id,
		);
		expect(webhooks).toHaveLength(1);
		const webhookId = readExample('escalation').nodes.find(
			(n: any) => n.type === `${PACKAGE}.zendeskMessagingTrigger`,
		).webhookId;
		expect(webhooks[0].target).toBe(`${stack.n8n.baseUrl}/webhook/${webhookId}/webhook`);
		expect([...webhooks[0].triggers].sort()).toEqual([
			'conversation:message',
			'switchboard:releaseControl',
		]);
	});

	it('keeps the Chat Triggers on one pooled agent session (one message subscription) and one Streaming connection', () => {
		const sessions = stack.sim.conversations.control.sessions();
		expect(sessions).toHaveLength(1);
		expect(sessions[0]).toMatchObject({ agentId: SIM_BOT_AGENT_ID, connected: true });
		expect(sessions[0].subscriptions.map((s) => s.field)).toEqual(['message']);
		// Agent Presence "Online" in both chat-message triggers.
		expect(stack.sim.world.agents.get(SIM_BOT_AGENT_ID)!.status).toBe('ONLINE');
		const streaming = stack.sim.streaming.control.connections();
		expect(streaming.connections).toHaveLength(1);
		expect(streaming.connections[0].subscriptions.map((s: any) => s.topic)).toEqual([
			'chats.incoming_chats',
		]);
	});
});

describe('one scripted round through the three examples', () => {
	beforeAll(async () => {
		round = await playRound(stack, {
			visitorName: 'Harry',
			firstMessage: FIRST_MESSAGE,
			problem: PROBLEM,
			agentReply: AGENT_REPLY,
			timeoutMs: 45_000,
		});
		// Executions are saved just after their last node: wait for the expected counts (the
		// assertions below tell what is missing if they never come).
		const expected: Array<[keyof Stack['workflows'], number]> = [
			['autoReply', 1],
			['escalation', 7],
			['metricsAlert', 2],
		];
		await Promise.all(
			expected.map(([key, n]) =>
				stack.n8n
					.waitForExecutions(stack.workflows[key].id, (e) => e.length >= n, 20_000)
					.catch(() => undefined),
			),
		);
	}, 5 * 60_000);

	it("delivers to the visitor, in order: the quick replies, the hand-off, the agent's reply, image and file, the bot being back", () => {
		expect(
			round.delivered.map((d) => ({
				agentId: d.agentId,
				text: d.text,
				kind: d.structured?.kind ?? 'text',
			})),
		).toEqual([
			{
				agentId: SIM_BOT_AGENT_ID,
				text: "Hi Harry! I'm the Acme bot. What can I help you with?",
				kind: 'quick_replies',
			},
			{ agentId: SIM_BOT_AGENT_ID, text: BOT_HANDOFF_TEXT, kind: 'text' },
			{ agentId: SIM_BOT_AGENT_ID, text: `Grace Hopper: ${AGENT_REPLY}`, kind: 'text' },
			// The panel's plain-text fallback: heading - link.
			{
				agentId: SIM_BOT_AGENT_ID,
				text: `Grace Hopper: ${AGENT_IMAGE.altText} - ${AGENT_IMAGE.url}`,
				kind: 'panel',
			},
			{
				agentId: SIM_BOT_AGENT_ID,
				text: `Grace Hopper: ${AGENT_FILE.name}: ${AGENT_FILE.url}`,
				kind: 'text',
			},
			{ agentId: SIM_BOT_AGENT_ID, text: BOT_BACK_TEXT, kind: 'text' },
		]);
		expect(round.delivered[3].structured!.args.panel).toEqual({
			heading: `Grace Hopper: ${AGENT_IMAGE.altText}`,
			image_url: AGENT_IMAGE.url,
			action: { value: AGENT_IMAGE.url },
		});
		expect(round.delivered[0].structured!.args).toEqual({
			channel_id: round.channelId,
			msg: "Hi Harry! I'm the Acme bot. What can I help you with?",
			quick_replies: [
				{ text: 'Track my order', action: { value: 'Track my order' } },
				{ text: 'Pricing', action: { value: 'Pricing' } },
				{ text: HUMAN_REQUEST, action: { value: HUMAN_REQUEST } },
			],
			fallback: { msg: 'Reply with: Track my order, Pricing or Talk to a human' },
		});
	});

	it("escalates to Zendesk Messaging: the user by the chat's channel ID, a summary, the visitor's own words, a ticket for the agent workspace", () => {
		const { store } = stack.sim.sunshine.app;
		const conversation = store.conversations.get(round.conversationId)!;
		const user = store.userByExternalId(round.channelId)!;
		expect(user.profile).toMatchObject({ givenName: 'Harry' });
		expect(conversation.participants.map((p) => p.userId)).toEqual([user.id]);
		// Escalate's Conversation Metadata: how the bridge's trigger knows its own conversations.
		expect(conversation.metadata).toEqual({ bridge: 'zendesk-chat' });
		// The first message (before the escalation) was not sent to Zendesk Messaging.
		expect(
			conversation.messages.map((m) => ({
				type: m.author.type,
				name: m.author.displayName ?? null,
				agent: m.author.subtypes?.includes('agent') ?? false,
				text: (m.content as any).text ?? (m.content as any).mediaUrl,
			})),
		).toEqual([
			{
				type: 'business',
				name: 'Acme Bot',
				agent: false,
				text: 'Website chat visitor Harry asked the bot for a human agent. The bot could not help; their words follow.',
			},
			{ type: 'user', name: 'Harry', agent: false, text: HUMAN_REQUEST },
			{ type: 'user', name: 'Harry', agent: false, text: PROBLEM },
			{ type: 'business', name: 'Grace Hopper', agent: true, text: AGENT_REPLY },
			{ type: 'business', name: 'Grace Hopper', agent: true, text: AGENT_IMAGE.url },
			{ type: 'business', name: 'Grace Hopper', agent: true, text: AGENT_FILE.url },
		]);
		const tickets = stack.sim.sunshine.control.tickets({ conversationId: round.conversationId });
		expect(tickets).toHaveLength(1);
		expect(tickets[0]).toMatchObject({
			id: round.ticketId,
			via: 'passControl',
			tags: ['from_chat_bot'],
			firstMessageId: conversation.messages[0].id,
			// Released by the agent (solved): the switchboard state is cleared.
			status: 'closed',
			endedReason: 'ticketClosed',
		});
		expect(tickets[0].systemFields).toMatchObject({
			priority: 'normal',
			'requester.name': 'Harry',
		});
		expect(
			stack.sim.sunshine.control.conversation({ id: round.conversationId }).switchboard,
		).toEqual({ active: null, pending: null });
	});

	it("gets the agent's reply, image, file and the release from Zendesk through the registered webhook, answered 200 by n8n", () => {
		const deliveries = stack.sim.sunshine.control.deliveries();
		const webhookTarget = `${stack.n8n.baseUrl}/webhook/`;
		const toN8n = deliveries.filter((d) => d.target.startsWith(webhookTarget));
		const agentReply = toN8n.filter(
			(d) =>
				d.type === 'conversation:message' &&
				d.body.events[0].payload.message.author.subtypes?.includes('agent'),
		);
		expect(
			agentReply.map((d) => ({
				outcome: d.outcome,
				status: d.status,
				attempt: d.attempt,
				content: d.body.events[0].payload.message.content.type,
			})),
		).toEqual([
			{ outcome: 'delivered', status: 200, attempt: 1, content: 'text' },
			{ outcome: 'delivered', status: 200, attempt: 1, content: 'image' },
			{ outcome: 'delivered', status: 200, attempt: 1, content: 'file' },
		]);
		const release = toN8n.filter((d) => d.type === 'switchboard:releaseControl');
		expect(
			release.map((d) => ({
				outcome: d.outcome,
				status: d.status,
				reason: d.body.events[0].payload.reason,
			})),
		).toEqual([{ outcome: 'delivered', status: 200, reason: 'ticketClosed' }]);
		expect(toN8n.every((d) => d.outcome === 'delivered' && d.status === 200)).toBe(true);
	});

	it('posts the metrics alert when more than the threshold wait, and again when they are served or leave', () => {
		expect(round.alerts.map((a) => a.body)).toEqual([
			{
				text: `:warning: ${ALERT_THRESHOLD + 1} visitors are waiting for an agent in Zendesk Chat (alert above ${ALERT_THRESHOLD})`,
				metric: 'incoming_chats',
				state: 'crossed',
				value: ALERT_THRESHOLD + 1,
			},
			{
				text: `:white_check_mark: Waiting visitors are back to ${ALERT_THRESHOLD}`,
				metric: 'incoming_chats',
				state: 'recovered',
				value: ALERT_THRESHOLD,
			},
		]);
	});

	it("auto-reply: one successful execution, for the chat's first message only", async () => {
		const executions = await stack.n8n.executions(stack.workflows.autoReply.id);
		expect(executions.map((e) => ({ status: e.status, mode: e.mode, nodes: nodesRun(e) }))).toEqual(
			[{ status: 'success', mode: 'trigger', nodes: ['New Chat', 'Reply With Quick Replies'] }],
		);
		expect(outputOf(executions[0], 'New Chat')[0]).toMatchObject({
			event: 'chatMessage',
			channelId: round.channelId,
			text: FIRST_MESSAGE,
			senderType: 'visitor',
			firstMessage: true,
		});
		expect(outputOf(executions[0], 'Reply With Quick Replies')).toEqual([
			{ success: true, channelId: round.channelId },
		]);
	});

	it('escalation bridge: every execution succeeded, each taking its branch', async () => {
		const executions = (await stack.n8n.executions(stack.workflows.escalation.id)).reverse();
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		const chatRuns = executions.filter((e) => nodesRun(e).includes('Visitor Message'));
		expect(
			chatRuns.map((e) => [outputOf(e, 'Visitor Message')[0].text, nodesRun(e).slice(1)]),
		).toEqual([
			[FIRST_MESSAGE, ['Find Escalation', 'Agent Has the Chat?', 'Asks for a Human?']],
			[
				HUMAN_REQUEST,
				[
					'Find Escalation',
					'Agent Has the Chat?',
					'Asks for a Human?',
					'Escalate to Agent',
					'Forward Request',
					'Tell the Visitor',
				],
			],
			[PROBLEM, ['Find Escalation', 'Agent Has the Chat?', 'Forward to Agent']],
		]);
		// Before the escalation there is no such user: Find Escalation outputs nothing (no error), and
		// Always Output Data hands the check one empty item.
		expect(outputOf(chatRuns[0], 'Find Escalation')).toEqual([{}]);
		expect(outputOf(chatRuns[2], 'Find Escalation')[0]).toMatchObject({
			id: round.conversationId,
			activeSwitchboardIntegration: { integrationType: 'zd:agentWorkspace' },
		});
		expect(outputOf(chatRuns[1], 'Escalate to Agent')[0]).toMatchObject({
			conversationId: round.conversationId,
			userCreated: true,
			conversationCreated: true,
		});

		const webhookRuns = executions.filter((e) => nodesRun(e).includes('Agent Activity'));
		// The customer's forwarded messages come back too, but the trigger's author filter (agents)
		// leaves them out: they start no execution. The end of the session always passes.
		expect(
			webhookRuns.map((e) => ({
				mode: e.mode,
				event: outputOf(e, 'Agent Activity')[0].eventType,
				nodes: nodesRun(e).slice(1),
			})),
		).toEqual([
			{
				mode: 'webhook',
				event: 'conversation:message',
				nodes: ['An Image?', 'Deliver to Visitor'],
			},
			{ mode: 'webhook', event: 'conversation:message', nodes: ['An Image?', 'Show the Image'] },
			{
				mode: 'webhook',
				event: 'conversation:message',
				nodes: ['An Image?', 'Deliver to Visitor'],
			},
			{
				mode: 'webhook',
				event: 'switchboard:releaseControl',
				nodes: ['An Image?', 'Deliver to Visitor'],
			},
		]);
		// Every item names the customer: the chat's channel ID, looked up from the conversation.
		const items = webhookRuns.map((e) => outputOf(e, 'Agent Activity')[0]);
		expect(items.map((item) => [item.conversationId, item.externalUserId, item.metadata])).toEqual(
			Array(4).fill([round.conversationId, round.channelId, { bridge: 'zendesk-chat' }]),
		);
		expect(items[0]).toMatchObject({
			fromAgent: true,
			agentName: 'Grace Hopper',
			text: AGENT_REPLY,
			author: { type: 'business', subtypes: ['agent'] },
			appId: SIM_SUNSHINE.appId,
			media: [],
		});
		expect(items[1].media).toEqual([
			{
				url: AGENT_IMAGE.url,
				type: 'image',
				mediaType: null,
				name: 'shipping-label.png',
				altText: AGENT_IMAGE.altText,
				size: null,
			},
		]);
		expect(items[2].media).toMatchObject([
			{ url: AGENT_FILE.url, type: 'file', name: AGENT_FILE.name },
		]);
		expect(items[3]).toMatchObject({ reason: 'ticketClosed' });
		expect(executions).toHaveLength(7);
	});

	it('metrics alert: two successful executions, crossed then recovered', async () => {
		const executions = (await stack.n8n.executions(stack.workflows.metricsAlert.id)).reverse();
		expect(
			executions.map((e) => ({ status: e.status, item: outputOf(e, 'Too Many Waiting')[0] })),
		).toEqual([
			{
				status: 'success',
				item: expect.objectContaining({
					event: 'liveMetrics',
					mode: 'threshold',
					metric: 'incoming_chats',
					value: 3,
					state: 'crossed',
					threshold: { direction: 'above', value: 2 },
				}),
			},
			{
				status: 'success',
				item: expect.objectContaining({
					metric: 'incoming_chats',
					value: 2,
					previousValue: 3,
					state: 'recovered',
				}),
			},
		]);
	});
});

describe("the Messaging Trigger's webhook in the real n8n", () => {
	const agentReplyDelivery = () =>
		stack.sim.sunshine.control
			.deliveries({ type: 'conversation:message' })
			.find(
				(d) =>
					d.target.startsWith(stack.n8n.baseUrl) &&
					d.body.events[0].payload.message.author.subtypes?.includes('agent'),
			)!;
	const post = (headers: Record<string, string>, body: unknown) =>
		fetch(agentReplyDelivery().target, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify(body),
		});

	it('refuses a call without the webhook secret with 401, and starts no execution', async () => {
		const before = (await stack.n8n.executions(stack.workflows.escalation.id)).length;
		const { headers, body } = agentReplyDelivery();
		const forged = { ...body, events: [{ ...body.events[0], id: 'forged-event-1' }] };
		const withoutKey = await post({}, forged);
		const wrongKey = await post({ 'x-api-key': `${headers['X-API-Key']}-not` }, forged);
		expect([withoutKey.status, wrongKey.status]).toEqual([401, 401]);
		await new Promise((r) => setTimeout(r, 1500));
		expect((await stack.n8n.executions(stack.workflows.escalation.id)).length).toBe(before);
	});

	it('acknowledges a redelivered event (same event id) with 200 and does not run the workflow again', async () => {
		const before = (await stack.n8n.executions(stack.workflows.escalation.id)).length;
		const { headers, body } = agentReplyDelivery();
		const again = await post({ 'x-api-key': headers['X-API-Key'] }, body);
		expect(again.status).toBe(200);
		await new Promise((r) => setTimeout(r, 1500));
		expect((await stack.n8n.executions(stack.workflows.escalation.id)).length).toBe(before);
		expect(round.delivered).toHaveLength(6);
		expect(stack.sim.world.requireChat(round.chat.id).delivered).toHaveLength(6);
	});
});

describe('deactivation', () => {
	it('lets go of everything in Zendesk: the webhook integration is deleted, the subscriptions and the stream are closed', async () => {
		for (const { id } of Object.values(stack.workflows)) await stack.n8n.deactivate(id);
		const { store } = stack.sim.sunshine.app;
		const left = () => ({
			integrations: [...store.integrations.values()].filter((i) =>
				i.displayName?.startsWith('n8n: '),
			).length,
			webhooks: [...store.webhooks.values()].filter((w) => w.target.startsWith(stack.n8n.baseUrl))
				.length,
			// The pooled agent session itself stays for its idle time (5 minutes), for reuse.
			subscriptions: stack.sim.conversations.control.sessions().flatMap((s) => s.subscriptions)
				.length,
			streams: stack.sim.streaming.control.connections().connections.length,
		});
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline && Object.values(left()).some((n) => n > 0))
			await new Promise((r) => setTimeout(r, 200));
		expect(left()).toEqual({ integrations: 0, webhooks: 0, subscriptions: 0, streams: 0 });
	}, 60_000);
});

describe('the Messaging bot example (messaging-bot-handoff.json), switched on after the round', () => {
	const BOT_NAME_IN_SWITCHBOARD = 'acme-bot';
	const CUSTOMER = { name: 'Ada', externalId: 'messaging-customer-ada' };
	const AGENT_REPLY_TO_ADA = 'Hello Ada, Grace here. How can I help?';
	const LATER = 'My order 42 has not arrived.';
	const store = () => stack.sim.sunshine.app.store;
	const botWorkflow = () => stack.standby.messagingBot;
	const integrationName = () => `n8n: ${botWorkflow().name}`;
	const botIntegration = () =>
		[...store().integrations.values()].find((i) => i.displayName === integrationName());
	const webhookTarget = () =>
		`${stack.n8n.baseUrl}/webhook/${readExample('messagingBot').nodes.find((n: any) => n.type === `${PACKAGE}.zendeskMessagingTrigger`).webhookId}/webhook`;
	let setUp: Record<string, any>;
	let story: BotConversationResult;

	it('was imported as written but not activated: credentials resolved by name, nothing of it in Zendesk, no execution during the round', async () => {
		const workflow = await stack.n8n.workflow(botWorkflow().id);
		expect({ name: workflow.name, active: workflow.active }).toEqual({
			name: readExample('messagingBot').name,
			active: false,
		});
		for (const node of workflow.nodes.filter((n: any) => n.credentials)) {
			expect({ node: node.name, ...node.credentials.zendeskMessagingApi }).toEqual({
				node: node.name,
				id: stack.credentials.messaging,
				name: CREDENTIAL_NAMES.messaging,
			});
		}
		expect(botIntegration()).toBeUndefined();
		expect(await stack.n8n.executions(botWorkflow().id)).toEqual([]);
	});

	it('activation registers its webhook; the one-time set-up, run through n8n, puts the bot on the switchboard as the default responder with the agent workspace next', async () => {
		setUp = await startMessagingBot(stack);
		const integration = botIntegration()!;
		expect(integration).toMatchObject({ type: 'custom', status: 'active' });
		const webhooks = store().webhooksOf(integration.id);
		expect(webhooks.map((w) => ({ target: w.target, triggers: w.triggers }))).toEqual([
			{ target: webhookTarget(), triggers: ['conversation:message'] },
		]);

		expect({ status: setUp.status, mode: setUp.mode, nodes: nodesRun(setUp) }).toEqual({
			status: 'success',
			mode: 'manual',
			nodes: [BOT_SETUP.trigger, BOT_SETUP.node],
		});
		const [output] = outputOf(setUp, BOT_SETUP.node);
		const workspace = store().agentWorkspace!;
		const bot = store().switchboardIntegrationOf(integration.id)!;
		expect(output).toMatchObject({
			// Found by the name the trigger gave it (the node's Bot Name is `n8n: {{ $workflow.name }}`).
			integration: { id: integration.id, displayName: integrationName() },
			webhook: { id: webhooks[0].id, target: webhookTarget(), triggers: ['conversation:message'] },
			switchboardIntegration: { id: bot.id, name: BOT_NAME_IN_SWITCHBOARD },
			agentWorkspace: { id: workspace.id, name: SIM_SUNSHINE.agentWorkspaceName },
			switchboard: { enabled: true, defaultSwitchboardIntegrationId: bot.id },
			changes: [
				`added ${BOT_NAME_IN_SWITCHBOARD} to the switchboard with ${SIM_SUNSHINE.agentWorkspaceName} as its next`,
				`made ${BOT_NAME_IN_SWITCHBOARD} the default responder`,
			],
		});
		// The webhook the trigger registered is left as it is.
		expect(
			store()
				.webhooksOf(integration.id)
				.map((w) => w.id),
		).toEqual(webhooks.map((w) => w.id));
		expect(bot).toMatchObject({
			name: BOT_NAME_IN_SWITCHBOARD,
			integrationType: 'custom',
			nextSwitchboardIntegrationId: workspace.id,
		});
		expect(store().switchboard).toMatchObject({
			enabled: true,
			defaultSwitchboardIntegrationId: bot.id,
		});
	});

	it('a second run of the set-up changes nothing', async () => {
		const again = await stack.n8n.runManually(botWorkflow().id, BOT_SETUP.trigger, BOT_SETUP.node);
		expect(again.status).toBe('success');
		expect(outputOf(again, BOT_SETUP.node)[0].changes).toEqual([]);
	});

	describe('a Messaging customer talks to it', () => {
		beforeAll(async () => {
			story = await playBotConversation(stack, {
				customerName: CUSTOMER.name,
				userExternalId: CUSTOMER.externalId,
				agentReply: AGENT_REPLY_TO_ADA,
				laterMessage: LATER,
				timeoutMs: 45_000,
			});
			// Five webhook executions: hi, opening hours, talk to a human, the agent's reply, the message to the agent.
			await stack.n8n
				.waitForExecutions(
					botWorkflow().id,
					(e) => e.filter((x) => x.mode === 'webhook').length >= 5,
					20_000,
				)
				.catch(() => undefined);
		}, 3 * 60_000);

		it('in Zendesk: the menu as quick replies, the opening hours, the hand-off notice, and no bot message after it', () => {
			const conversation = store().conversations.get(story.conversationId)!;
			expect(conversation.participants.map((p) => p.userId)).toEqual([story.userId]);
			expect(store().users.get(story.userId)).toMatchObject({ externalId: CUSTOMER.externalId });
			const replies = (choices: ReadonlyArray<{ text: string; payload: string }>) =>
				choices.map((c) => ({ type: 'reply', text: c.text, payload: c.payload }));
			const [hours, pricing, human] = MESSAGING_BOT.menu;
			expect(
				conversation.messages.map((m) => {
					const content = m.content as Record<string, any>;
					return {
						type: m.author.type,
						name: m.author.displayName ?? null,
						agent: m.author.subtypes?.includes('agent') ?? false,
						text: content.text,
						...(content.payload ? { payload: content.payload } : {}),
						...(content.actions ? { actions: content.actions } : {}),
					};
				}),
			).toEqual([
				{ type: 'user', name: CUSTOMER.name, agent: false, text: 'Hi' },
				{
					type: 'business',
					name: MESSAGING_BOT.displayName,
					agent: false,
					text: MESSAGING_BOT.greeting(CUSTOMER.name),
					actions: replies(MESSAGING_BOT.menu),
				},
				{
					type: 'user',
					name: CUSTOMER.name,
					agent: false,
					text: hours.text,
					payload: hours.payload,
				},
				{
					type: 'business',
					name: MESSAGING_BOT.displayName,
					agent: false,
					text: MESSAGING_BOT.openingHours,
					actions: replies([pricing, human]),
				},
				{
					type: 'user',
					name: CUSTOMER.name,
					agent: false,
					text: human.text,
					payload: human.payload,
				},
				{
					type: 'business',
					name: MESSAGING_BOT.displayName,
					agent: false,
					text: MESSAGING_BOT.handoff,
				},
				{ type: 'business', name: 'Grace Hopper', agent: true, text: AGENT_REPLY_TO_ADA },
				{ type: 'user', name: CUSTOMER.name, agent: false, text: LATER },
			]);
			// The bot's messages are tagged as the package's (the trigger drops them), and not marked as AI.
			for (const message of conversation.messages.filter(
				(m) => m.author.type === 'business' && !m.author.subtypes?.includes('agent'),
			)) {
				expect(message.metadata).toMatchObject({ 'n8n.origin': PACKAGE });
				expect(message.author.subtypes ?? []).not.toContain('AI');
			}
		});

		it('hands the conversation to the agent workspace through the switchboard ("next"): a ticket with the conversation so far', () => {
			const conversation = store().conversations.get(story.conversationId)!;
			const tickets = stack.sim.sunshine.control.tickets({ conversationId: story.conversationId });
			expect(tickets).toHaveLength(1);
			expect(tickets[0]).toMatchObject({
				id: story.ticketId,
				via: 'passControl',
				status: 'open',
				tags: ['from_messaging_bot'],
				userId: story.userId,
			});
			// Without first_message_id a ticket takes the last 10 messages: the five before the hand-off.
			expect(tickets[0].messageIds).toEqual(conversation.messages.slice(0, 5).map((m) => m.id));
			expect(
				stack.sim.sunshine.control.conversation({ id: story.conversationId }).switchboard,
			).toEqual({ active: SIM_SUNSHINE.agentWorkspaceName, pending: null });
		});

		it('gets every message through its webhook, answered 200 at once; its own messages come back too and start nothing', () => {
			const toBot = stack.sim.sunshine.control
				.deliveries()
				.filter((d) => d.target === webhookTarget());
			const conversation = store().conversations.get(story.conversationId)!;
			// Set Up Bot Handoff leaves deliverStandbyEvents at Zendesk's default (true): the bot hears
			// the conversation while the agent has it, and its check keeps it silent.
			expect(toBot.map((d) => d.body.events[0].payload.message.id)).toEqual(
				conversation.messages.map((m) => m.id),
			);
			expect(
				toBot.map((d) => ({
					type: d.type,
					outcome: d.outcome,
					status: d.status,
					attempt: d.attempt,
				})),
			).toEqual(
				conversation.messages.map(() => ({
					type: 'conversation:message',
					outcome: 'delivered',
					status: 200,
					attempt: 1,
				})),
			);
		});

		it("n8n: every execution succeeded; each customer message took its branch; the agent's reply and the message to the agent stopped at the check", async () => {
			const executions = (await stack.n8n.executions(botWorkflow().id)).reverse();
			expect(executions.map((e) => e.status)).toEqual(executions.map(() => 'success'));
			expect(executions.filter((e) => e.mode === 'manual').map((e) => nodesRun(e))).toEqual([
				[BOT_SETUP.trigger, BOT_SETUP.node],
				[BOT_SETUP.trigger, BOT_SETUP.node],
			]);
			const webhookRuns = executions.filter((e) => e.mode === 'webhook');
			const check = ['Customer Message', 'Customer Talks to the Bot?'];
			expect(
				webhookRuns.map((e) => [outputOf(e, 'Customer Message')[0].messageId, nodesRun(e)]),
			).toEqual([
				[story.steps.hi.asked, [...check, 'Menu Choice', 'Greet With the Menu']],
				[story.steps.openingHours.asked, [...check, 'Menu Choice', 'Answer Opening Hours']],
				[
					story.steps.human.asked,
					[...check, 'Menu Choice', 'Hand Off to an Agent', 'Tell the Customer'],
				],
				[story.steps.agentReply, check],
				[story.steps.later, check],
			]);
			expect(outputOf(webhookRuns[0], 'Customer Message')[0]).toMatchObject({
				eventType: 'conversation:message',
				conversationId: story.conversationId,
				externalUserId: CUSTOMER.externalId,
				authorType: 'user',
				authorName: CUSTOMER.name,
				text: 'Hi',
			});
			expect(outputOf(webhookRuns[0], 'Greet With the Menu')[0]).toMatchObject({
				id: story.steps.hi.answer,
				conversationId: story.conversationId,
			});
			expect(outputOf(webhookRuns[2], 'Hand Off to an Agent')).toEqual([
				{ conversationId: story.conversationId, controlPassedTo: 'next' },
			]);
			expect(outputOf(webhookRuns[2], 'Tell the Customer')[0]).toMatchObject({
				id: story.steps.human.answer,
			});
			expect(outputOf(webhookRuns[3], 'Customer Message')[0]).toMatchObject({
				authorType: 'business',
				fromAgent: true,
				text: AGENT_REPLY_TO_ADA,
			});
			expect(outputOf(webhookRuns[4], 'Customer Message')[0]).toMatchObject({
				authorType: 'user',
				text: LATER,
			});
			expect(executions).toHaveLength(7);
		});
	});

	it('deactivation removes its webhook; the integration stays on the switchboard (Zendesk keeps an integration a switchboard integration points at)', async () => {
		await stack.n8n.deactivate(botWorkflow().id);
		const integration = botIntegration()!;
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline && store().webhooksOf(integration.id).length > 0)
			await new Promise((r) => setTimeout(r, 200));
		expect(store().webhooksOf(integration.id)).toEqual([]);
		expect(
			[...store().webhooks.values()].filter((w) => w.target.startsWith(stack.n8n.baseUrl)),
		).toEqual([]);
		expect(store().integrations.has(integration.id)).toBe(true);
		expect(store().switchboardIntegrationOf(integration.id)).toMatchObject({
			name: BOT_NAME_IN_SWITCHBOARD,
		});
	}, 60_000);
});

describe('credential tests in the real n8n (the editor\'s "Test" button)', () => {
	const testCredential = (type: string, data: Record<string, unknown>) =>
		stack.n8n.testCredential(type, data);
	const chat = (accessToken: string) => ({
		accessToken,
		host: 'custom',
		customBaseUrl: stack.sim.urls.base,
	});
	const messaging = (overrides: Record<string, unknown>) => ({
		host: 'custom',
		customBaseUrl: stack.sim.urls.base,
		appId: SIM_SUNSHINE.appId,
		keyId: SIM_SUNSHINE.keyId,
		keySecret: SIM_SUNSHINE.keySecret,
		authType: 'basic',
		...overrides,
	});

	it('passes for a working Zendesk Chat token, and says what is wrong with a refused one', async () => {
		expect((await testCredential('zendeskChatApi', chat(SIM_TOKENS.bot))).status).toBe('OK');
		expect(await testCredential('zendeskChatApi', chat(SIM_TOKENS.revoked))).toEqual({
			status: 'Error',
			message:
				'Zendesk refused the access token: it is wrong, expired or revoked. Create a new one.',
		});
	});

	it('passes for the Messaging app key (basic and JWT), and names a wrong secret and a wrong app', async () => {
		expect((await testCredential('zendeskMessagingApi', messaging({}))).status).toBe('OK');
		expect(
			(await testCredential('zendeskMessagingApi', messaging({ authType: 'jwt' }))).status,
		).toBe('OK');
		expect(await testCredential('zendeskMessagingApi', messaging({ keySecret: 'wrong' }))).toEqual({
			status: 'Error',
			message: 'The key id or secret is wrong (or the key was deleted).',
		});
		expect(
			await testCredential('zendeskMessagingApi', messaging({ appId: 'no-such-app' })),
		).toEqual({
			status: 'Error',
			message: 'No such app: check the App ID and the subdomain.',
		});
	});
});

describe("the Escalate pickers with a Zendesk Support credential (n8n's own zendeskApi)", () => {
	let support: { id: string; name: string };
	const list = (
		field: string,
		methodName: string,
		extra: { filter?: string; paginationToken?: string } = {},
	) => listSearch(stack, support, field, methodName, extra);

	beforeAll(async () => {
		support = await createSupportCredential(stack);
	}, 60_000);

	it('lists the groups by name, leaving out the deleted one', async () => {
		const groups = await list('groupId', 'searchGroups');
		const active = (
			stack.sim.support.control.records({ resource: 'groups' }) as Array<Record<string, any>>
		).filter((g) => !g.deleted);
		expect(groups.results.map((g) => [g.name, g.value]).sort()).toEqual(
			active.map((g) => [g.name, String(g.id)]).sort(),
		);
		expect(groups.paginationToken).toBeUndefined();
	});

	it('pages through every organization with the pagination token, and searches them by name', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await list(
				'organizationId',
				'searchOrganizations',
				token ? { paginationToken: token } : {},
			);
			seen.push(...page.results.map((o) => o.value));
			token = page.paginationToken;
			pages++;
		} while (token && pages < 10);
		const stored = stack.sim.support.control.records({ resource: 'organizations' }) as Array<
			Record<string, any>
		>;
		expect(pages).toBeGreaterThan(1);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.sort()).toEqual(
			stored
				.filter((o) => !o.deleted)
				.map((o) => String(o.id))
				.sort(),
		);
		const found = await list('organizationId', 'searchOrganizations', { filter: 'Glob' });
		expect(found.results.length).toBeGreaterThan(0);
		expect(found.results.every((o) => o.name.startsWith('Glob'))).toBe(true);
	});

	it('escalates with picked values: the ticket gets the group, assignee, brand, form and custom field chosen from the lists', async () => {
		const group = (await list('groupId', 'searchGroups')).results.find(
			(g) => g.name === 'Billing',
		)!;
		const [form] = (await list('ticketFormId', 'searchTicketForms')).results;
		const [brand] = (await list('brandId', 'searchBrands')).results;
		const [assignee] = (await list('assigneeId', 'searchAssignees', { filter: 'Grace' })).results;
		const [field] = (await list('customFields.field.id', 'searchTicketFields')).results;
		expect([group, form, brand, assignee, field].every(Boolean)).toBe(true);
		const workflowId = await importPickersWorkflow(stack, support, {
			groupId: picked(group),
			assigneeId: picked(assignee),
			brandId: picked(brand),
			ticketFormId: picked(form),
			customFields: { field: [{ id: picked(field), value: 'picked in e2e' }] },
		});
		const requestsBefore = (stack.sim.support.control.requestLog() as unknown[]).length;
		const execution = await stack.n8n.runManually(workflowId, 'Run', PICKERS_NODE);
		expect(execution.status).toBe('success');
		const [result] = outputOf(execution, PICKERS_NODE);
		const [ticket] = stack.sim.sunshine.control.tickets({ conversationId: result.conversationId });
		expect(ticket.systemFields).toMatchObject({
			group_id: group.value,
			assignee_id: assignee.value,
			brand_id: brand.value,
			ticket_form_id: form.value,
		});
		expect(ticket.ticketFields).toMatchObject({ [field.value]: 'picked in e2e' });
		// The run sends the picked ids as they are; only the editor's lists read the Support API.
		expect((stack.sim.support.control.requestLog() as unknown[]).length).toBe(requestsBefore);
	});
});

describe("the AI agent example (ai-agent-handoff.json): n8n's AI Agent with the scripted model and Zendesk Messaging tools", () => {
	const CUSTOMER = { name: 'Lin', externalId: 'messaging-customer-lin' };
	const { question: QUESTION, humanPlease: HUMAN_PLEASE } = AI_STORY;
	const store = () => stack.sim.sunshine.app.store;
	const aiWorkflow = () => stack.standby.aiAgent;
	const example = readExample('aiAgent');
	const quickReplies = example.nodes
		.find((n: any) => n.name === 'Reply to Customer')
		.parameters.actions.action.map((a: any) => ({
			type: a.type,
			text: a.text,
			payload: a.payload,
		}));
	let conversationId: string;
	let setUp: Record<string, any>;
	const messages = () =>
		store()
			.conversations.get(conversationId)!
			.messages.map((m) => ({
				type: m.author.type,
				name: m.author.displayName ?? null,
				text: (m.content as any).text,
				actions: (m.content as any).actions,
			}));
	const until = async <T>(
		what: string,
		probe: () => T | undefined,
		timeoutMs = 45_000,
	): Promise<T> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = probe();
			if (value) return value;
			if (Date.now() > deadline)
				throw new Error(
					`timed out waiting for ${what}; conversation: ${JSON.stringify(conversationId ? messages() : null)}`,
				);
			await new Promise((r) => setTimeout(r, 200));
		}
	};

	beforeAll(async () => {
		stack.sim.model.control.reset();
		setUp = await startAiAgent(stack);
	}, 2 * 60_000);

	afterAll(async () => {
		await stack.n8n.deactivate(aiWorkflow().id).catch(() => undefined);
	}, 60_000);

	it('its one-time set-up makes its integration the default responder (the Messaging bot is off)', () => {
		expect(setUp.status).toBe('success');
		const integration = [...store().integrations.values()].find(
			(i) => i.displayName === `n8n: ${aiWorkflow().name}`,
		)!;
		expect(store().switchboard).toMatchObject({
			defaultSwitchboardIntegrationId: store().switchboardIntegrationOf(integration.id)!.id,
		});
	});

	it("answers the customer's question through the Reply to Customer tool, with quick replies", async () => {
		({ conversationId } = stack.sim.sunshine.control.userSays({
			userExternalId: CUSTOMER.externalId,
			displayName: CUSTOMER.name,
			text: QUESTION,
		}) as { conversationId: string });
		await until("the assistant's answer", () => messages().find((m) => m.type === 'business'));
		expect(messages()).toEqual([
			{ type: 'user', name: CUSTOMER.name, text: QUESTION, actions: undefined },
			{
				type: 'business',
				name: 'Acme Assistant',
				text: MODEL_ANSWERS.openingHours,
				actions: quickReplies,
			},
		]);
		// The model was asked by n8n's OpenAI Chat Model node with the three tools, under their node names.
		const [first] = stack.sim.model.control.turns();
		expect(first.turn.userText).toBe(QUESTION);
		expect(first.turn.tools.map((t) => t.name).sort()).toEqual(
			['Escalate_to_Human', 'Get_Transcript', 'Reply_to_Customer'].sort(),
		);
	});

	it('on "human please": reads the transcript, tells the customer, and escalates with the summary and the transcript as the ticket\'s first message', async () => {
		stack.sim.sunshine.control.userSays({ conversationId, text: HUMAN_PLEASE });
		const ticket = await until(
			'the ticket',
			() => stack.sim.sunshine.control.tickets({ conversationId })[0],
		);
		const first = store()
			.conversations.get(conversationId)!
			.messages.find((m) => m.id === ticket.firstMessageId)!;
		const summary = (first.content as any).text as string;
		expect(summary).toContain('The customer asked for a human agent.');
		expect(summary).toContain(`Their first message: "${QUESTION}".`);
		expect(summary).toContain('Conversation so far:');
		expect(summary).toContain(`${CUSTOMER.name} (visitor): ${QUESTION}`);
		expect(summary).toContain(`(bot): ${MODEL_ANSWERS.openingHours}`);
		expect(ticket).toMatchObject({ via: 'passControl', status: 'open', tags: ['ai_handoff'] });
		expect(
			stack.sim.sunshine.control.conversation({ id: conversationId }).switchboard,
		).toMatchObject({ active: SIM_SUNSHINE.agentWorkspaceName });
		expect(messages().map((m) => [m.type, m.text])).toEqual([
			['user', QUESTION],
			['business', MODEL_ANSWERS.openingHours],
			['user', HUMAN_PLEASE],
			['business', MODEL_ANSWERS.handoff],
			['business', summary],
		]);
		// The tools in the order the model called them, each turn asked again with the tool's output.
		const calls = stack.sim.model.control
			.turns()
			.filter((t) => t.turn.userText === HUMAN_PLEASE && t.decision.type === 'tool')
			.map((t) => (t.decision as { name: string }).name);
		expect(calls).toEqual(['Get_Transcript', 'Reply_to_Customer', 'Escalate_to_Human']);
	});

	it("n8n: every execution succeeded; the customer's messages ran the agent, its own messages and the agent's stopped at the check", async () => {
		await stack.n8n
			.waitForExecutions(
				aiWorkflow().id,
				(e) => e.filter((x) => x.mode === 'webhook').length >= 2,
				20_000,
			)
			.catch(() => undefined);
		const executions = (await stack.n8n.executions(aiWorkflow().id)).reverse();
		expect(executions.map((e) => e.status)).toEqual(executions.map(() => 'success'));
		const agentRuns = executions.filter(
			(e) => e.mode === 'webhook' && nodesRun(e).includes('AI Agent'),
		);
		expect(agentRuns.map((e) => outputOf(e, 'Customer Message')[0].text)).toEqual([
			QUESTION,
			HUMAN_PLEASE,
		]);
	});

	it('stays quiet once an agent has the conversation', async () => {
		stack.sim.sunshine.control.agentReplies({
			conversationId,
			text: 'Hi Lin, Grace here. How can I help?',
		});
		stack.sim.sunshine.control.userSays({ conversationId, text: 'My parcel is late.' });
		await new Promise((r) => setTimeout(r, 4000));
		expect(
			messages()
				.slice(-2)
				.map((m) => m.text),
		).toEqual(['Hi Lin, Grace here. How can I help?', 'My parcel is late.']);
	});
});
