import { createHash } from 'node:crypto';

/**
 * Where a client gets its access token. The core never stores a token it cannot refresh: on a 401
 * (or UNAUTHORIZED from startAgentSession) it asks `refresh` once for a new one and retries, and
 * the n8n layer implements it with n8n's OAuth2 machinery (ARCHITECTURE.md).
 */
export interface TokenProvider {
	/** The current access token. */
	getToken(): Promise<string>;
	/** A fresh token after the current one was refused; absent when it cannot be refreshed. */
	refresh?(): Promise<string>;
}

/** A provider for a fixed, pre-issued token. */
export function staticToken(token: string): TokenProvider {
	return { getToken: async () => token };
}

/**
 * A stable, non-reversible key for pooling per credential: the pool and the rate limiters are
 * keyed by it, and it is what logs may show. Never the token in clear.
 */
export function credentialKey(...parts: string[]): string {
	const hash = createHash('sha256');
	for (const part of parts) hash.update(part).update('\u0000');
	return hash.digest('hex').slice(0, 32);
}
