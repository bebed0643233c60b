/**
 * PING/PONG keepalive (overview, "Managing WebSocket": send `{sig:"PING", payload}`, expect an echo
 * of the payload in a PONG). A PONG that does not come within `pongTimeoutMs` means a half-open
 * socket: `onTimeout` closes it so the session reconnects. The next PING is armed only after the
 * PONG (as graphql-ws re-arms after each pong), so there is never more than one outstanding.
 */
export class Keepalive {
	private pingTimer: NodeJS.Timeout | undefined;
	private pongTimer: NodeJS.Timeout | undefined;
	private outstanding: number | undefined;
	private sequence = 0;

	constructor(
		private readonly intervalMs: number,
		private readonly pongTimeoutMs: number,
		private readonly sendPing: (payload: number) => void,
		private readonly onTimeout: () => void,
	) {}

	/** Starts pinging (after `intervalMs`); a no-op when the interval is 0 (keepalive off). */
	start(): void {
		this.stop();
		if (this.intervalMs > 0) this.schedule();
	}

	/** Feeds a PONG's payload; an echo of the outstanding PING re-arms the next one. */
	pong(payload: unknown): void {
		if (this.outstanding === undefined || Number(payload) !== this.outstanding) return;
		this.outstanding = undefined;
		clearTimeout(this.pongTimer);
		this.pongTimer = undefined;
		this.schedule();
	}

	stop(): void {
		clearTimeout(this.pingTimer);
		clearTimeout(this.pongTimer);
		this.pingTimer = undefined;
		this.pongTimer = undefined;
		this.outstanding = undefined;
	}

	private schedule(): void {
		this.pingTimer = setTimeout(() => this.ping(), this.intervalMs);
		this.pingTimer.unref();
	}

	private ping(): void {
		this.pingTimer = undefined;
		// A payload unique to this socket's life, so a late PONG of an earlier PING cannot satisfy this one.
		this.outstanding = ++this.sequence;
		this.pongTimer = setTimeout(() => {
			this.stop();
			this.onTimeout();
		}, this.pongTimeoutMs);
		this.pongTimer.unref();
		this.sendPing(this.outstanding);
	}
}
