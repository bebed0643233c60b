import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import type { ChatMessageEvent } from '../../../src/conversations';
import { chatMessageItem } from '../../shared/chatMessageItem';
import type { MessageSettings } from '../TriggerSettings';
import { BoundedSet } from './boundedSet';
import type { ChatDirectory, ChatFacts } from './chatDirectory';
import type { EmitJob } from './emitQueue';

/** Channels whose first message has been decided, remembered for "First Message of a Chat Only". */
const SEEN_CHANNELS_MAX = 10_000;

/**
 * How long a message waits for its chat's department when nothing but Include Department asks for
 * it: then it goes without (`departmentStatus: "timedOut"`). Issue 9: no message may be held back
 * more than a second by enrichment; half of that leaves room for a busy event loop.
 */
export const DEPARTMENT_WAIT_MS = 500;

/**
 * Why an item has the department it has (the `departmentStatus` field, next to `department`):
 * - found: `department` is the chat's;
 * - none: the chat has no department;
 * - chatNotFound: the Chat REST API does not know the chat (yet);
 * - budgetSpent: not looked up, the credential's 200 Chat REST requests a minute had no room;
 * - timedOut: the lookup did not answer within DEPARTMENT_WAIT_MS, the message did not wait longer;
 * - lookupFailed: the lookup failed (the item goes on without the department);
 * - noChatId: the message came without its chat's REST id, so there was nothing to look up.
 */
export type DepartmentStatus =
	| 'found'
	| 'none'
	| 'chatNotFound'
	| 'budgetSpent'
	| 'timedOut'
	| 'lookupFailed'
	| 'noChatId';

interface Enrichment {
	facts: ChatFacts | undefined;
	status: DepartmentStatus;
}

/**
 * Chat Message events: the filters that need nothing but the event run at once, in arrival order
 * (sender, first message, text); the department and the first-message check of a chat that began
 * before the trigger need the Chat REST API. Each job runs in its chat's lane of the emit queue
 * (EmitJob.lane): a chat waiting for its lookup holds back only its own later messages.
 */
export class MessageEvents {
	private readonly seenChannels = new BoundedSet(SEEN_CHANNELS_MAX);

	constructor(
		private readonly node: INode,
		private readonly settings: MessageSettings,
		/** Present when a filter or the Include Department option needs REST lookups. */
		private readonly directory: ChatDirectory | undefined,
		private readonly keyPrefix: string,
		signal: AbortSignal,
		private readonly now: () => number = Date.now,
	) {
		// The directory's batch timer and queued lookups end with the trigger.
		if (directory) {
			if (signal.aborted) directory.close();
			else signal.addEventListener('abort', () => directory.close(), { once: true });
		}
	}

	/** Whether this trigger needs the Chat REST API at all. */
	static needsDirectory(settings: MessageSettings): boolean {
		return (
			settings.includeDepartment || settings.departmentId !== null || settings.firstMessageOnly
		);
	}

	/** The job that turns `event` into an item, or undefined when a filter already drops it. */
	accept(event: ChatMessageEvent): EmitJob | undefined {
		const { settings } = this;
		const senderType = event.from?.__typename ?? null;
		if (senderType === null || !(settings.senders as string[]).includes(senderType))
			return undefined;
		const channelId = event.channel?.id ?? null;
		let firstSighting = false;
		if (settings.firstMessageOnly) {
			// Without a channel there is no chat to be first in.
			if (channelId === null || this.seenChannels.has(channelId)) return undefined;
			this.seenChannels.add(channelId);
			firstSighting = true;
		}
		if (!this.textMatches(event.content ?? '')) return undefined;
		const receivedAt = this.now();
		const job = async () => {
			const enrichment = await this.enrich(event, receivedAt);
			const facts = enrichment?.facts;
			if (firstSighting && facts && !isFirstMessage(event, facts, settings.senders))
				return undefined;
			if (settings.departmentId !== null && facts?.departmentId !== settings.departmentId)
				return undefined;
			return {
				items: [messageItem(event, enrichment, settings, receivedAt)],
				deduplicationKey: `${this.keyPrefix}:message:${event.id}`,
			};
		};
		// One lane per chat: its messages keep their order, other chats do not wait for it.
		return Object.assign(job, { lane: channelId ?? event.channel?.raw_id ?? '' });
	}

	private textMatches(text: string): boolean {
		const { textContains, textRegex, caseSensitive } = this.settings;
		if (
			textContains !== null &&
			!(caseSensitive ? text : text.toLowerCase()).includes(textContains)
		)
			return false;
		return textRegex === null || textRegex.test(text);
	}

	private async enrich(
		event: ChatMessageEvent,
		receivedAt: number,
	): Promise<Enrichment | undefined> {
		const { settings, directory } = this;
		if (!directory) return undefined;
		const chatId = event.channel?.raw_id ?? null;
		if (chatId === null || chatId === '') {
			if (settings.departmentId === null) return { facts: undefined, status: 'noChatId' };
			// Without the REST chat id the department cannot be known: the event cannot be judged.
			throw new NodeOperationError(
				this.node,
				"Zendesk sent the message without its chat's REST id (raw_id), so its department could not be looked up",
				{
					description: `Message ${event.id}. Remove the Department filter, or report this to the package maintainers.`,
				},
			);
		}
		// A filter cannot decide without the facts: it waits for them (only this chat's lane waits).
		if (settings.departmentId !== null || settings.firstMessageOnly) {
			const facts = await directory.facts(chatId, {
				notBefore: settings.firstMessageOnly ? receivedAt : undefined,
			});
			return { facts, status: statusOf(facts) };
		}
		// Only Include Department asks: the message goes without rather than wait (issue 9).
		const outcome = await beforeDeadline(
			directory.tryFacts(chatId),
			receivedAt + DEPARTMENT_WAIT_MS - this.now(),
		);
		if (outcome === undefined) return { facts: undefined, status: 'timedOut' };
		if ('facts' in outcome) return { facts: outcome.facts, status: statusOf(outcome.facts) };
		return { facts: undefined, status: outcome.skipped };
	}
}

function statusOf(facts: ChatFacts): DepartmentStatus {
	if (!facts.found) return 'chatNotFound';
	return facts.departmentId === null ? 'none' : 'found';
}

/** Resolves with `promise`, or with undefined once `ms` have passed (the timer never outlives the wait). */
function beforeDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<undefined>((resolve) => {
		timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
	});
	return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Whether `event` is the chat's first message among the senders allowed: the first such entry of
 * the REST history is this message (same msg_id, else same text). A chat the REST API does not show
 * yet, or whose history holds no such message yet, has just begun: the message is its first.
 */
export function isFirstMessage(
	event: ChatMessageEvent,
	facts: ChatFacts,
	senders: string[],
): boolean {
	if (!facts.found) return true;
	const first = facts.messages.find((m) => m.senderType === null || senders.includes(m.senderType));
	if (!first) return true;
	if (first.msgId !== null && event.msg_id) return first.msgId === event.msg_id;
	return first.text === (event.content ?? null);
}

function messageItem(
	event: ChatMessageEvent,
	enrichment: Enrichment | undefined,
	settings: MessageSettings,
	receivedAt: number,
): IDataObject {
	const facts = enrichment?.facts;
	const item = chatMessageItem(event, receivedAt);
	if (settings.includeDepartment || settings.departmentId !== null) {
		item.department =
			facts && facts.departmentId !== null
				? { id: facts.departmentId, name: facts.departmentName }
				: null;
		item.departmentStatus = enrichment?.status ?? 'lookupFailed';
	}
	if (settings.firstMessageOnly) item.firstMessage = true;
	return item;
}
