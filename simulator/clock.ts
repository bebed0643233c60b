/**
 * Time for the simulator. Rate limits (1/s, 50/h, 200/min), timestamps and webhook retries read
 * this clock, so a test can cross an hour of limits in a millisecond with a ManualClock.
 */
export interface Clock {
	now(): number;
	setTimeout(fn: () => void, ms: number): ClockTimer;
	clearTimeout(timer: ClockTimer): void;
}

export interface ClockTimer {
	readonly id: number;
}

export class SystemClock implements Clock {
	private readonly timers = new Map<number, NodeJS.Timeout>();
	private nextId = 1;

	now(): number {
		return Date.now();
	}

	setTimeout(fn: () => void, ms: number): ClockTimer {
		const id = this.nextId++;
		const handle = setTimeout(() => {
			this.timers.delete(id);
			fn();
		}, ms);
		// A pending webhook retry must not keep a finished test run or a stopped CLI alive.
		handle.unref();
		this.timers.set(id, handle);
		return { id };
	}

	clearTimeout(timer: ClockTimer): void {
		const handle = this.timers.get(timer.id);
		if (handle) clearTimeout(handle);
		this.timers.delete(timer.id);
	}

	/** Cancels every pending timer (used when the simulator closes). */
	clearAll(): void {
		for (const handle of this.timers.values()) clearTimeout(handle);
		this.timers.clear();
	}
}

interface PendingTimer {
	id: number;
	due: number;
	fn: () => void;
}

/** A clock that moves only when told to; due timers fire in order of their due time. */
export class ManualClock implements Clock {
	private current: number;
	private pending: PendingTimer[] = [];
	private nextId = 1;

	constructor(start: number | string = '2026-01-05T09:00:00Z') {
		this.current = typeof start === 'string' ? Date.parse(start) : start;
	}

	now(): number {
		return this.current;
	}

	setTimeout(fn: () => void, ms: number): ClockTimer {
		const timer = { id: this.nextId++, due: this.current + Math.max(0, ms), fn };
		this.pending.push(timer);
		return { id: timer.id };
	}

	clearTimeout(timer: ClockTimer): void {
		this.pending = this.pending.filter((t) => t.id !== timer.id);
	}

	/** Moves time forward, firing each timer that falls due on the way, at its own due time. */
	advance(ms: number): void {
		const target = this.current + ms;
		for (;;) {
			const next = this.pending
				.filter((t) => t.due <= target)
				.sort((a, b) => a.due - b.due || a.id - b.id)[0];
			if (!next) break;
			this.pending = this.pending.filter((t) => t !== next);
			this.current = next.due;
			next.fn();
		}
		this.current = target;
	}

	clearAll(): void {
		this.pending = [];
	}

	get pendingTimers(): number {
		return this.pending.length;
	}
}
