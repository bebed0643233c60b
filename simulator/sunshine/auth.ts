import { createHmac, timingSafeEqual } from 'node:crypto';

import { forbidden, unauthorized } from './errors';
import type { ApiKeyRecord, Caller } from './types';

/**
 * Basic auth (key id : secret) or a Bearer JWT signed HS256 with the key's secret, header `kid` =
 * key id, payload `scope` = the key's scope (openapi.yaml Introduction "Authentication"; NOTES.md
 * section 5 "Hosts and authentication"). Throws the documented 401, or 403 for a wrong scope.
 */
export function authenticate(
	header: string | undefined,
	findKey: (id: string) => ApiKeyRecord | undefined,
	nowMs: number,
): Caller {
	if (!header) throw unauthorized();
	const basic = /^Basic\s+(\S+)$/i.exec(header.trim());
	if (basic) return basicCaller(basic[1], findKey);
	const bearer = /^Bearer\s+(\S+)$/i.exec(header.trim());
	if (bearer) return jwtCaller(bearer[1], findKey, nowMs);
	throw unauthorized('Unsupported authorization scheme: use Basic or Bearer');
}

function basicCaller(encoded: string, findKey: (id: string) => ApiKeyRecord | undefined): Caller {
	const decoded = Buffer.from(encoded, 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) throw unauthorized('Invalid basic authorization header');
	const key = findKey(decoded.slice(0, colon));
	if (!key || !sameSecret(decoded.slice(colon + 1), key.secret))
		throw unauthorized('Invalid API key id or secret');
	return { scope: key.scope, keyId: key.id, integrationId: key.integrationId, method: 'basic' };
}

function jwtCaller(
	token: string,
	findKey: (id: string) => ApiKeyRecord | undefined,
	nowMs: number,
): Caller {
	const parts = token.split('.');
	if (parts.length !== 3) throw unauthorized('Invalid JWT: expected header.payload.signature');
	const header = decodeSegment(parts[0]);
	const payload = decodeSegment(parts[1]);
	if (!header || !payload)
		throw unauthorized('Invalid JWT: header and payload must be base64url JSON objects');
	// "The algorithm (alg) used should be HS256. Unsigned JWTs are not accepted."
	if (header.alg !== 'HS256') throw unauthorized('Invalid JWT: alg must be HS256');
	if (typeof header.kid !== 'string')
		throw unauthorized('Invalid JWT: the header must carry the key id as kid');
	const key = findKey(header.kid);
	if (!key) throw unauthorized('Invalid JWT: unknown key id');
	const expected = createHmac('sha256', key.secret).update(`${parts[0]}.${parts[1]}`).digest();
	const given = Buffer.from(parts[2], 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected))
		throw unauthorized('Invalid JWT signature');
	// The signer mints exp from its own wall clock, so expiry is checked against the wall clock too,
	// not the simulator's (possibly manual) clock. (unverified: the spec does not describe exp)
	if (
		payload.exp !== undefined &&
		(typeof payload.exp !== 'number' || payload.exp * 1000 <= nowMs)
	) {
		throw unauthorized('Invalid JWT: the token has expired');
	}
	// "The JWT payload must include a scope claim which specifies the caller's scope of access."
	if (typeof payload.scope !== 'string')
		throw unauthorized('Invalid JWT: the payload must carry a scope claim');
	// An app key signs app-scope tokens, an integration key integration-scope ones; anything else
	// (account scope with an app key, say) is refused as forbidden. (unverified: 403 vs 401)
	if (payload.scope !== key.scope)
		throw forbidden(`A ${key.scope} key cannot sign a ${payload.scope}-scope JWT`);
	return { scope: key.scope, keyId: key.id, integrationId: key.integrationId, method: 'jwt' };
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
		return value && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}
