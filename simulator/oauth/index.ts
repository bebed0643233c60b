import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { SIM_OAUTH_CLIENT } from '../defaults';
import { readBody, sendJson } from '../http';
import type { SimContext, SimModule } from '../module';

/**
 * Chat OAuth (NOTES.md section 2): the Zendesk-domain endpoints /oauth2/chat/authorizations/new and
 * /oauth2/chat/token, grants authorization_code, client_credentials and refresh_token (the last is
 * unverified for Chat; NOTES suggests it). The authorize page approves at once and redirects, so a
 * headless n8n can complete the flow. Issued tokens are Chat tokens in the shared world.
 */
export function createOAuthModule(ctx: SimContext) {
	const codes = new Map<string, { redirectUri: string; scopes: string[] }>();
	const refreshTokens = new Map<string, string[]>();
	let lifetimeSeconds: number = SIM_OAUTH_CLIENT.tokenLifetimeSeconds;
	const issued: Array<{ grantType: string; accessToken: string; at: number }> = [];

	function issue(grantType: string, scopes: string[]) {
		const accessToken = `sim-oauth-${randomBytes(12).toString('hex')}`;
		const refreshToken = `sim-refresh-${randomBytes(12).toString('hex')}`;
		ctx.world.addToken({
			accessToken,
			agentId: SIM_OAUTH_CLIENT.agentId,
			scopes,
			expiresAt: ctx.clock.now() + lifetimeSeconds * 1000,
		});
		refreshTokens.set(refreshToken, scopes);
		issued.push({ grantType, accessToken, at: ctx.clock.now() });
		return {
			access_token: accessToken,
			token_type: 'Bearer',
			expires_in: lifetimeSeconds,
			refresh_token: refreshToken,
			scope: scopes.join(' '),
		};
	}

	function oauthError(
		res: ServerResponse,
		status: number,
		error: string,
		description: string,
	): void {
		// RFC 6749 section 5.2 error response.
		sendJson(res, status, { error, error_description: description });
	}

	async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const raw = (await readBody(req, 100_000)).toString('utf8');
		const type = req.headers['content-type'] ?? '';
		const form = type.includes('application/json')
			? new URLSearchParams(Object.entries(safeJson(raw)))
			: new URLSearchParams(raw);
		let clientId = form.get('client_id');
		let clientSecret = form.get('client_secret');
		const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
		if (basic)
			[clientId, clientSecret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		if (clientId !== SIM_OAUTH_CLIENT.clientId || clientSecret !== SIM_OAUTH_CLIENT.clientSecret) {
			return oauthError(res, 401, 'invalid_client', 'unknown client or wrong client secret');
		}
		const scopes = (form.get('scope') ?? 'read write chat').split(/[\s,]+/).filter(Boolean);
		switch (form.get('grant_type')) {
			case 'client_credentials':
				return sendJson(res, 200, issue('client_credentials', scopes));
			case 'authorization_code': {
				const grant = codes.get(form.get('code') ?? '');
				if (!grant)
					return oauthError(res, 400, 'invalid_grant', 'unknown or used authorization code');
				codes.delete(form.get('code') ?? '');
				return sendJson(res, 200, issue('authorization_code', grant.scopes));
			}
			case 'refresh_token': {
				const granted = refreshTokens.get(form.get('refresh_token') ?? '');
				if (!granted) return oauthError(res, 400, 'invalid_grant', 'unknown refresh token');
				refreshTokens.delete(form.get('refresh_token') ?? '');
				return sendJson(res, 200, issue('refresh_token', granted));
			}
			default:
				return oauthError(
					res,
					400,
					'unsupported_grant_type',
					'grant_type must be authorization_code, client_credentials or refresh_token',
				);
		}
	}

	function authorize(url: URL, res: ServerResponse): void {
		const redirectUri = url.searchParams.get('redirect_uri');
		if (url.searchParams.get('client_id') !== SIM_OAUTH_CLIENT.clientId || !redirectUri) {
			return oauthError(res, 400, 'invalid_request', 'unknown client_id or no redirect_uri');
		}
		const code = `sim-code-${randomBytes(8).toString('hex')}`;
		codes.set(code, {
			redirectUri,
			scopes: (url.searchParams.get('scope') ?? 'read').split(/[\s,]+/).filter(Boolean),
		});
		const target = new URL(redirectUri);
		target.searchParams.set('code', code);
		const state = url.searchParams.get('state');
		if (state !== null) target.searchParams.set('state', state);
		res.writeHead(302, { location: target.toString() });
		res.end();
	}

	const module = {
		// The token endpoint shares the REST API's host ({subdomain}.zendesk.com), so its faults too.
		api: 'rest' as const,
		handles: (url: URL) => url.pathname.startsWith('/oauth2/chat/'),
		async handleRequest(req: IncomingMessage, res: ServerResponse, url: URL) {
			if (url.pathname === '/oauth2/chat/token' && req.method === 'POST') return token(req, res);
			if (url.pathname === '/oauth2/chat/authorizations/new' && req.method === 'GET')
				return authorize(url, res);
			sendJson(res, 404, { error: 'not_found' });
		},
		control: {
			issued: () => issued,
			setTokenLifetime: (a: { seconds: number }) => {
				lifetimeSeconds = a.seconds;
				return { seconds: lifetimeSeconds };
			},
		},
		close: async () => undefined,
	} satisfies SimModule;
	return module;
}

function safeJson(raw: string): Record<string, string> {
	try {
		const value = JSON.parse(raw) as unknown;
		return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
	} catch {
		return {};
	}
}
