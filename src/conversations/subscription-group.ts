import { AbortedError, ProtocolError, type Logger, type ZendeskError } from '../shared';
import { errorFromPayload } from './errors';
import type { ServerFrame } from './frames';
import type { SubscriptionOperation } from './operation';
import { RecentIds } from './recent-ids';
import type { SubscriptionSink } from './transport';

/**
 * One server subscription shared by every sink that asked for the same document and variables
 * (the session allows only 10 subscriptions, so two triggers on one agent share one). It owns the
 * de-duplication window and delivers DATA frames: the per-frame path is a shape check, a Set
 * lookup and the sink calls.
 */
export class SubscriptionGroup<T = unknown> {
	/**
	 * Each sink with the operation it subscribed with: sinks that share the document may read an
	 * event differently (a relayed subscription in queue mode takes `payload.data` as it came).
	 */
	readonly sinks = new Map<SubscriptionSink<T>, SubscriptionOperation<unknown>>();
	/** Server ids of this group in the current session; all but `liveId` are stale (from before a reconnect). */
	readonly serverIds: string[] = [];
	/** The id acknowledged on the current socket; undefined while (re)subscribing. */
	liveId: string | undefined;
	/** Bumped by every (re)subscribe attempt, so a newer attempt (after a reconnect) supersedes an older one. */
	attempt = 0;
	/** The document sent: the operation's, or its confirmed selection once a server refused the full one. */
	document: string;
	ended = false;
	readonly ready: Promise<void>;
	private readonly recent: RecentIds;
	private resolveReady!: () => void;
	private rejectReady!: (error: ZendeskError) => void;
	private readySettled = false;

	constructor(
		readonly key: string,
		readonly operation: SubscriptionOperation<T>,
		dedupeWindow: number,
		private readonly logger: Logger,
		/** Told the msg_id of every agent message delivered (see Operation.delivery). */
		private readonly onAgentMsgId: (msgId: string) => void = () => undefined,
	) {
		this.document = operation.document;
		this.recent = new RecentIds(dedupeWindow);
		this.ready = new Promise<void>((resolve, reject) => {
			this.resolveReady = resolve;
			this.rejectReady = reject;
		});
		// Nobody has to wait for `ready`: a rejection must never surface as unhandled.
		this.ready.catch(() => undefined);
	}

	/** A DATA frame for one of this group's ids. */
	deliver(frame: ServerFrame): void {
		const payload = frame.payload as { data?: unknown; errors?: unknown } | null | undefined;
		if (
			payload !== null &&
			typeof payload === 'object' &&
			payload.errors === undefined &&
			payload.data != null
		) {
			const event = this.operation.select(payload.data);
			if (event !== undefined) {
				const id = this.operation.eventId(event);
				// A repeat (the same event over an old and a new subscription after a reconnect) is dropped.
				if (id !== undefined && !this.recent.add(id)) return;
				const msgId = this.operation.agentMsgId?.(event);
				if (msgId !== undefined) this.onAgentMsgId(msgId);
				for (const [sink, operation] of this.sinks) {
					try {
						const own =
							operation === this.operation
								? event
								: (operation.select(payload.data) as T | undefined);
						if (own !== undefined) sink.next(own);
					} catch (error) {
						this.logger.error('a subscription sink threw; the event is not delivered again', {
							subscription: this.operation.name,
							error: (error as Error)?.message,
						});
					}
				}
				return;
			}
		}
		const error =
			errorFromPayload(payload, frame.error_code ?? frame.errorCode) ??
			new ProtocolError(
				'conversations',
				`a ${this.operation.name} event had no readable payload`,
				frame,
			);
		this.notify(error);
	}

	/** Reports a problem that does not end the subscription. */
	notify(error: ZendeskError): void {
		for (const sink of this.sinks.keys()) {
			try {
				sink.error?.(error);
			} catch {
				// A sink's error handler failing must not stop the others.
			}
		}
	}

	/** Whether the server refused the full selection and the confirmed one is used instead. */
	get degraded(): boolean {
		return this.document !== this.operation.document;
	}

	markReady(): void {
		if (this.readySettled) return;
		this.readySettled = true;
		this.resolveReady();
	}

	/**
	 * Ends the group: every sink hears `end(error)` once, and `ready` rejects (with `readyError`, else
	 * `error`) if it had not resolved.
	 */
	end(error?: ZendeskError, readyError?: ZendeskError): void {
		if (this.ended) return;
		this.ended = true;
		if (!this.readySettled) {
			this.readySettled = true;
			// Without an error, the last sink left before the server acknowledged: the wait was called off.
			this.rejectReady(readyError ?? error ?? new AbortedError('conversations'));
		}
		const sinks = [...this.sinks.keys()];
		this.sinks.clear();
		for (const sink of sinks) {
			try {
				sink.end?.(error);
			} catch {
				// Ending must reach every sink.
			}
		}
	}
}
