import { createHash } from 'node:crypto';

import type { RawResult, WireError, WireOperation, WireSubscription } from './wire';

/**
 * The messages of the relay, published as JSON. Requests, cancellations, handover asks and relayed
 * subscriptions go to the agent's request channel, which only the holder listens to; answers and a
 * relayed subscription's events go to the requester's own reply channel. Every message names the
 * fencing token it is about, so a holder that lost its lease (and does not know yet) is told apart
 * from the current one.
 */
export type RelayMessage =
	| RelayRequest
	| RelayCancel
	| RelayHandover
	| RelaySubscribe
	| RelayUnsubscribe;

export interface RelayRequest {
	type: 'request';
	/** Unique per call: the holder answers an id once, and remembers the answer for a while. */
	id: string;
	/** The fencing token of the holder the requester addressed; any other holder refuses it. */
	fence: number;
	replyTo: string;
	operation: WireOperation;
	/** What is left of the caller's time budget. */
	timeoutMs: number;
}

export interface RelayCancel {
	type: 'cancel';
	id: string;
}

/** A process that must hold the session (a trigger subscribing) asks the holder to give it up. */
export interface RelayHandover {
	type: 'handover';
	from: string;
}

/**
 * A transient subscription (SubscribeOptions.transient) of a process that does not hold the
 * session: the holder subscribes on its session and publishes each event to `replyTo` (RelayFeed).
 */
export interface RelaySubscribe {
	type: 'subscribe';
	/** Unique per relayed subscription; every RelayFeed message about it carries it. */
	id: string;
	/** The fencing token of the holder the requester addressed; any other holder answers not-holder. */
	fence: number;
	replyTo: string;
	operation: WireSubscription;
	/** The holder ends the subscription by itself after this long, so a requester that died leaves nothing behind. */
	maxMs: number;
}

/** The requester is done with a relayed subscription. */
export interface RelayUnsubscribe {
	type: 'unsubscribe';
	id: string;
}

/** What the holder publishes about a relayed subscription, on the requester's reply channel. */
export type RelayFeed =
	/** The holder's session acknowledged the subscription. */
	| { type: 'subscribed'; id: string; fence: number }
	/** One event: `payload.data` as it came, read by the requester with its own operation. */
	| { type: 'event'; id: string; fence: number; data: unknown }
	/** A problem that does not end the subscription (an error the server pushed in a DATA frame). */
	| { type: 'event'; id: string; fence: number; error: WireError }
	/**
	 * Nothing more will come. `moved`: the holder gave the session up (handover, idle, failover, its
	 * process closing), so the requester subscribes again at the next holder; otherwise the error is
	 * final (the subscription reached its maxMs, or could not start).
	 */
	| { type: 'end'; id: string; fence: number; error: WireError; moved: boolean };

export type RelayAnswer =
	| { type: 'answer'; id: string; fence: number; result: RawResult }
	| { type: 'answer'; id: string; fence: number; error: WireError }
	/** Not run at all: the addressed holder is not (or no longer) the holder. Safe to send again. */
	| { type: 'not-holder'; id: string; fence: number };

/** The Redis keys and channels of one agent, all in one cluster hash slot (the `{...}` tag) so a Lua script may use them together. */
export interface AgentKeys {
	lease: string;
	fence: string;
	requests: string;
	/** Who the next holding is reserved for, during a handover. */
	wants: string;
	/** Lives for a second after a process starts the agent's session: startAgentSession is limited to 1/s per agent. */
	lastStart: string;
}

export function agentKeys(prefix: string, agentKey: string): AgentKeys {
	// The agent key holds URLs and ids; a hash keeps keys short and free of characters Redis tools mind.
	const tag = createHash('sha256').update(agentKey).digest('hex').slice(0, 24);
	const base = `${prefix}:zendesk-chat:session:{${tag}}`;
	return {
		lease: `${base}:lease`,
		fence: `${base}:fence`,
		requests: `${base}:requests`,
		wants: `${base}:wants`,
		lastStart: `${base}:last-start`,
	};
}

export function replyChannel(prefix: string, poolId: string): string {
	return `${prefix}:zendesk-chat:reply:${poolId}`;
}

/** Reads a message; undefined for anything that is not one (never throws: the channel is shared). */
export function parseMessage<T extends { type: string }>(raw: string): T | undefined {
	try {
		const value = JSON.parse(raw) as unknown;
		return value &&
			typeof value === 'object' &&
			typeof (value as { type?: unknown }).type === 'string'
			? (value as T)
			: undefined;
	} catch {
		return undefined;
	}
}
