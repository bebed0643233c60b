import { InvalidInputError } from '../shared/errors';

export interface LookupCacheOptions {
	/** At most this many answers are kept; the least recently used goes first. @default 1000 */
	maxEntries?: number;
	/** How long an answer is trusted. @default 900_000 (15 minutes) */
	ttlMs?: number;
	/** @default Date.now */
	now?: () => number;
}

/**
 * Answers of a lookup by key, bounded in number and age, so that a busy conversation costs one
 * request rather than one per event. Callers asking for the same key at once share one request; a
 * failed request is not kept, so the next event asks again. No timers: nothing to close.
 */
export class LookupCache<V> {
	private readonly maxEntries: number;
	private readonly ttlMs: number;
	private readonly now: () => number;
	/** key → the answer (or the request still running) and when it was asked; a Map keeps use order. */
	private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

	constructor(options: LookupCacheOptions = {}) {
		this.maxEntries = options.maxEntries ?? 1000;
		this.ttlMs = options.ttlMs ?? 15 * 60_000;
		this.now = options.now ?? Date.now;
		if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
			throw new InvalidInputError('maxEntries', 'maxEntries must be a positive integer');
		if (!(this.ttlMs > 0)) throw new InvalidInputError('ttlMs', 'ttlMs must be positive');
	}

	/** The answer for `key`: kept, in flight, or asked now with `load`. Rejects as `load` does. */
	get(key: string, load: () => Promise<V>): Promise<V> {
		const now = this.now();
		const kept = this.entries.get(key);
		this.entries.delete(key);
		if (kept && now - kept.at < this.ttlMs) {
			this.entries.set(key, kept);
			return kept.value;
		}
		const entry = { at: now, value: load() };
		this.entries.set(key, entry);
		if (this.entries.size > this.maxEntries)
			this.entries.delete(this.entries.keys().next().value as string);
		entry.value.catch(() => {
			// Forget a failure (unless a newer request took the key since).
			if (this.entries.get(key) === entry) this.entries.delete(key);
		});
		return entry.value;
	}

	get size(): number {
		return this.entries.size;
	}

	clear(): void {
		this.entries.clear();
	}
}
