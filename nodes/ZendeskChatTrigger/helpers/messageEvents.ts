import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import type { ChatMessageEvent } from '../../../src/conversations';
import type { MessageSettings } from '../TriggerSettings';
import { BoundedSet } from './boundedSet';
import type { ChatDirectory, ChatFacts } from './chatDirectory';
import type { EmitJob } from './emitQueue';
import { isoTime } from './time';

/** Channels whose first message has been decided, remembered for "First Message of a Chat Only". */
const SEEN_CHANNELS_MAX = 10_000;

/**
 * Chat Message events: the filters that need nothing but the event run at once, in arrival order
 * (sender, first message, text); the department and the first-message check of a chat that began
 * before the trigger need the Chat REST API and run in the emit queue, one event at a time.
 */
export class MessageEvents {
	private readonly seenChannels = new BoundedSet(SEEN_CHANNELS_MAX);

	constructor(
		private readonly node: INode,
		private readonly settings: MessageSettings,
		/** Present when a filter or the Include Department option needs REST lookups. */
		private readonly directory: ChatDirectory | undefined,
		private readonly keyPrefix: string,
		private readonly signal: AbortSignal,
		private readonly now: () => number = Date.now,
	) {}

	/** Whether this trigger needs the Chat REST API at all. */
	static needsDirectory(settings: MessageSettings): boolean {
		return settings.includeDepartment || settings.departmentId !== null || settings.firstMessageOnly;
	}

	/** The job that turns `event` into an item, or undefined when a filter already drops it. */
	accept(event: ChatMessageEvent): EmitJob | undefined {
		const { settings } = this;
		const senderType = event.from?.__typename ?? null;
		if (senderType === null || !(settings.senders as string[]).includes(senderType)) return undefined;
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
		return async () => {
			const facts = await this.lookup(event, receivedAt);
			if (firstSighting && facts && !isFirstMessage(event, facts, settings.senders)) return undefined;
			if (settings.departmentId !== null && facts?.departmentId !== settings.departmentId) return undefined;
			return {
				items: [messageItem(event, facts, settings, receivedAt)],
				deduplicationKey: `${this.keyPrefix}:message:${event.id}`,
			};
		};
	}

	private textMatches(text: string): boolean {
		const { textContains, textRegex, caseSensitive } = this.settings;
		if (textContains !== null && !(caseSensitive ? text : text.toLowerCase()).includes(textContains)) return false;
		return textRegex === null || textRegex.test(text);
	}

	private async lookup(event: ChatMessageEvent, receivedAt: number): Promise<ChatFacts | undefined> {
		const { settings, directory } = this;
		if (!directory) return undefined;
		const chatId = event.channel?.raw_id ?? null;
		if (chatId === null || chatId === '') {
			if (settings.departmentId === null) return undefined;
			// Without the REST chat id the department cannot be known: the event cannot be judged.
			throw new NodeOperationError(
				this.node,
				'Zendesk sent the message without its chat\'s REST id (raw_id), so its department could not be looked up',
				{ description: `Message ${event.id}. Remove the Department filter, or report this to the package maintainers.` },
			);
		}
		const lookup = directory.facts(chatId, { notBefore: settings.firstMessageOnly ? receivedAt : undefined, signal: this.signal });
		// Only a filter makes the lookup essential; otherwise the message goes on without its department.
		if (settings.departmentId !== null || settings.firstMessageOnly) return await lookup;
		return await lookup.catch(() => undefined);
	}
}

/**
 * Whether `event` is the chat's first message among the senders allowed: the first such entry of
 * the REST history is this message (same msg_id, else same text). A chat the REST API does not show
 * yet, or whose history holds no such message yet, has just begun: the message is its first.
 */
export function isFirstMessage(event: ChatMessageEvent, facts: ChatFacts, senders: string[]): boolean {
	if (!facts.found) return true;
	const first = facts.messages.find((m) => m.senderType === null || senders.includes(m.senderType));
	if (!first) return true;
	if (first.msgId !== null && event.msg_id) return first.msgId === event.msg_id;
	return first.text === (event.content ?? null);
}

function messageItem(event: ChatMessageEvent, facts: ChatFacts | undefined, settings: MessageSettings, receivedAt: number): IDataObject {
	const from = event.from;
	const channel = event.channel;
	const visitor = channel?.visitor;
	const senderType = from?.__typename ?? null;
	const item: IDataObject = {
		event: 'chatMessage',
		channelId: channel?.id ?? null,
		chatId: channel?.raw_id ?? null,
		messageId: event.id,
		msgId: event.msg_id ?? null,
		text: event.content ?? null,
		senderType: senderType === null ? null : senderType.toLowerCase(),
		sender: {
			id: from?.id ?? null,
			name: event.sender_name ?? from?.display_name ?? null,
		},
		visitor: visitor
			? {
					id: visitor.id ?? null,
					name: visitor.display_name ?? null,
					email: visitor.email ?? null,
					externalId: visitor.external_id ?? null,
					country: visitor.current_country ?? null,
					region: visitor.current_region ?? null,
					tags: visitor.current_tags ?? [],
				}
			: null,
		ip: channel?.ip ?? null,
		userAgent: channel?.user_agent ?? null,
		timestamp: isoTime(event.timestamp),
		receivedAt: new Date(receivedAt).toISOString(),
	};
	if (settings.includeDepartment || settings.departmentId !== null) {
		item.department = facts && facts.departmentId !== null ? { id: facts.departmentId, name: facts.departmentName } : null;
	}
	if (settings.firstMessageOnly) item.firstMessage = true;
	return item;
}
