import {
	presentConversationTruncated,
	presentMessage,
	presentUser,
	presentUserTruncated,
} from './present';
import type { SunshineStore } from './store';
import type { ConversationRecord, MessageRecord, UserRecord, WebhookRecord } from './types';
import type { Json } from './validate';

/**
 * Webhook payloads, shaped as openapi.yaml's webhook schemas and examples. includeFullUser turns
 * the truncated user (id, externalId, authenticated) into the complete one; includeFullSource adds
 * the client and device a message came from, when it came from one.
 */

export function userFor(webhook: WebhookRecord, user: UserRecord): Json {
	return webhook.includeFullUser ? presentUser(user) : presentUserTruncated(user);
}

/** openapi.yaml `messageWebhook`: the API message, plus `author.user` and the full source when asked. */
export function messageForWebhook(
	store: SunshineStore,
	message: MessageRecord,
	webhook: WebhookRecord,
): Json {
	const out = presentMessage(message);
	const author = out.author as Json;
	const user = message.author.userId ? store.users.get(message.author.userId) : undefined;
	if (user) author.user = userFor(webhook, user);
	if (webhook.includeFullSource && message.fromWidget && user?.widgetClient) {
		Object.assign(out.source as Json, widgetSource(user, message.source.integrationId));
	}
	return out;
}

/** openapi.yaml `sourceWebhook.client` / `.device`, with the values of the listDevices example. */
export function widgetSource(user: UserRecord, integrationId: string | undefined): Json {
	const client = user.widgetClient;
	if (!client) return {};
	return {
		client: {
			id: client.clientId,
			type: 'sdk',
			status: 'active',
			lastSeen: client.lastSeen,
			linkedAt: client.linkedAt,
			...(displayNameOf(user) ? { displayName: displayNameOf(user) } : {}),
			info: {},
			raw: {},
		},
		device: {
			id: client.deviceId,
			type: 'web',
			guid: client.guid,
			clientId: client.clientId,
			status: 'active',
			integrationId,
			lastSeen: client.lastSeen,
			info: {
				currentTitle: 'Simulated help page',
				currentUrl: 'https://example.com/help',
				browserLanguage: 'en-US',
				userAgent: 'Mozilla/5.0 (simulated Web Widget)',
				sdkVersion: '0.1',
				vendor: 'zendesk',
			},
		},
	};
}

export function conversationMessagePayload(
	store: SunshineStore,
	conversation: ConversationRecord,
	message: MessageRecord,
	webhook: WebhookRecord,
): Json {
	return {
		conversation: presentConversationTruncated(store, conversation),
		message: messageForWebhook(store, message, webhook),
	};
}

export function displayNameOf(user: UserRecord): string | undefined {
	const name = [user.profile.givenName, user.profile.surname]
		.filter((part) => typeof part === 'string' && part)
		.join(' ');
	return name || undefined;
}
