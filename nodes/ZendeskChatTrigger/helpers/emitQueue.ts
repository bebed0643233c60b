import type { IDataObject, IRun, ITriggerFunctions } from 'n8n-workflow';

/** What one execution starts with: its items, and the key n8n (2.x) skips a repeated execution by. */
export interface Emission {
	items: IDataObject[];
	deduplicationKey?: string;
}

/**
 * Turns one event into an emission, or into nothing (filtered out). It may wait (a REST lookup) and
 * may throw: the event then counts as failed, and the next one goes on. `lane` names the chat it
 * belongs to: jobs of one lane run one after the other in the order pushed, lanes do not wait for
 * each other. Jobs without a lane share one lane.
 */
export type EmitJob = (() => Emission | undefined | Promise<Emission | undefined>) & {
	readonly lane?: string;
};

export interface EmitQueueOptions {
	/** Each emit waits for its execution to finish (a deferred donePromise) before the next of its lane. */
	waitForExecution: boolean;
	/** "Listen for test event": only the first emission counts, later ones are dropped. */
	manual: boolean;
	/** Aborted by closeFunction: nothing is emitted afterwards and a wait for an execution ends. */
	signal: AbortSignal;
	/** A job that threw. */
	onJobFailure(error: unknown): void;
	/** Events waiting beyond this, all lanes together, are dropped with a warning (a workflow far slower than the chat). @default 10_000 */
	maxPending?: number;
}

const DEFAULT_MAX_PENDING = 10_000;

interface Lane {
	readonly jobs: EmitJob[];
	/** The lane's drain while it runs. */
	draining?: Promise<void>;
}

/**
 * The trigger's single way out to n8n. Events are handled per lane (a chat): in the order they
 * arrived within the lane, their REST lookups included, while lanes run side by side, so one chat
 * waiting for a lookup (or for its execution) holds back no other chat (issue 9). Executions of
 * different chats may therefore start in any order.
 *
 * With `waitForExecution`, each emit waits for its execution to finish before the next emit of the
 * same lane: a chat's executions run one at a time and in order (a reply never overtakes the one
 * before it), while other chats go on. A slow workflow then delays only its own chat; executions of
 * different chats run at the same time (at most one per chat with events waiting).
 *
 * Nothing is emitted before `open()`: n8n swaps a manual trigger's emit in only after trigger() has
 * returned, so emitting earlier would fail. Memory is bounded: a lane is forgotten as soon as it is
 * empty, and at most `maxPending` jobs wait in all lanes together.
 */
export class EmitQueue {
	private readonly lanes = new Map<string, Lane>();
	private readonly running = new Set<Promise<void>>();
	private readonly maxPending: number;
	/** Jobs waiting in all lanes (not counting those in hand). */
	private pending = 0;
	private opened = false;
	private manualEmitted = false;
	private overflowWarned = false;
	/**
	 * Lanes waiting for their execution (Wait for Each Execution), ended all at once by the abort:
	 * one listener on the signal for the queue rather than one per chat.
	 */
	private readonly executionWaits = new Set<() => void>();

	constructor(
		private readonly ctx: Pick<ITriggerFunctions, 'emit' | 'helpers' | 'logger'>,
		private readonly options: EmitQueueOptions,
	) {
		this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
		options.signal.addEventListener(
			'abort',
			() => [...this.executionWaits].forEach((end) => end()),
			{ once: true },
		);
	}

	push(job: EmitJob): void {
		if (this.options.signal.aborted || this.manualEmitted) return;
		if (this.pending >= this.maxPending) {
			if (!this.overflowWarned) {
				this.overflowWarned = true;
				this.ctx.logger.warn(
					`Zendesk Chat Trigger: more than ${this.maxPending} events wait for the workflow; newer ones are dropped until it catches up`,
				);
			}
			return;
		}
		this.overflowWarned = false;
		const key = job.lane ?? '';
		let lane = this.lanes.get(key);
		if (!lane) {
			lane = { jobs: [] };
			this.lanes.set(key, lane);
		}
		lane.jobs.push(job);
		this.pending += 1;
		this.kick(key, lane);
	}

	/** Starts emitting (at the end of trigger(), or in manualTriggerFunction). */
	open(): void {
		this.opened = true;
		for (const [key, lane] of [...this.lanes]) this.kick(key, lane);
	}

	/** Drops what waits and resolves once the jobs in hand have finished (call after aborting the signal). */
	async stopped(): Promise<void> {
		this.dropWaiting();
		await Promise.all([...this.running]);
	}

	/** Lanes with jobs waiting or in hand (for tests of the memory bound). */
	get laneCount(): number {
		return this.lanes.size;
	}

	private dropWaiting(): void {
		for (const lane of this.lanes.values()) lane.jobs.length = 0;
		this.pending = 0;
	}

	private kick(key: string, lane: Lane): void {
		if (!this.opened || lane.draining || this.options.signal.aborted) return;
		const draining = this.drain(lane).finally(() => {
			this.running.delete(draining);
			lane.draining = undefined;
			if (lane.jobs.length > 0 && !this.options.signal.aborted) this.kick(key, lane);
			else if (this.lanes.get(key) === lane) this.lanes.delete(key);
		});
		lane.draining = draining;
		this.running.add(draining);
	}

	private async drain(lane: Lane): Promise<void> {
		// Starts on the next microtask, once kick() has marked the lane as draining.
		await Promise.resolve();
		const { signal } = this.options;
		while (lane.jobs.length > 0 && !signal.aborted) {
			const job = lane.jobs.shift() as EmitJob;
			this.pending -= 1;
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
			this.dropWaiting();
			this.ctx.emit(data);
			return;
		}
		if (!this.options.waitForExecution) {
			this.ctx.emit(data, undefined, undefined, deduplicationKey);
			return;
		}
		const done = this.ctx.helpers.createDeferredPromise<IRun>();
		this.ctx.emit(data, undefined, done, deduplicationKey);
		// Ends when the execution does, or when the trigger closes (closing must not wait for a
		// running workflow). A failed execution is recorded by n8n; the lane's next event goes on.
		await new Promise<void>((resolve) => {
			const end = () => {
				this.executionWaits.delete(end);
				resolve();
			};
			this.executionWaits.add(end);
			promiseOf<IRun>(done).then(end, end);
		});
	}
}

/** A deferred's promise: a property in n8n-workflow 2.x, a function in older 1.x releases. */
function promiseOf<T>(deferred: { promise: unknown }): Promise<T> {
	const promise: unknown = deferred.promise;
	return typeof promise === 'function' ? (promise as () => Promise<T>)() : (promise as Promise<T>);
}
