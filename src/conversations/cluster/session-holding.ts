import {
	AbortedError,
	ClosedError,
	SessionEndedError,
	TimeoutError,
	type Logger,
	type ZendeskError,
} from '../../shared';
import { DEFAULT_TRANSIENT_MAX_MS } from '../constants';
import type { RedisConnection } from '../../shared/redis-client';
import type { Operation, SubscriptionOperation } from '../operation';
import {
	InProcessSessionPool,
	type InProcessSessionPoolOptions,
	type SessionCredential,
	type SessionLease,
} from '../session-pool';
import type { RequestOptions, SubscriptionHandle, SubscriptionSink } from '../transport';
import { releaseLease, renewLease, type LeaseHolder } from './redis-lease';
import type {
	AgentKeys,
	RelayAnswer,
	RelayFeed,
	RelayRequest,
	RelaySubscribe,
} from './relay-messages';
import { fromWireOperation, fromWireSubscription, toWireError } from './wire';

export interface SessionHoldingOptions {
	commands: RedisConnection;
	keys: AgentKeys;
	holder: LeaseHolder;
	credential: SessionCredential;
	leaseTtlMs: number;
	/** How long answers are remembered by request id. */
	answeredIdsMs: number;
	/** How long giving the session up waits for relayed requests still running. */
	drainMs: number;
	sessionOptions?: InProcessSessionPoolOptions['sessionOptions'];
	logger: Logger;
	/** Renewing found another holder: the pool must stop using this holding. */
	onLost(): void;
}

const LOST_REASON =
	'this n8n process no longer holds the agent session: another process took its lease in Redis';

/** At most this many answers are remembered; a requester only asks again within seconds. */
const MAX_ANSWERED = 10_000;

/**
 * This process holds the agent's session: the real AgentSession lives in an InProcessSessionPool
 * here, the Redis lease is renewed every third of its ttl, and requests relayed from other
 * processes run on the session like local ones.
 *
 * Relayed requests are answered once per id: the answer is remembered for `answeredIdsMs`, so a
 * request that arrives twice is not sent to Zendesk twice (requesters never resend a request the
 * holder may have received, but a duplicate costs nothing to refuse).
 */
export class SessionHolding {
	readonly holder: LeaseHolder;
	private readonly inner: InProcessSessionPool;
	private readonly renewTimer: NodeJS.Timeout;
	private readonly inflight = new Map<
		string,
		{ controller: AbortController; done: Promise<RelayAnswer> }
	>();
	private readonly answered = new Map<string, { answer: RelayAnswer; at: number }>();
	private readonly running = new Set<Promise<unknown>>();
	private subscriptionCount = 0;
	private transientCount = 0;
	/** Relayed subscriptions by id: each ends its own subscription (and says why, when given an error). */
	private readonly relayed = new Map<string, (error?: ZendeskError) => void>();
	private leaving = false;
	/** abandon(): a killed process publishes nothing more. */
	private silent = false;
	private closing: Promise<void> | undefined;

	constructor(private readonly options: SessionHoldingOptions) {
		this.holder = options.holder;
		// The pool around this decides when the session is idle; the inner pool never closes it on its own.
		this.inner = new InProcessSessionPool({
			idleMs: 2 ** 31 - 1,
			sessionOptions: options.sessionOptions,
		});
		this.renewTimer = setInterval(
			() => void this.renew(),
			Math.max(50, Math.floor(options.leaseTtlMs / 3)),
		);
		this.renewTimer.unref();
	}

	/** Still serving: neither giving the session up nor lost. */
	get active(): boolean {
		return !this.leaving;
	}

	/** Subscriptions that keep the session here: a handover is refused while there are any. */
	get subscriptions(): number {
		return this.subscriptionCount;
	}

	/** Transient subscriptions (local or relayed): they keep the session from idling, not from being handed over. */
	get transientSubscriptions(): number {
		return this.transientCount;
	}

	/** Requests (local or relayed) still running. */
	get busy(): boolean {
		return this.running.size > 0;
	}

	/** Starts the session if needed and waits for its first connection. @throws the start error */
	async connect(signal?: AbortSignal, logger?: Logger): Promise<void> {
		const lease = await this.inner.lease(this.options.credential, { signal, logger });
		await lease.release();
	}

	/** Runs an operation on the held session, as a local lease would. */
	async request<T>(
		operation: Operation<T>,
		options: RequestOptions = {},
		logger?: Logger,
	): Promise<T> {
		if (this.leaving) throw new ClosedError('conversations');
		const run = (async () => {
			const lease = await this.inner.lease(this.options.credential, {
				signal: options.signal,
				logger,
			});
			try {
				return await lease.session.request(operation, options);
			} finally {
				await lease.release();
			}
		})();
		this.running.add(run);
		try {
			return await run;
		} finally {
			this.running.delete(run);
		}
	}

	/**
	 * Subscribes on the held session; the handle's `ready` settles once the server acknowledged it. A
	 * transient subscription does not keep the session from being handed over: it ends with the
	 * holding, like the others.
	 */
	subscribe<T>(
		operation: SubscriptionOperation<T>,
		sink: SubscriptionSink<T>,
		logger?: Logger,
		options: { transient?: boolean } = {},
	): SubscriptionHandle {
		if (this.leaving) throw new ClosedError('conversations');
		const transient = options.transient === true;
		if (transient) this.transientCount++;
		else this.subscriptionCount++;
		let lease: SessionLease | undefined;
		let inner: SubscriptionHandle | undefined;
		let stopped = false;
		// A subscription ended by this process giving the session up (another process took the lease)
		// ends with an error, so its owner (the trigger) reports it and n8n activates it again,
		// rather than waiting for events that will never come.
		const ownSink: SubscriptionSink<T> = {
			next: (event) => sink.next(event),
			error: (error) => sink.error?.(error),
			end: (error) =>
				sink.end?.(
					error ?? (this.leaving && !stopped ? new SessionEndedError(LOST_REASON) : undefined),
				),
		};
		const ready = (async () => {
			lease = await this.inner.lease(this.options.credential, { logger });
			if (stopped) return;
			inner = lease.session.subscribe(operation, ownSink);
			await inner.ready;
		})();
		ready.catch(() => undefined);
		return {
			ready,
			unsubscribe: async () => {
				if (stopped) return;
				stopped = true;
				if (transient) this.transientCount--;
				else this.subscriptionCount--;
				await ready.catch(() => undefined);
				await inner?.unsubscribe();
				await lease?.release();
			},
		};
	}

	/** Runs a relayed request and says what to answer (not-holder when the request was addressed to another fence). */
	serve(request: RelayRequest): Promise<RelayAnswer> {
		const fence = this.holder.fence;
		if (this.leaving || request.fence !== fence)
			return Promise.resolve({ type: 'not-holder', id: request.id, fence });
		const remembered = this.answered.get(request.id);
		if (remembered) return Promise.resolve(remembered.answer);
		const running = this.inflight.get(request.id);
		if (running) return running.done;
		const controller = new AbortController();
		const done = this.request(fromWireOperation(request.operation), {
			signal: controller.signal,
			timeoutMs: request.timeoutMs,
		}).then(
			(result): RelayAnswer => ({ type: 'answer', id: request.id, fence, result }),
			// Any failure once it ran is the requester's answer, a ClosedError of a session closing mid-request
			// included: the request may have reached Zendesk, so it must not be sent again elsewhere.
			(error: unknown): RelayAnswer => ({
				type: 'answer',
				id: request.id,
				fence,
				error: toWireError(error),
			}),
		);
		this.inflight.set(request.id, { controller, done });
		void done.then((answer) => {
			this.inflight.delete(request.id);
			this.remember(request.id, answer);
		});
		return done;
	}

	/**
	 * Serves a relayed subscription (RelaySubscribe): subscribes on the held session, transiently,
	 * and publishes each event as it came. It ends on `unsubscribe`, after its `maxMs`, and when this
	 * process gives the session up (an `end` saying it moved, so the requester goes to the next holder).
	 */
	serveSubscription(
		message: RelaySubscribe,
		publish: (feed: RelayFeed | RelayAnswer) => void,
	): void {
		const fence = this.holder.fence;
		const { id } = message;
		const send = (feed: RelayFeed | RelayAnswer) => {
			if (!this.silent) publish(feed);
		};
		if (this.leaving || message.fence !== fence) return send({ type: 'not-holder', id, fence });
		if (this.relayed.has(id)) return;
		let ended = false;
		const held: { handle?: SubscriptionHandle; timer?: NodeJS.Timeout } = {};
		const finish = (error?: ZendeskError) => {
			if (ended) return;
			ended = true;
			clearTimeout(held.timer);
			this.relayed.delete(id);
			if (error) send({ type: 'end', id, fence, error: toWireError(error), moved: this.leaving });
			void held.handle?.unsubscribe();
		};
		this.relayed.set(id, finish);
		const handle = this.subscribe(
			fromWireSubscription(message.operation),
			{
				next: (data) => send({ type: 'event', id, fence, data }),
				error: (error) => send({ type: 'event', id, fence, error: toWireError(error) }),
				end: (error) => finish(error ?? new SessionEndedError('moved', LOST_REASON)),
			},
			undefined,
			{ transient: true },
		);
		held.handle = handle;
		handle.ready.then(
			() => {
				if (!ended) send({ type: 'subscribed', id, fence });
			},
			(error: ZendeskError) => finish(error),
		);
		const maxMs =
			Number.isFinite(message.maxMs) && message.maxMs > 0
				? Math.min(message.maxMs, DEFAULT_TRANSIENT_MAX_MS)
				: DEFAULT_TRANSIENT_MAX_MS;
		held.timer = setTimeout(
			() =>
				finish(
					new TimeoutError(
						'conversations',
						`the relayed subscription reached its longest life (${maxMs} ms) and was ended by the session holder`,
					),
				),
			maxMs,
		);
		held.timer.unref();
	}

	/** The requester is done with a relayed subscription. */
	endRelayed(id: string): void {
		this.relayed.get(id)?.();
	}

	/** The requester gave up (its signal aborted): stop waiting on its behalf. */
	cancel(id: string): void {
		this.inflight.get(id)?.controller.abort(new AbortedError('conversations'));
	}

	/**
	 * Gives the session up: refuses new requests, lets running ones finish (within `drainMs`), closes
	 * the session (stopAgentSession), and only then frees the lease, so the next holder's session
	 * never overlaps this one (an overlap would end one of them with EOS).
	 */
	close(
		options: { releaseLease: boolean; drain: boolean } = { releaseLease: true, drain: true },
	): Promise<void> {
		this.closing ??= (async () => {
			this.leaving = true;
			clearInterval(this.renewTimer);
			if (options.drain)
				await Promise.race([Promise.allSettled([...this.running]), delay(this.options.drainMs)]);
			await this.inner.close();
			if (options.releaseLease) {
				await releaseLease(this.options.commands, this.options.keys, this.holder).catch(
					(error: unknown) => {
						// The lease then expires by itself within its ttl.
						this.options.logger.warn(
							`Zendesk Chat: could not free the session lease in Redis: ${String(error)}`,
						);
					},
				);
			}
		})();
		return this.closing;
	}

	/** What a killed process leaves behind, for failover tests: the session gone, the lease left to expire. */
	async abandon(): Promise<void> {
		this.leaving = true;
		this.silent = true;
		clearInterval(this.renewTimer);
		for (const { controller } of this.inflight.values()) controller.abort();
		await this.inner.close();
	}

	/** Renews the lease now (also on the timer): after Redis came back empty, the holder claims its lease back first. */
	async renew(): Promise<void> {
		if (this.leaving) return;
		try {
			const ours = await renewLease(
				this.options.commands,
				this.options.keys,
				this.holder,
				this.options.leaseTtlMs,
			);
			if (!ours && !this.leaving) {
				this.options.logger.warn(
					'Zendesk Chat: another n8n process took over the agent session lease; this one closes its session',
				);
				this.options.onLost();
			}
		} catch (error) {
			// Redis unreachable: nobody else can take the lease either, so keep the session and try again.
			this.options.logger.warn(
				`Zendesk Chat: could not renew the agent session lease in Redis: ${String(error)}`,
			);
		}
	}

	private remember(id: string, answer: RelayAnswer): void {
		const now = Date.now();
		this.answered.set(id, { answer, at: now });
		for (const [key, { at }] of this.answered) {
			if (now - at < this.options.answeredIdsMs && this.answered.size <= MAX_ANSWERED) break;
			this.answered.delete(key);
		}
	}
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
