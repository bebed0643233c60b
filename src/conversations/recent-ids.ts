/**
 * The last `capacity` ids seen, in constant memory: a Set for lookups and a ring that evicts the
 * oldest id once full. Used to drop a subscription event delivered twice across a reconnect.
 */
export class RecentIds {
	private readonly ids = new Set<string>();
	private readonly ring: Array<string | undefined>;
	private next = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
		this.ring = new Array<string | undefined>(capacity);
	}

	/** Records `id`; false when it was already among the recent ones (a repeat). */
	add(id: string): boolean {
		if (this.ids.has(id)) return false;
		const evicted = this.ring[this.next];
		if (evicted !== undefined) this.ids.delete(evicted);
		this.ring[this.next] = id;
		this.next = (this.next + 1) % this.capacity;
		this.ids.add(id);
		return true;
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	get size(): number {
		return this.ids.size;
	}
}
