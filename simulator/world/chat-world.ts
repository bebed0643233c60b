import { EventEmitter } from 'node:events';

import type { Clock } from '../clock';
import type {
	AgentRecord,
	AgentStatus,
	ChatRecord,
	DepartmentRecord,
	DepartmentStatus,
	HistoryEntry,
	StructuredPayload,
	TokenRecord,
	VisitorRecord,
} from './types';

/** Events the APIs listen to; each carries the chat and, where there is one, the history entry. */
export interface ChatWorldEvents {
	/** A chat.msg entry: a visitor or an agent said something. */
	message: [chat: ChatRecord, entry: HistoryEntry];
	/** A member joined or left (chat.memberjoin / chat.memberleave). */
	activity: [chat: ChatRecord, entry: HistoryEntry];
	/** Anything about the chat changed (tags, department, end, REST update). */
	chatUpdated: [chat: ChatRecord];
	chatDeleted: [chat: ChatRecord];
	agentUpdated: [agent: AgentRecord];
	departmentUpdated: [department: DepartmentRecord];
}

export class WorldError extends Error {
	constructor(
		readonly code: 'not_found' | 'invalid',
		message: string,
	) {
		super(message);
	}
}

export type NewVisitor = Partial<VisitorRecord>;

/**
 * The Zendesk Chat account shared by the Conversations, REST and Streaming APIs: agents,
 * departments, OAuth tokens and chats. Everything that happens in a chat goes through here, so a
 * visitor's "Hi" is seen by a `message` subscription and then found by REST search and export.
 */
export class ChatWorld extends EventEmitter<ChatWorldEvents> {
	readonly agents = new Map<number, AgentRecord>();
	readonly departments = new Map<number, DepartmentRecord>();
	readonly tokens = new Map<string, TokenRecord>();
	readonly chats = new Map<string, ChatRecord>();
	private sequence = 0;
	private visitorSequence = 0;

	constructor(
		readonly clock: Clock,
		readonly accountId: number,
	) {
		super();
	}

	// ---- account set-up -------------------------------------------------------------------------

	addAgent(agent: Partial<AgentRecord> & { id: number; displayName: string }): AgentRecord {
		const [first = agent.displayName, ...rest] = agent.displayName.split(' ');
		const record: AgentRecord = {
			firstName: first,
			lastName: rest.join(' '),
			email: `agent${agent.id}@example.com`,
			status: 'OFFLINE',
			enabled: true,
			roleId: 1,
			departments: [],
			createdAt: this.clock.now(),
			...agent,
		};
		this.agents.set(record.id, record);
		return record;
	}

	addDepartment(
		department: Partial<DepartmentRecord> & { id: number; name: string },
	): DepartmentRecord {
		const record: DepartmentRecord = {
			description: '',
			status: 'ONLINE',
			enabled: true,
			members: [],
			...department,
		};
		this.departments.set(record.id, record);
		for (const agentId of record.members) this.agents.get(agentId)?.departments.push(record.id);
		return record;
	}

	addToken(token: Partial<TokenRecord> & { accessToken: string; agentId: number }): TokenRecord {
		const record: TokenRecord = { scopes: ['read', 'write', 'chat'], revoked: false, ...token };
		this.tokens.set(record.accessToken, record);
		return record;
	}

	revokeToken(accessToken: string): void {
		const token = this.tokens.get(accessToken);
		if (!token) throw new WorldError('not_found', `no token ${accessToken}`);
		token.revoked = true;
	}

	/** The token's record when it is known, not revoked, not expired and its agent is enabled. */
	authenticate(accessToken: string | undefined): TokenRecord | undefined {
		if (!accessToken) return undefined;
		const token = this.tokens.get(accessToken);
		if (!token || token.revoked) return undefined;
		if (token.expiresAt !== undefined && token.expiresAt <= this.clock.now()) return undefined;
		if (!this.agents.get(token.agentId)?.enabled) return undefined;
		return token;
	}

	setAgentStatus(agentId: number, status: AgentStatus): AgentRecord {
		const agent = this.requireAgent(agentId);
		agent.status = status;
		this.emit('agentUpdated', agent);
		return agent;
	}

	setDepartmentStatus(departmentId: number, status: DepartmentStatus): DepartmentRecord {
		const department = this.requireDepartment(departmentId);
		department.status = status;
		this.emit('departmentUpdated', department);
		return department;
	}

	requireAgent(agentId: number): AgentRecord {
		const agent = this.agents.get(agentId);
		if (!agent) throw new WorldError('not_found', `no agent ${agentId}`);
		return agent;
	}

	requireDepartment(departmentId: number): DepartmentRecord {
		const department = this.departments.get(departmentId);
		if (!department) throw new WorldError('not_found', `no department ${departmentId}`);
		return department;
	}

	requireChat(chatId: string): ChatRecord {
		const chat = this.chats.get(chatId);
		if (!chat) throw new WorldError('not_found', `no chat ${chatId}`);
		return chat;
	}

	// ---- chats ------------------------------------------------------------------------------------

	/** A visitor opens the widget and starts a chat; with `message`, their first words follow. */
	startChat(
		options: { visitor?: NewVisitor; departmentId?: number | null; message?: string } = {},
	): ChatRecord {
		const now = this.clock.now();
		if (options.departmentId != null) this.requireDepartment(options.departmentId);
		const chat = this.newChatRecord(now, 'chat', options.visitor, options.departmentId ?? null);
		this.chats.set(chat.id, chat);
		this.append(
			chat,
			{
				type: 'chat.memberjoin',
				senderType: 'Visitor',
				name: chat.visitor.name,
				nick: `visitor:${chat.visitor.id}`,
			},
			'activity',
		);
		if (options.message !== undefined) this.visitorSays(chat.id, options.message);
		return chat;
	}

	visitorSays(chatId: string, text: string): HistoryEntry {
		const chat = this.requireOpenChat(chatId);
		if (!chat.visitorPresent)
			throw new WorldError('invalid', `the visitor of chat ${chatId} has left`);
		return this.append(
			chat,
			{
				type: 'chat.msg',
				senderType: 'Visitor',
				name: chat.visitor.name,
				nick: `visitor:${chat.visitor.id}`,
				msg: text,
			},
			'message',
		);
	}

	/** An agent sends text (or a structured message, whose `text` is what the visitor reads first). */
	agentSays(
		chatId: string,
		agentId: number,
		message: { text: string; msgId?: string; options?: string[]; structured?: StructuredPayload },
	): HistoryEntry {
		const chat = this.requireOpenChat(chatId);
		const agent = this.requireAgent(agentId);
		if (!chat.activeAgentIds.includes(agentId)) this.agentJoins(chatId, agentId);
		const entry = this.append(
			chat,
			{
				type: 'chat.msg',
				senderType: 'Agent',
				name: agent.displayName,
				nick: `agent:${agent.id}`,
				agentId,
				msg: message.text,
				msgId: message.msgId,
				...(message.options ? { options: [...message.options] } : {}),
				structured: message.structured,
			},
			'message',
		);
		if (chat.visitorPresent) {
			chat.delivered.push({
				entryId: entry.id,
				timestamp: entry.timestamp,
				agentId,
				text: message.text,
				msgId: entry.msgId,
				...(message.options ? { options: [...message.options] } : {}),
				structured: message.structured,
			});
		}
		return entry;
	}

	agentJoins(chatId: string, agentId: number): HistoryEntry | undefined {
		const chat = this.requireOpenChat(chatId);
		const agent = this.requireAgent(agentId);
		if (chat.activeAgentIds.includes(agentId)) return undefined;
		chat.activeAgentIds.push(agentId);
		if (!chat.agentIds.includes(agentId)) chat.agentIds.push(agentId);
		chat.unread = false;
		return this.append(
			chat,
			{
				type: 'chat.memberjoin',
				senderType: 'Agent',
				name: agent.displayName,
				nick: `agent:${agent.id}`,
				agentId,
			},
			'activity',
		);
	}

	agentLeaves(chatId: string, agentId: number): HistoryEntry | undefined {
		const chat = this.requireChat(chatId);
		const agent = this.requireAgent(agentId);
		if (!chat.activeAgentIds.includes(agentId)) return undefined;
		chat.activeAgentIds = chat.activeAgentIds.filter((id) => id !== agentId);
		return this.append(
			chat,
			{
				type: 'chat.memberleave',
				senderType: 'Agent',
				name: agent.displayName,
				nick: `agent:${agent.id}`,
				agentId,
			},
			'activity',
		);
	}

	/** The visitor closes the chat: a memberleave, and the chat ends. */
	endChat(chatId: string): ChatRecord {
		const chat = this.requireChat(chatId);
		if (chat.endedAt !== null) return chat;
		if (chat.visitorPresent) {
			chat.visitorPresent = false;
			this.append(
				chat,
				{
					type: 'chat.memberleave',
					senderType: 'Visitor',
					name: chat.visitor.name,
					nick: `visitor:${chat.visitor.id}`,
				},
				'activity',
			);
		}
		for (const agentId of [...chat.activeAgentIds]) this.agentLeaves(chatId, agentId);
		chat.endedAt = this.clock.now();
		chat.missed = chat.agentIds.length === 0;
		this.touch(chat);
		return chat;
	}

	addTags(chatId: string, tags: string[], by?: { agentId: number }): ChatRecord {
		const chat = this.requireChat(chatId);
		const added = tags.filter((t) => !chat.tags.includes(t));
		chat.tags.push(...added);
		for (const tag of added) if (!chat.visitor.tags.includes(tag)) chat.visitor.tags.push(tag);
		if (added.length > 0)
			this.append(chat, { ...this.actor(chat, by), type: 'chat.tag', tags: added });
		return chat;
	}

	removeTags(chatId: string, tags: string[], by?: { agentId: number }): ChatRecord {
		const chat = this.requireChat(chatId);
		const removed = chat.tags.filter((t) => tags.includes(t));
		chat.tags = chat.tags.filter((t) => !tags.includes(t));
		chat.visitor.tags = chat.visitor.tags.filter((t) => !tags.includes(t));
		if (removed.length > 0)
			this.append(chat, {
				...this.actor(chat, by),
				type: 'chat.tag',
				tags: removed,
				removed: true,
			});
		return chat;
	}

	transfer(
		chatId: string,
		departmentId: number,
		by?: { agentId: number; leave?: boolean },
	): ChatRecord {
		const chat = this.requireOpenChat(chatId);
		this.requireDepartment(departmentId);
		chat.departmentId = departmentId;
		this.append(chat, { ...this.actor(chat, by), type: 'chat.transfer', departmentId });
		if (by?.leave) this.agentLeaves(chatId, by.agentId);
		return chat;
	}

	rate(chatId: string, rating: 'good' | 'bad' | null, comment?: string): ChatRecord {
		const chat = this.requireChat(chatId);
		chat.rating = rating;
		if (comment !== undefined) chat.comment = comment;
		this.touch(chat);
		return chat;
	}

	/** A visitor leaves a message while no agent is online (REST type "offline_msg"). */
	addOfflineMessage(options: {
		visitor?: NewVisitor;
		departmentId?: number | null;
		message: string;
	}): ChatRecord {
		const now = this.clock.now();
		const chat = this.newChatRecord(
			now,
			'offline_msg',
			options.visitor,
			options.departmentId ?? null,
		);
		chat.visitorPresent = false;
		chat.endedAt = now;
		chat.message = options.message;
		this.chats.set(chat.id, chat);
		this.emit('chatUpdated', chat);
		return chat;
	}

	/** The writable fields of the REST chat object (PUT /chats/{id}). */
	updateChat(
		chatId: string,
		patch: {
			tags?: string[];
			comment?: string | null;
			rating?: 'good' | 'bad' | null;
			unread?: boolean;
		},
	): ChatRecord {
		const chat = this.requireChat(chatId);
		if (patch.tags !== undefined) chat.tags = [...patch.tags];
		if (patch.comment !== undefined) chat.comment = patch.comment;
		if (patch.rating !== undefined) chat.rating = patch.rating;
		if (patch.unread !== undefined) chat.unread = patch.unread;
		this.touch(chat);
		return chat;
	}

	deleteChat(chatId: string): void {
		const chat = this.requireChat(chatId);
		this.chats.delete(chatId);
		this.emit('chatDeleted', chat);
	}

	/** Chats in the order they started. */
	listChats(): ChatRecord[] {
		return [...this.chats.values()].sort(
			(a, b) => a.startedAt - b.startedAt || compareIds(a.id, b.id),
		);
	}

	/** Chats whose visitor is still there, in the order they started. */
	openChats(): ChatRecord[] {
		return this.listChats().filter((c) => c.endedAt === null && c.type === 'chat');
	}

	// ---- internals -------------------------------------------------------------------------------

	private requireOpenChat(chatId: string): ChatRecord {
		const chat = this.requireChat(chatId);
		if (chat.endedAt !== null) throw new WorldError('invalid', `chat ${chatId} has ended`);
		return chat;
	}

	private actor(
		chat: ChatRecord,
		by?: { agentId: number },
	): Pick<HistoryEntry, 'senderType' | 'name' | 'nick' | 'agentId'> {
		if (!by) return { senderType: 'System', name: 'System', nick: 'system' };
		const agent = this.requireAgent(by.agentId);
		return {
			senderType: 'Agent',
			name: agent.displayName,
			nick: `agent:${agent.id}`,
			agentId: agent.id,
		};
	}

	private append(
		chat: ChatRecord,
		fields: Omit<HistoryEntry, 'id' | 'timestamp'>,
		event?: 'message' | 'activity',
	): HistoryEntry {
		const entry: HistoryEntry = {
			id: `${chat.id}.${chat.history.length + 1}`,
			timestamp: this.clock.now(),
			...fields,
		};
		if (entry.type === 'chat.msg' && entry.msgId === undefined)
			entry.msgId = `msg-${this.nextToken(10)}`;
		chat.history.push(entry);
		chat.updatedAt = entry.timestamp;
		if (event) this.emit(event, chat, entry);
		this.emit('chatUpdated', chat);
		return entry;
	}

	private touch(chat: ChatRecord): void {
		chat.updatedAt = this.clock.now();
		this.emit('chatUpdated', chat);
	}

	private newChatRecord(
		now: number,
		type: ChatRecord['type'],
		visitor: NewVisitor | undefined,
		departmentId: number | null,
	): ChatRecord {
		return {
			id: this.newChatId(now),
			type,
			visitor: this.newVisitor(visitor ?? {}),
			departmentId,
			agentIds: [],
			activeAgentIds: [],
			visitorPresent: true,
			tags: [],
			history: [],
			delivered: [],
			startedAt: now,
			endedAt: null,
			updatedAt: now,
			startedBy: 'visitor',
			rating: null,
			comment: null,
			missed: false,
			unread: true,
			zendeskTicketId: null,
			message: null,
			sessionId: `${formatDay(now)}.${this.accountId}.${this.nextToken(8)}`,
		};
	}

	private newVisitor(fields: NewVisitor): VisitorRecord {
		const n = ++this.visitorSequence;
		return {
			id: `1.${this.accountId}${String(n).padStart(4, '0')}`,
			name: `Visitor ${70000000 + n}`,
			email: '',
			phone: '',
			notes: '',
			externalId: null,
			ip: `203.0.113.${n % 250}`,
			userAgent:
				'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
			city: 'Dublin',
			region: 'Leinster',
			countryCode: 'IE',
			countryName: 'Ireland',
			browser: 'Chrome',
			platform: 'Linux',
			tags: [],
			...fields,
		};
	}

	private newChatId(now: number): string {
		// The documented shape: "1704.2314815.QHgVx6SOrRuSx" (yymm . account . token).
		const day = new Date(now);
		const yymm = `${String(day.getUTCFullYear()).slice(2)}${String(day.getUTCMonth() + 1).padStart(2, '0')}`;
		return `${yymm}.${this.accountId}.${this.nextToken(13)}`;
	}

	/** Deterministic base-62 tokens: the same script yields the same ids, which keeps tests readable. */
	private nextToken(length: number): string {
		const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
		let n = ++this.sequence * 2654435761;
		let out = '';
		for (let i = 0; i < length; i++) {
			out += alphabet[n % 62];
			n = Math.floor(n / 62) + (i + 1) * 7919 + this.sequence;
		}
		return out;
	}
}

function formatDay(ms: number): string {
	const d = new Date(ms);
	return `${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

function compareIds(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
