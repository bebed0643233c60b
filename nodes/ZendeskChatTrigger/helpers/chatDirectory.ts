import type { INode } from 'n8n-workflow';

import type { ChatRestClient } from '../../../src/rest';
import { HttpError } from '../../../src/shared';
import { toNodeError } from '../../shared/errors';

/** What the trigger needs to know about a chat beyond its Conversations API message. */
export interface ChatFacts {
	/** false when the REST API does not know the chat (yet). */
	found: boolean;
	departmentId: number | null;
	departmentName: string | null;
	/** The chat's messages in order, as the REST API's history lists them. */
	messages: HistoryMessage[];
}

export interface HistoryMessage {
	/** "Visitor" or "Agent"; null when the entry does not say. */
	senderType: string | null;
	msgId: string | null;
	text: string | null;
}

/** A chat's department changes only on a transfer: a minute-old answer is good enough for a filter. */
export const CHAT_FACTS_TTL_MS = 60_000;
/** Chats remembered at once; the oldest are forgotten first. */
export const CHAT_FACTS_MAX = 1_000;

interface Entry {
	fetchedAt: number;
	facts: Promise<ChatFacts>;
}

/**
 * Chat facts from the Chat REST API (`GET /chats/{id}`, keyed by the channel's raw_id), cached per
 * chat so that a busy chat costs one request a minute of the credential's 200 a minute, and
 * concurrent lookups of one chat share a request.
 */
export class ChatDirectory {
	private readonly entries = new Map<string, Entry>();

	constructor(
		private readonly node: INode,
		private readonly rest: ChatRestClient,
		private readonly now: () => number = Date.now,
	) {}

	/**
	 * @param notBefore a fetch from before this time is not used (the history must hold a message that arrived then).
	 * @throws NodeApiError for the REST client's error (except a 404, which is a chat not found).
	 */
	facts(chatId: string, options: { notBefore?: number; signal?: AbortSignal } = {}): Promise<ChatFacts> {
		const now = this.now();
		const cached = this.entries.get(chatId);
		if (cached && now - cached.fetchedAt < CHAT_FACTS_TTL_MS && cached.fetchedAt >= (options.notBefore ?? 0)) return cached.facts;
		const facts = this.fetch(chatId, options.signal);
		const entry: Entry = { fetchedAt: now, facts };
		this.entries.delete(chatId);
		this.entries.set(chatId, entry);
		if (this.entries.size > CHAT_FACTS_MAX) this.entries.delete(this.entries.keys().next().value as string);
		facts.catch(() => {
			if (this.entries.get(chatId) === entry) this.entries.delete(chatId);
		});
		return facts;
	}

	private async fetch(chatId: string, signal: AbortSignal | undefined): Promise<ChatFacts> {
		let chat: Record<string, unknown>;
		try {
			chat = await this.rest.getChat(chatId, { signal });
		} catch (error) {
			if (error instanceof HttpError && (error as HttpError).statusCode === 404) {
				return { found: false, departmentId: null, departmentName: null, messages: [] };
			}
			throw toNodeError(this.node, error);
		}
		const departmentId = typeof chat.department_id === 'number' ? chat.department_id : null;
		return {
			found: true,
			departmentId,
			departmentName: typeof chat.department_name === 'string' ? chat.department_name : null,
			messages: historyMessages(chat.history),
		};
	}
}

/**
 * The chat.msg entries of a REST history. Who wrote each is `sender_type` when present, else the
 * `nick` prefix ("visitor:1-12345" in the documented example, "agent:…" for agents).
 */
function historyMessages(history: unknown): HistoryMessage[] {
	if (!Array.isArray(history)) return [];
	const messages: HistoryMessage[] = [];
	for (const entry of history as Array<Record<string, unknown>>) {
		if (entry === null || typeof entry !== 'object' || entry.type !== 'chat.msg') continue;
		messages.push({ senderType: senderTypeOf(entry), msgId: textOrNull(entry.msg_id), text: textOrNull(entry.msg) });
	}
	return messages;
}

function senderTypeOf(entry: Record<string, unknown>): string | null {
	if (entry.sender_type === 'Visitor' || entry.sender_type === 'Agent') return entry.sender_type;
	const nick = typeof entry.nick === 'string' ? entry.nick : '';
	if (nick.startsWith('visitor:')) return 'Visitor';
	if (nick.startsWith('agent:')) return 'Agent';
	return null;
}

function textOrNull(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}
