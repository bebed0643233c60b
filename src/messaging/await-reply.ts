import { sleep, throwIfAborted } from '../shared/abort';
import { InvalidInputError, ProtocolError } from '../shared/errors';
import type { MessagingClient } from './client';
import type { Message } from './schemas';
import type { CallOptions } from './types';

/**
 * Waiting for the customer's answer to a message the business just sent, by polling the
 * conversation's messages (List Messages) until a message of the customer comes after it, or the
 * time is up.
 *
 * Why polling and not a webhook: Sunshine Conversations only calls the webhooks of an integration,
 * so a webhook per wait would be an integration that receives every conversation's events and must
 * be deleted again even when the waiting process dies; and in n8n's queue mode the Messaging Trigger
 * runs on the webhook processor while the waiting execution runs on a worker. A poll works in any
 * process, with no webhook and no shared state.
 */

export interface AwaitReplyOptions extends CallOptions {
	/** The message the reply must come after (the one just sent): its `id`, and `received` for when it was deleted meanwhile. */
	after: Pick<Message, 'id' | 'received'>;
	/** How long to wait, from now. */
	timeoutMs: number;
	/** The pause between two polls (the last one is cut short by the deadline). */
	pollIntervalMs: number;
	/** The clock (tests). @default Date.now */
	now?: () => number;
}

export type AwaitReplyResult = { replied: true; reply: Message } | { replied: false };

/** Spec author.type: "user" is the end user; "business" is the bot, an integration or a human agent (agent-author.ts). */
export function isCustomerMessage(message: Pick<Message, 'author'>): boolean {
	return message.author.type === 'user';
}

/**
 * Polls until the customer writes after `options.after` (their first such message) or `timeoutMs`
 * has passed. Business messages (the bot's, an agent's) in between are passed over. Each poll reads
 * the newest page of the conversation (one request while fewer than 100 messages followed the last
 * one seen), and pages back with `page[before]` only as far as the last message seen. A 429 is
 * retried after its Retry-After by the client; aborting `signal` rejects with AbortedError at once
 * and sends nothing more.
 * @throws InvalidInputError for a timeout or poll interval that is not a positive number.
 */
export async function awaitCustomerReply(
	client: Pick<MessagingClient, 'messagePages'>,
	conversationId: string,
	options: AwaitReplyOptions,
): Promise<AwaitReplyResult> {
	const { timeoutMs, pollIntervalMs, signal } = options;
	for (const [field, value] of [
		['timeoutMs', timeoutMs],
		['pollIntervalMs', pollIntervalMs],
	] as const) {
		if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
			throw new InvalidInputError(
				field,
				`${field} must be a positive number of milliseconds, got ${String(value)}`,
			);
		}
	}
	const now = options.now ?? Date.now;
	const deadline = now() + timeoutMs;
	let anchor: Anchor = { id: options.after.id, time: timeOf(options.after) };
	for (;;) {
		throwIfAborted(signal, 'messaging');
		const newer = await messagesAfter(client, conversationId, anchor, { signal });
		const reply = newer.find(isCustomerMessage);
		if (reply) return { replied: true, reply };
		const last = newer.at(-1);
		if (last) anchor = { id: last.id, time: timeOf(last) ?? anchor.time };
		const remaining = deadline - now();
		if (remaining <= 0) return { replied: false };
		await sleep(Math.min(pollIntervalMs, remaining), signal, 'messaging');
	}
}

/** The last message already looked at: the next poll only reads what came after it. */
interface Anchor {
	id: string;
	/** Its `received` in ms, if known. */
	time: number | undefined;
}

function timeOf(message: Pick<Message, 'received'>): number | undefined {
	const time = message.received === undefined ? NaN : Date.parse(message.received);
	return Number.isNaN(time) ? undefined : time;
}

/**
 * The messages after the anchor, oldest first. List Messages pages backwards (spec ListMessages: the
 * newest page first, `beforeCursor` to older ones, 100 a page; oldest first within a page), so the
 * newest page is read and older pages only until the anchor shows up. When the anchor is no longer
 * there (deleted), paging stops at the first page older than it, and what was received after it counts.
 */
async function messagesAfter(
	client: Pick<MessagingClient, 'messagePages'>,
	conversationId: string,
	anchor: Anchor,
	options: CallOptions,
): Promise<Message[]> {
	const pages: Message[][] = [];
	for await (const page of client.messagePages(conversationId, options)) {
		const index = page.items.findIndex((message) => message.id === anchor.id);
		if (index >= 0) {
			pages.unshift(page.items.slice(index + 1));
			return pages.flat();
		}
		pages.unshift(page.items);
		const oldest = page.items[0];
		const oldestTime = oldest ? timeOf(oldest) : undefined;
		if (anchor.time !== undefined && oldestTime !== undefined && oldestTime < anchor.time) break;
	}
	if (anchor.time === undefined) {
		throw new ProtocolError(
			'messaging',
			`message ${anchor.id} is no longer in conversation ${conversationId}, and without its time the messages after it cannot be told apart`,
		);
	}
	const since = anchor.time;
	return pages.flat().filter((message) => (timeOf(message) ?? -Infinity) > since);
}
