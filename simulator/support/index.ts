import type { IncomingMessage, ServerResponse } from 'node:http';

import { sendJson } from '../http';
import type { SimContext, SimModule } from '../module';
import { RequestLog } from '../rest/request-log';
import { authenticate } from './auth';
import { SupportError, supportFaultBody } from './errors';
import { createSupportOAuth } from './oauth';
import { answer } from './routes';
import { SupportStore } from './store';
import { RESOURCE_NAMES, type ResourceName } from './types';

export { SEED_IDS } from './seed';

/** Support API base: `https://{subdomain}.zendesk.com/api/v2` (the Chat REST API's /api/v2/chat is another module). */
export const SUPPORT_PREFIX = '/api/v2';
const CHAT_PREFIX = '/api/v2/chat';

/**
 * A small read-only slice of the Zendesk Support API: what the Escalate pickers list (groups,
 * agents and admins, brands, organizations, ticket forms, ticket fields), with the API's
 * authentication (API token or OAuth), both pagination styles and its error bodies, plus the OAuth
 * endpoints n8n's zendeskOAuth2Api credential uses. Rate limits come from the fault injection
 * (`failNextHttp` with api "support", status 429 and retryAfter).
 */
export function createSupportModule(ctx: SimContext) {
	const store = new SupportStore();
	const oauth = createSupportOAuth(store);
	const requests = new RequestLog();

	const resourceOf = (name: unknown): ResourceName => {
		const resource = RESOURCE_NAMES.find((r) => r === name);
		if (!resource) throw new Error(`resource must be one of ${RESOURCE_NAMES.join(', ')}`);
		return resource;
	};

	const control = {
		/** Adds records to a resource, e.g. {resource: "groups", records: [{name: "Night Shift"}]}; ids are assigned when missing. */
		addRecords: (a: { resource: string; records: Array<Record<string, unknown>> }) => {
			if (!Array.isArray(a?.records)) throw new Error('records must be a list');
			return { added: store.add(resourceOf(a.resource), a.records).map((record) => record.id) };
		},
		/** A resource's records as stored (no `url`). */
		records: (a: { resource: string }) => store.records[resourceOf(a?.resource)],
		/** Revokes an OAuth access token: requests with it get 401 (n8n then refreshes an OAuth2 credential). */
		revokeToken: (a: { token: string }) => {
			const token = store.oauthTokens.get(String(a?.token ?? ''));
			if (!token) throw Object.assign(new Error('no such token'), { code: 'not_found' });
			token.revoked = true;
			return { revoked: true };
		},
		/** OAuth access tokens issued by /oauth/tokens, oldest first. */
		issuedTokens: () => oauth.issued(),
		/** Each request the Support API answered: {method, path, status, at}; the last `limit` when given. */
		requestLog: (a: { limit?: number } = {}) => requests.list(a?.limit),
		clearRequestLog: () => ({ cleared: requests.clear() }),
		/** Back to the seeded account: records, tokens, request log. */
		reset: () => {
			store.reset();
			oauth.reset();
			requests.clear();
			return { reset: true };
		},
	};

	const log = (req: IncomingMessage, url: URL, status: number) =>
		requests.add({
			method: req.method ?? 'GET',
			path: `${url.pathname}${url.search}`,
			status,
			at: new Date(ctx.clock.now()).toISOString(),
		});

	return {
		api: 'support' as const,
		faultBody: supportFaultBody,
		handles: (url: URL) =>
			oauth.handles(url) ||
			(url.pathname.startsWith(`${SUPPORT_PREFIX}/`) &&
				url.pathname !== CHAT_PREFIX &&
				!url.pathname.startsWith(`${CHAT_PREFIX}/`)),
		async handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
			if (oauth.handles(url)) return oauth.handle(req, res, url);
			let status = 500;
			try {
				const caller = authenticate(req.headers.authorization, store);
				// Paths work with and without ".json", as Zendesk's do.
				const segments = url.pathname
					.slice(SUPPORT_PREFIX.length + 1)
					.replace(/\.json$/, '')
					.split('/')
					.map((segment) => decodeURIComponent(segment));
				const result = answer(
					store,
					{
						method: req.method ?? 'GET',
						segments,
						query: url.searchParams,
						url: new URL(url.pathname + url.search, ctx.baseUrl()),
						caller,
					},
					ctx.baseUrl(),
				);
				status = result.status;
				sendJson(res, result.status, result.body);
			} catch (error) {
				if (error instanceof SupportError) {
					status = error.status;
					sendJson(res, error.status, error.body, error.headers);
				} else {
					ctx.log(
						`support: ${req.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
					);
					sendJson(res, 500, {
						error: 'InternalError',
						description: 'the simulator failed to answer this request (see its log)',
					});
				}
			} finally {
				log(req, url, status);
			}
		},
		control,
		/** The account's records and tokens, for tests in the same process. */
		store,
		close: async () => undefined,
	} satisfies SimModule & { store: SupportStore };
}
