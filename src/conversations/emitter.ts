/**
 * A minimal typed event emitter: `on` returns its own disposer, and an emit iterates a copy of the
 * listeners, so a listener may remove itself (or another) while being called. A throwing listener
 * never stops the others or the emitter.
 */
export class Emitter<Events extends Record<string, unknown>> {
	private readonly listeners = new Map<keyof Events, Set<(value: never) => void>>();

	on<E extends keyof Events>(event: E, listener: (value: Events[E]) => void): () => void {
		let set = this.listeners.get(event);
		if (!set) {
			set = new Set();
			this.listeners.set(event, set);
		}
		set.add(listener as (value: never) => void);
		return () => {
			set.delete(listener as (value: never) => void);
		};
	}

	emit<E extends keyof Events>(event: E, value: Events[E]): void {
		const set = this.listeners.get(event);
		if (!set || set.size === 0) return;
		for (const listener of [...set]) {
			try {
				(listener as (value: Events[E]) => void)(value);
			} catch {
				// A listener's failure is its own; the session carries on.
			}
		}
	}

	clear(): void {
		this.listeners.clear();
	}
}
