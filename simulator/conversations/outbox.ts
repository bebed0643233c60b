import WebSocket from 'ws';

/**
 * Real-time waits for injected response delays (faults.setDelay), tracked so that closing the
 * simulator cancels them instead of leaving timers behind.
 */
export class DelayTimers {
	private readonly pending = new Map<NodeJS.Timeout, () => void>();

	wait(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pending.delete(timer);
				resolve();
			}, ms);
			this.pending.set(timer, resolve);
		});
	}

	cancelAll(): void {
		for (const [timer, resolve] of this.pending) {
			clearTimeout(timer);
			resolve();
		}
		this.pending.clear();
	}
}

/**
 * Everything a socket sends goes through one queue, so frames leave in the order they were produced
 * even when a delay is injected into some of them (a delayed response holds back the DATA frames
 * behind it instead of being overtaken by them).
 */
export class Outbox {
	private tail: Promise<void> = Promise.resolve();

	constructor(
		private readonly ws: WebSocket,
		private readonly timers: DelayTimers,
	) {}

	send(frame: unknown, delayMs = 0): void {
		this.sendText(JSON.stringify(frame), delayMs);
	}

	sendText(text: string, delayMs = 0): void {
		this.enqueue(delayMs, () => {
			if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
		});
	}

	/** Closes the socket once everything queued before has been sent. */
	close(code: number, reason = ''): void {
		this.enqueue(0, () => {
			if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
				this.ws.close(code, reason);
		});
	}

	private enqueue(delayMs: number, action: () => void): void {
		this.tail = this.tail
			.then(() => this.timers.wait(delayMs))
			.then(action)
			.catch(() => undefined);
	}
}
