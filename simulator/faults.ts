/**
 * Faults a test or a user injects into the simulator. The server applies the HTTP ones to every
 * request (and WebSocket upgrade) before an API sees it; the APIs read the rest.
 */
export type ApiName = 'conversations' | 'rest' | 'streaming' | 'sunshine' | 'support' | 'model';
export const API_NAMES: readonly ApiName[] = [
	'conversations',
	'rest',
	'streaming',
	'sunshine',
	'support',
	'model',
];

export interface HttpFault {
	/** Which API it hits; all of them when absent. */
	api?: ApiName;
	status: number;
	/** Seconds, sent as the Retry-After header (429 and 503). */
	retryAfter?: number;
	/** A JSON body to answer with instead of the API's usual error body. */
	body?: unknown;
}

interface QueuedFault extends HttpFault {
	remaining: number;
}

export class Faults {
	private queue: QueuedFault[] = [];
	private readonly delays = new Map<ApiName, number>();
	private readonly silencedPings = new Set<ApiName>();
	private readonly pendingWaits = new Map<NodeJS.Timeout, () => void>();
	/** How many injected HTTP faults were served, per API. */
	readonly served: Record<ApiName, number> = {
		conversations: 0,
		rest: 0,
		streaming: 0,
		sunshine: 0,
		support: 0,
		model: 0,
	};

	/** The next `count` requests (to `api`, or to any API) answer `status`. */
	failNextHttp(fault: HttpFault & { count?: number }): void {
		const count = fault.count ?? 1;
		if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
		if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
			throw new Error('status must be an HTTP error status (400-599)');
		}
		this.queue.push({
			api: fault.api,
			status: fault.status,
			retryAfter: fault.retryAfter,
			body: fault.body,
			remaining: count,
		});
	}

	/** Takes the next queued fault for this API, if any. */
	takeHttpFault(api: ApiName): HttpFault | undefined {
		const fault = this.queue.find((f) => f.api === undefined || f.api === api);
		if (!fault) return undefined;
		fault.remaining -= 1;
		if (fault.remaining <= 0) this.queue = this.queue.filter((f) => f !== fault);
		this.served[api] += 1;
		return { api: fault.api, status: fault.status, retryAfter: fault.retryAfter, body: fault.body };
	}

	/** Every answer of `api` (or of all APIs) is delayed by `ms` of real time; 0 removes it. */
	setDelay({ api, ms }: { api?: ApiName; ms: number }): void {
		for (const name of api ? [api] : API_NAMES) {
			if (ms > 0) this.delays.set(name, ms);
			else this.delays.delete(name);
		}
	}

	delayFor(api: ApiName): number {
		return this.delays.get(api) ?? 0;
	}

	/** Waits out the injected delay of `api` in real time; `cancelWaits` ends every wait at once. */
	wait(api: ApiName): Promise<void> {
		const ms = this.delayFor(api);
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pendingWaits.delete(timer);
				resolve();
			}, ms);
			this.pendingWaits.set(timer, resolve);
		});
	}

	/** How many injected delays are being waited out right now. */
	get pendingWaitCount(): number {
		return this.pendingWaits.size;
	}

	/** Ends every pending delay (the simulator is closing: no timer may outlive it). */
	cancelWaits(): void {
		for (const [timer, resolve] of this.pendingWaits) {
			clearTimeout(timer);
			resolve();
		}
		this.pendingWaits.clear();
	}

	/** While set, the API's WebSocket leaves PINGs unanswered (a half-open connection). */
	setPingSilenced({ api, silenced }: { api?: ApiName; silenced: boolean }): void {
		for (const name of api ? [api] : API_NAMES) {
			if (silenced) this.silencedPings.add(name);
			else this.silencedPings.delete(name);
		}
	}

	isPingSilenced(api: ApiName): boolean {
		return this.silencedPings.has(api);
	}

	reset(): void {
		this.queue = [];
		this.delays.clear();
		this.silencedPings.clear();
	}
}
