import { SIM_SUPPORT } from '../defaults';
import { forbidden, unauthorized } from './errors';
import type { SupportStore } from './store';
import type { SupportCaller } from './types';

/**
 * The two ways n8n's Zendesk credentials authenticate ("Security and authentication" in the API
 * reference; n8n-nodes-base ZendeskApi.credentials authenticate()):
 * - API token: basic auth with user `{email}/token` and the account's API token as the password.
 *   The request acts as the user of that email, who must be an active agent or admin. (unverified)
 *   an end user's email is refused as unauthenticated.
 * - OAuth: `Authorization: Bearer {access token}`; the token's scopes limit what it may do.
 * Anything else is 401 `{"error": "Couldn't authenticate you"}`.
 */
export function authenticate(header: string | undefined, store: SupportStore): SupportCaller {
	const value = header?.trim() ?? '';
	const basic = /^Basic\s+(\S+)$/i.exec(value);
	if (basic) {
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const user = colon < 0 ? '' : decoded.slice(0, colon);
		const secret = colon < 0 ? '' : decoded.slice(colon + 1);
		const token = /^(.+)\/token$/.exec(user);
		if (!token || !store.apiTokens.has(secret)) throw unauthorized();
		const record = store.userByEmail(token[1]);
		if (
			!record ||
			record.active === false ||
			record.suspended === true ||
			(record.role !== 'agent' && record.role !== 'admin')
		)
			throw unauthorized();
		return {
			userId: record.id,
			role: record.role,
			scopes: ['read', 'write'],
			restrictedToOwnOrganization: record.email === SIM_SUPPORT.restrictedAgentEmail,
			via: 'api_token',
		};
	}
	const bearer = /^Bearer\s+(\S+)$/i.exec(value);
	if (bearer) {
		const token = store.oauthTokens.get(bearer[1]);
		if (!token || token.revoked) throw unauthorized();
		const record = store.records.users.find((user) => user.id === token.userId);
		if (!record || (record.role !== 'agent' && record.role !== 'admin')) throw unauthorized();
		return {
			userId: record.id,
			role: record.role,
			scopes: token.scopes,
			restrictedToOwnOrganization: false,
			via: 'oauth',
		};
	}
	throw unauthorized();
}

/**
 * Reading needs the `read` scope (or the resource's own `<resource>:read`, as Zendesk's OAuth scopes
 * allow; unverified for groups, brands and ticket forms). An API token reads whatever its user may.
 */
export function requireRead(caller: SupportCaller, resource: string): void {
	if (caller.scopes.includes('read') || caller.scopes.includes(`${resource}:read`)) return;
	throw forbidden(`This OAuth token lacks the read scope needed to read ${resource}`);
}
