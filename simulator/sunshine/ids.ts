import { randomBytes } from 'node:crypto';

/** A 24-hex-digit id, the shape of every Sunshine Conversations id (openapi.yaml `page.after`: 24 characters). */
export function newId(): string {
	return randomBytes(12).toString('hex');
}

/** A webhook secret: 32 hex digits, like the spec's example `8564b3e6a8b20a4bdb68b05ce9bc5936`. */
export function newWebhookSecret(): string {
	return randomBytes(16).toString('hex');
}

/** An API key secret (base64url, like the spec's createIntegrationKey example). */
export function newKeySecret(): string {
	return randomBytes(48).toString('base64url');
}

/** `YYYY-MM-DDThh:mm:ss.SSSZ`, the format of every Sunshine timestamp. */
export function isoAt(ms: number): string {
	return new Date(ms).toISOString();
}
