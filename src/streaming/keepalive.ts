/**
 * Detects a half-open socket: sends a ping every `intervalMs` and calls `onTimeout` when no pong
 * arrives within `timeoutMs` (zendesk-go pings every second and reconnects when no control frame
 * arrives within 2 minutes, NOTES.md section 4). The next ping is armed only after a pong, as
 * graphql-ws does, so a slow server never has two pings in flight. Timers never keep the process alive.
 */
export class Keepalive {
	private timer: NodeJS.Timeout | undefined;
	private awaitingPong = false;

	constructor(
		private readonly sendPing: () => void,
		private readonly onTimeout: () => void,
		private readonly intervalMs: number,
		private readonly timeoutMs: number,
	) {}

	start(): void {
		this.stop();
		this.schedulePing();
	}

	/** A pong arrived: the socket is alive. */
	pong(): void {
		if (!this.awaitingPong) return;
		this.awaitingPong = false;
		this.clear();
		this.schedulePing();
	}

	stop(): void {
		this.awaitingPong = false;
		this.clear();
	}

	private schedulePing(): void {
		if (this.intervalMs <= 0) return;
		this.timer = setTimeout(() => this.ping(), this.intervalMs);
		this.timer.unref();
	}

	private ping(): void {
		this.awaitingPong = true;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.awaitingPong = false;
			this.onTimeout();
		}, this.timeoutMs);
		this.timer.unref();
		this.sendPing();
	}

	private clear(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}
}
