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
