import type { IWebhookFunctions } from 'n8n-workflow';

import type { MessagingClient } from '../../../src/messaging/client';
import {
	conversationUserOf,
	NO_CONVERSATION_USER,
	type ConversationUser,
} from '../../../src/messaging/conversation-user';
import { FirstMessageMemory, firstMessageVerdict } from '../../../src/messaging/first-message';
import { LookupCache } from '../../../src/messaging/lookup-cache';
import { messagingConnection } from '../../shared/connection';

/**
 * What an event does not say and Zendesk can tell: the customer of a conversation (on an agent's
 * reply or a switchboard event), and whether a customer's message is their first. Asked after the
 * call was answered, so a slow Zendesk delays the execution, never the answer; each request has
 * LOOKUP_TIMEOUT_MS, and a failure leaves the field empty with a warning in n8n's log.
 */

/** Long enough for one request to a healthy API, short enough that an execution is not held up for long. */
export const LOOKUP_TIMEOUT_MS = 3000;

/**
 * Shared by every trigger in this process, keyed by app and conversation: the customer of a
 * personal conversation does not change, so a busy conversation costs one request per 15 minutes
 * (long enough to cover a conversation, short enough that a user:merge or a new externalId shows).
 */
const customers = new LookupCache<ConversationUser>({ maxEntries: 1000, ttlMs: 15 * 60_000 });
const firstMessages = new FirstMessageMemory({ maxEntries: 1000 });

/** Lookups for one call; `close()` when done. */
export interface Lookups {
	/** The conversation's customer; empty when the lookup failed (and a warning was logged). */
	customerOf(conversationId: string): Promise<ConversationUser>;
	/** True, false, or undefined when it could not be told (logged). */
	isFirstCustomerMessage(conversationId: string, messageId: string): Promise<boolean | undefined>;
	close(): Promise<void>;
}

/**
 * Opens the lookups of one call with the node's credential, or returns undefined when there is none
 * to use: a webhook set up by hand has no credential, and a credential of another app than the
 * call's cannot see its conversations.
 */
export async function openLookups(
	ctx: IWebhookFunctions,
	appId: string,
): Promise<Lookups | undefined> {
	let client: MessagingClient;
	try {
		({ client } = await messagingConnection(ctx));
	} catch (error) {
		ctx.logger.warn(
			`Zendesk Messaging Trigger: no lookups (the credential could not be read): ${(error as Error).message}`,
		);
		return undefined;
	}
	if (client.appId !== appId) {
		ctx.logger.warn(
			`Zendesk Messaging Trigger: no lookups: the call is for app ${appId}, the credential for app ${client.appId}`,
		);
		await client.close();
		return undefined;
	}
	const signal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS);
	const warn = (what: string, conversationId: string, error: unknown) =>
		ctx.logger.warn(
			`Zendesk Messaging Trigger: could not look up ${what} of conversation ${conversationId}: ${(error as Error).message}`,
		);
	return {
		async customerOf(conversationId) {
			try {
				return await customers.get(
					`${appId}/${conversationId}`,
					async () => await conversationUserOf(client, conversationId, { signal }),
				);
			} catch (error) {
				warn('the customer', conversationId, error);
				return NO_CONVERSATION_USER;
			}
		},
		async isFirstCustomerMessage(conversationId, messageId) {
			try {
				const verdict = await firstMessages.judge(
					`${appId}/${conversationId}`,
					messageId,
					async () => await firstMessageVerdict(client, conversationId, messageId, { signal }),
				);
				if (verdict === 'unknown')
					ctx.logger.warn(
						`Zendesk Messaging Trigger: message ${messageId} is not in the recent history of conversation ${conversationId}, so it is not taken as a first message`,
					);
				return verdict === 'unknown' ? undefined : verdict === 'first';
			} catch (error) {
				warn('the history', conversationId, error);
				return undefined;
			}
		},
		close: async () => await client.close(),
	};
}
