import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks the `X-API-Key` header Zendesk sends with every webhook call (spec: "Securing Sunshine
 * Conversations Webhooks"; there is no signature). Both sides are hashed first, so
 * timingSafeEqual compares equal-length digests and the time taken says nothing about the secret,
 * not even its length. Never throws: anything missing, repeated or malformed is `false`.
 *
 * @param received the header value as the HTTP server gives it (string, string[] or undefined)
 * @param secret the webhook's secret (from createWebhook / createCustomIntegration)
 */
export function verifyApiKey(received: unknown, secret: unknown): boolean {
	try {
		const value = Array.isArray(received)
			? received.length === 1
				? received[0]
				: undefined
			: received;
		if (typeof value !== 'string' || value.length === 0) return false;
		// An empty secret is a misconfiguration; accepting anything would open the endpoint.
		if (typeof secret !== 'string' || secret.length === 0) return false;
		const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
		return timingSafeEqual(digest(value), digest(secret));
	} catch {
		return false;
	}
}

/**
 * Reads `x-api-key` from a header map (any letter case, as node:http lower-cases but other
 * frameworks may not) and verifies it.
 */
export function verifyWebhookRequest(
	headers: Record<string, unknown> | undefined | null,
	secret: unknown,
): boolean {
	try {
		if (typeof headers !== 'object' || headers === null) return false;
		const keys = Object.keys(headers).filter((k) => k.toLowerCase() === 'x-api-key');
		if (keys.length !== 1) return false;
		return verifyApiKey(headers[keys[0]], secret);
	} catch {
		return false;
	}
}
