import { NodeOperationError, type IWebhookFunctions } from 'n8n-workflow';

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
 * The lookups of one call. Nothing is opened until a lookup misses the process-wide caches: a busy
 * conversation's calls then cost no credential read and no HTTP client at all (the Messaging bench,
 * docs/benchmarks.md, found that open-and-close on every call in front of each execution). The
 * first miss reads the node's credential; a webhook set up by hand has none, and a credential of
 * another app than the call's cannot see its conversations: then every lookup answers empty.
 */
export function openLookups(ctx: IWebhookFunctions, appId: string): Lookups {
	let opening: Promise<MessagingClient | undefined> | undefined;
	// Thrown by a lookup that cannot be made (no credential, or one of another app: logged once by
	// connect), so that the caches keep nothing for it.
	const noLookups = new NodeOperationError(ctx.getNode(), 'no lookups for this call');
	const client = async (): Promise<MessagingClient> => {
		const opened = await (opening ??= connect(ctx, appId));
		if (!opened) throw noLookups;
		return opened;
	};
	const signal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS);
	const warn = (what: string, conversationId: string, error: unknown) => {
		if (error === noLookups) return;
		ctx.logger.warn(
			`Zendesk Messaging Trigger: could not look up ${what} of conversation ${conversationId}: ${(error as Error).message}`,
		);
	};
	return {
		async customerOf(conversationId) {
			try {
				return await customers.get(
					`${appId}/${conversationId}`,
					async () => await conversationUserOf(await client(), conversationId, { signal }),
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
					async () =>
						await firstMessageVerdict(await client(), conversationId, messageId, { signal }),
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
		close: async () => {
			const opened = await opening?.catch(() => undefined);
			await opened?.close();
		},
	};
}

/** The node's Messaging client for the call's app, or undefined (logged) when there is none to use. */
async function connect(
	ctx: IWebhookFunctions,
	appId: string,
): Promise<MessagingClient | undefined> {
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
	return client;
}
