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
			connection(
				[...world.departments.values()]
					.sort((a, b) => a.id - b.id)
					.map((d) => departmentView(world, d)),
				args,
			),
		agents: (args: ConnectionArgs) =>
			connection(
				[...world.agents.values()].sort((a, b) => a.id - b.id).map((a) => agentView(world, a)),
				args,
			),
		channels: (args: ConnectionArgs) =>
			connection(
				world
					.openChats()
					.filter((chat) => canSeeChat(session, chat))
					.map((chat) => channelView(world, chat)),
				args,
			),
		graphQLSubscriptions: () =>
			[...session.subscriptions.values()].map((s) => ({ id: s.id, query: s.prepared.query })),

		// ---- mutations ----
		stopAgentSession: () => {
			// getting-started "End of service signal": EOS follows a stopAgentSession request.
			context.afterResponse.push(() => registry.end(session, EOS_STOPPED));
			return ok;
		},
		updateAgentStatus: (a: { status?: AgentStatus | null }) => {
			const status = need(a.status, 'updateAgentStatus', 'status');
			if (status === 'OFFLINE') {
				// (unverified) the samples set ONLINE; OFFLINE is what a stopped session looks like.
				throw new ConversationsError(
					'GRAPHQL_EXEC_ERROR',
					'status OFFLINE cannot be set: use ONLINE, AWAY or INVISIBLE',
				);
			}
			return { node: agentView(world, world.setAgentStatus(me().id, status)) };
		},
		sendMessage: (a: {
			channel_id?: string | null;
			msg?: string | null;
			msg_id?: string | null;
			options?: string[] | null;
			backoff?: boolean | null;
		}) => {
			const chat = chatOf(world, need(a.channel_id, 'sendMessage', 'channel_id'));
			const text = need(a.msg, 'sendMessage', 'msg');
			// The schema pages, sendMessage: "options: discrete answers the visitor can pick ('/' inside
			// an option splits it in two)": stored as the visitor gets them.
			const options = a.options?.flatMap((option) => option.split('/'));
			world.agentSays(chat.id, session.agentId, {
				text,
				msgId: a.msg_id ?? undefined,
				...(options ? { options } : {}),
			});
			return ok;
		},
		sendQuickReplies: (a: {
			channel_id?: string | null;
			msg?: string | null;
			quick_replies?: unknown[] | null;
		}) => {
			const replies = need(a.quick_replies, 'sendQuickReplies', 'quick_replies');
			checkCount('sendQuickReplies', 'quick_replies', replies.length, LIMITS.quickReplies);
			return sendStructured(
				need(a.channel_id, 'sendQuickReplies', 'channel_id'),
				'quick_replies',
				need(a.msg, 'sendQuickReplies', 'msg'),
				a,
			);
		},
		sendButtonTemplate: (a: {
			channel_id?: string | null;
			msg?: string | null;
			buttons?: unknown[] | null;
		}) => {
			const buttons = need(a.buttons, 'sendButtonTemplate', 'buttons');
			checkCount('sendButtonTemplate', 'buttons', buttons.length, LIMITS.buttonTemplate);
			return sendStructured(
				need(a.channel_id, 'sendButtonTemplate', 'channel_id'),
				'buttons',
				need(a.msg, 'sendButtonTemplate', 'msg'),
				a,
			);
		},
		sendPanelTemplate: (a: {
			channel_id?: string | null;
			panel?: PanelArg | null;
			buttons?: unknown[] | null;
			fallback?: FallbackArg | null;
		}) => {
			checkCount('sendPanelTemplate', 'buttons', a.buttons?.length ?? 0, LIMITS.panelButtons);
			const panel = need(a.panel, 'sendPanelTemplate', 'panel');
			const text = a.fallback?.msg ?? need(panel.heading, 'sendPanelTemplate', 'panel.heading');
			return sendStructured(
				need(a.channel_id, 'sendPanelTemplate', 'channel_id'),
				'panel',
				text,
				a,
			);
		},
		sendPanelTemplateCarousel: (a: {
			channel_id?: string | null;
			items?: Array<{ panel?: PanelArg | null; buttons?: unknown[] | null }> | null;
			fallback?: FallbackArg | null;
		}) => {
			const items = need(a.items, 'sendPanelTemplateCarousel', 'items');
			checkCount('sendPanelTemplateCarousel', 'items', items.length, LIMITS.carouselItems);
			items.forEach((item, i) =>
				checkCount(
					'sendPanelTemplateCarousel',
					`items[${i}].buttons`,
					item.buttons?.length ?? 0,
					LIMITS.panelButtons,
				),
			);
			const first = need(items[0].panel, 'sendPanelTemplateCarousel', 'items[0].panel');
			const text =
				a.fallback?.msg ??
				need(first.heading, 'sendPanelTemplateCarousel', 'items[0].panel.heading');
			return sendStructured(
				need(a.channel_id, 'sendPanelTemplateCarousel', 'channel_id'),
				'carousel',
				text,
				a,
			);
		},
		sendListTemplate: (a: {
			channel_id?: string | null;
			items?: PanelArg[] | null;
			buttons?: unknown[] | null;
			fallback?: FallbackArg | null;
		}) => {
			const items = need(a.items, 'sendListTemplate', 'items');
			checkCount('sendListTemplate', 'items', items.length, LIMITS.listItems);
			checkCount('sendListTemplate', 'buttons', a.buttons?.length ?? 0, LIMITS.listButtons);
			const text =
				a.fallback?.msg ?? need(items[0].heading, 'sendListTemplate', 'items[0].heading');
			return sendStructured(need(a.channel_id, 'sendListTemplate', 'channel_id'), 'list', text, a);
		},
		transferToDepartment: (a: {
			channel_id?: string | null;
			department_id?: string | null;
			leave?: boolean | null;
		}) => {
			const chat = chatOf(world, need(a.channel_id, 'transferToDepartment', 'channel_id'));
			// getting-started "Transfer to a department": a Department ID from the REST API will not work.
			const departmentId = Number(
				localIdOf(
					need(a.department_id, 'transferToDepartment', 'department_id'),
					'DEPARTMENT',
					'department_id',
				),
			);
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
		leaveChannel: (a: { channel_id: string }) => {
			// The schema pages: "Leave the channel if joined, or stop listening to it if listening". A chat
			// it both joined and listens to is left first (it keeps listening, as after inviteAgent's leave).
			const chat = chatOf(world, a.channel_id);
			if (chat.activeAgentIds.includes(session.agentId))
				world.agentLeaves(chat.id, session.agentId);
			else if (!session.listenedChats.delete(chat.id)) {
				throw new ConversationsError(
					'GRAPHQL_EXEC_ERROR',
					`channel ${a.channel_id} is neither joined nor listened to by this agent`,
				);
			}
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
		setTypingIndicator: (a: {
			channel_id?: string | null;
			typing?: boolean | null;
			backoff?: boolean | null;
		}) => {
			const chat = chatOf(world, need(a.channel_id, 'setTypingIndicator', 'channel_id'));
			const typing = need(a.typing, 'setTypingIndicator', 'typing');
			if (chat.endedAt !== null)
				throw new ConversationsError('GRAPHQL_EXEC_ERROR', `channel ${a.channel_id} has ended`);
			deps.typing.push({
				chatId: chat.id,
				agentId: session.agentId,
				typing,
				backoff: a.backoff ?? null,
				timestamp: world.clock.now(),
			});
			return ok;
		},
		updateVisitorInfo: (a: {
			visitor_id?: string | null;
			display_name?: string | null;
			email?: string | null;
			phone?: string | null;
			notes?: string | null;
		}) => {
			const given = need(a.visitor_id, 'updateVisitorInfo', 'visitor_id');
			// The doc's example passes "2.jlgwAAseGzxwEr", a raw visitor id; a Relay id is accepted too (unverified).
			const visitorId = decodeRelayId(given, 'VISITOR') ?? given;
			const chats = world.listChats().filter((chat) => chat.visitor.id === visitorId);
			if (chats.length === 0)
				throw new ConversationsError('GRAPHQL_EXEC_ERROR', `no visitor ${a.visitor_id}`);
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
export function canSeeChat(
	session: AgentSession,
	chat: ChatRecord,
	activeAgentIds: readonly number[] = chat.activeAgentIds,
): boolean {
	return (
		activeAgentIds.length === 0 ||
		activeAgentIds.includes(session.agentId) ||
		session.listenedChats.has(chat.id)
	);
}

interface PanelArg {
	heading?: string | null;
}

interface FallbackArg {
	msg?: string | null;
}

/**
 * An argument or input field the simulator needs. The schema types the unseen ones (schema.ts,
 * SchemaVariant) may make it nullable, so a request can omit it; that is a bad request, not a crash.
 */
function need<T>(value: T | null | undefined, mutation: string, argument: string): T {
	if (value === null || value === undefined) {
		throw new ConversationsError('GRAPHQL_EXEC_ERROR', `${mutation} needs ${argument}`);
	}
	return value;
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

function checkCount(
	mutation: string,
	argument: string,
	count: number,
	limit: { min: number; max: number },
): void {
	if (count < limit.min || count > limit.max) {
		const range =
			limit.min === 0
				? `at most ${limit.max}`
				: limit.min === limit.max
					? `exactly ${limit.min}`
					: `${limit.min} to ${limit.max}`;
		throw new ConversationsError(
			'GRAPHQL_EXEC_ERROR',
			`${mutation} accepts ${range} ${argument} (got ${count})`,
		);
	}
}

/** graphql's coerced arguments as plain JSON data, detached from the request. */
function plain(args: Record<string, unknown>): Record<string, unknown> {
	return JSON.parse(JSON.stringify(args)) as Record<string, unknown>;
}
