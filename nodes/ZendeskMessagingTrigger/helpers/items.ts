import type { IDataObject } from 'n8n-workflow';

import type { WebhookEnvelope, WebhookEvent } from '../../../src/messaging/webhook-envelope';

/**
 * NOTES.md section 5: an agent's reply from the agent workspace is a business message whose
 * metadata carries the agent's Zendesk user id under this key.
 */
export const AGENT_ID_METADATA_KEY = '__zendesk_msg.agent.id';

/** The agent workspace's integration type; its messages come from a human agent. */
const AGENT_WORKSPACE_SOURCE = 'zd:agentWorkspace';

type Json = Record<string, unknown>;

function objectOf(value: unknown): Json | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function stringOf(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** The `message` of a conversation:message event, loosely: the echo filter and the item read it. */
export function messageOf(event: WebhookEvent): Json | undefined {
	return objectOf(objectOf(event.payload)?.message);
}

/**
 * One output item per event: the fields a workflow needs most, named plainly, on top of the event
 * exactly as Zendesk sent it (`event`). Read defensively: the payload is Zendesk's, and a field
 * missing from one event type must not stop the others.
 */
export function itemOf(envelope: WebhookEnvelope, event: WebhookEvent): IDataObject {
	const payload = objectOf(event.payload) ?? {};
	const conversation = objectOf(payload.conversation);
	const message = objectOf(payload.message);
	const author = objectOf(message?.author);
	const activityAuthor = objectOf(objectOf(payload.activity)?.author);
	// Message and activity authors carry their user; other events have it at the top.
	const user = objectOf(author?.user) ?? objectOf(activityAuthor?.user) ?? objectOf(payload.user);
	const item: IDataObject = {
		eventType: event.type,
		eventId: event.id,
		createdAt: stringOf(event.createdAt),
		appId: envelope.app.id,
		conversationId: stringOf(conversation?.id),
		userId: stringOf(author?.userId) ?? stringOf(activityAuthor?.userId) ?? stringOf(user?.id),
		externalUserId: stringOf(user?.externalId),
	};
	if (event.type === 'conversation:message') Object.assign(item, messageFields(message, author));
	if (event.type === 'switchboard:releaseControl' || typeof payload.reason === 'string') item.reason = stringOf(payload.reason);
	item.event = event as unknown as IDataObject;
	return item;
}

function messageFields(message: Json | undefined, author: Json | undefined): IDataObject {
	const content = objectOf(message?.content);
	const metadata = objectOf(message?.metadata);
	const source = objectOf(message?.source);
	const authorType = stringOf(author?.type);
	const agentId = stringOf(metadata?.[AGENT_ID_METADATA_KEY]);
	const subtypes = Array.isArray(author?.subtypes) ? author.subtypes : [];
	const fromAgent =
		authorType === 'business' && (agentId !== null || subtypes.includes('agent') || source?.type === AGENT_WORKSPACE_SOURCE);
	return {
		messageId: stringOf(message?.id),
		authorType,
		authorName: stringOf(author?.displayName),
		fromAgent,
		agentId: fromAgent ? agentId : null,
		agentName: fromAgent ? stringOf(author?.displayName) : null,
		contentType: stringOf(content?.type),
		text: stringOf(content?.text),
	};
}
