/**
 * The simulated Zendesk Chat account, in neutral records. Each API renders them in its own shape:
 * the Conversations API as GraphQL types with Relay ids, the REST API as the documented chat
 * object (seeds/chat-rest-api-chats.txt), the Streaming API as metrics.
 */
export type AgentStatus = 'ONLINE' | 'AWAY' | 'INVISIBLE' | 'OFFLINE';
export type DepartmentStatus = 'ONLINE' | 'OFFLINE' | 'AWAY';

export interface AgentRecord {
	/** Numeric id of the REST API; the Conversations API wraps it in a Relay id. */
	id: number;
	firstName: string;
	lastName: string;
	displayName: string;
	email: string;
	status: AgentStatus;
	enabled: boolean;
	roleId: number;
	departments: number[];
	createdAt: number;
}

export interface DepartmentRecord {
	id: number;
	name: string;
	description: string;
	status: DepartmentStatus;
	enabled: boolean;
	members: number[];
}

export interface TokenRecord {
	accessToken: string;
	agentId: number;
	/** Chat OAuth scopes: the Conversations API needs read, write and chat. */
	scopes: string[];
	revoked: boolean;
	/** Epoch ms after which the token is rejected as expired; none when absent. */
	expiresAt?: number;
}

export interface VisitorRecord {
	/** REST visitor id, e.g. "1.12345". */
	id: string;
	name: string;
	email: string;
	phone: string;
	notes: string;
	externalId: string | null;
	ip: string;
	userAgent: string;
	city: string;
	region: string;
	countryCode: string;
	countryName: string;
	browser: string;
	platform: string;
	tags: string[];
}

export type HistoryType =
	| 'chat.msg'
	| 'chat.memberjoin'
	| 'chat.memberleave'
	| 'chat.tag'
	| 'chat.transfer'
	| 'chat.rating'
	| 'chat.comment';

/** The structured message kinds of the Conversations API (NOTES.md section 1). */
export type StructuredKind = 'quick_replies' | 'buttons' | 'panel' | 'carousel' | 'list';

export interface StructuredPayload {
	kind: StructuredKind;
	/** The arguments exactly as the mutation received them (after GraphQL coercion). */
	args: Record<string, unknown>;
}

export interface HistoryEntry {
	/** World-unique id of this message or log entry (the Conversations API's Message.id). */
	id: string;
	type: HistoryType;
	timestamp: number;
	senderType: 'Visitor' | 'Agent' | 'System';
	/** Display name of who did it. */
	name: string;
	/** "visitor:<id>" or "agent:<id>". */
	nick: string;
	agentId?: number;
	msg?: string;
	/** The client-chosen id of sendMessage's msg_id argument, or a generated one. */
	msgId?: string;
	/** sendMessage's options: the discrete answers the visitor can pick (conversations-api-schema.md, Message). */
	options?: string[];
	structured?: StructuredPayload;
	/** For chat.tag: the tags added (or removed, with removed: true). */
	tags?: string[];
	removed?: boolean;
	/** For chat.transfer: the department the chat moved to. */
	departmentId?: number;
}

/** What the visitor's widget received from agents: the ground truth of "did the visitor see it". */
export interface DeliveredToVisitor {
	entryId: string;
	timestamp: number;
	agentId: number;
	text: string;
	msgId?: string;
	/** The answers offered with the text (sendMessage's options), when there were any. */
	options?: string[];
	structured?: StructuredPayload;
}

export interface ChatRecord {
	/** REST chat id, e.g. "2601.10001.QHgVx6SOrRuSx". */
	id: string;
	type: 'chat' | 'offline_msg';
	visitor: VisitorRecord;
	departmentId: number | null;
	/** Agents that took part, in order of first join. */
	agentIds: number[];
	/** Agents in the chat right now. */
	activeAgentIds: number[];
	visitorPresent: boolean;
	tags: string[];
	history: HistoryEntry[];
	delivered: DeliveredToVisitor[];
	startedAt: number;
	endedAt: number | null;
	updatedAt: number;
	startedBy: 'visitor' | 'agent' | 'trigger';
	rating: 'good' | 'bad' | null;
	comment: string | null;
	missed: boolean;
	unread: boolean;
	zendeskTicketId: number | null;
	/** The offline message's text (type offline_msg only). */
	message: string | null;
	/** Visitor session id, as in the REST chat object's session.id. */
	sessionId: string;
}
