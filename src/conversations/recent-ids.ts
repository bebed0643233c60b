/**
 * The last `capacity` ids seen, in constant memory. Used to drop a subscription event delivered
 * twice across a reconnect, so `add` runs once per DATA frame.
 *
 * A ring of the ids in arrival order evicts the oldest once full, and an open-addressing table of
 * 32-bit hashes (linear probing, at most half full) finds them. A hash match is confirmed by
 * comparing the strings, so the answer is exact. This replaces a `Set<string>` with an add and a
 * delete per frame: the Set hashed each fresh id and churned its own table, which cost about as much
 * again as the rest of the frame's handling beyond `JSON.parse`.
 */
export class RecentIds {
	/** The ids, oldest at `next` once full. */
	private readonly ring: Array<string | undefined>;
	/** The hash of each ring entry, so evicting one does not hash it again. */
	private readonly ringHashes: Int32Array;
	/** Slot → ring index + 1 (0: empty). */
	private readonly slots: Int32Array;
	/** Slot → the hash of its id (compared before the string). */
	private readonly slotHashes: Int32Array;
	private readonly mask: number;
	private next = 0;
	private count = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1)
			throw new RangeError('capacity must be a positive integer');
		this.ring = new Array<string | undefined>(capacity);
		this.ringHashes = new Int32Array(capacity);
		let size = 2;
		while (size < capacity * 2) size *= 2;
		this.slots = new Int32Array(size);
		this.slotHashes = new Int32Array(size);
		this.mask = size - 1;
	}

	/** Records `id`; false when it was already among the recent ones (a repeat). */
	add(id: string): boolean {
		const hash = hashOf(id);
		const { slots, slotHashes, ring, mask } = this;
		let slot = hash & mask;
		for (let entry = slots[slot]; entry !== 0; entry = slots[slot]) {
			if (slotHashes[slot] === hash && ring[entry - 1] === id) return false;
			slot = (slot + 1) & mask;
		}
		const index = this.next;
		if (this.count === this.capacity) {
			this.remove(index);
			// The removal may have moved entries back along the probe: find the free slot again.
			slot = hash & mask;
			while (slots[slot] !== 0) slot = (slot + 1) & mask;
		} else {
			this.count++;
		}
		ring[index] = id;
		this.ringHashes[index] = hash;
		slots[slot] = index + 1;
		slotHashes[slot] = hash;
		this.next = index + 1 === this.capacity ? 0 : index + 1;
		return true;
	}

	has(id: string): boolean {
		const hash = hashOf(id);
		const { slots, slotHashes, ring, mask } = this;
		for (
			let slot = hash & mask, entry = slots[slot];
			entry !== 0;
			slot = (slot + 1) & mask, entry = slots[slot]
		) {
			if (slotHashes[slot] === hash && ring[entry - 1] === id) return true;
		}
		return false;
	}

	get size(): number {
		return this.count;
	}

	/** Takes ring entry `index` out of the table (backward-shift deletion keeps every probe chain whole). */
	private remove(index: number): void {
		const { slots, slotHashes, mask } = this;
		let hole = this.ringHashes[index] & mask;
		while (slots[hole] !== index + 1) hole = (hole + 1) & mask;
		for (let probe = (hole + 1) & mask; slots[probe] !== 0; probe = (probe + 1) & mask) {
			const home = slotHashes[probe] & mask;
			// An entry may fill the hole only if its home is not between the hole and itself (cyclically).
			const stays = hole <= probe ? hole < home && home <= probe : hole < home || home <= probe;
			if (stays) continue;
			slots[hole] = slots[probe];
			slotHashes[hole] = slotHashes[probe];
			hole = probe;
		}
		slots[hole] = 0;
		this.ring[index] = undefined;
	}
}

/** FNV-1a over the UTF-16 code units: cheap, and spread well enough for a table at most half full. */
function hashOf(id: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) {
		hash ^= id.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash | 0;
}
