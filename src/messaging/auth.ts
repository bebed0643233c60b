import { InvalidInputError } from '../shared/errors';
import { signAppJwt } from './jwt';
import { requireString } from './validate';

/**
 * How the client authenticates (spec, "Authentication"): basic auth with the API key, or a JWT
 * signed with it. Both use an app-scope key (Admin Center › Apps and integrations › Conversations API).
 */
export type MessagingAuth =
	| { type: 'basic'; keyId: string; keySecret: string }
	| {
			type: 'jwt';
			keyId: string;
			keySecret: string;
			/** Lifetime of each minted token, 30–3600 s. @default 600 */
			ttlSeconds?: number;
	  };

/** Produces the Authorization header value; JWTs are minted lazily and cached until near expiry. */
export interface Authorizer {
	readonly scheme: 'basic' | 'jwt';
	header(): string;
}

/** @default 600 — short enough that a leaked token is soon useless, long enough to be cached. */
export const DEFAULT_JWT_TTL_SECONDS = 600;

/**
 * Builds the authorizer. The secret lives only in this closure: it is never an enumerable
 * property anyone could log.
 */
export function createAuthorizer(auth: MessagingAuth, now: () => number = Date.now): Authorizer {
	if (typeof auth !== 'object' || auth === null)
		throw new InvalidInputError('auth', 'auth must be {type, keyId, keySecret}');
	const keyId = requireString('auth.keyId', auth.keyId, 256);
	const keySecret = requireString('auth.keySecret', auth.keySecret, 1024);
	if (auth.type === 'basic') {
		const header = `Basic ${Buffer.from(`${keyId}:${keySecret}`, 'utf8').toString('base64')}`;
		return { scheme: 'basic', header: () => header };
	}
	if (auth.type !== 'jwt') {
		throw new InvalidInputError(
			'auth.type',
			`auth.type must be "basic" or "jwt", got ${JSON.stringify((auth as { type: unknown }).type)}`,
		);
	}
	const ttl = auth.ttlSeconds ?? DEFAULT_JWT_TTL_SECONDS;
	if (!Number.isInteger(ttl) || ttl < 30 || ttl > 3600) {
		throw new InvalidInputError(
			'auth.ttlSeconds',
			`auth.ttlSeconds must be an integer from 30 to 3600, got ${String(ttl)}`,
		);
	}
	// Renew a fifth of the lifetime early (at most a minute), so a token never expires in flight.
	const marginMs = Math.min(60_000, (ttl * 1000) / 5);
	let cached: { header: string; renewAt: number } | undefined;
	return {
		scheme: 'jwt',
		header() {
			const nowMs = now();
			if (!cached || nowMs >= cached.renewAt) {
				const issuedAt = Math.floor(nowMs / 1000);
				const token = signAppJwt({ keyId, keySecret, issuedAt, expiresAt: issuedAt + ttl });
				cached = { header: `Bearer ${token}`, renewAt: (issuedAt + ttl) * 1000 - marginMs };
			}
			return cached.header;
		},
	};
}
