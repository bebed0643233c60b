import type { SimContext } from '../module';
import { WebhookDelivery } from './delivery';
import { SunshineError, badRequest } from './errors';
import { EventBus } from './events';
import { isoAt, newId } from './ids';
import { conversationMessagePayload, userFor, widgetSource } from './payloads';
import { presentConversationTruncated } from './present';
import { SunshineStore } from './store';
import { SwitchboardService } from './switchboard';
import type {
	ActivityRecord,
	ConversationRecord,
	MessageAuthorRecord,
	MessageRecord,
	MessageSourceRecord,
	Metadata,
	UserRecord,
} from './types';
import type { Json } from './validate';

/** Introduction "Conversation Size Limits": 30,000 messages, then 423 Locked. */
export const MESSAGE_LIMIT = 30_000;

export interface MessageDraft {
	author: MessageAuthorRecord;
	content: Json;
	source: MessageSourceRecord;
	metadata?: Metadata | null;
	fromWidget?: boolean;
	quotedMessage?: Json;
}

/**
 * The simulated Sunshine Conversations app: its state, its webhook events and the operations that
 * both the HTTP API and the control operations go through (so a widget user's message and an
 * API-posted one take the same path to the webhooks).
 */
export class SunshineApp {
	readonly store = new SunshineStore();
	readonly delivery: WebhookDelivery;
	readonly events: EventBus;
	readonly switchboard: SwitchboardService;

	constructor(readonly ctx: SimContext) {
		this.delivery = new WebhookDelivery(ctx.clock, this.store.appId, ctx.log, (id) =>
			this.store.webhooks.has(id),
		);
		this.events = new EventBus(this.store, this.delivery, ctx.clock);
		this.switchboard = new SwitchboardService(this.store, this.events, () => this.now());
	}

	now(): string {
		return isoAt(this.ctx.clock.now());
	}

	/** Links and cursors point back at this simulator. */
	appBase(): string {
		return `${this.ctx.baseUrl()}/sc/v2/apps/${this.store.appId}`;
	}

	createConversation(
		fields: Omit<
			ConversationRecord,
			| 'id'
			| 'isDefault'
			| 'lastUpdatedAt'
			| 'createdAt'
			| 'messages'
			| 'participants'
			| 'activeSwitchboardIntegrationId'
			| 'pendingSwitchboardIntegrationId'
		>,
		users: UserRecord[],
		creation: { reason: string; source: MessageSourceRecord },
	): ConversationRecord {
		const now = this.now();
		// openapi.yaml `conversation.isDefault`: "true for the first personal conversation created for the user".
		const isDefault =
			fields.type === 'personal' &&
			!this.store.conversationsOf(users[0].id).some((c) => c.type === 'personal');
		const conversation: ConversationRecord = {
			id: newId(),
			isDefault,
			...fields,
			lastUpdatedAt: now,
			createdAt: now,
			participants: users.map((u) => ({ id: newId(), userId: u.id, unreadCount: 0 })),
			messages: [],
			activeSwitchboardIntegrationId: null,
			pendingSwitchboardIntegrationId: null,
		};
		// A new conversation starts with the switchboard's default integration in control
		// (openapi.yaml `defaultSwitchboardIntegrationId`).
		this.switchboard.assignDefaultIfNone(conversation);
		this.store.conversations.set(conversation.id, conversation);
		// openapi.yaml conversationCreateEvent: creationReason "none" for the Create Conversation API;
		// `user` only for personal conversations.
		this.events.publish('conversation:create', (webhook) => {
			const payload: Json = {
				conversation: presentConversationTruncated(this.store, conversation),
				creationReason: creation.reason,
				source: { ...creation.source },
			};
			if (conversation.type === 'personal') payload.user = userFor(webhook, users[0]);
			return payload;
		});
		return conversation;
	}

	/** Stores a message and sends `conversation:message` to the webhooks the switchboard lets through. */
	postMessage(conversation: ConversationRecord, draft: MessageDraft): MessageRecord {
		if (conversation.messages.length >= MESSAGE_LIMIT) {
			throw new SunshineError(
				423,
				'locked',
				`Message limit of ${MESSAGE_LIMIT} per conversation reached.`,
			);
		}
		this.switchboard.assignDefaultIfNone(conversation);
		const message: MessageRecord = {
			id: newId(),
			received: this.now(),
			author: draft.author,
			content: draft.content,
			source: draft.source,
			fromWidget: draft.fromWidget,
		};
		if (draft.metadata) message.metadata = draft.metadata;
		if (draft.quotedMessage) message.quotedMessage = draft.quotedMessage;
		conversation.messages.push(message);
		conversation.lastUpdatedAt = message.received;
		// openapi.yaml participant.unreadCount: "Number of messages the user has not yet read": every
		// participant but the author has one more. (unverified: whether writing also marks as read)
		for (const participant of conversation.participants) {
			if (participant.userId !== draft.author.userId) participant.unreadCount += 1;
		}
		const user = draft.author.userId ? this.store.users.get(draft.author.userId) : undefined;
		if (user?.widgetClient && draft.fromWidget) user.widgetClient.lastSeen = message.received;
		this.events.publish(
			'conversation:message',
			(webhook) => conversationMessagePayload(this.store, conversation, message, webhook),
			conversation,
		);
		return message;
	}

	/**
	 * A conversation activity (openapi.yaml PostActivity, or the Web Widget through the control API).
	 * A user's activity goes to the webhooks as `conversation:read` or `conversation:typing`
	 * (openapi.yaml conversationReadEvent / conversationTypingEvent: `{conversation, activity:{type,
	 * author, source}}`). The business's own typing and read receipts are shown to the user and
	 * recorded, but sent to no webhook: the triggers report the user's activity, as v1's
	 * `typing:appUser` did. (unverified: the v2 spec does not say whether business activity is
	 * echoed)
	 */
	recordActivity(
		conversation: ConversationRecord,
		activity: {
			type: ActivityRecord['type'];
			user?: UserRecord;
			source: MessageSourceRecord;
			fromWidget?: boolean;
		},
	): ActivityRecord {
		const at = this.now();
		const record: ActivityRecord = {
			conversationId: conversation.id,
			type: activity.type,
			author: activity.user ? { type: 'user', userId: activity.user.id } : { type: 'business' },
			source: { ...activity.source },
			at,
			eventId: null,
		};
		this.store.activities.push(record);
		const user = activity.user;
		if (!user) {
			// openapi.yaml conversation.businessLastRead: "the moment the conversation was last marked as read with role business".
			if (activity.type === 'conversation:read') conversation.businessLastRead = at;
			return record;
		}
		if (activity.type === 'conversation:read') {
			const participant = conversation.participants.find((p) => p.userId === user.id);
			if (participant) {
				participant.lastRead = at;
				participant.unreadCount = 0;
			}
		}
		if (activity.fromWidget && user.widgetClient) user.widgetClient.lastSeen = at;
		const trigger =
			activity.type === 'conversation:read' ? 'conversation:read' : 'conversation:typing';
		record.eventId = this.events.publish(
			trigger,
			(webhook) => {
				const source: Json = { ...activity.source };
				// openapi.yaml sourceWebhook.client / .device: "only ... if the `includeFullSource` option is enabled".
				if (webhook.includeFullSource && activity.fromWidget)
					Object.assign(source, widgetSource(user, activity.source.integrationId));
				return {
					conversation: presentConversationTruncated(this.store, conversation),
					activity: {
						type: activity.type,
						author: { type: 'user', userId: user.id, user: userFor(webhook, user) },
						source,
					},
				};
			},
			conversation,
		);
		return record;
	}

	deleteConversation(conversation: ConversationRecord): void {
		// openapi.yaml DeleteConversation 400 example.
		if (conversation.isDefault) {
			throw badRequest(
				`Conversation ${conversation.id} cannot be deleted because it is the default.`,
			);
		}
		const snapshot = presentConversationTruncated(this.store, conversation);
		this.store.conversations.delete(conversation.id);
		this.events.publish('conversation:remove', () => ({ conversation: structuredClone(snapshot) }));
	}

	async close(): Promise<void> {
		await this.delivery.close();
	}
}
