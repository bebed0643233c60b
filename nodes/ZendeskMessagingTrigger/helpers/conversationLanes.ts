/**
 * Calls about one conversation hand their items to n8n in the order Zendesk sent them. A call whose
 * items wait for a lookup (an agent's reply does not name the customer, lookups.ts) would otherwise
 * be overtaken by the next call of the same conversation that needs none, and its execution would
 * start second. Per process (a second webhook processor has lanes of its own); each wait is bounded
 * by the earlier call's own lookups (LOOKUP_TIMEOUT_MS each).
 */
const lanes = new Map<string, Promise<void>>();

export interface Lane {
	/** Settles once every earlier call about the same conversations has left its lane. */
	readonly previous: Promise<void>;
	/** Lets the next call of these conversations go on; call it once, whatever happened. */
	leave(): void;
}

/** Takes this call's place behind the earlier calls about the same conversations (`keys`: app/conversation). */
export function enterLanes(keys: Iterable<string>): Lane {
	const unique = [...new Set(keys)];
	const earlier = unique
		.map((key) => lanes.get(key))
		.filter((waiting): waiting is Promise<void> => waiting !== undefined);
	let release: () => void = () => undefined;
	const mine = new Promise<void>((resolve) => (release = resolve));
	for (const key of unique) lanes.set(key, mine);
	return {
		previous: Promise.all(earlier).then(() => undefined),
		leave: () => {
			release();
			for (const key of unique) if (lanes.get(key) === mine) lanes.delete(key);
		},
	};
}

/** How many conversations have a call in their lane (tests: nothing is left behind). */
export function openLaneCount(): number {
	return lanes.size;
}
