import {
	ClosedError,
	GraphqlError,
	InvalidInputError,
	ProtocolError,
	sleep,
	toZendeskError,
	type RateLimiter,
	type ZendeskError,
} from '../shared';
import {
	encodeRequest,
	encodeStopSubscription,
	type RequestPayload,
	type ServerFrame,
} from './frames';
import type { SubscriptionOperation } from './operation';
import { RecentIds } from './recent-ids';
import type { RequestTable } from './request-table';
import type { ResolvedSessionOptions } from './session-options';
import type { SessionSocket } from './socket';
import { SubscriptionGroup } from './subscription-group';
import type { SubscriptionHandle, SubscriptionSink } from './transport';

/** What the registry needs of its session. */
export interface RegistryHost {
	readonly options: ResolvedSessionOptions;
	readonly requests: RequestTable;
	readonly limiter: RateLimiter;
	/** Aborted when the session stops. */
	readonly signal: AbortSignal;
	/** The socket, when the session is open. */
	openSocket(): SessionSocket | undefined;
	/** Why nothing can be subscribed any more (the session failed or is closing), or undefined. */
	unusable(): ZendeskError | undefined;
	/** Starts the session's connection loop if it is not running. */
	ensureRunning(): void;
	logMeta(): Record<string, unknown>;
}

/**
 * The session's subscriptions: identical ones (same document and variables) share one server
 * subscription, each is (re)established on every new socket until its last sink leaves, and DATA
 * frames reach their group by subscription_id.
 */
export class SubscriptionRegistry {
	private readonly groups = new Map<string, SubscriptionGroup>();
	private readonly byServerId = new Map<string, SubscriptionGroup>();
	/** Server subscriptions given up while offline, stopped once the same session is reachable again. */
	private orphans: string[] = [];
	/** msg_ids of agent messages the `message` subscription delivered (Operation.delivery). */
	readonly agentMsgIds: RecentIds;

	constructor(private readonly host: RegistryHost) {
		this.agentMsgIds = new RecentIds(host.options.dedupeWindow);
	}

	subscribe<T>(operation: SubscriptionOperation<T>, sink: SubscriptionSink<T>): SubscriptionHandle {
		if (operation?.kind !== 'subscription') {
			throw new InvalidInputError(
				'operation',
				'subscribe() takes a subscription operation; use request() for queries and mutations',
			);
		}
		if (typeof sink?.next !== 'function')
			throw new InvalidInputError('sink', 'subscribe() needs a sink with a next(event) function');
		const unusable = this.host.unusable();
		if (unusable) {
			const ready = Promise.reject(unusable);
			ready.catch(() => undefined);
			queueMicrotask(() => sink.end?.(unusable));
			return { ready, unsubscribe: async () => undefined };
		}
		const key = `${operation.document}\u0000${JSON.stringify(operation.variables)}`;
		let group = this.groups.get(key);
		if (!group) {
			group = new SubscriptionGroup(
				key,
				operation as SubscriptionOperation<unknown>,
				this.host.options.dedupeWindow,
				this.host.options.logger,
				(id) => this.agentMsgIds.add(id),
			);
			this.groups.set(key, group);
			if (this.host.openSocket()) void this.establish(group);
		}
		group.sinks.set(sink as SubscriptionSink<unknown>, operation as SubscriptionOperation<unknown>);
		this.host.ensureRunning();
		const joined = group;
		let active = true;
		return {
			ready: joined.ready,
			unsubscribe: async () => {
				if (!active) return;
				active = false;
				await this.removeSink(joined, sink as SubscriptionSink<unknown>);
			},
		};
	}

	/** A DATA frame (the per-frame path: one Map lookup). */
	deliver(frame: ServerFrame): void {
		this.byServerId.get(frame.subscription_id as string)?.deliver(frame);
	}

	/** A socket opened: leftovers are stopped, and every subscription is (re)established on it. */
	onOpen(): void {
		const orphans = this.orphans;
		this.orphans = [];
		for (const id of orphans) void this.stopServerSubscription(id);
		for (const group of this.groups.values()) void this.establish(group);
	}

	/** A socket ended; after EOS the session is gone, and so are its subscription ids. */
	onSocketEnd(sessionEnded: boolean): void {
		for (const group of this.groups.values()) group.liveId = undefined;
		if (sessionEnded) this.forgetServerIds();
	}

	/** A new session was started: no server id of the old one means anything to it. */
	forgetServerIds(): void {
		this.byServerId.clear();
		this.orphans = [];
		for (const group of this.groups.values()) {
			group.serverIds.length = 0;
			group.liveId = undefined;
		}
	}

	/** Ends every subscription: without an error after a deliberate close, with it after a failure. */
	endAll(error: ZendeskError, failed: boolean): void {
		const groups = [...this.groups.values()];
		this.groups.clear();
		this.byServerId.clear();
		for (const group of groups) group.end(failed ? error : undefined, error);
	}

	/**
	 * Subscribes `group` on the current socket, retrying GRAPHQL_SUB_START_ERROR a few times within
	 * 30 s and RATE_LIMITED with backoff, and a refused selection once with the confirmed one. A later
	 * call (a reconnect) supersedes an earlier one.
	 */
	private async establish(group: SubscriptionGroup): Promise<void> {
		const { options, requests, limiter, signal } = this.host;
		const attemptToken = ++group.attempt;
		const firstTry = Date.now();
		let attempt = 0;
		const current = () => attemptToken === group.attempt && !group.ended && !this.host.unusable();
		while (current()) {
			const ws = this.host.openSocket();
			if (!ws) return; // the next open establishes it
			const payload: RequestPayload = {
				query: group.document,
				variables: group.operation.variables,
				operationName: group.operation.name,
			};
			try {
				await limiter.acquire(signal);
				if (!current()) return;
				if (this.host.openSocket() !== ws) continue;
				await requests.exchange(
					ws,
					(id) => encodeRequest(id, payload),
					options.requestTimeoutMs,
					undefined,
					(data) => this.activate(group, data),
				);
				return;
			} catch (error) {
				if (!current()) return;
				const err = toZendeskError(error, 'conversations');
				if (err.code === 'ZCHAT_ERR_CONNECTION') continue;
				if (this.degrade(group, err)) continue;
				const wait = this.retryDelay(err, attempt, firstTry);
				if (wait === undefined) {
					options.logger.warn('a subscription could not be started', {
						...this.host.logMeta(),
						subscription: group.operation.name,
						error: err.message,
					});
					this.dropGroup(group, err);
					return;
				}
				attempt++;
				await sleep(wait, signal).catch(() => undefined);
			}
		}
	}

	/**
	 * A server that refuses the document as invalid (a field it does not have: the selection holds
	 * fields no reference confirms) gets the confirmed selection instead, once. Returns whether it did.
	 */
	private degrade(group: SubscriptionGroup, error: ZendeskError): boolean {
		const confirmed = group.operation.confirmed;
		if (!confirmed || group.degraded || !isRefusedDocument(error)) return false;
		group.document = confirmed.document;
		const refused = refusedField(error.message);
		this.host.options.logger.warn(
			`Zendesk refused the ${group.operation.name} subscription's selection${refused ? ` (field ${refused})` : ''}; ` +
				`subscribing without the unconfirmed fields ${confirmed.dropped.join(', ')}, so events come without them`,
			{ ...this.host.logMeta(), subscription: group.operation.name, error: error.message },
		);
		return true;
	}

	private retryDelay(error: ZendeskError, attempt: number, firstTry: number): number | undefined {
		const { options } = this.host;
		const name = error instanceof GraphqlError ? error.errorName : undefined;
		if (name === 'RATE_LIMITED')
			return attempt < options.requestRetries ? options.requestRetryWait(attempt) : undefined;
		// GRAPHQL_SUB_START_ERROR: "retry three to five times in 30 seconds with exponential backoff but not indefinitely".
		// A subscribe that got no answer is treated the same way.
		if (name === 'GRAPHQL_SUB_START_ERROR' || error.code === 'ZCHAT_ERR_TIMEOUT') {
			const wait = options.subscribeRetryWait(attempt);
			const inWindow = Date.now() + wait - firstTry <= options.subscribeRetryWindowMs;
			return attempt < options.subscribeRetries && inWindow ? wait : undefined;
		}
		return undefined;
	}

	/** The subscribe answer: registers the new server id before any DATA frame after it is read. */
	private activate(group: SubscriptionGroup, data: unknown): void {
		const id = (data as { subscription_id?: unknown } | null | undefined)?.subscription_id;
		if (typeof id !== 'string' || id === '') {
			throw new ProtocolError(
				'conversations',
				'the subscription was answered without a subscription_id',
				data,
			);
		}
		if (group.ended) {
			void this.stopServerSubscription(id);
			return;
		}
		// Ids from before a reconnect (the server may have kept them): replaced by this one, and stopped
		// so they do not hold on to one of the session's 10 subscriptions.
		for (const stale of group.serverIds) {
			if (stale === id) continue;
			this.byServerId.delete(stale);
			void this.stopServerSubscription(stale);
		}
		group.serverIds.length = 0;
		group.serverIds.push(id);
		group.liveId = id;
		this.byServerId.set(id, group);
		group.markReady();
	}

	private async removeSink(
		group: SubscriptionGroup,
		sink: SubscriptionSink<unknown>,
	): Promise<void> {
		if (!group.sinks.delete(sink)) return;
		try {
			sink.end?.();
		} catch {
			// The sink's own affair.
		}
		if (group.sinks.size > 0 || group.ended) return;
		this.groups.delete(group.key);
		group.end();
		const ids = [...group.serverIds];
		group.serverIds.length = 0;
		for (const id of ids) {
			this.byServerId.delete(id);
			if (this.host.openSocket()) await this.stopServerSubscription(id);
			else this.orphans.push(id);
		}
	}

	/** Ends a group that could not be (re)started, with the error, for every sink. */
	private dropGroup(group: SubscriptionGroup, error: ZendeskError): void {
		this.groups.delete(group.key);
		for (const id of group.serverIds) this.byServerId.delete(id);
		group.serverIds.length = 0;
		group.end(error);
	}

	/** stop_subscription, best effort: an unknown id (the server already dropped it) is no problem. */
	private async stopServerSubscription(id: string): Promise<void> {
		const ws = this.host.openSocket();
		if (!ws) return;
		try {
			await this.host.limiter.acquire(this.host.signal);
			await this.host.requests.exchange(
				ws,
				(requestId) => encodeStopSubscription(requestId, id),
				this.host.options.closeTimeoutMs,
			);
		} catch (error) {
			if (error instanceof ClosedError) return;
			this.host.options.logger.debug('stop_subscription failed', {
				...this.host.logMeta(),
				error: toZendeskError(error, 'conversations').message,
			});
		}
	}
}

/**
 * A document the server's GraphQL layer refused as invalid. The Conversations API names such a
 * failure GRAPHQL_EXEC_ERROR ("an invalid request structure, invalid request parameters ...",
 * getting-started "Error response"); graphql's own validation messages are recognised whatever the name.
 */
function isRefusedDocument(error: ZendeskError): boolean {
	if (!(error instanceof GraphqlError)) return false;
	return (
		error.errorName === 'GRAPHQL_EXEC_ERROR' ||
		/Cannot query field|Unknown argument|Unknown type|cannot be spread/i.test(error.message)
	);
}

/** `Type.field` from graphql's "Cannot query field "id" on type "Visitor"." message, if it is one. */
function refusedField(message: string): string | undefined {
	const match = /Cannot query field "([^"]+)" on type "([^"]+)"/.exec(message);
	return match ? `${match[2]}.${match[1]}` : undefined;
}
