import type { Clock, ClockTimer } from '../clock';
import { isoAt } from './ids';
import type { WebhookRecord } from './types';

export interface WebhookEvent {
	id: string;
	createdAt: string;
	type: string;
	/** Shaped per event type (openapi.yaml webhook schemas); loosely typed for tests. */
	payload: any;
}

/** openapi.yaml x-webhooks "Webhook Event": what every webhook POST carries. */
export interface WebhookEnvelope {
	app: { id: string };
	webhook: { id: string; version: 'v2' };
	events: WebhookEvent[];
}

/** One POST to a webhook target, as the delivery log keeps it. */
export interface DeliveryAttempt {
	eventId: string;
	type: string;
	webhookId: string;
	integrationId: string;
	target: string;
	/** 1 for the first try, up to 5. */
	attempt: number;
	/** When it was sent, on the simulator's clock. */
	at: string;
	/** The target's HTTP status; null when it did not answer (refused, reset, timed out). */
	status: number | null;
	error?: string;
	/** delivered (2xx), retrying (another attempt is scheduled), failed (no retry: non-recoverable or out of attempts). */
	outcome: 'delivered' | 'retrying' | 'failed';
	/** Delay before the next attempt, when one is scheduled. */
	nextAttemptInMs?: number;
	headers: Record<string, string>;
	body: WebhookEnvelope;
}

/**
 * openapi.yaml tag Webhooks, "Retry policy": up to 5 attempts over a 15 minute window at
 * exponentially increasing intervals; no answer within 20 s is a failure; 400, 401, 403, 404 and
 * 406 are non-recoverable. 1 + 2 + 4 + 8 minutes fills the 15 minutes exactly. (unverified: the
 * exact intervals are not published)
 */
export const MAX_ATTEMPTS = 5;
export const RETRY_DELAYS_MS = [60_000, 120_000, 240_000, 480_000] as const;
export const NON_RECOVERABLE = new Set([400, 401, 403, 404, 406]);
export const DEFAULT_TIMEOUT_MS = 20_000;

interface Job {
	webhook: WebhookRecord;
	event: WebhookEvent;
	headers: Record<string, string>;
	body: WebhookEnvelope;
}

/**
 * Sends webhook events with global fetch. First attempts to one webhook go out in event order (one
 * at a time); retries are scheduled on the simulator's clock, so a ManualClock test moves through
 * the 15-minute schedule instantly.
 */
export class WebhookDelivery {
	readonly attempts: DeliveryAttempt[] = [];
	/** How long a target may take to answer; tests shorten it instead of waiting 20 s. */
	timeoutMs = DEFAULT_TIMEOUT_MS;
	private readonly inFlight = new Set<Promise<void>>();
	private readonly queues = new Map<string, Promise<void>>();
	private readonly timers = new Set<ClockTimer>();
	private readonly stop = new AbortController();
	private closed = false;

	constructor(
		private readonly clock: Clock,
		private readonly appId: string,
		private readonly log: (message: string) => void,
		/** A deleted webhook gets no more retries. */
		private readonly webhookExists: (id: string) => boolean,
	) {}

	send(webhook: WebhookRecord, event: WebhookEvent): void {
		if (this.closed) return;
		// openapi.yaml x-webhooks "Webhook Event": {app:{id}, webhook:{id, version}, events:[…]}.
		const body: WebhookEnvelope = {
			app: { id: this.appId },
			webhook: { id: webhook.id, version: 'v2' },
			events: [event],
		};
		// "It is included as an X-API-Key header with each webhook request" (tag Webhooks); there is
		// no signature (NOTES.md section 5).
		const headers = { 'content-type': 'application/json', 'X-API-Key': webhook.secret };
		const job: Job = { webhook: { ...webhook }, event, headers, body };
		const previous = this.queues.get(webhook.id) ?? Promise.resolve();
		const next = previous.catch(() => undefined).then(() => this.attempt(job, 1));
		this.queues.set(webhook.id, next);
		this.track(next);
	}

	/** Resolves once nothing is being sent (scheduled retries are not waited for). */
	async settled(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
	}

	get pendingRetries(): number {
		return this.timers.size;
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const timer of this.timers) this.clock.clearTimeout(timer);
		this.timers.clear();
		this.stop.abort();
		await this.settled();
	}

	private track(promise: Promise<void>): void {
		const tracked = promise.catch((error) =>
			this.log(`webhook delivery crashed: ${String(error)}`),
		);
		this.inFlight.add(tracked);
		void tracked.finally(() => this.inFlight.delete(tracked));
	}

	private async attempt(job: Job, attempt: number): Promise<void> {
		if (this.closed) return;
		const record: DeliveryAttempt = {
			eventId: job.event.id,
			type: job.event.type,
			webhookId: job.webhook.id,
			integrationId: job.webhook.integrationId,
			target: job.webhook.target,
			attempt,
			at: isoAt(this.clock.now()),
			status: null,
			outcome: 'failed',
			headers: { ...job.headers },
			body: job.body,
		};
		this.attempts.push(record);
		try {
			const response = await fetch(job.webhook.target, {
				method: 'POST',
				headers: job.headers,
				body: JSON.stringify(job.body),
				signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.timeoutMs)]),
			});
			record.status = response.status;
			await response.arrayBuffer().catch(() => undefined);
		} catch (error) {
			record.error = describeFailure(error, this.timeoutMs);
		}
		if (this.closed) return;
		if (record.status !== null && record.status >= 200 && record.status < 300) {
			record.outcome = 'delivered';
		} else if (record.status !== null && NON_RECOVERABLE.has(record.status)) {
			record.outcome = 'failed';
		} else if (attempt < MAX_ATTEMPTS && this.webhookExists(job.webhook.id)) {
			const delay = RETRY_DELAYS_MS[attempt - 1];
			record.outcome = 'retrying';
			record.nextAttemptInMs = delay;
			const timer = this.clock.setTimeout(() => {
				this.timers.delete(timer);
				// A webhook deleted in the meantime gets no more attempts.
				if (this.webhookExists(job.webhook.id)) this.track(this.attempt(job, attempt + 1));
			}, delay);
			this.timers.add(timer);
		}
		this.log(
			`webhook ${job.event.type} ${job.event.id} -> ${job.webhook.target} attempt ${attempt}: ${record.status ?? record.error} (${record.outcome})`,
		);
	}
}

function describeFailure(error: unknown, timeoutMs: number): string {
	const name = (error as { name?: string })?.name;
	if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
	if (name === 'AbortError') return 'aborted: the simulator is closing';
	const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
	return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
