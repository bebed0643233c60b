/**
 * What the clients log through. The n8n layer passes n8n's own logger; on its own the core is
 * silent. Messages never contain tokens or secrets: log the credential key (a hash), not the token.
 */
export interface Logger {
	debug(message: string, meta?: Record<string, unknown>): void;
	info(message: string, meta?: Record<string, unknown>): void;
	warn(message: string, meta?: Record<string, unknown>): void;
	error(message: string, meta?: Record<string, unknown>): void;
}

const NOOP = () => undefined;

export const silentLogger: Logger = { debug: NOOP, info: NOOP, warn: NOOP, error: NOOP };

/**
 * A logger that forwards to whichever logger was handed to it last and is still in use: a pooled
 * session logs through n8n's logger of the node that leased it most recently, and keeps the last
 * one once every lease is gone (an idle session can still drop and reconnect).
 */
export class SwitchableLogger implements Logger {
	private readonly stack: Logger[] = [];
	private fallback: Logger;

	constructor(initial: Logger = silentLogger) {
		this.fallback = initial;
	}

	/** Logs through `logger` until the returned function is called. */
	use(logger: Logger): () => void {
		this.stack.push(logger);
		let done = false;
		return () => {
			if (done) return;
			done = true;
			const at = this.stack.lastIndexOf(logger);
			if (at >= 0) this.stack.splice(at, 1);
			if (this.stack.length === 0) this.fallback = logger;
		};
	}

	private get current(): Logger {
		return this.stack[this.stack.length - 1] ?? this.fallback;
	}

	debug(message: string, meta?: Record<string, unknown>): void {
		this.current.debug(message, meta);
	}
	info(message: string, meta?: Record<string, unknown>): void {
		this.current.info(message, meta);
	}
	warn(message: string, meta?: Record<string, unknown>): void {
		this.current.warn(message, meta);
	}
	error(message: string, meta?: Record<string, unknown>): void {
		this.current.error(message, meta);
	}
}
