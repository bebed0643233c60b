import { InvalidInputError } from '../shared/errors';
import { WEBHOOK_RETRY_WINDOW_MS } from './constants';
import { MAX_EVENT_ID_LENGTH } from './webhook-envelope';

export interface EventDeduplicatorOptions {
	/** How long an id is remembered. @default 900_000 (the 15-minute webhook retry window) */
	windowMs?: number;
	/** At most this many ids are remembered; the oldest go first. @default 10_000 */
	maxEntries?: number;
	/**
	 * Longer ids are refused, never stored: the memory is bounded by entries × this length.
	 * @default MAX_EVENT_ID_LENGTH (128)
	 */
	maxIdLength?: number;
	/** @default Date.now */
	now?: () => number;
}

/**
 * Remembers webhook event ids for the retry window, because Zendesk retries a delivery it thinks
 * failed (up to 5 times over 15 minutes) and the same event then arrives again. Bounded in time and
 * size; no timers (expired ids are dropped as new ones arrive), so there is nothing to close.
 */
export class EventDeduplicator {
	private readonly windowMs: number;
	private readonly maxEntries: number;
	private readonly maxIdLength: number;
	private readonly now: () => number;
	/** id → first seen; a Map keeps insertion order, so the oldest entries come first. */
	private readonly seen = new Map<string, number>();

	constructor(options: EventDeduplicatorOptions = {}) {
		this.windowMs = options.windowMs ?? WEBHOOK_RETRY_WINDOW_MS;
		this.maxEntries = options.maxEntries ?? 10_000;
		this.maxIdLength = options.maxIdLength ?? MAX_EVENT_ID_LENGTH;
		this.now = options.now ?? Date.now;
		if (!(this.windowMs > 0)) throw new InvalidInputError('windowMs', 'windowMs must be positive');
		if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
			throw new InvalidInputError('maxEntries', 'maxEntries must be a positive integer');
		if (!Number.isInteger(this.maxIdLength) || this.maxIdLength < 1)
			throw new InvalidInputError('maxIdLength', 'maxIdLength must be a positive integer');
	}

	/**
	 * True the first time `id` is seen within the window (process it); false for a repeat (skip it).
	 * @throws InvalidInputError for an id that is not a string of 1 to maxIdLength characters (a
	 * webhook reader refuses such an event before it gets here).
	 */
	firstSeen(id: string): boolean {
		if (typeof id !== 'string' || id.length === 0 || id.length > this.maxIdLength) {
			throw new InvalidInputError(
				'id',
				`an event id must be 1 to ${this.maxIdLength} characters long`,
			);
		}
		const now = this.now();
		this.evict(now);
		const at = this.seen.get(id);
		if (at !== undefined && now - at < this.windowMs) return false;
		this.seen.delete(id);
		this.seen.set(id, now);
		if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
		return true;
	}

	/** Forgets `id`, e.g. when processing it failed and a retry should be processed again. */
	forget(id: string): void {
		this.seen.delete(id);
	}

	get size(): number {
		return this.seen.size;
	}

	/** The characters of every id remembered: what the ids cost in memory, give or take. */
	get idChars(): number {
		let total = 0;
		for (const id of this.seen.keys()) total += id.length;
		return total;
	}

	private evict(now: number): void {
		for (const [id, at] of this.seen) {
			if (now - at < this.windowMs) break;
			this.seen.delete(id);
		}
	}
}
