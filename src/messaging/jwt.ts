import { createHmac } from 'node:crypto';

/**
 * Mints an app-scope JWT as the spec describes ("JWTs": header `{alg:"HS256", typ:"JWT", kid}`,
 * payload `{scope:"app"}`), signed with node:crypto so the package needs no JWT dependency.
 * `iat` and `exp` bound the token's life, as Pipedream's `expiresIn` does.
 */
export interface AppJwtClaims {
	keyId: string;
	keySecret: string;
	/** Seconds since the epoch. */
	issuedAt: number;
	/** Seconds since the epoch. */
	expiresAt: number;
}

function base64url(value: string | Buffer): string {
	return Buffer.from(value).toString('base64url');
}

export function signAppJwt({ keyId, keySecret, issuedAt, expiresAt }: AppJwtClaims): string {
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: keyId }));
	const payload = base64url(JSON.stringify({ scope: 'app', iat: issuedAt, exp: expiresAt }));
	const signature = createHmac('sha256', keySecret)
		.update(`${header}.${payload}`)
		.digest('base64url');
	return `${header}.${payload}.${signature}`;
}
