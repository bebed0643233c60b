import type { IDataObject, IRun, ITriggerFunctions } from 'n8n-workflow';

/** What one execution starts with: its items, and the key n8n (2.x) skips a repeated execution by. */
export interface Emission {
	items: IDataObject[];
	deduplicationKey?: string;
}

/**
 * Turns one event into an emission, or into nothing (filtered out). It may wait (a REST lookup) and
 * may throw: the event then counts as failed, and the next one goes on.
 */
export type EmitJob = () => Emission | undefined | Promise<Emission | undefined>;

export interface EmitQueueOptions {
	/** Each emit waits for its execution to finish (a deferred donePromise) before the next. */
	waitForExecution: boolean;
	/** "Listen for test event": only the first emission counts, later ones are dropped. */
	manual: boolean;
	/** Aborted by closeFunction: nothing is emitted afterwards and a wait for an execution ends. */
	signal: AbortSignal;
	/** A job that threw. */
	onJobFailure(error: unknown): void;
	/** Events waiting beyond this are dropped with a warning (a workflow far slower than the chat). @default 10_000 */
	maxPending?: number;
}

const DEFAULT_MAX_PENDING = 10_000;

/**
 * The trigger's single way out to n8n. Events are handled one at a time in the order they arrived
 * (their REST lookups included), so executions start in chat order; with `waitForExecution` each
 * waits for the previous execution to finish. Nothing is emitted before `open()`: n8n swaps a manual
 * trigger's emit in only after trigger() has returned, so emitting earlier would fail.
 */
export class EmitQueue {
	private readonly jobs: EmitJob[] = [];
	private readonly maxPending: number;
	private draining: Promise<void> | undefined;
	private opened = false;
	private manualEmitted = false;
	private overflowWarned = false;

	constructor(
		private readonly ctx: Pick<ITriggerFunctions, 'emit' | 'helpers' | 'logger'>,
		private readonly options: EmitQueueOptions,
	) {
		this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
	}

	push(job: EmitJob): void {
		if (this.options.signal.aborted || this.manualEmitted) return;
		if (this.jobs.length >= this.maxPending) {
			if (!this.overflowWarned) {
				this.overflowWarned = true;
				this.ctx.logger.warn(`Zendesk Chat Trigger: more than ${this.maxPending} events wait for the workflow; newer ones are dropped until it catches up`);
			}
			return;
		}
		this.overflowWarned = false;
		this.jobs.push(job);
		this.kick();
	}

	/** Starts emitting (at the end of trigger(), or in manualTriggerFunction). */
	open(): void {
		this.opened = true;
		this.kick();
	}

	/** Drops what waits and resolves once the job in hand has finished (call after aborting the signal). */
	async stopped(): Promise<void> {
		this.jobs.length = 0;
		await this.draining;
	}

	private kick(): void {
		if (!this.opened || this.draining || this.options.signal.aborted) return;
		this.draining = this.drain().finally(() => {
			this.draining = undefined;
			if (this.jobs.length > 0) this.kick();
		});
	}

	private async drain(): Promise<void> {
		const { signal } = this.options;
		while (this.jobs.length > 0 && !signal.aborted) {
			const job = this.jobs.shift() as EmitJob;
			let emission: Emission | undefined;
			try {
				emission = await job();
			} catch (error) {
				if (!signal.aborted) this.options.onJobFailure(error);
				continue;
			}
			if (emission && emission.items.length > 0 && !signal.aborted) await this.emit(emission);
		}
	}

	private async emit({ items, deduplicationKey }: Emission): Promise<void> {
		const data = [items.map((json) => ({ json }))];
		if (this.options.manual) {
			if (this.manualEmitted) return;
			this.manualEmitted = true;
			this.jobs.length = 0;
			this.ctx.emit(data);
			return;
		}
		if (!this.options.waitForExecution) {
			this.ctx.emit(data, undefined, undefined, deduplicationKey);
			return;
		}
		const done = this.ctx.helpers.createDeferredPromise<IRun>();
		this.ctx.emit(data, undefined, done, deduplicationKey);
		try {
			await untilAborted(promiseOf<IRun>(done), this.options.signal);
		} catch {
			// The execution failed to run; n8n records that. The next event goes on.
		}
	}
}

/** A deferred's promise: a property in n8n-workflow 2.x, a function in older 1.x releases. */
function promiseOf<T>(deferred: { promise: unknown }): Promise<T> {
	const promise: unknown = deferred.promise;
	return typeof promise === 'function' ? (promise as () => Promise<T>)() : (promise as Promise<T>);
}

/** Resolves with `promise`, or as soon as `signal` aborts (closing must not wait for a running workflow). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
	if (signal.aborted) return Promise.resolve(undefined);
	return new Promise<T | undefined>((resolve, reject) => {
		const onAbort = () => resolve(undefined);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}
