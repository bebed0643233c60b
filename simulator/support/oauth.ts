import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { SIM_SUPPORT } from '../defaults';
import { readBody, sendJson } from '../http';
import { SEED_IDS } from './seed';
import type { SupportStore } from './store';

/**
 * Zendesk Support's OAuth endpoints, as n8n's zendeskOAuth2Api credential uses them:
 * `GET /oauth/authorizations/new` (here approved at once, as the admin, and redirected back with a
 * code, so a headless n8n can connect) and `POST /oauth/tokens` with grant types
 * `authorization_code` and `refresh_token` (client id and secret in the body, n8n's
 * `authentication: body`). Tokens answer `{access_token, token_type: "bearer", scope, refresh_token}`.
 * (unverified) the refresh-token details; Zendesk added refresh tokens to its OAuth in 2024.
 */
export function createSupportOAuth(store: SupportStore) {
	const codes = new Map<string, string[]>();
	const refreshTokens = new Map<string, string[]>();
	const issued: string[] = [];

	function issue(scopes: string[]) {
		const accessToken = `sim-support-oauth-${randomBytes(12).toString('hex')}`;
		const refreshToken = `sim-support-refresh-${randomBytes(12).toString('hex')}`;
		store.oauthTokens.set(accessToken, { userId: SEED_IDS.adminUser, scopes, revoked: false });
		refreshTokens.set(refreshToken, scopes);
		issued.push(accessToken);
		return {
			access_token: accessToken,
			token_type: 'bearer',
			scope: scopes.join(' '),
			refresh_token: refreshToken,
		};
	}

	const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
		sendJson(res, status, { error, error_description: description });

	async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const raw = (await readBody(req, 100_000)).toString('utf8');
		const json = (req.headers['content-type'] ?? '').includes('application/json');
		let form: URLSearchParams;
		try {
			form = json
				? new URLSearchParams(Object.entries(JSON.parse(raw || '{}') as Record<string, string>))
				: new URLSearchParams(raw);
		} catch {
			return oauthError(res, 400, 'invalid_request', 'the body is not valid JSON');
		}
		let clientId = form.get('client_id');
		let clientSecret = form.get('client_secret');
		const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
		if (basic)
			[clientId, clientSecret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		if (
			clientId !== SIM_SUPPORT.oauthClient.clientId ||
			clientSecret !== SIM_SUPPORT.oauthClient.clientSecret
		) {
			return oauthError(res, 401, 'invalid_client', 'unknown client or wrong client secret');
		}
		const grant = form.get('grant_type');
		if (grant === 'authorization_code') {
			const scopes = codes.get(form.get('code') ?? '');
			if (!scopes)
				return oauthError(res, 400, 'invalid_grant', 'unknown or used authorization code');
			codes.delete(form.get('code') ?? '');
			return sendJson(res, 200, issue(scopes));
		}
		if (grant === 'refresh_token') {
			const scopes = refreshTokens.get(form.get('refresh_token') ?? '');
			if (!scopes) return oauthError(res, 400, 'invalid_grant', 'unknown refresh token');
			refreshTokens.delete(form.get('refresh_token') ?? '');
			return sendJson(res, 200, issue(scopes));
		}
		return oauthError(
			res,
			400,
			'unsupported_grant_type',
			`grant_type ${grant ?? '(none)'} is not supported`,
		);
	}

	function authorize(res: ServerResponse, url: URL): void {
		const redirect = url.searchParams.get('redirect_uri');
		if (
			url.searchParams.get('client_id') !== SIM_SUPPORT.oauthClient.clientId ||
			!redirect ||
			!URL.canParse(redirect)
		) {
			return sendJson(res, 400, {
				error: 'invalid_request',
				error_description: 'client_id or redirect_uri is wrong',
			});
		}
		const code = `sim-support-code-${randomBytes(8).toString('hex')}`;
		codes.set(code, (url.searchParams.get('scope') ?? 'read').split(/[\s,+]+/).filter(Boolean));
		const target = new URL(redirect);
		target.searchParams.set('code', code);
		const state = url.searchParams.get('state');
		if (state !== null) target.searchParams.set('state', state);
		res.writeHead(302, { location: target.toString() });
		res.end();
	}

	return {
		handles: (url: URL) =>
			url.pathname === '/oauth/tokens' || url.pathname === '/oauth/authorizations/new',
		async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
			if (url.pathname === '/oauth/authorizations/new' && req.method === 'GET')
				return authorize(res, url);
			if (url.pathname === '/oauth/tokens' && req.method === 'POST') return token(req, res);
			sendJson(res, 405, { error: 'method_not_allowed' });
		},
		/** Access tokens issued so far, oldest first. */
		issued: () => [...issued],
		reset: () => {
			codes.clear();
			refreshTokens.clear();
			issued.length = 0;
		},
	};
}
