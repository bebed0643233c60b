import { randomUUID } from 'node:crypto';

import {
	AbortedError,
	ClosedError,
	InvalidInputError,
	silentLogger,
	type Logger,
} from '../../shared';
import {
	closeRedis,
	openRedis,
	redisPrefix,
	type RedisConnection,
	type RedisSettings,
} from '../../shared/redis-client';
import { DEFAULT_IDLE_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../constants';
import type { Operation } from '../operation';
import type {
	InProcessSessionPoolOptions,
	LeaseOptions,
	SessionCredential,
	SessionLease,
	SessionPool,
} from '../session-pool';
import { AgentSlot } from './agent-slot';
import { dropReservation, reserveLease, type LeaseHolder } from './redis-lease';
import { redisError } from './redis-errors';
import {
	agentKeys,
	parseMessage,
	replyChannel,
	type RelayAnswer,
	type RelayFeed,
	type RelayMessage,
	type RelayRequest,
} from './relay-messages';
import { untilAnswered } from './relay-wait';
import {
	fromWireError,
	readRawResult,
	toWireError,
	toWireOperation,
	type WireSubscription,
} from './wire';

/**
 * One agent session per agent across n8n processes (queue mode: the trigger on the main instance,
 * actions on workers), over n8n's own Redis.
 *
 * - The first process that needs an agent's session takes a Redis lease for it (SET NX PX with a
 *   fencing token from INCR, redis-lease.ts), starts the real session and renews the lease while
 *   it holds it (session-holding.ts). It gives the session up after the idle period, as the
 *   in-process pool does, and only frees the lease once the session is closed.
 * - Every other process relays its requests: the Operation's data goes to the agent's request
 *   channel, the holder runs it and publishes the raw answer to the requester's reply channel, and
 *   the requester parses it with its own Operation (wire.ts), so results and typed errors are those
 *   of a local call.
 * - A holder that dies leaves its lease to expire (ttl `leaseTtlMs`); the next request finds it free
 *   and its process becomes the holder.
 * - Never sent twice: a request is sent again only when it is known not to have run (nobody was
 *   listening on the channel, or the addressed holder said it is not the holder). A requester that
 *   hears nothing within its budget fails with TimeoutError and does not send it again, because the
 *   holder may have sent it to Zendesk; the holder also answers each request id only once.
 * - Subscriptions run only in the holder. A process that subscribes while another holds the
 *   session (the trigger activating while a worker keeps the session warm) reserves the next
 *   holding and asks the holder to hand over; a holder gives up only a session without
 *   subscriptions of its own (transient ones aside, below).
 * - Relayed subscriptions: a transient subscription (SubscribeOptions.transient, e.g. Send and
 *   Wait for Reply on a worker while the main's Chat Trigger holds the session) does not move the
 *   session. Its process sends `subscribe` to the agent's request channel; the holder subscribes on
 *   its session (sharing the server subscription with its own, e.g. the trigger's) and publishes each
 *   event's raw `payload.data` to the requester's reply channel, where the requester reads it with
 *   its own operation (as wire.ts does for requests). `unsubscribe` ends it; the holder ends it by
 *   itself after the requester's `maxMs` (a requester that died leaves nothing behind) and when it
 *   gives the session up (handover, idle, lost lease, closing) with an `end` saying it moved. The
 *   requester then subscribes again at the next holder (it also checks the lease, for a holder that
 *   died without a word), and tells its sink through `error`: events of the switch may be missed.
 *   A process that becomes the holder itself for a transient subscription (nobody held the session)
 *   subscribes locally, but still hands the session over when a process asks for it, and the
 *   transient subscription goes on through the relay to the new holder (transient-subscription.ts).
 */
export interface RedisSessionPoolOptions {
	redis: RedisSettings;
	/** How long a lease lives without renewal: how soon a dead holder is replaced. @default 5_000 */
	leaseTtlMs?: number;
	/** How long a session nobody uses stays open in its holder. @default 300_000 */
	idleMs?: number;
	/** A request's budget when the caller gives none (as AgentSession's requestTimeoutMs). @default 10_000 */
	requestTimeoutMs?: number;
	/** How much longer than the caller's budget a requester waits for the holder's answer (the Redis hops). @default 5_000 */
	replyGraceMs?: number;
	/** How long a subscriber waits for the holder to hand the session over. @default 30_000 */
	handoverTimeoutMs?: number;
	/** How long a holder remembers answered request ids. @default 120_000 */
	answeredIdsMs?: number;
	/** Options for the sessions this process starts when it holds them. */
	sessionOptions?: InProcessSessionPoolOptions['sessionOptions'];
	/**
	 * Where the pool itself logs (handovers, lost leases, Redis trouble). Without one, it logs through
	 * the logger of the newest lease that brought one (n8n's logger of the node that leased).
	 */
	logger?: Logger;
}

interface Connections {
	/** Commands and publishing. */
	commands: RedisConnection;
	/** Subscribed to this pool's reply channel and the request channels of the agents it holds. */
	subscriber: RedisConnection;
}

interface PendingRelay {
	fence: number;
	resolve(answer: RelayAnswer): void;
}

/** A relayed subscription this process asked a holder for: where its messages go. */
interface Feed {
	fence: number;
	deliver(message: RelayFeed | { type: 'not-holder'; id: string; fence: number }): void;
}

/** A relayed subscription started at a holder: `stop()` forgets it and tells the holder (once). */
export interface RelayedFeed {
	stop(): void;
}

export class RedisSessionPool implements SessionPool {
	/** This pool's id in leases and reply channels (one per process, in production). */
	readonly id = randomUUID();
	readonly leaseTtlMs: number;
	readonly idleMs: number;
	readonly requestTimeoutMs: number;
	readonly replyGraceMs: number;
	readonly handoverTimeoutMs: number;
	readonly answeredIdsMs: number;
	readonly sessionOptions: RedisSessionPoolOptions['sessionOptions'];
	private readonly ownLogger: Logger | undefined;
	private leaseLogger: Logger | undefined;
	readonly prefix: string;
	private readonly settings: RedisSettings;
	private connecting: Promise<Connections> | undefined;
	private readonly slots = new Map<string, AgentSlot>();
	private readonly slotsByChannel = new Map<string, AgentSlot>();
	private readonly pending = new Map<string, PendingRelay>();
	private readonly feeds = new Map<string, Feed>();
	private closed = false;
	private reconnectedAt = 0;

	constructor(options: RedisSessionPoolOptions) {
		this.settings = options.redis;
		this.prefix = redisPrefix(options.redis);
		this.leaseTtlMs = options.leaseTtlMs ?? 5_000;
		this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
		this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
		this.replyGraceMs = options.replyGraceMs ?? 5_000;
		this.handoverTimeoutMs = options.handoverTimeoutMs ?? 30_000;
		this.answeredIdsMs = options.answeredIdsMs ?? 120_000;
		this.sessionOptions = options.sessionOptions;
		this.ownLogger = options.logger ?? options.sessionOptions?.logger;
	}

	async lease(credential: SessionCredential, options: LeaseOptions = {}): Promise<SessionLease> {
		if (typeof credential?.key !== 'string' || credential.key === '') {
			throw new InvalidInputError(
				'key',
				'a session lease needs the credential key (credentialKey(...)), never the token itself',
			);
		}
		if (typeof credential.tokenProvider?.getToken !== 'function') {
			throw new InvalidInputError(
				'tokenProvider',
				'a session lease needs a tokenProvider with getToken()',
			);
		}
		if (this.closed) throw new ClosedError('conversations');
		if (options.logger) this.leaseLogger = options.logger;
		const slot = this.slotFor(credential);
		slot.refs++;
		try {
			await slot.prepare(options.signal, options.logger);
		} catch (error) {
			slot.unref();
			throw error;
		}
		return slot.makeLease(options.logger);
	}

	get logger(): Logger {
		return this.ownLogger ?? this.leaseLogger ?? silentLogger;
	}

	/** @internal Logs through whichever logger `logger` is when it logs (a holding outlives the lease that started it). */
	readonly forwardingLogger: Logger = {
		debug: (message, meta) => this.logger.debug(message, meta),
		info: (message, meta) => this.logger.info(message, meta),
		warn: (message, meta) => this.logger.warn(message, meta),
		error: (message, meta) => this.logger.error(message, meta),
	};

	/** Whether this pool holds the agent's session now (for diagnostics and tests). */
	holds(key: string): boolean {
		return this.slots.get(key)?.holding?.active === true;
	}

	/** The fencing token of this pool's holding of `key`, if it holds it. */
	fenceOf(key: string): number | undefined {
		return this.slots.get(key)?.holding?.holder.fence;
	}

	/** Gives every held session up (closing it and freeing its lease), then closes the Redis connections. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await Promise.all([...this.slots.values()].map((slot) => slot.demote('close')));
		this.failPending();
		await this.closeConnections();
	}

	/**
	 * What a killed process leaves behind, for failover tests: its sessions gone (the OS closes the
	 * sockets of a dead process), its leases left in Redis to expire, its connections cut.
	 */
	async abandon(): Promise<void> {
		this.closed = true;
		await Promise.all([...this.slots.values()].map((slot) => slot.holding?.abandon()));
		this.failPending();
		const connections = await this.connecting?.catch(() => undefined);
		connections?.commands.disconnect();
		connections?.subscriber.disconnect();
	}

	/** @internal */
	connections(): Promise<Connections> {
		if (this.closed) return Promise.reject(new ClosedError('conversations'));
		this.connecting ??= this.connect();
		return this.connecting;
	}

	/** @internal True for a lease ttl after Redis came back: free leases are left to the holders that had them. */
	get settling(): boolean {
		return Date.now() - this.reconnectedAt < this.leaseTtlMs;
	}

	/** @internal Subscribes the pool to an agent's request channel while it holds the session. */
	async listen(slot: AgentSlot): Promise<void> {
		const { subscriber } = await this.connections();
		this.slotsByChannel.set(slot.keys.requests, slot);
		await subscriber.subscribe(slot.keys.requests);
	}

	/** @internal */
	async unlisten(slot: AgentSlot): Promise<void> {
		if (this.slotsByChannel.get(slot.keys.requests) === slot)
			this.slotsByChannel.delete(slot.keys.requests);
		const connections = await this.connecting?.catch(() => undefined);
		await connections?.subscriber.unsubscribe(slot.keys.requests).catch(() => undefined);
	}

	/** @internal Publishes; resolves with how many subscribers heard it. */
	async publish(channel: string, message: RelayMessage | RelayAnswer | RelayFeed): Promise<number> {
		// While closing, until the connections are closed: the answers of the requests it drains, and
		// the `end` of relayed subscriptions, still reach the requesters.
		const { commands } = await (this.closed && this.connecting
			? this.connecting
			: this.connections());
		return Number(await commands.publish(channel, JSON.stringify(message)));
	}

	/**
	 * @internal Sends a request to the holder and waits for its answer. 'retry' means it certainly
	 * did not run: nobody was subscribed, or the addressed holder refused it.
	 */
	async relay<T>(
		slot: AgentSlot,
		holder: LeaseHolder,
		operation: Operation<T>,
		timeoutMs: number,
		signal: AbortSignal | undefined,
	): Promise<{ value: T } | 'retry'> {
		const request: RelayRequest = {
			type: 'request',
			id: randomUUID(),
			fence: holder.fence,
			replyTo: replyChannel(this.prefix, this.id),
			operation: toWireOperation(operation as Operation<unknown>),
			timeoutMs,
		};
		await this.connections();
		let settle: (answer: RelayAnswer) => void = () => undefined;
		const answered = new Promise<RelayAnswer>((resolve) => (settle = resolve));
		this.pending.set(request.id, { fence: holder.fence, resolve: settle });
		try {
			const receivers = await this.publish(slot.keys.requests, request);
			// A cluster counts only the subscribers of the node it published on, so there 0 proves nothing.
			if (receivers === 0 && !this.isCluster) return 'retry';
			const answer = await untilAnswered(
				answered,
				timeoutMs + this.replyGraceMs,
				signal,
				holder.fence,
			);
			if (answer.type === 'not-holder') return 'retry';
			if ('error' in answer) {
				const error = fromWireError(answer.error);
				throw operation.explain?.(error) ?? error;
			}
			return { value: readRawResult(operation, answer.result) };
		} catch (error) {
			if (error instanceof AbortedError)
				void this.publish(slot.keys.requests, { type: 'cancel', id: request.id }).catch(
					() => undefined,
				);
			throw error;
		} finally {
			this.pending.delete(request.id);
		}
	}

	/**
	 * @internal Asks the holder for a relayed subscription; its messages go to `deliver`. 'retry'
	 * means nobody was subscribed to the request channel (the holder just left).
	 */
	async relaySubscribe(
		slot: AgentSlot,
		holder: LeaseHolder,
		operation: WireSubscription,
		maxMs: number,
		deliver: Feed['deliver'],
	): Promise<RelayedFeed | 'retry'> {
		const id = randomUUID();
		await this.connections();
		this.feeds.set(id, { fence: holder.fence, deliver });
		const forget = () => this.feeds.delete(id);
		try {
			const receivers = await this.publish(slot.keys.requests, {
				type: 'subscribe',
				id,
				fence: holder.fence,
				replyTo: replyChannel(this.prefix, this.id),
				operation,
				maxMs,
			});
			if (receivers === 0 && !this.isCluster) {
				forget();
				return 'retry';
			}
		} catch (error) {
			forget();
			throw error;
		}
		return {
			stop: () => {
				if (forget() && !this.closed)
					void this.publish(slot.keys.requests, { type: 'unsubscribe', id }).catch(() => undefined);
			},
		};
	}

	/** @internal Asks the holder of `slot`'s agent to give the session up, for a subscriber here. */
	async askHandover(slot: AgentSlot): Promise<void> {
		const { commands } = await this.connections();
		await reserveLease(commands, slot.keys, this.id, this.handoverTimeoutMs);
		await this.publish(slot.keys.requests, { type: 'handover', from: this.id });
	}

	/** @internal */
	async dropReservation(slot: AgentSlot): Promise<void> {
		const { commands } = await this.connections();
		await dropReservation(commands, slot.keys, this.id);
	}

	private get isCluster(): boolean {
		return (this.settings.clusterNodes?.length ?? 0) > 0;
	}

	private slotFor(credential: SessionCredential): AgentSlot {
		let slot = this.slots.get(credential.key);
		if (!slot) {
			slot = new AgentSlot(this, credential, agentKeys(this.prefix, credential.key));
			this.slots.set(credential.key, slot);
		}
		// The newest credential starts the next session (a refreshed OAuth connection, say).
		slot.credential = credential;
		return slot;
	}

	private async connect(): Promise<Connections> {
		const name = `n8n-zendesk-chat-${this.id.slice(0, 8)}`;
		const commands = await openRedis(this.settings, name);
		const subscriber = await openRedis(this.settings, `${name}-sub`);
		for (const connection of [commands, subscriber]) {
			// ioredis reconnects by itself; without a listener an 'error' event would crash the process.
			connection.on('error', (error: Error) =>
				this.logger.debug(`Zendesk Chat: Redis connection: ${error.message}`),
			);
		}
		subscriber.on('message', (channel: string, raw: string) => this.onMessage(channel, raw));
		let readies = 0;
		commands.on('ready', () => {
			if (readies++ === 0) return;
			// Back after an outage, perhaps to a Redis that lost every lease: holders claim theirs back at
			// once, and for one lease ttl nobody here takes a free lease, so a holder that is alive keeps
			// its session instead of a requester starting a second one (which would end it with EOS).
			this.reconnectedAt = Date.now();
			for (const slot of this.slots.values()) void slot.holding?.renew();
		});
		try {
			await subscriber.subscribe(replyChannel(this.prefix, this.id));
		} catch (error) {
			commands.disconnect();
			subscriber.disconnect();
			this.connecting = undefined;
			throw redisError(error);
		}
		return { commands, subscriber };
	}

	private onMessage(channel: string, raw: string): void {
		if (channel === replyChannel(this.prefix, this.id)) {
			const feedMessage = parseMessage<RelayFeed | RelayAnswer>(raw);
			const feed = feedMessage && this.feeds.get(feedMessage.id);
			if (feed && feedMessage && feedMessage.type !== 'answer') {
				// As for answers: only the addressed holder speaks for the subscription.
				if (feedMessage.fence === feed.fence) feed.deliver(feedMessage);
				return;
			}
			const answer = parseMessage<RelayAnswer>(raw);
			const pending = answer && this.pending.get(answer.id);
			// Only the holder the request was addressed to may answer it: another fence is an old
			// holder that lost the lease without noticing, and its answer is ignored.
			if (!pending || !answer) return;
			if (answer.fence !== pending.fence) {
				this.logger.debug(
					`Zendesk Chat: ignored an answer from a former session holder (fence ${answer.fence}, expected ${pending.fence})`,
				);
				return;
			}
			pending.resolve(answer);
			return;
		}
		const slot = this.slotsByChannel.get(channel);
		const message = parseMessage<RelayMessage>(raw);
		if (slot && message) slot.onRelayMessage(message);
	}

	private failPending(): void {
		for (const [id, pending] of this.pending) {
			this.pending.delete(id);
			pending.resolve({
				type: 'answer',
				id,
				fence: pending.fence,
				error: { code: 'ZCHAT_ERR_CLOSED', message: 'the client is closed', api: 'conversations' },
			});
		}
		for (const [id, feed] of this.feeds) {
			this.feeds.delete(id);
			feed.deliver({
				type: 'end',
				id,
				fence: feed.fence,
				error: toWireError(new ClosedError('conversations')),
				moved: false,
			});
		}
	}

	private async closeConnections(): Promise<void> {
		const connections = await this.connecting?.catch(() => undefined);
		this.connecting = undefined;
		if (!connections) return;
		await Promise.all([closeRedis(connections.commands), closeRedis(connections.subscriber)]);
	}
}
