import type { IDataObject } from 'n8n-workflow';

import type { ChatMessageEvent } from '../../src/conversations';

/**
 * A chat message as n8n items show it: the Zendesk Chat Trigger's Chat Message items, and the
 * visitor's reply of Zendesk Chat › Message › Send and Wait for Reply, with the same field names.
 */
export function chatMessageItem(event: ChatMessageEvent, receivedAt: number): IDataObject {
	const from = event.from;
	const channel = event.channel;
	const visitor = channel?.visitor;
	const senderType = from?.__typename ?? null;
	return {
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
}

/**
 * An API time as ISO 8601, or null. The Conversations API's `timestamp` is epoch milliseconds
 * (unverified unit): a number below 1e11 is taken as seconds, a text that is not a number is
 * parsed as a date.
 */
export function isoTime(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	const numeric =
		typeof value === 'number'
			? value
			: /^\d+(\.\d+)?$/.test(String(value))
				? Number(value)
				: Number.NaN;
	const ms = Number.isFinite(numeric)
		? numeric < 1e11
			? numeric * 1000
			: numeric
		: Date.parse(String(value));
	return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
