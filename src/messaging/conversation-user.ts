import type { MessagingClient } from './client';
import type { CallOptions } from './types';

/** The customer of a conversation, as its participant names them. */
export interface ConversationUser {
	userId: string | null;
	/** The user's `externalId` (your own id for them), null when they have none. */
	externalUserId: string | null;
}

export const NO_CONVERSATION_USER: ConversationUser = Object.freeze({
	userId: null,
	externalUserId: null,
});

/**
 * Who a conversation is with, from its participants (spec ListParticipants: each participant has
 * `userId` and `userExternalId`). A personal conversation has exactly one participant, its user;
 * a conversation with more (an sdkGroup) has no one customer, so the answer is empty rather than
 * a guess. One request of at most two participants: enough to tell one from several.
 */
export async function conversationUserOf(
	client: Pick<MessagingClient, 'listParticipants'>,
	conversationId: string,
	options: CallOptions = {},
): Promise<ConversationUser> {
	const page = await client.listParticipants(conversationId, { pageSize: 2 }, options);
	if (page.items.length !== 1 || page.hasMore) return NO_CONVERSATION_USER;
	const [participant] = page.items;
	return { userId: participant.userId, externalUserId: participant.userExternalId ?? null };
}
