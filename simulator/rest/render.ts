import type { ChatWorld } from '../world/chat-world';
import type { AgentRecord, ChatRecord, DepartmentRecord, HistoryEntry } from '../world/types';

/**
 * World records rendered as the Chat REST API's JSON objects. Field names and shapes follow
 * seeds/chat-rest-api-chats.txt ("JSON format" tables and examples); fields the seed does not show
 * come from NOTES.md section 3 and public samples (zenpy specification/chat/*.json, singer
 * tap-zendesk-chat schemas) and are marked.
 */

/** The documented timestamp shape: "2014-10-09T05:28:35Z" (UTC, whole seconds). */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function renderChat(world: ChatWorld, chat: ChatRecord): Record<string, unknown> {
	return chat.type === 'offline_msg'
		? renderOfflineMessage(world, chat)
		: renderSupportChat(world, chat);
}

/** seeds/chat-rest-api-chats.txt "JSON format" (Support Chats) and its Show Chat example. */
export function renderSupportChat(world: ChatWorld, chat: ChatRecord): Record<string, unknown> {
	const messages = chat.history.filter((h) => h.type === 'chat.msg');
	const end = chat.endedAt ?? world.clock.now();
	return {
		agent_ids: chat.agentIds.map(String), // the doc's example: "agent_ids": ["123"] (strings)
		agent_names: chat.agentIds.map((id) => world.agents.get(id)?.displayName ?? `Agent ${id}`),
		comment: chat.comment,
		conversions: [], // the simulator has no goals
		count: countMessages(messages),
		department_id: chat.departmentId,
		department_name: departmentName(world, chat.departmentId),
		duration: Math.round((end - chat.startedAt) / 1000),
		// NOTES.md section 3 and zenpy chat.json; null while the chat goes on (unverified).
		end_timestamp: chat.endedAt === null ? null : isoSeconds(chat.endedAt),
		history: renderHistory(world, chat),
		id: chat.id,
		missed: chat.missed,
		rating: chat.rating,
		response_time: responseTimes(messages),
		session: renderSession(chat),
		started_by: chat.startedBy,
		tags: [...chat.tags],
		timestamp: isoSeconds(chat.startedAt),
		triggered: chat.startedBy === 'trigger',
		triggered_response: null,
		type: 'chat',
		unread: chat.unread,
		// NOTES.md section 3: the incremental export's cursor field.
		update_timestamp: isoSeconds(chat.updatedAt),
		visitor: renderVisitor(chat),
		webpath: [],
		zendesk_ticket_id: chat.zendeskTicketId,
	};
}

/** seeds/chat-rest-api-chats.txt "JSON Format for Offline Messages" and its example. */
export function renderOfflineMessage(world: ChatWorld, chat: ChatRecord): Record<string, unknown> {
	return {
		department_id: chat.departmentId,
		department_name: departmentName(world, chat.departmentId),
		id: chat.id,
		message: chat.message ?? '',
		session: renderSession(chat),
		started_by: chat.startedBy,
		timestamp: isoSeconds(chat.startedAt),
		type: 'offline_msg',
		unread: chat.unread,
		visitor: renderVisitor(chat),
		webpath: [],
		zendesk_ticket_id: chat.zendeskTicketId,
	};
}

/**
 * A chat as the incremental export returns it: the chat object plus `engagements` (NOTES.md
 * section 3: "engagements[] (incremental export only)") and, for offline messages too, the
 * `update_timestamp` the export is ordered by (unverified for offline messages).
 */
export function renderExportedChat(world: ChatWorld, chat: ChatRecord): Record<string, unknown> {
	return {
		...renderChat(world, chat),
		engagements: chat.type === 'chat' ? renderEngagements(world, chat) : [],
		update_timestamp: isoSeconds(chat.updatedAt),
	};
}

/** Every top-level field an exported chat or offline message can have (for `fields=chats(...)`). */
export const EXPORT_FIELDS: readonly string[] = [
	'agent_ids',
	'agent_names',
	'comment',
	'conversions',
	'count',
	'department_id',
	'department_name',
	'duration',
	'end_timestamp',
	'engagements',
	'history',
	'id',
	'message',
	'missed',
	'rating',
	'response_time',
	'session',
	'started_by',
	'tags',
	'timestamp',
	'triggered',
	'triggered_response',
	'type',
	'unread',
	'update_timestamp',
	'visitor',
	'webpath',
	'zendesk_ticket_id',
];

/** seeds/chat-rest-api-chats.txt "Search Chats" example: {id, preview, timestamp, type, url}. */
export function renderSearchResult(chat: ChatRecord, restBase: string): Record<string, unknown> {
	return {
		id: chat.id,
		preview: preview(chat),
		timestamp: isoSeconds(chat.startedAt),
		type: chat.type,
		url: `${restBase}/chats/${encodeURIComponent(chat.id)}`,
	};
}

/**
 * The agent object (unverified: the seeds do not cover /agents; fields as in zenpy
 * specification/chat/agent.json and singer tap-zendesk-chat schemas/agents.json).
 */
export function renderAgent(world: ChatWorld, agent: AgentRecord): Record<string, unknown> {
	return {
		create_date: isoSeconds(agent.createdAt),
		departments: [...agent.departments],
		display_name: agent.displayName,
		email: agent.email,
		enabled: agent.enabled,
		enabled_departments: agent.departments.filter((id) => world.departments.get(id)?.enabled),
		first_name: agent.firstName,
		id: agent.id,
		last_login: null,
		last_name: agent.lastName,
		login_count: 0,
		role_id: agent.roleId,
		roles: { administrator: agent.roleId === 1, owner: false },
		skills: [],
	};
}

/**
 * The department object (unverified: fields as in zenpy specification/chat/department.json and
 * singer tap-zendesk-chat schemas/departments.json; no status field there).
 */
export function renderDepartment(department: DepartmentRecord): Record<string, unknown> {
	return {
		description: department.description,
		enabled: department.enabled,
		id: department.id,
		members: [...department.members],
		name: department.name,
		settings: {},
	};
}

// ---- parts ------------------------------------------------------------------------------------

function renderVisitor(chat: ChatRecord): Record<string, unknown> {
	const v = chat.visitor;
	return { email: v.email, id: v.id, name: v.name, notes: v.notes, phone: v.phone };
}

function renderSession(chat: ChatRecord): Record<string, unknown> {
	const v = chat.visitor;
	return {
		browser: v.browser,
		city: v.city,
		country_code: v.countryCode,
		country_name: v.countryName,
		end_date: chat.endedAt === null ? null : isoSeconds(chat.endedAt),
		id: chat.sessionId,
		ip: v.ip,
		platform: v.platform,
		region: v.region,
		start_date: isoSeconds(chat.startedAt),
		user_agent: v.userAgent,
	};
}

/** History entries: channel, name, nick, timestamp, type, plus the fields of each type. */
function renderHistory(world: ChatWorld, chat: ChatRecord): Record<string, unknown>[] {
	// The doc's channel for visitor "1.12345" is "#supportchat:1-12345".
	const channel = `#supportchat:${chat.visitor.id.replace(/\./g, '-')}`;
	let tags: string[] = [];
	return chat.history.map((entry) => {
		const base: Record<string, unknown> = {
			channel,
			name: entry.name,
			nick: entry.nick,
			timestamp: isoSeconds(entry.timestamp),
			type: entry.type,
		};
		switch (entry.type) {
			case 'chat.msg':
				// options "" as in the doc; msg_id and sender_type per NOTES.md section 3 (unverified). The
				// offered answers joined by "/": the doc's options is a string, and the schema pages say a
				// "/" inside an option splits it in two (conversations-api-schema.md, sendMessage).
				return {
					...base,
					msg: entry.msg ?? '',
					msg_id: entry.msgId ?? null,
					options: entry.options?.join('/') ?? '',
					sender_type: entry.senderType,
				};
			case 'chat.tag': {
				// zenpy chat.json: a chat.tag entry carries the tags before ("tags") and after ("new_tags").
				const before = tags;
				const changed = entry.tags ?? [];
				tags = entry.removed
					? before.filter((t) => !changed.includes(t))
					: [...before, ...changed.filter((t) => !before.includes(t))];
				return { ...base, tags: before, new_tags: tags };
			}
			case 'chat.transfer':
				// singer chat_history.json: department_id and department_name.
				return {
					...base,
					department_id: entry.departmentId ?? null,
					department_name: departmentName(world, entry.departmentId ?? null),
				};
			default:
				return base;
		}
	});
}

function countMessages(messages: HistoryEntry[]): {
	agent: number;
	total: number;
	visitor: number;
} {
	const visitor = messages.filter((m) => m.senderType === 'Visitor').length;
	const agent = messages.filter((m) => m.senderType === 'Agent').length;
	return { agent, total: visitor + agent, visitor };
}

/**
 * Seconds from a visitor's unanswered message to the next agent message. `recorded` picks the
 * replies that count (an engagement's own); any agent's reply ends the wait. With no counted reply
 * the values are null (unverified: the doc only shows a chat that had replies).
 */
function responseTimes(
	messages: HistoryEntry[],
	recorded: (reply: HistoryEntry) => boolean = () => true,
): { avg: number | null; first: number | null; max: number | null } {
	const times: number[] = [];
	let waitingSince: number | null = null;
	for (const m of messages) {
		if (m.senderType === 'Visitor' && waitingSince === null) waitingSince = m.timestamp;
		if (m.senderType === 'Agent' && waitingSince !== null) {
			if (recorded(m)) times.push(Math.round((m.timestamp - waitingSince) / 1000));
			waitingSince = null;
		}
	}
	if (times.length === 0) return { avg: null, first: null, max: null };
	return {
		avg: times.reduce((a, b) => a + b, 0) / times.length,
		first: times[0],
		max: Math.max(...times),
	};
}

/**
 * One engagement per agent who took part, from their first join to their last leave (unverified
 * shape: the seeds do not document it; the fields follow the chat object's own names). Its count
 * is the visitor's and this agent's messages in that window; its response times are this agent's
 * replies in it.
 */
function renderEngagements(world: ChatWorld, chat: ChatRecord): Record<string, unknown>[] {
	return chat.agentIds.map((agentId, index) => {
		const agent = world.agents.get(agentId);
		const joined = chat.history.find((h) => h.type === 'chat.memberjoin' && h.agentId === agentId);
		const start = joined?.timestamp ?? chat.startedAt;
		const left = chat.history
			.filter((h) => h.type === 'chat.memberleave' && h.agentId === agentId)
			.pop();
		const end = left?.timestamp ?? chat.endedAt ?? world.clock.now();
		const messages = chat.history.filter((h) => h.type === 'chat.msg');
		const inWindow = (h: HistoryEntry) => h.timestamp >= start && h.timestamp <= end;
		const own = (h: HistoryEntry) => inWindow(h) && h.agentId === agentId;
		return {
			accepted: true,
			agent_full_name: agent ? `${agent.firstName} ${agent.lastName}`.trim() : `Agent ${agentId}`,
			agent_id: String(agentId),
			agent_name: agent?.displayName ?? `Agent ${agentId}`,
			assigned: false,
			comment: chat.comment,
			count: countMessages(
				messages.filter((h) => own(h) || (inWindow(h) && h.senderType === 'Visitor')),
			),
			department_id: chat.departmentId,
			duration: Math.round((end - start) / 1000),
			id: `${chat.id}.${index + 1}`,
			rating: chat.rating,
			response_time: responseTimes(messages, own),
			skills_fulfilled: false,
			skills_requested: [],
			started_by: index === 0 ? chat.startedBy : 'agent',
			timestamp: isoSeconds(start),
		};
	});
}

/** The search result's preview: the first message of the chat, or the offline message (unverified). */
function preview(chat: ChatRecord): string {
	const text =
		chat.type === 'offline_msg'
			? (chat.message ?? '')
			: (chat.history.find((h) => h.type === 'chat.msg')?.msg ?? '');
	return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

function departmentName(world: ChatWorld, departmentId: number | null): string | null {
	return departmentId === null ? null : (world.departments.get(departmentId)?.name ?? null);
}
