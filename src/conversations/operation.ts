import type { z } from 'zod';

import { ProtocolError, type ZendeskError } from '../shared';

/**
 * A GraphQL query or mutation the session can run: the document, and how to read the answer.
 * Operations are plain data plus a parser, so a cross-process transport can ship `document`
 * elsewhere and still parse the answer here.
 */
export interface Operation<T> {
	readonly kind: 'query' | 'mutation';
	/** The operation's name in the document, also sent as `operationName`. */
	readonly name: string;
	/**
	 * The whole request. User values are inside it as escaped string literals (literals.ts), never
	 * typed variables: the argument types of most mutations are not public (NOTES.md section 1).
	 */
	readonly document: string;
	/** Always empty for the operations of this package; kept so the request payload has its documented shape. */
	readonly variables: Record<string, unknown>;
	/**
	 * Safe to send again when the socket dropped before the answer came (queries, and sends that
	 * carry a client-chosen msg_id so a repeat is recognisable).
	 */
	readonly idempotent: boolean;
	/**
	 * For a send that carries a msg_id: the id, and the result to answer with when the answer was
	 * lost in a drop but the session's `message` subscription has already seen the message, so it
	 * is not sent (and shown to the visitor) twice.
	 */
	readonly delivery?: { readonly msgId: string; result(): T };
	/** Reads `payload.data`; throws ProtocolError when the answer does not have the expected shape. */
	parse(data: unknown): T;
	/** Rewords an API error for this operation (e.g. a refused agent status), or returns it as it is. */
	explain?(error: ZendeskError): ZendeskError;
}

/**
 * A GraphQL subscription. `select` runs once per DATA frame, so it only checks the shape cheaply
 * (no schema parse on the hot path) and returns undefined for a payload it cannot read.
 */
export interface SubscriptionOperation<T> {
	readonly kind: 'subscription';
	readonly name: string;
	readonly document: string;
	readonly variables: Record<string, unknown>;
	/**
	 * The same subscription selecting only fields that Zendesk's schema pages or public code confirm,
	 * and the fields it leaves out. When a server refuses `document` as invalid, the session retries
	 * once with this, logs a warning naming the fields, and events come without them.
	 */
	readonly confirmed?: { readonly document: string; readonly dropped: readonly string[] };
	/** The event inside `payload.data`, or undefined when the frame does not carry one. */
	select(data: unknown): T | undefined;
	/** A stable id of the event, used to drop an event repeated across a reconnect. */
	eventId(event: T): string | undefined;
	/** The msg_id of an agent's message event (what `Operation.delivery` is checked against). */
	agentMsgId?(event: T): string | undefined;
}

export type AnyOperation = Operation<unknown> | SubscriptionOperation<unknown>;

/** Builds a parser from a zod schema of `payload.data` and a function picking the result out of it. */
export function parseWith<S extends z.ZodTypeAny, T>(
	operationName: string,
	schema: S,
	pick: (data: z.infer<S>) => T,
): (data: unknown) => T {
	return (data) => {
		const result = schema.safeParse(data);
		if (!result.success) {
			const issue = result.error.issues[0];
			const where = issue.path.length > 0 ? issue.path.join('.') : 'data';
			throw new ProtocolError(
				'conversations',
				`unexpected answer to ${operationName}: ${where}: ${issue.message}`,
				data,
			);
		}
		return pick(result.data);
	};
}
