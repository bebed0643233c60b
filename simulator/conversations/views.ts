import type { ChatWorld } from '../world/chat-world';
import type {
	AgentRecord,
	ChatRecord,
	DepartmentRecord,
	HistoryEntry,
	VisitorRecord,
} from '../world/types';
import { ConversationsError } from './errors';
import { encodeRelayId } from './relay-id';

/**
 * World records rendered as GraphQL source objects: plain objects whose keys are the schema's field
 * names, so graphql's default resolver serves them. Interfaces and unions resolve by `__typename`.
 * Connections are functions of their (first, after) arguments, evaluated only when selected.
 */

export interface ConnectionArgs {
	first?: number | null;
	after?: string | null;
}

export function connection<T>(nodes: T[], args: ConnectionArgs = {}) {
	const start = args.after ? cursorIndex(args.after) + 1 : 0;
	const first = args.first ?? nodes.length;
	if (first < 0) throw new ConversationsError('GRAPHQL_EXEC_ERROR', 'first must not be negative');
	const page = nodes.slice(start, start + first);
	const edges = page.map((node, i) => ({ node, cursor: encodeCursor(start + i) }));
	return {
		edges,
		pageInfo: {
			hasNextPage: start + page.length < nodes.length,
			hasPreviousPage: start > 0,
			startCursor: edges[0]?.cursor ?? null,
			endCursor: edges[edges.length - 1]?.cursor ?? null,
		},
	};
}

function encodeCursor(index: number): string {
	return Buffer.from(`cursor:${index}`, 'utf8').toString('base64');
}

function cursorIndex(cursor: string): number {
	const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
	if (!match)
		throw new ConversationsError('GRAPHQL_EXEC_ERROR', `invalid cursor ${JSON.stringify(cursor)}`);
	return Number(match[1]);
}

export interface AgentView {
	__typename: 'Agent';
	id: string;
	raw_id: string;
	name: string;
	display_name: string;
	status: string;
	departments: (args: ConnectionArgs) => ReturnType<typeof connection<DepartmentView>>;
}

export interface DepartmentView {
	__typename: 'Department';
	id: string;
	raw_id: string;
	name: string;
	status: string;
	agents: (args: ConnectionArgs) => ReturnType<typeof connection<AgentView>>;
}

export function agentView(world: ChatWorld, agent: AgentRecord): AgentView {
	return {
		__typename: 'Agent',
		id: encodeRelayId('AGENT', agent.id),
		raw_id: String(agent.id),
		name: `${agent.firstName} ${agent.lastName}`.trim(),
		display_name: agent.displayName,
		status: agent.status,
		departments: (args) =>
			connection(
				agent.departments.flatMap((id) => {
					const department = world.departments.get(id);
					return department ? [departmentView(world, department)] : [];
				}),
				args,
			),
	};
}

export function departmentView(world: ChatWorld, department: DepartmentRecord): DepartmentView {
	return {
		__typename: 'Department',
		id: encodeRelayId('DEPARTMENT', department.id),
		raw_id: String(department.id),
		name: department.name,
		status: department.status,
		agents: (args) =>
			connection(
				department.members.flatMap((id) => {
					const agent = world.agents.get(id);
					return agent ? [agentView(world, agent)] : [];
				}),
				args,
			),
	};
}

export function visitorView(visitor: VisitorRecord) {
	return {
		__typename: 'Visitor',
		id: encodeRelayId('VISITOR', visitor.id),
		raw_id: visitor.id,
		display_name: visitor.name,
		email: visitor.email || null,
		external_id: visitor.externalId,
		current_ip: visitor.ip,
		current_country: visitor.countryName,
		current_region: visitor.region,
		current_tags: [...visitor.tags],
	};
}

export function channelView(world: ChatWorld, chat: ChatRecord) {
	return {
		__typename: 'VisitorChannel',
		id: encodeRelayId('CHANNEL', chat.id),
		raw_id: chat.id,
		ip: chat.visitor.ip,
		user_agent: chat.visitor.userAgent,
		visitor: visitorView(chat.visitor),
		// The schema pages: Channel's agents takes no arguments, so every agent in the chat is one page.
		agents: () =>
			connection(
				chat.activeAgentIds.flatMap((id) => {
					const agent = world.agents.get(id);
					return agent ? [agentView(world, agent)] : [];
				}),
			),
	};
}

/** Who did it: the Agent or the Visitor of the entry. */
function actorView(world: ChatWorld, chat: ChatRecord, entry: HistoryEntry) {
	if (entry.senderType === 'Agent' && entry.agentId !== undefined) {
		const agent = world.agents.get(entry.agentId);
		if (agent) return agentView(world, agent);
	}
	if (entry.senderType === 'Visitor') return visitorView(chat.visitor);
	return null;
}

/** The schema pages' Message (complete): its eight fields, content and sender_name never null. */
export function messageView(world: ChatWorld, chat: ChatRecord, entry: HistoryEntry) {
	return {
		__typename: 'Message',
		channel: channelView(world, chat),
		content: entry.msg ?? '',
		from: actorView(world, chat, entry),
		id: encodeRelayId('MESSAGE', entry.id),
		msg_id: entry.msgId ?? null,
		options: entry.options ? [...entry.options] : null,
		sender_name: entry.name,
		timestamp: entry.timestamp,
	};
}

/** A chat.memberjoin / chat.memberleave entry as MemberJoinLog / MemberLeaveLog. */
export function activityView(world: ChatWorld, chat: ChatRecord, entry: HistoryEntry) {
	return {
		__typename: entry.type === 'chat.memberjoin' ? 'MemberJoinLog' : 'MemberLeaveLog',
		id: encodeRelayId('CHAT_LOG', entry.id),
		timestamp: entry.timestamp,
		user_name: entry.name,
		user: actorView(world, chat, entry),
		channel: channelView(world, chat),
	};
}
