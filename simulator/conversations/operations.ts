import type { ChatWorld } from '../world/chat-world';
import type { AgentStatus, ChatRecord, StructuredKind } from '../world/types';
import { ConversationsError } from './errors';
import { decodeRelayId, type RelayType } from './relay-id';
import { EOS_STOPPED, type AgentSession, type SessionRegistry } from './sessions';
import { agentView, channelView, connection, departmentView, type ConnectionArgs } from './views';

/** Per request: the session it runs in and what must happen after its response is sent. */
export interface RequestContext {
	session: AgentSession;
	afterResponse: Array<() => void>;
}

export interface TypingIndicator {
	chatId: string;
	agentId: number;
	typing: boolean;
	backoff: boolean | null;
	timestamp: number;
}

export interface OperationDeps {
	world: ChatWorld;
	registry: SessionRegistry;
	/** setTypingIndicator calls, in order (the world has no notion of typing). */
	typing: TypingIndicator[];
}

/** addTags: changelog 24 August 2018, "only allows alphanumeric characters, hyphens (-), and underscores (_)". */
const TAG_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * Structured-message limits (NOTES.md section 1, Zendesk article 4408831142554): quick replies up to
 * 11, button template 1-3 buttons, carousel 2-10 items, list template 2-4 items and at most 1 button.
 * The lower bound of quick replies and the button limits inside panels and carousel items are
 * (unverified) the button template's.
 */
const LIMITS = {
	quickReplies: { min: 1, max: 11 },
	buttonTemplate: { min: 1, max: 3 },
	panelButtons: { min: 0, max: 3 },
	carouselItems: { min: 2, max: 10 },
	listItems: { min: 2, max: 4 },
	listButtons: { min: 0, max: 1 },
} as const;

/** The root fields of queries and mutations sent over an agent session's WebSocket. */
export function createRootValue(deps: OperationDeps, context: RequestContext) {
	const { world, registry } = deps;
	const { session } = context;
	const me = () => world.requireAgent(session.agentId);
	const ok = { success: true };

	const sendStructured = (
		channelId: string,
		kind: StructuredKind,
		text: string,
		args: Record<string, unknown>,
	) => {
		const chat = chatOf(world, channelId);
		world.agentSays(chat.id, session.agentId, { text, structured: { kind, args: plain(args) } });
		return ok;
	};

	return {
		// ---- queries ----
		departments: (args: ConnectionArgs) =>
			connection([...world.departments.values()].sort((a, b) => a.id - b.id).map((d) => departmentView(world, d)), args),
		agents: (args: ConnectionArgs) =>
			connection([...world.agents.values()].sort((a, b) => a.id - b.id).map((a) => agentView(world, a)), args),
		channels: (args: ConnectionArgs) =>
			connection(world.openChats().filter((chat) => canSeeChat(session, chat)).map((chat) => channelView(world, chat)), args),
		graphQLSubscriptions: () => [...session.subscriptions.values()].map((s) => ({ id: s.id, query: s.prepared.query })),

		// ---- mutations ----
		stopAgentSession: () => {
			// getting-started "End of service signal": EOS follows a stopAgentSession request.
			context.afterResponse.push(() => registry.end(session, EOS_STOPPED));
			return ok;
		},
		updateAgentStatus: ({ status }: { status: AgentStatus }) => {
			if (status === 'OFFLINE') {
				// (unverified) the samples set ONLINE; OFFLINE is what a stopped session looks like.
				throw new ConversationsError('GRAPHQL_EXEC_ERROR', 'status OFFLINE cannot be set: use ONLINE, AWAY or INVISIBLE');
			}
			return { node: agentView(world, world.setAgentStatus(me().id, status)) };
		},
		sendMessage: (a: { channel_id: string; msg: string; msg_id?: string | null; backoff?: boolean | null }) => {
			const chat = chatOf(world, a.channel_id);
			world.agentSays(chat.id, session.agentId, { text: a.msg, msgId: a.msg_id ?? undefined });
			return ok;
		},
		sendQuickReplies: (a: { channel_id: string; msg: string; quick_replies: unknown[] }) => {
			checkCount('sendQuickReplies', 'quick_replies', a.quick_replies.length, LIMITS.quickReplies);
			return sendStructured(a.channel_id, 'quick_replies', a.msg, a);
		},
		sendButtonTemplate: (a: { channel_id: string; msg: string; buttons: unknown[] }) => {
			checkCount('sendButtonTemplate', 'buttons', a.buttons.length, LIMITS.buttonTemplate);
			return sendStructured(a.channel_id, 'buttons', a.msg, a);
		},
		sendPanelTemplate: (a: { channel_id: string; panel: { heading: string }; buttons?: unknown[] | null; fallback?: { msg: string } | null }) => {
			checkCount('sendPanelTemplate', 'buttons', a.buttons?.length ?? 0, LIMITS.panelButtons);
			return sendStructured(a.channel_id, 'panel', a.fallback?.msg ?? a.panel.heading, a);
		},
		sendPanelTemplateCarousel: (a: {
			channel_id: string;
			items: Array<{ panel: { heading: string }; buttons?: unknown[] | null }>;
			fallback?: { msg: string } | null;
		}) => {
			checkCount('sendPanelTemplateCarousel', 'items', a.items.length, LIMITS.carouselItems);
			a.items.forEach((item, i) => checkCount('sendPanelTemplateCarousel', `items[${i}].buttons`, item.buttons?.length ?? 0, LIMITS.panelButtons));
			return sendStructured(a.channel_id, 'carousel', a.fallback?.msg ?? a.items[0].panel.heading, a);
		},
		sendListTemplate: (a: {
			channel_id: string;
			items: Array<{ heading: string }>;
			buttons?: unknown[] | null;
			fallback?: { msg: string } | null;
		}) => {
			checkCount('sendListTemplate', 'items', a.items.length, LIMITS.listItems);
			checkCount('sendListTemplate', 'buttons', a.buttons?.length ?? 0, LIMITS.listButtons);
			return sendStructured(a.channel_id, 'list', a.fallback?.msg ?? a.items[0].heading, a);
		},
		transferToDepartment: (a: { channel_id: string; department_id: string; leave?: boolean | null }) => {
			const chat = chatOf(world, a.channel_id);
			// getting-started "Transfer to a department": a Department ID from the REST API will not work.
			const departmentId = Number(localIdOf(a.department_id, 'DEPARTMENT', 'department_id'));
			world.transfer(chat.id, departmentId, { agentId: session.agentId, leave: a.leave ?? false });
			return ok;
		},
		inviteAgent: (a: { agent_id: string; channel_id: string; leave?: boolean | null }) => {
			const chat = chatOf(world, a.channel_id);
			const agentId = Number(localIdOf(a.agent_id, 'AGENT', 'agent_id'));
			world.requireAgent(agentId);
			// (unverified) the invited agent joins at once; the real one would accept the invitation.
			world.agentJoins(chat.id, agentId);
			if (a.leave) world.agentLeaves(chat.id, session.agentId);
			return ok;
		},
		listenVisitorChannel: (a: { channel_id: string }) => {
			session.listenedChats.add(chatOf(world, a.channel_id).id);
			return ok;
		},
		addTags: (a: { channel_id: string; tags: string[] }) => {
			const chat = chatOf(world, a.channel_id);
			const bad = a.tags.filter((tag) => !TAG_PATTERN.test(tag));
			if (bad.length > 0) {
				throw new ConversationsError(
					'GRAPHQL_EXEC_ERROR',
					`invalid tag(s) ${bad.map((t) => JSON.stringify(t)).join(', ')}: tags may only contain letters, digits, hyphens (-) and underscores (_)`,
				);
			}
			world.addTags(chat.id, a.tags, { agentId: session.agentId });
			return ok;
		},
		setTypingIndicator: (a: { channel_id: string; typing: boolean; backoff?: boolean | null }) => {
			const chat = chatOf(world, a.channel_id);
			if (chat.endedAt !== null) throw new ConversationsError('GRAPHQL_EXEC_ERROR', `channel ${a.channel_id} has ended`);
			deps.typing.push({ chatId: chat.id, agentId: session.agentId, typing: a.typing, backoff: a.backoff ?? null, timestamp: world.clock.now() });
			return ok;
		},
		updateVisitorInfo: (a: { visitor_id: string; display_name?: string | null; email?: string | null; phone?: string | null; notes?: string | null }) => {
			// The doc's example passes "2.jlgwAAseGzxwEr", a raw visitor id; a Relay id is accepted too (unverified).
			const visitorId = decodeRelayId(a.visitor_id, 'VISITOR') ?? a.visitor_id;
			const chats = world.listChats().filter((chat) => chat.visitor.id === visitorId);
			if (chats.length === 0) throw new ConversationsError('GRAPHQL_EXEC_ERROR', `no visitor ${a.visitor_id}`);
			for (const chat of chats) {
				if (a.display_name != null) chat.visitor.name = a.display_name;
				if (a.email != null) chat.visitor.email = a.email;
				if (a.phone != null) chat.visitor.phone = a.phone;
				if (a.notes != null) chat.visitor.notes = a.notes;
				chat.updatedAt = world.clock.now();
				world.emit('chatUpdated', chat);
			}
			return ok;
		},
	};
}

/** What a session sees: unserved chats, chats its agent serves, chats it listens to (getting-started, "Subscribe to incoming messages"). */
export function canSeeChat(session: AgentSession, chat: ChatRecord, activeAgentIds: readonly number[] = chat.activeAgentIds): boolean {
	return activeAgentIds.length === 0 || activeAgentIds.includes(session.agentId) || session.listenedChats.has(chat.id);
}

function chatOf(world: ChatWorld, channelId: string): ChatRecord {
	const chatId = localIdOf(channelId, 'CHANNEL', 'channel_id');
	const chat = world.chats.get(chatId);
	if (!chat) throw new ConversationsError('GRAPHQL_EXEC_ERROR', `no channel ${channelId}`);
	return chat;
}

function localIdOf(id: string, type: RelayType, argument: string): string {
	const localId = decodeRelayId(id, type);
	if (localId === undefined) {
		throw new ConversationsError(
			'GRAPHQL_EXEC_ERROR',
			`${argument} ${JSON.stringify(id)} is not a ${type} id of this API (ids from the Chat REST API do not work here)`,
		);
	}
	return localId;
}

function checkCount(mutation: string, argument: string, count: number, limit: { min: number; max: number }): void {
	if (count < limit.min || count > limit.max) {
		const range = limit.min === 0 ? `at most ${limit.max}` : limit.min === limit.max ? `exactly ${limit.min}` : `${limit.min} to ${limit.max}`;
		throw new ConversationsError('GRAPHQL_EXEC_ERROR', `${mutation} accepts ${range} ${argument} (got ${count})`);
	}
}

/** graphql's coerced arguments as plain JSON data, detached from the request. */
function plain(args: Record<string, unknown>): Record<string, unknown> {
	return JSON.parse(JSON.stringify(args)) as Record<string, unknown>;
}
