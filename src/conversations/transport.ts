import type { ZendeskError } from '../shared';
import type { Operation, SubscriptionOperation } from './operation';

/**
 * What the nodes use: run an operation, subscribe to one. An AgentSession implements it, and so
 * does a lease from the session pool; a cross-process transport (workers relaying to the session
 * holder) can implement it too without the nodes noticing.
 */
export interface ConversationsTransport {
	/**
	 * Runs a query or mutation and resolves with its parsed result.
	 * @throws GraphqlError (name, UUID) for an API error, TimeoutError, ConnectionError when the
	 *   connection dropped before a non-idempotent operation was answered, ClosedError, AbortedError.
	 */
	request<T>(operation: Operation<T>, options?: RequestOptions): Promise<T>;
	/** Subscribes `sink` to a subscription; events arrive in order, each once. */
	subscribe<T>(
		operation: SubscriptionOperation<T>,
		sink: SubscriptionSink<T>,
		options?: SubscribeOptions,
	): SubscriptionHandle;
}

export interface SubscribeOptions {
	/**
	 * A short-lived subscription (a wait for a visitor's reply), never one that must own the session.
	 * In one process it is an ordinary one. In queue mode (RedisSessionPool) a process that does not
	 * hold the agent's session gets the holder's events relayed over Redis instead of asking for the
	 * session to be handed over, and a holder whose only subscriptions are transient still hands the
	 * session over to a process that needs it (a Chat Trigger): a transient subscription then goes on
	 * through the relay to the new holder, and events written during the switch may be missed
	 * (`sink.error` hears of each switch). @default false
	 */
	transient?: boolean;
	/**
	 * How long a transient subscription may live at most: in queue mode the holder ends a relayed one
	 * by itself after this (with a TimeoutError), so a requester that died leaves nothing behind.
	 * @default 3_900_000 (65 minutes)
	 */
	maxMs?: number;
}

export interface RequestOptions {
	signal?: AbortSignal;
	/** The whole budget of the call: waiting for the connection, retries and the answer. @default 10_000 */
	timeoutMs?: number;
}

/** Where a subscription's events go. Callbacks run synchronously, in the order frames arrived. */
export interface SubscriptionSink<T> {
	next(event: T): void;
	/** A problem that does not end the subscription: an error the server pushed in a DATA frame, an unreadable event. */
	error?(error: ZendeskError): void;
	/** Nothing more will come: after `unsubscribe()` (no error) or a failure no retry can fix (with it). */
	end?(error?: ZendeskError): void;
}

export interface SubscriptionHandle {
	/**
	 * Resolves once the server acknowledged the subscription; rejects when it could not be started
	 * (e.g. MAX_SUB). It never causes an unhandled rejection when nobody waits for it.
	 */
	readonly ready: Promise<void>;
	/** Stops delivering to this sink; the server subscription stops when no sink is left. */
	unsubscribe(): Promise<void>;
}
