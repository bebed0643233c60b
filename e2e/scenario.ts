/**
 * The scripted round the demo plays and the end-to-end tests check: simulated people on the
 * Zendesk side (a website visitor in Zendesk Chat, a human agent in the Zendesk agent workspace,
 * more visitors queueing up), and the three example workflows in the real n8n answering them.
 * Every step waits for the workflows' effect on the simulator, so a step that never happens fails
 * with what was expected instead of hanging.
 */
import { encodeRelayId } from '../simulator/conversations/relay-id';
import type { ChatRecord, DeliveredToVisitor, HistoryEntry } from '../simulator/world/types';
import type { Alert, Stack } from './stack';

/** What the visitor picks among the auto-reply's quick replies (escalation-bridge.json listens for it). */
export const HUMAN_REQUEST = 'Talk to a human';
export const BOT_HANDOFF_TEXT =
	"I've asked a human agent to take over. They will answer you right here.";
export const BOT_BACK_TEXT =
	'The agent has closed this conversation. I am the bot again: ask me anything!';
/** What the agent sends after their reply: an image (a panel for the visitor) and a file (a link). */
export const AGENT_IMAGE = {
	url: 'https://cdn.acme.example/returns/shipping-label.png',
	altText: 'Your return shipping label',
};
export const AGENT_FILE = {
	url: 'https://cdn.acme.example/invoices/invoice-42.pdf',
	name: 'invoice-42.pdf',
};
/** metrics-alert.json alerts above this many waiting visitors. */
export const ALERT_THRESHOLD = 2;

export interface RoundResult {
	chat: ChatRecord;
	channelId: string;
	/** The Zendesk Messaging conversation the bot escalated to. */
	conversationId: string;
	ticketId: number;
	/** What the visitor's widget received, in order. */
	delivered: DeliveredToVisitor[];
	/** The alert sink's POSTs made during this round: crossed, then recovered. */
	alerts: Alert[];
	/** Milliseconds from each visitor/agent action to the workflow's visible effect. */
	latencies: Record<string, number>;
}

export async function waitFor<T>(
	what: string,
	probe: () => T | undefined | false | null,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined && value !== false && value !== null) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** The Conversations API's channel id of a chat: what the Zendesk Chat Trigger hands the workflow. */
export function channelIdOf(chat: ChatRecord): string {
	return encodeRelayId('CHANNEL', chat.id);
}

export interface RoundOptions {
	visitorName: string;
	/** What the visitor asks first. */
	firstMessage?: string;
	/** What the visitor tells the human agent. */
	problem?: string;
	agentReply?: string;
	/** Pause between steps so a person can follow the transcript (0 in tests). */
	pauseMs?: number;
	timeoutMs?: number;
}

/** One visitor's whole story, then a queue of waiting visitors for the metrics alert. */
export async function playRound(stack: Stack, options: RoundOptions): Promise<RoundResult> {
	const { sim } = stack;
	const { world } = sim;
	const control = sim.sunshine.control;
	const store = sim.sunshine.app.store;
	const timeout = options.timeoutMs ?? 30_000;
	const pause = () => new Promise((r) => setTimeout(r, options.pauseMs ?? 0));
	const latencies: Record<string, number> = {};
	const name = options.visitorName;

	const deliveredMatching = (chat: ChatRecord, match: (d: DeliveredToVisitor) => boolean) =>
		chat.delivered.find(match);

	// 1. A visitor opens the chat: the auto-reply greets them with quick replies.
	let t = Date.now();
	const chat = world.startChat({
		visitor: { name, email: `${name.toLowerCase()}@example.com` },
		message: options.firstMessage ?? 'Hi! I have a question about my order.',
	});
	const channelId = channelIdOf(chat);
	await waitFor(
		'the auto-reply (quick replies) to reach the visitor',
		() => deliveredMatching(chat, (d) => d.structured?.kind === 'quick_replies'),
		timeout,
	);
	latencies.autoReply = Date.now() - t;
	await pause();

	// 2. The visitor taps "Talk to a human": the bridge escalates to Zendesk Messaging.
	t = Date.now();
	world.visitorSays(chat.id, HUMAN_REQUEST);
	const user = await waitFor(
		"the Zendesk Messaging user with the chat's channel id as external id",
		() => store.userByExternalId(channelId),
		timeout,
	);
	const conversation = await waitFor(
		'a Zendesk Messaging conversation handed to the agent workspace, with a ticket',
		() =>
			store.tickets.find(
				(ticket) => ticket.userId === user.id && ticket.status === 'open' && !ticket.endedAt,
			),
		timeout,
	);
	const conversationId = conversation.conversationId;
	await waitFor(
		'the hand-off notice to reach the visitor',
		() => deliveredMatching(chat, (d) => d.text === BOT_HANDOFF_TEXT),
		timeout,
	);
	latencies.escalation = Date.now() - t;
	await pause();

	// 3. The visitor goes on writing: their messages are forwarded to the agent.
	const problem = options.problem ?? 'Order 42 never arrived. It was due last Friday.';
	t = Date.now();
	world.visitorSays(chat.id, problem);
	await waitFor(
		"the visitor's message to be forwarded into the Zendesk Messaging conversation",
		() =>
			store.conversations
				.get(conversationId)
				?.messages.find((m) => m.author.type === 'user' && (m.content as any).text === problem),
		timeout,
	);
	latencies.forward = Date.now() - t;
	await pause();

	// 4. The agent answers in the agent workspace: the reply reaches the visitor in Zendesk Chat.
	const reply =
		options.agentReply ??
		`Sorry about that, ${name}! Order 42 left our warehouse this morning; it arrives tomorrow.`;
	t = Date.now();
	const agentMessage = control.agentReplies({ conversationId, text: reply });
	const agentName = (agentMessage as any).author.displayName as string;
	await waitFor(
		"the agent's reply to reach the visitor",
		() => deliveredMatching(chat, (d) => d.text === `${agentName}: ${reply}`),
		timeout,
	);
	latencies.agentReply = Date.now() - t;
	await pause();

	// 4b. The agent sends a picture and a file (seeds/messaging-escalation-connector.txt: "text,
	// images, and file attachments"): the visitor gets the image as a panel, the file as a link.
	t = Date.now();
	control.agentReplies({
		conversationId,
		content: { type: 'image', mediaUrl: AGENT_IMAGE.url, altText: AGENT_IMAGE.altText },
	});
	await waitFor(
		"the agent's image to reach the visitor as a panel",
		() =>
			deliveredMatching(
				chat,
				(d) =>
					d.structured?.kind === 'panel' &&
					(d.structured.args.panel as { image_url?: string } | undefined)?.image_url ===
						AGENT_IMAGE.url,
			),
		timeout,
	);
	control.agentReplies({ conversationId, content: { type: 'file', mediaUrl: AGENT_FILE.url } });
	await waitFor(
		"the agent's file to reach the visitor as a link",
		() => deliveredMatching(chat, (d) => d.text.includes(AGENT_FILE.url)),
		timeout,
	);
	latencies.agentMedia = Date.now() - t;
	await pause();

	// 5. The agent solves the ticket and leaves: the visitor hears that the bot is back.
	t = Date.now();
	control.agentReleasesControl({ conversationId, reason: 'ticketClosed' });
	await waitFor(
		'the release notice to reach the visitor',
		() => deliveredMatching(chat, (d) => d.text === BOT_BACK_TEXT),
		timeout,
	);
	latencies.release = Date.now() - t;
	world.endChat(chat.id);
	await pause();

	// 6. A queue builds up: more visitors open the chat than the threshold allows, then leave.
	const alertsBefore = stack.alerts.alerts.length;
	t = Date.now();
	const waiting = Array.from({ length: ALERT_THRESHOLD + 1 }, (_, i) =>
		world.startChat({ visitor: { name: `${name}'s neighbour ${i + 1}` } }),
	);
	await waitFor(
		'the metrics alert (threshold crossed)',
		() => stack.alerts.alerts.slice(alertsBefore).find((a) => a.body.state === 'crossed'),
		timeout,
	);
	latencies.alert = Date.now() - t;
	await pause();
	for (const waitingChat of waiting) world.endChat(waitingChat.id);
	await waitFor(
		'the metrics alert (recovered)',
		() => stack.alerts.alerts.slice(alertsBefore).find((a) => a.body.state === 'recovered'),
		timeout,
	);

	return {
		chat: world.requireChat(chat.id),
		channelId,
		conversationId,
		ticketId: conversation.id,
		delivered: [...world.requireChat(chat.id).delivered],
		alerts: stack.alerts.alerts.slice(alertsBefore),
		latencies,
	};
}

/**
 * Prints what happens on both Zendesk sides as it happens: the visitor and the bot in Zendesk
 * Chat, the escalation, forwarded messages, the agent and the release in Zendesk Messaging, and
 * the alerts. It watches the simulator only, so it shows what Zendesk would have seen.
 */
export class Transcript {
	private readonly timer: NodeJS.Timeout;
	private readonly seenMessages = new Set<string>();
	private readonly activeOf = new Map<string, string | null>();
	private modelTurnsSeen = 0;
	private readonly unsubscribe: Array<() => void> = [];

	constructor(
		private readonly stack: Stack,
		private readonly print: (line: string) => void,
	) {
		const { world } = stack.sim;
		const onMessage = (chat: ChatRecord, entry: HistoryEntry) => this.chatMessage(chat, entry);
		world.on('message', onMessage);
		this.unsubscribe.push(() => world.off('message', onMessage));
		this.unsubscribe.push(
			stack.alerts.onAlert((alert) => this.line('alert → chat app', String(alert.body.text))),
		);
		// Existing Messaging history is not news.
		for (const conversation of stack.sim.sunshine.app.store.conversations.values()) {
			for (const message of conversation.messages) this.seenMessages.add(message.id);
			this.activeOf.set(conversation.id, conversation.activeSwitchboardIntegrationId);
		}
		this.modelTurnsSeen = stack.sim.model.control.turns().length;
		this.timer = setInterval(() => this.pollMessaging(), 100);
	}

	stop(): void {
		clearInterval(this.timer);
		for (const off of this.unsubscribe) off();
	}

	private line(who: string, text: string): void {
		this.print(`${new Date().toISOString().slice(11, 19)}  ${who.padEnd(30)} ${text}`);
	}

	private chatMessage(chat: ChatRecord, entry: HistoryEntry): void {
		if (entry.senderType === 'Visitor') {
			this.line(`visitor ${chat.visitor.name}`, `"${entry.msg}"`);
			return;
		}
		const image =
			entry.structured?.kind === 'panel'
				? (entry.structured.args.panel as { image_url?: string } | undefined)?.image_url
				: undefined;
		const chips =
			entry.structured?.kind === 'quick_replies'
				? quickReplyLabels(entry.structured.args)
				: image
					? `  [panel with the image ${image}]`
					: '';
		this.line(`workflow → ${chat.visitor.name}`, `"${entry.msg}"${chips}`);
	}

	private visitorOf(externalId: string | undefined): string {
		if (!externalId) return 'a customer';
		for (const chat of this.stack.sim.world.chats.values())
			if (channelIdOf(chat) === externalId) return chat.visitor.name;
		return externalId;
	}

	private pollMessaging(): void {
		const { store } = this.stack.sim.sunshine.app;
		// What changed since the last poll, in the order it happened on the simulator.
		const events: Array<{ at: string; order: number; who: string; text: string }> = [];
		for (const conversation of store.conversations.values()) {
			const user = conversation.participants[0]
				? store.users.get(conversation.participants[0].userId)
				: undefined;
			const visitor = this.visitorOf(user?.externalId);
			for (const message of conversation.messages) {
				if (this.seenMessages.has(message.id)) continue;
				this.seenMessages.add(message.id);
				const content = message.content as { type?: string; text?: string; mediaUrl?: string };
				const text = content.mediaUrl
					? `(${content.type}) ${content.mediaUrl}`
					: `"${content.text ?? `(${content.type})`}"`;
				// The escalation bridge's conversations carry its metadata; the others are Messaging's own customers.
				const bridged = conversation.metadata?.bridge !== undefined;
				const who =
					message.author.type === 'user'
						? bridged
							? `forwarded to agent (${visitor})`
							: `customer ${message.author.displayName ?? visitor}`
						: message.author.subtypes?.includes('agent')
							? `agent ${message.author.displayName ?? ''}`
							: bridged
								? 'workflow → Zendesk Messaging'
								: `workflow → ${message.author.displayName ?? 'customer'}`;
				events.push({ at: message.received, order: events.length, who, text });
			}
			const active = conversation.activeSwitchboardIntegrationId;
			if (this.activeOf.get(conversation.id) !== active) {
				const before = this.activeOf.get(conversation.id);
				this.activeOf.set(conversation.id, active);
				const integration = active ? store.switchboardIntegrations.get(active) : undefined;
				const ticket = [...store.tickets]
					.reverse()
					.find((t) => t.conversationId === conversation.id);
				if (integration?.integrationType === 'zd:agentWorkspace') {
					events.push({
						at: ticket?.createdAt ?? conversation.lastUpdatedAt,
						order: events.length,
						who: 'escalated',
						text: `${visitor}'s conversation is with the agent workspace; ticket #${ticket?.id ?? '?'} (tags: ${ticket?.tags.join(', ') || 'none'})`,
					});
				} else if (before && !active) {
					events.push({
						at: ticket?.endedAt ?? conversation.lastUpdatedAt,
						order: events.length,
						who: 'released',
						text: `the agent ended ${visitor}'s session (${ticket?.endedReason ?? 'released'}); ticket #${ticket?.id ?? '?'} ${ticket?.status ?? ''}`,
					});
				}
			}
		}
		events.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);
		for (const event of events) this.line(event.who, event.text);
		this.pollModel();
	}

	/** The AI agent's tool calls, as the scripted model decided them. */
	private pollModel(): void {
		const turns = this.stack.sim.model.control.turns();
		for (const record of turns.slice(this.modelTurnsSeen)) {
			if (record.decision.type !== 'tool') continue;
			const args = Object.entries(record.decision.arguments)
				.map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
				.join(', ');
			this.line(
				'AI agent (model) calls',
				`${record.decision.name}(${args.length > 140 ? `${args.slice(0, 140)}…` : args})`,
			);
		}
		this.modelTurnsSeen = turns.length;
	}
}

function quickReplyLabels(args: Record<string, unknown>): string {
	const replies = Array.isArray(args.quick_replies)
		? (args.quick_replies as Array<{ text?: string }>)
		: [];
	return replies.length ? `  [${replies.map((r) => r.text).join(' | ')}]` : '';
}

/** What examples/messaging-bot-handoff.json says (its Send Text nodes), for the checks. */
export const MESSAGING_BOT = {
	displayName: 'Acme Bot',
	greeting: (name: string) => `Hi ${name}! I'm the Acme bot. What can I help you with?`,
	openingHours: "We're open Monday to Friday, 9:00 to 18:00 (CET). Anything else?",
	handoff: 'A human agent will take over. They will answer you right here.',
	/** The quick replies of the greeting: what the customer taps, and the payload that comes with it. */
	menu: [
		{ text: 'Opening hours', payload: 'OPENING_HOURS' },
		{ text: 'Pricing', payload: 'PRICING' },
		{ text: 'Talk to a human', payload: 'HUMAN' },
	],
} as const;

export interface BotConversationOptions {
	/** The customer's name in the widget (the greeting uses it). */
	customerName: string;
	/** The customer's external ID (the Web Widget's login). */
	userExternalId: string;
	/** What the agent says once they have the conversation. */
	agentReply?: string;
	/** What the customer writes to the agent: it reaches the bot's webhook, and the bot stays silent. */
	laterMessage?: string;
	pauseMs?: number;
	timeoutMs?: number;
}

export interface BotConversationResult {
	conversationId: string;
	userId: string;
	ticketId: number;
	/** The message IDs of each step: the customer's and the bot's answer to it. */
	steps: {
		hi: { asked: string; answer: string };
		openingHours: { asked: string; answer: string };
		human: { asked: string; answer: string };
		agentReply: string;
		later: string;
	};
	latencies: Record<string, number>;
}

/**
 * A Zendesk Messaging customer and the menu bot of messaging-bot-handoff.json (active, its set-up
 * run): the customer says hi and gets the menu, taps "Opening hours" and gets the answer, taps
 * "Talk to a human" and is handed to the agent workspace (a ticket) with the bot's notice; the
 * agent answers, and the customer writes again, to the agent. Every bot step waits for its effect
 * in the simulator's store; the last two wait until Zendesk has delivered them to n8n (the bot must
 * let them be, which the caller checks against n8n's executions).
 */
export async function playBotConversation(
	stack: Stack,
	options: BotConversationOptions,
): Promise<BotConversationResult> {
	const control = stack.sim.sunshine.control;
	const store = stack.sim.sunshine.app.store;
	const timeout = options.timeoutMs ?? 30_000;
	const pause = () => new Promise((r) => setTimeout(r, options.pauseMs ?? 0));
	const latencies: Record<string, number> = {};

	/** The bot's next text message in the conversation after `afterId`, once it is there. */
	const botAnswer = async (
		what: string,
		conversationId: string,
		afterId: string,
		text: string,
	): Promise<string> => {
		const message = await waitFor(
			what,
			() => {
				const messages = store.conversations.get(conversationId)?.messages ?? [];
				const from = messages.findIndex((m) => m.id === afterId);
				return messages
					.slice(from + 1)
					.find((m) => m.author.type === 'business' && (m.content as any).text === text);
			},
			timeout,
		);
		return message.id;
	};
	const tap = (conversationId: string, choice: { text: string; payload: string }) =>
		control.userSays({
			conversationId,
			content: { type: 'text', text: choice.text, payload: choice.payload },
		});
	const deliveredToN8n = (what: string, messageId: string) =>
		waitFor(
			what,
			() =>
				control
					.deliveries({ type: 'conversation:message' })
					.find(
						(d) =>
							d.target.startsWith(stack.n8n.baseUrl) &&
							d.body.events[0].payload.message.id === messageId &&
							d.outcome === 'delivered',
					),
			timeout,
		);

	// 1. The customer opens the Web Widget and says hi: the bot greets them with the menu.
	let t = Date.now();
	const hi = control.userSays({
		userExternalId: options.userExternalId,
		displayName: options.customerName,
		text: 'Hi',
	});
	const { conversationId, userId } = hi;
	const hiAnswer = await botAnswer(
		"the bot's greeting with the menu",
		conversationId,
		hi.message.id as string,
		MESSAGING_BOT.greeting(options.customerName),
	);
	latencies.greeting = Date.now() - t;
	await pause();

	// 2. They tap "Opening hours": the bot answers.
	t = Date.now();
	const hours = tap(conversationId, MESSAGING_BOT.menu[0]);
	const hoursAnswer = await botAnswer(
		"the bot's answer about the opening hours",
		conversationId,
		hours.message.id as string,
		MESSAGING_BOT.openingHours,
	);
	latencies.openingHours = Date.now() - t;
	await pause();

	// 3. They tap "Talk to a human": the conversation goes to the agent workspace (a ticket), and the bot says so.
	t = Date.now();
	const human = tap(conversationId, MESSAGING_BOT.menu[2]);
	const ticket = await waitFor(
		'the conversation to be handed to the agent workspace, with a ticket',
		() =>
			store.tickets.find(
				(candidate) =>
					candidate.conversationId === conversationId &&
					candidate.status === 'open' &&
					!candidate.endedAt,
			),
		timeout,
	);
	const humanAnswer = await botAnswer(
		"the bot's hand-off notice",
		conversationId,
		human.message.id as string,
		MESSAGING_BOT.handoff,
	);
	latencies.handoff = Date.now() - t;
	await pause();

	// 4. The agent answers from the agent workspace: Zendesk tells the bot too (standby events), and the bot lets it be.
	t = Date.now();
	const agentReply = control.agentReplies({
		conversationId,
		text: options.agentReply ?? `Hello ${options.customerName}, Grace here. How can I help?`,
	});
	await deliveredToN8n(
		"Zendesk to deliver the agent's reply to the bot's webhook",
		agentReply.id as string,
	);
	latencies.agentReplyDelivered = Date.now() - t;
	await pause();

	// 5. The customer writes to the agent: it reaches the bot's webhook, and the bot stays silent.
	t = Date.now();
	const later = control.userSays({
		conversationId,
		text: options.laterMessage ?? 'My order 42 has not arrived.',
	});
	await deliveredToN8n(
		"Zendesk to deliver the customer's message to the bot's webhook",
		later.message.id as string,
	);
	latencies.laterDelivered = Date.now() - t;

	return {
		conversationId,
		userId,
		ticketId: ticket.id,
		steps: {
			hi: { asked: hi.message.id as string, answer: hiAnswer },
			openingHours: { asked: hours.message.id as string, answer: hoursAnswer },
			human: { asked: human.message.id as string, answer: humanAnswer },
			agentReply: agentReply.id as string,
			later: later.message.id as string,
		},
		latencies,
	};
}

/** What the customer says to the AI agent example (examples/ai-agent-handoff.json). */
export const AI_STORY = {
	question: 'What are your opening hours?',
	humanPlease: 'Thanks, but I want to talk to a human please.',
} as const;

export interface AiConversationResult {
	conversationId: string;
	ticketId: number;
	/** The ticket's first message: the agent's summary with the transcript appended. */
	summary: string;
}

/**
 * A Messaging customer talks to the AI agent example (switched on with startAiAgent): asks a
 * question the agent answers through its Reply tool, then asks for a human, and the agent escalates
 * (a ticket whose first message is its summary with the transcript).
 */
export async function playAiConversation(
	stack: Stack,
	options: { customerName: string; userExternalId: string; timeoutMs?: number },
): Promise<AiConversationResult> {
	const timeout = options.timeoutMs ?? 30_000;
	const { control } = stack.sim.sunshine;
	const store = stack.sim.sunshine.app.store;
	const said = control.userSays({
		userExternalId: options.userExternalId,
		displayName: options.customerName,
		text: AI_STORY.question,
	}) as { conversationId: string; message: { id: string } };
	const { conversationId } = said;
	const businessAfter = (id: string) => {
		const messages = store.conversations.get(conversationId)?.messages ?? [];
		return messages
			.slice(messages.findIndex((m) => m.id === id) + 1)
			.find((m) => m.author.type === 'business');
	};
	await waitFor("the AI agent's answer", () => businessAfter(said.message.id), timeout);
	control.userSays({ conversationId, text: AI_STORY.humanPlease });
	const ticket = await waitFor(
		"the AI agent's escalation (a ticket)",
		() => control.tickets({ conversationId })[0],
		timeout,
	);
	const first = store.conversations
		.get(conversationId)
		?.messages.find((m) => m.id === ticket.firstMessageId);
	return {
		conversationId,
		ticketId: ticket.id,
		summary: String((first?.content as { text?: string } | undefined)?.text ?? ''),
	};
}
