import type { IDataObject } from 'n8n-workflow';

import type { ConversationUser } from '../../../src/messaging/conversation-user';
import {
	messageFields,
	messageViewOf,
	objectOf,
	stringOf,
	subtypesOf,
	type MessageView,
} from '../../../src/messaging/message-view';
import type { WebhookEnvelope, WebhookEvent } from '../../../src/messaging/webhook-envelope';

export type { MessageView };

type Json = Record<string, unknown>;

/** Who wrote a message, as the Author filter names it. */
export type AuthorKind = 'customer' | 'business' | 'agent';

/** One event, read once, loosely: the payload is Zendesk's, and a field missing from one event type must not stop the others. */
export interface EventView {
	conversationId: string | null;
	conversationType: string | null;
	/** The conversation's metadata, as the event carries it. */
	metadata: Json | null;
	userId: string | null;
	externalUserId: string | null;
	/** True when the payload carries the user itself, so a missing externalId means the user has none. */
	namesUser: boolean;
	/** Where the message or activity came from (`source.type`), e.g. web, whatsapp, api:conversations. */
	channel: string | null;
	author: { type: string | null; subtypes: string[]; displayName: string | null } | null;
	/** Only for conversation:message. */
	message?: MessageView;
	/** `payload.reason` (switchboard:releaseControl: ticketClosed or transferToEmail). */
	reason: string | null;
}

/** The `message` of a conversation:message event, loosely: the echo filter reads it. */
export function messageOf(event: WebhookEvent): Json | undefined {
	return objectOf(objectOf(event.payload)?.message);
}

export function viewOf(event: WebhookEvent): EventView {
	const payload = objectOf(event.payload) ?? {};
	const conversation = objectOf(payload.conversation);
	const message = event.type === 'conversation:message' ? objectOf(payload.message) : undefined;
	const activity = objectOf(payload.activity);
	// Message and activity authors carry their user; other events have it at the top.
	const author = objectOf(message?.author) ?? objectOf(activity?.author);
	const user = objectOf(author?.user) ?? objectOf(payload.user);
	const source =
		objectOf(message?.source) ?? objectOf(activity?.source) ?? objectOf(payload.source);
	return {
		conversationId: stringOf(conversation?.id),
		conversationType: stringOf(conversation?.type),
		metadata: objectOf(conversation?.metadata) ?? null,
		userId: stringOf(author?.userId) ?? stringOf(user?.id),
		externalUserId: stringOf(user?.externalId),
		namesUser: user !== undefined,
		channel: stringOf(source?.type),
		author: author
			? {
					type: stringOf(author.type),
					subtypes: subtypesOf(author),
					displayName: stringOf(author.displayName),
				}
			: null,
		message: event.type === 'conversation:message' ? messageViewOf(message) : undefined,
		reason: stringOf(payload.reason),
	};
}

/** Spec author.type: "user" is the end user, "business" is sent on behalf of the business (a bot, an integration, or an agent). */
export function authorKindOf(message: MessageView): AuthorKind | null {
	if (message.authorType === 'user') return 'customer';
	if (message.authorType !== 'business') return null;
	return message.fromAgent ? 'agent' : 'business';
}

/**
 * The item with Simplify on: the fields a workflow needs most, named plainly and the same for every
 * event type, then the event exactly as Zendesk sent it (`event`). `user` is the conversation's
 * customer as a lookup found them, when the payload does not name one.
 */
export function simplifiedItem(
	envelope: WebhookEnvelope,
	event: WebhookEvent,
	view: EventView,
	user?: ConversationUser,
): IDataObject {
	const item: IDataObject = {
		eventType: event.type,
		eventId: event.id,
		createdAt: stringOf(event.createdAt),
		appId: envelope.app.id,
		conversationId: view.conversationId,
		userId: view.userId ?? user?.userId ?? null,
		externalUserId: view.externalUserId ?? user?.externalUserId ?? null,
		channel: view.channel,
		metadata: view.metadata as IDataObject | null,
		author: view.author as IDataObject | null,
	};
	if (view.message) Object.assign(item, messageFields(view.message) as unknown as IDataObject);
	if (event.type === 'switchboard:releaseControl' || view.reason !== null)
		item.reason = view.reason;
	item.event = event as unknown as IDataObject;
	return item;
}

/** The item with Simplify off: the envelope's app and webhook, and the event as Zendesk sent it. */
export function rawItem(envelope: WebhookEnvelope, event: WebhookEvent): IDataObject {
	return { app: envelope.app, webhook: envelope.webhook, event: event as unknown as IDataObject };
}
