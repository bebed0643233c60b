import {
	AbortedError,
	ConnectionError,
	SessionEndedError,
	sleep,
	TimeoutError,
	raceAbort,
	ZendeskError,
	type Logger,
} from '../../shared';
import { DEFAULT_DEDUPE_WINDOW } from '../constants';
import type { SubscriptionOperation } from '../operation';
import { RecentIds } from '../recent-ids';
import type { SubscriptionHandle, SubscriptionSink } from '../transport';
import type { AgentSlot } from './agent-slot';
import { currentHolder, type LeaseHolder } from './redis-lease';
import type { RedisSessionPool } from './redis-session-pool';
import { fromWireError, toWireSubscription } from './wire';

/** How long to wait before asking Redis again when nobody can serve the subscription yet. */
const RETRY_MS = 200;

/** Said to the sink (`error`, not `end`) each time the subscription goes on at another holder. */
const MOVED_MESSAGE =
	"the agent's Zendesk Chat session moved to another n8n process; the subscription goes on there, and messages written during the switch may be missed";

/**
 * A transient subscription in queue mode (SubscribeOptions.transient): short-lived, and never a
 * reason for the session to stay in this process. It runs wherever the session is:
 *
 * - on the holding here, when this process holds the session (or becomes the holder because nobody
 *   did), counted as transient so a handover to a process that needs the session is still honoured;
 * - else relayed from the holder over Redis (RelaySubscribe), each event read here with the
 *   caller's own operation.
 *
 * When the holder gives the session up (a handover, idle, a lost lease, a closing or dead process),
 * it attaches again at the next holder, once per change, and tells the sink through `error`. It
 * ends with an error only when no holder can be reached within the handover timeout, when it
 * reaches `maxMs`, or when the subscription itself fails.
 */
export class TransientSubscription<T> {
	readonly ready: Promise<void>;
	private readonly stopper = new AbortController();
	private readonly deadline: number;
	private readonly recent = new RecentIds(DEFAULT_DEDUPE_WINDOW);
	/** Lets go of the current attachment (local or relayed). */
	private detach: (() => Promise<void>) | undefined;
	/** Bumped by every attachment, so a late message of an old one is ignored. */
	private attachment = 0;
	private ended = false;
	/** The backstop of `maxMs` here: a relayed subscription's holder ends it first, this covers a holder that went silent. */
	private readonly lifeTimer: NodeJS.Timeout;

	constructor(
		private readonly slot: AgentSlot,
		private readonly pool: RedisSessionPool,
		private readonly operation: SubscriptionOperation<T>,
		private readonly sink: SubscriptionSink<T>,
		maxMs: number,
		private readonly logger: Logger | undefined,
	) {
		this.deadline = Date.now() + maxMs;
		this.lifeTimer = setTimeout(
			() =>
				this.fail(
					new TimeoutError(
						'conversations',
						`the transient subscription reached its longest life (${maxMs} ms)`,
					),
				),
			maxMs + pool.replyGraceMs,
		);
		this.lifeTimer.unref();
		this.ready = this.attach();
		this.ready.catch((error: unknown) => this.fail(error));
	}

	handle(): SubscriptionHandle {
		return { ready: this.ready, unsubscribe: () => this.stop() };
	}

	/** The owner unsubscribes: lets go of the attachment (also one made after the subscription failed) and ends the sink, once. */
	private async stop(): Promise<void> {
		const wasEnded = this.ended;
		this.ended = true;
		this.stopper.abort();
		clearTimeout(this.lifeTimer);
		const detach = this.detach;
		this.detach = undefined;
		await detach?.().catch(() => undefined);
		if (!wasEnded) this.sink.end?.();
	}

	private get stopped(): boolean {
		return this.stopper.signal.aborted;
	}

	/** Attaches at whoever holds the session now, trying again until the handover timeout. */
	private async attach(): Promise<void> {
		const giveUpAt = Date.now() + this.pool.handoverTimeoutMs;
		const signal = this.stopper.signal;
		for (;;) {
			if (this.stopped) throw new AbortedError('conversations');
			const left = this.deadline - Date.now();
			if (left <= 0)
				throw new TimeoutError(
					'conversations',
					'the transient subscription reached its longest life',
				);
			try {
				const route = await this.slot.route(signal, this.logger);
				if ('holding' in route && (await this.attachLocal(route.holding))) return;
				if ('remote' in route && (await this.attachRemote(route.remote, left))) return;
			} catch (error) {
				// Redis trouble is tried again; an error of the subscription or the session is the answer.
				if (error instanceof ZendeskError) throw error;
				this.pool.logger.debug(
					`Zendesk Chat: Redis unavailable for a relayed subscription, trying again: ${String(error)}`,
				);
			}
			if (Date.now() > giveUpAt) {
				throw new ConnectionError(
					'conversations',
					`no n8n process could serve the agent's Zendesk Chat session within ${this.pool.handoverTimeoutMs} ms`,
				);
			}
			await sleep(RETRY_MS, signal, 'conversations');
		}
	}

	private async attachLocal(holding: NonNullable<AgentSlot['holding']>): Promise<boolean> {
		const attachment = ++this.attachment;
		const current = () => attachment === this.attachment && !this.stopped;
		const inner = holding.subscribe(
			this.operation,
			{
				next: (event) => {
					if (current()) this.deliver(event);
				},
				error: (error) => {
					if (current()) this.sink.error?.(error);
				},
				end: (error) => {
					if (!current()) return;
					// The holding was given up (a handover, say): go on at the next holder.
					if (!holding.active) this.moved();
					else this.fail(error ?? new SessionEndedError('ended', 'the subscription ended'));
				},
			},
			this.logger,
			{ transient: true },
		);
		this.detach = () => inner.unsubscribe();
		try {
			await raceAbort(inner.ready, this.stopper.signal);
		} catch (error) {
			if (this.stopped || !holding.active) {
				await inner.unsubscribe().catch(() => undefined);
				if (this.stopped) throw error;
				return false;
			}
			throw error;
		}
		return true;
	}

	private async attachRemote(holder: LeaseHolder, maxMs: number): Promise<boolean> {
		const attachment = ++this.attachment;
		const current = () => attachment === this.attachment && !this.stopped;
		let acknowledged: (outcome: 'ok' | 'retry' | ZendeskError) => void = () => undefined;
		const answered = new Promise<'ok' | 'retry' | ZendeskError>(
			(resolve) => (acknowledged = resolve),
		);
		let isReady = false;
		const watching: { timer?: NodeJS.Timeout } = {};
		const feed = await this.pool.relaySubscribe(
			this.slot,
			holder,
			toWireSubscription(this.operation as SubscriptionOperation<unknown>),
			maxMs,
			(message) => {
				if (!current()) return;
				if (message.type === 'not-holder') return acknowledged('retry');
				if (message.type === 'subscribed') return acknowledged('ok');
				if (message.type === 'event') {
					if ('error' in message) this.sink.error?.(fromWireError(message.error));
					else {
						const event = this.operation.select(message.data);
						if (event !== undefined) this.deliver(event);
					}
					return;
				}
				// 'end'
				clearInterval(watching.timer);
				if (!isReady) return acknowledged(message.moved ? 'retry' : fromWireError(message.error));
				if (message.moved) this.moved();
				else this.fail(fromWireError(message.error));
			},
		);
		if (feed === 'retry') return false;
		const letGo = async () => {
			clearInterval(watching.timer);
			feed.stop();
		};
		this.detach = letGo;
		let timer: NodeJS.Timeout | undefined;
		const silence = new Promise<'retry'>((resolve) => {
			// A holder that hears but does not answer (it just died): ask whoever holds it next.
			timer = setTimeout(
				() => resolve('retry'),
				this.pool.requestTimeoutMs + this.pool.replyGraceMs,
			);
		});
		let outcome: 'ok' | 'retry' | ZendeskError;
		try {
			// Stopped while the subscribe was on its way: the holder is told at once, not left to maxMs.
			outcome = await raceAbort(Promise.race([answered, silence]), this.stopper.signal);
		} catch (error) {
			await letGo();
			throw error;
		} finally {
			clearTimeout(timer);
		}
		if (outcome !== 'ok') {
			await letGo();
			if (outcome === 'retry') return false;
			throw outcome;
		}
		isReady = true;
		// A holder that dies says nothing: the lease tells (another fence, or nobody, once its ttl ran out).
		watching.timer = setInterval(() => {
			void this.pool
				.connections()
				.then(({ commands }) => currentHolder(commands, this.slot.keys))
				.then((now) => {
					if (current() && now?.fence !== holder.fence) {
						clearInterval(watching.timer);
						feed.stop();
						this.moved();
					}
				})
				.catch(() => undefined);
		}, this.pool.leaseTtlMs);
		watching.timer.unref();
		return true;
	}

	private deliver(event: T): void {
		const id = this.operation.eventId(event);
		// The same event through the old and the new holder during a switch is delivered once.
		if (id !== undefined && !this.recent.add(id)) return;
		try {
			this.sink.next(event);
		} catch (error) {
			this.pool.logger.error(
				`Zendesk Chat: a subscription sink threw; the event is not delivered again: ${String(error)}`,
			);
		}
	}

	/** The holder gave the session up: attach at the next one. */
	private moved(): void {
		if (this.stopped || this.ended) return;
		this.attachment++;
		const detach = this.detach;
		this.detach = undefined;
		void detach?.().catch(() => undefined);
		this.sink.error?.(new SessionEndedError('moved', MOVED_MESSAGE));
		this.attach().catch((error: unknown) => this.fail(error));
	}

	private fail(error: unknown): void {
		if (this.ended) return;
		this.ended = true;
		// Ends any attachment still on its way, too.
		this.stopper.abort();
		clearTimeout(this.lifeTimer);
		this.attachment++;
		const detach = this.detach;
		this.detach = undefined;
		void detach?.().catch(() => undefined);
		this.sink.end?.(
			error instanceof ZendeskError ? error : new ConnectionError('conversations', String(error)),
		);
	}
}
