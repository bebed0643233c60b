import {
	AbortedError,
	ConnectionError,
	sleep,
	TimeoutError,
	raceAbort,
	ZendeskError,
	type Logger,
} from '../../shared';
import type { Operation, SubscriptionOperation } from '../operation';
import type { SessionCredential, SessionLease } from '../session-pool';
import { DEFAULT_TRANSIENT_MAX_MS } from '../constants';
import type {
	RequestOptions,
	SubscribeOptions,
	SubscriptionHandle,
	SubscriptionSink,
} from '../transport';
import { leaseOver } from '../leased-transport';
import { clusterTransport } from './cluster-transport';
import { acquireLease, currentHolder, spaceSessionStart, type LeaseHolder } from './redis-lease';
import { isAmbiguousRedisError, redisError, withRedis } from './redis-errors';
import type { RedisSessionPool } from './redis-session-pool';
import type { AgentKeys, RelayMessage } from './relay-messages';
import { SessionHolding } from './session-holding';
import { TransientSubscription } from './transient-subscription';

/** How long a request waits before asking Redis again when nobody can serve it yet. */
const RETRY_MS = 200;
/** How often a subscriber asks the holder again to hand the session over. */
const HANDOVER_ASK_EVERY_MS = 2_000;
/** The name of updateAgentStatus's operation (operations/agent-status.ts). */
const STATUS_OPERATION = 'UpdateAgentStatus';

type Route = { holding: SessionHolding } | { remote: LeaseHolder } | { wait: true };

/** One agent's state in this process: its leases, and the holding when this process holds the session. */
export class AgentSlot {
	refs = 0;
	holding: SessionHolding | undefined;
	/** A holding being given up: the next one waits for it (sessions must never overlap). */
	private retiring: Promise<void> | undefined;
	private becoming: Promise<SessionHolding> | undefined;
	private idleTimer: NodeJS.Timeout | undefined;
	/** The last updateAgentStatus this process ran or relayed. */
	private statusSet: Operation<unknown> | undefined;
	/** The fence of the holding this process last gave up: requests addressed to it are answered not-holder. */
	private formerFence: number | undefined;

	constructor(
		private readonly pool: RedisSessionPool,
		public credential: SessionCredential,
		readonly keys: AgentKeys,
	) {}

	/** On lease: takes the lease and starts the session when nobody holds it (start errors surface here). */
	async prepare(signal: AbortSignal | undefined, logger: Logger | undefined): Promise<void> {
		clearTimeout(this.idleTimer);
		const route = await withRedis(() => this.route(signal, logger));
		if ('holding' in route) await route.holding.connect(signal, logger);
	}

	makeLease(logger: Logger | undefined): SessionLease {
		return leaseOver(clusterTransport(this, logger), () => this.unref());
	}

	unref(): void {
		this.refs = Math.max(0, this.refs - 1);
		this.scheduleIdle();
	}

	/** Runs an operation here when this process holds the session, else relays it to the holder. */
	async request<T>(
		operation: Operation<T>,
		options: RequestOptions,
		logger: Logger | undefined,
	): Promise<T> {
		const { signal } = options;
		const budget = options.timeoutMs ?? this.pool.requestTimeoutMs;
		const deadline = Date.now() + budget;
		let lastRedisError: unknown;
		for (;;) {
			if (signal?.aborted) throw new AbortedError('conversations');
			const left = deadline - Date.now();
			if (left <= 0) {
				throw lastRedisError
					? redisError(lastRedisError)
					: new TimeoutError(
							'conversations',
							`no n8n process could serve the agent's Zendesk Chat session within ${budget} ms`,
						);
			}
			try {
				const route = await this.route(signal, logger);
				if ('holding' in route) {
					try {
						return this.noted(
							operation,
							await route.holding.request(operation, { signal, timeoutMs: left }, logger),
						);
					} finally {
						this.scheduleIdle();
					}
				}
				if ('remote' in route) {
					const outcome = await this.pool.relay(this, route.remote, operation, left, signal);
					if (outcome !== 'retry') return this.noted(operation, outcome.value);
				}
			} catch (error) {
				// Redis trouble before anything was sent: try again within the budget. Anything else is the answer.
				if (error instanceof ZendeskError || isAmbiguousRedisError(error))
					throw error instanceof ZendeskError ? error : redisError(error);
				lastRedisError = error;
				this.pool.logger.debug(
					`Zendesk Chat: Redis unavailable for a session request, trying again: ${String(error)}`,
				);
			}
			await sleep(RETRY_MS, signal, 'conversations');
		}
	}

	/**
	 * Subscribes in this process, taking the session over from another holder first when needed; a
	 * transient subscription goes wherever the session is instead (transient-subscription.ts).
	 */
	subscribe<T>(
		operation: SubscriptionOperation<T>,
		sink: SubscriptionSink<T>,
		logger: Logger | undefined,
		options: SubscribeOptions = {},
	): SubscriptionHandle {
		if (options.transient) {
			return new TransientSubscription(
				this,
				this.pool,
				operation,
				sink,
				options.maxMs ?? DEFAULT_TRANSIENT_MAX_MS,
				logger,
			).handle();
		}
		if (this.holding?.active) return this.holding.subscribe(operation, sink, logger);
		let stopped = false;
		let inner: SubscriptionHandle | undefined;
		const ready = (async () => {
			const holding = await this.holdForSubscription(logger, () => stopped);
			if (stopped) return;
			inner = holding.subscribe(operation, sink, logger);
			await inner.ready;
		})();
		ready.catch(() => undefined);
		return {
			ready,
			unsubscribe: async () => {
				stopped = true;
				await ready.catch(() => undefined);
				await inner?.unsubscribe();
			},
		};
	}

	onRelayMessage(message: RelayMessage): void {
		const holding = this.holding;
		if (message.type === 'cancel') {
			holding?.cancel(message.id);
			return;
		}
		if ((message.type === 'subscribe' || message.type === 'request') && !holding) {
			// A holding given up still listens until its session is closed (a drain of up to the request
			// timeout). A request addressed to its fence did not run and never will: say so at once, so
			// the requester asks Redis again instead of waiting its whole budget. One addressed to
			// another fence is the new holder's to answer: a not-holder from here could overtake its
			// answer and make the requester send it twice.
			if (message.fence === this.formerFence)
				void this.pool
					.publish(message.replyTo, { type: 'not-holder', id: message.id, fence: message.fence })
					.catch(() => undefined);
			return;
		}
		if (message.type === 'subscribe' && holding) {
			clearTimeout(this.idleTimer);
			holding.serveSubscription(
				message,
				(feed) =>
					void this.pool
						.publish(message.replyTo, feed)
						.catch((error: unknown) =>
							this.pool.logger.debug(
								`Zendesk Chat: could not relay a subscription event: ${String(error)}`,
							),
						),
			);
			this.scheduleIdle();
			return;
		}
		if (message.type === 'unsubscribe') {
			holding?.endRelayed(message.id);
			return;
		}
		if (message.type === 'handover') {
			if (holding?.active && holding.subscriptions === 0 && message.from !== this.pool.id) {
				this.pool.logger.info(
					'Zendesk Chat: handing the agent session over to the n8n process that subscribes to it',
				);
				void this.demote('handover');
			}
			return;
		}
		if (message.type !== 'request' || !holding) return;
		clearTimeout(this.idleTimer);
		void holding
			.serve(message)
			.then((answer) => this.pool.publish(message.replyTo, answer))
			.catch((error: unknown) =>
				this.pool.logger.warn(
					`Zendesk Chat: could not answer a relayed session request: ${String(error)}`,
				),
			)
			.finally(() => this.scheduleIdle());
	}

	/** Gives the session up (idle, handover, lost lease, pool closing). */
	async demote(reason: 'idle' | 'handover' | 'lost' | 'close'): Promise<void> {
		clearTimeout(this.idleTimer);
		const holding = this.holding;
		if (holding) {
			this.formerFence = holding.holder.fence;
			this.holding = undefined;
			const retiring = (async () => {
				// A lost lease is someone else's already: its session may be starting, so close at once.
				await holding.close({ releaseLease: reason !== 'lost', drain: reason !== 'lost' });
				if (!this.holding) await this.pool.unlisten(this);
			})();
			this.retiring = retiring;
			void retiring.finally(() => {
				if (this.retiring === retiring) this.retiring = undefined;
			});
		}
		await this.retiring;
	}

	/**
	 * @internal Where a request goes now: this process's holding (taken now if the lease is free), the
	 * remote holder, or nowhere yet.
	 */
	async route(signal: AbortSignal | undefined, logger: Logger | undefined): Promise<Route> {
		if (this.holding?.active) return { holding: this.holding };
		if (this.retiring) await this.retiring;
		if (this.becoming) return { holding: await raceAbort(this.becoming, signal) };
		const { commands } = await this.pool.connections();
		const current = await currentHolder(commands, this.keys);
		if (current && current.holderId !== this.pool.id) return { remote: current };
		// Asked after the answer came: a command sent during an outage is answered only after the
		// reconnect, and that is when `settling` starts.
		if (!current && this.pool.settling) return { wait: true };
		const holder = await acquireLease(commands, this.keys, this.pool.id, this.pool.leaseTtlMs);
		if (!holder) return { wait: true };
		if (holder.holderId !== this.pool.id) return { remote: holder };
		if (this.holding?.active) return { holding: this.holding };
		// Shared by every caller that finds the lease free meanwhile, so no one caller's signal stops it.
		this.becoming ??= this.hold(holder, logger).finally(() => (this.becoming = undefined));
		return { holding: await raceAbort(this.becoming, signal) };
	}

	private async hold(holder: LeaseHolder, logger: Logger | undefined): Promise<SessionHolding> {
		const { commands } = await this.pool.connections();
		const holding = new SessionHolding({
			commands,
			keys: this.keys,
			holder,
			credential: this.credential,
			leaseTtlMs: this.pool.leaseTtlMs,
			answeredIdsMs: this.pool.answeredIdsMs,
			drainMs: this.pool.requestTimeoutMs,
			sessionOptions: this.pool.sessionOptions,
			logger: this.pool.forwardingLogger,
			onLost: () => {
				if (this.holding === holding) void this.demote('lost');
			},
		});
		this.holding = holding;
		try {
			await this.pool.listen(this);
			await spaceSessionStart(commands, this.keys);
			await holding.connect(undefined, logger);
		} catch (error) {
			// A session that cannot start (UNAUTHORIZED, say) must not keep the lease from others.
			if (this.holding === holding) await this.demote('close');
			throw error;
		}
		this.pool.logger.debug(
			`Zendesk Chat: this n8n process holds the agent session (fence ${holder.fence})`,
		);
		this.scheduleIdle();
		return holding;
	}

	private async holdForSubscription(
		logger: Logger | undefined,
		stopped: () => boolean,
	): Promise<SessionHolding> {
		const deadline = Date.now() + this.pool.handoverTimeoutMs;
		let askedAt = 0;
		while (!stopped()) {
			try {
				const route = await this.route(undefined, logger);
				if ('holding' in route) {
					if (askedAt > 0) await this.restoreStatus(route.holding, logger);
					return route.holding;
				}
				// Asked again now and then: a holder that was still starting its session did not act on it.
				if ('remote' in route && Date.now() - askedAt > HANDOVER_ASK_EVERY_MS) {
					askedAt = Date.now();
					await this.pool.askHandover(this);
				}
			} catch (error) {
				if (error instanceof ZendeskError) throw error;
				this.pool.logger.debug(
					`Zendesk Chat: Redis unavailable while taking the agent session over: ${String(error)}`,
				);
			}
			if (Date.now() > deadline) {
				// Others may take a free lease again: the reservation was only for this takeover.
				await this.pool.dropReservation(this).catch(() => undefined);
				throw new ConnectionError(
					'conversations',
					"another n8n process holds this agent's Zendesk Chat session and did not hand it over: it has subscriptions of its own " +
						'(is a Zendesk Chat Trigger for the same agent active in another n8n instance on this Redis?)',
				);
			}
			await sleep(RETRY_MS);
		}
		await this.pool.dropReservation(this).catch(() => undefined);
		throw new AbortedError('conversations');
	}

	/** Remembers the agent status this process set last, for a session it takes over later. */
	private noted<T>(operation: Operation<T>, value: T): T {
		if (operation.name === STATUS_OPERATION) this.statusSet = operation as Operation<unknown>;
		return value;
	}

	/**
	 * A session is set up as "start, set the agent status, subscribe" (seeds, getting started), and a
	 * status belongs to its session: the trigger set it through the previous holder's session, which
	 * the handover just stopped. So the status this process set is set again on its new session
	 * before the subscription starts.
	 */
	private async restoreStatus(holding: SessionHolding, logger: Logger | undefined): Promise<void> {
		if (!this.statusSet) return;
		try {
			await holding.request(this.statusSet, {}, logger);
		} catch (error) {
			this.pool.logger.warn(
				`Zendesk Chat: could not set the agent status again on the session taken over: ${String(error)}`,
			);
		}
	}

	private scheduleIdle(): void {
		clearTimeout(this.idleTimer);
		const holding = this.holding;
		if (!holding || this.refs > 0) return;
		this.idleTimer = setTimeout(() => {
			if (this.holding !== holding || this.refs > 0) return;
			if (holding.subscriptions > 0 || holding.transientSubscriptions > 0 || holding.busy)
				return this.scheduleIdle();
			void this.demote('idle');
		}, this.pool.idleMs);
		this.idleTimer.unref();
	}
}
