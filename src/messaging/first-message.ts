import { InvalidInputError } from '../shared/errors';
import type { MessagingClient } from './client';
import type { CallOptions } from './types';

/** Whether a customer's message is the first they wrote in its conversation; `unknown` when history could not tell. */
export type FirstMessageVerdict = 'first' | 'notFirst' | 'unknown';

/** Pages of history read at most: 300 messages (List Messages pages are "fixed at 100 messages"). */
export const FIRST_MESSAGE_MAX_PAGES = 3;

/**
 * Reads the conversation's history backwards from the newest page (spec ListMessages: "in the
 * backwards direction, with the most recent page of messages being returned by default"; within a
 * page the oldest comes first) until it passes the message, then looks for an earlier message by
 * the customer (`author.type` user). Stateless, so it survives restarts and several n8n processes.
 *
 * - `first`: the message was found and the history before it has no customer message.
 * - `notFirst`: a customer message comes before it.
 * - `unknown`: the message is not in the history (deleted) or not within `maxPages` pages.
 */
export async function firstMessageVerdict(
	client: Pick<MessagingClient, 'listMessages'>,
	conversationId: string,
	messageId: string,
	options: CallOptions & { maxPages?: number } = {},
): Promise<FirstMessageVerdict> {
	const maxPages = options.maxPages ?? FIRST_MESSAGE_MAX_PAGES;
	let before: string | undefined;
	let passed = false;
	for (let pages = 0; pages < maxPages; pages++) {
		const page = await client.listMessages(conversationId, { before }, { signal: options.signal });
		for (const message of [...page.items].reverse()) {
			if (!passed) passed = message.id === messageId;
			else if (message.author.type === 'user') return 'notFirst';
		}
		if (!page.hasMore) return passed ? 'first' : 'unknown';
		if (!page.beforeCursor || page.beforeCursor === before) return 'unknown';
		before = page.beforeCursor;
	}
	return 'unknown';
}

/**
 * Remembers, per conversation, the customer's first message once the history showed it, so that
 * the later messages of a busy conversation are judged without a request: there is one first
 * message, and any earlier one would have been in the history that showed it. Only an
 * optimisation: after a restart the history answers again.
 */
export class FirstMessageMemory {
	private readonly maxEntries: number;
	/** key (app and conversation) → the id of the customer's first message; a Map keeps use order. */
	private readonly firstOf = new Map<string, string>();

	constructor(options: { maxEntries?: number } = {}) {
		this.maxEntries = options.maxEntries ?? 1000;
		if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
			throw new InvalidInputError('maxEntries', 'maxEntries must be a positive integer');
	}

	/**
	 * The verdict for the message `messageId`, from memory when the conversation's first message is
	 * known, else from `lookup` (whose `first` is then remembered). Rejects as `lookup` does.
	 */
	async judge(
		key: string,
		messageId: string,
		lookup: () => Promise<FirstMessageVerdict>,
	): Promise<FirstMessageVerdict> {
		const first = this.firstOf.get(key);
		if (first !== undefined) {
			this.firstOf.delete(key);
			this.firstOf.set(key, first);
			return first === messageId ? 'first' : 'notFirst';
		}
		const verdict = await lookup();
		if (verdict === 'first') {
			this.firstOf.set(key, messageId);
			if (this.firstOf.size > this.maxEntries)
				this.firstOf.delete(this.firstOf.keys().next().value as string);
		}
		return verdict;
	}

	get size(): number {
		return this.firstOf.size;
	}
}
