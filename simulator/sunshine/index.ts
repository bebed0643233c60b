import type { IncomingMessage, ServerResponse } from 'node:http';

import { sendJson } from '../http';
import type { SimContext, SimModule } from '../module';
import { SunshineApp } from './app';
import { authenticate } from './auth';
import { createSunshineControl } from './control';
import { SunshineError, appNotFound, forbidden, resourceNotFound } from './errors';
import { matchRoute, type Route, type RouteResult } from './router';
import { conversationRoutes } from './routes/conversations';
import { integrationRoutes } from './routes/integrations';
import { messageRoutes } from './routes/messages';
import { switchboardActionRoutes, switchboardRoutes } from './routes/switchboards';
import { userRoutes } from './routes/users';

export { SUNSHINE_SEED } from './store';
export type { DeliveryAttempt } from './delivery';

/** How many API requests `requests` keeps (a standalone simulator runs for days). */
const MAX_LOGGED_REQUESTS = 1000;

/** openapi.yaml Introduction "Request Size Limits": JSON bodies up to 100kb. */
export const JSON_BODY_LIMIT = 100 * 1024;

/**
 * Sunshine Conversations v2 (Zendesk Messaging) under /sc/v2/apps/{appId}, as
 * `https://{subdomain}.zendesk.com/sc` serves it (openapi.yaml `servers`).
 */
/** Codes for injected faults: the spec's where it has one (bad_request, unauthorized, forbidden, not_found), unverified for the rest. */
const SUNSHINE_FAULT_CODES: Record<number, string> = {
	400: 'bad_request',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found',
	409: 'conflict',
	429: 'too_many_requests',
};

export function createSunshineModule(ctx: SimContext) {
	const app = new SunshineApp(ctx);
	const routes: Route[] = [
		...userRoutes(app),
		...conversationRoutes(app),
		...messageRoutes(app),
		...switchboardActionRoutes(app),
		...switchboardRoutes(app),
		...integrationRoutes(app),
	];
	const control = createSunshineControl(app);
	/** The latest API requests (method and path, no bodies), for tests that count calls. */
	const requests: Array<{ method: string; path: string }> = [];

	async function dispatch(req: IncomingMessage, url: URL): Promise<RouteResult> {
		const match = /^\/sc\/v2\/apps\/([^/]+)(?:\/(.*))?$/.exec(url.pathname);
		if (!match) throw resourceNotFound();
		const caller = authenticate(
			req.headers.authorization,
			(id) => app.store.keys.get(id),
			Date.now(),
		);
		if (decodeURIComponent(match[1]) !== app.store.appId) throw appNotFound();
		const segments = (match[2] ?? '').split('/').map((s) => decodeURIComponent(s));
		const found = matchRoute(routes, req.method ?? 'GET', segments);
		if (!found) throw resourceNotFound();
		if ('methodNotAllowed' in found)
			throw new SunshineError(
				405,
				'method_not_allowed',
				`${req.method} is not allowed on ${url.pathname}`,
			);
		// openapi.yaml: integration scope reaches "Users, Conversations, Attachments, and Webhooks" only.
		if (!found.route.scopes.includes(caller.scope)) throw forbidden();
		const body = req.method === 'POST' || req.method === 'PATCH' ? await readBody(req) : undefined;
		return found.route.handle({ params: found.params, query: url.searchParams, body, caller });
	}

	const module = {
		api: 'sunshine' as const,
		// openapi.yaml Introduction "Errors": {errors:[{code, title}]}.
		faultBody: (status: number) =>
			new SunshineError(
				status,
				SUNSHINE_FAULT_CODES[status] ?? 'uncategorized_error',
				`injected fault: HTTP ${status}`,
			).body,
		handles: (url: URL) => url.pathname === '/sc' || url.pathname.startsWith('/sc/'),
		async handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
			requests.push({ method: req.method ?? 'GET', path: url.pathname });
			if (requests.length > MAX_LOGGED_REQUESTS) requests.shift();
			try {
				const result = await dispatch(req, url);
				sendJson(res, result.status, result.body);
			} catch (error) {
				if (error instanceof SunshineError) {
					sendJson(res, error.status, error.body);
					return;
				}
				ctx.log(
					`sunshine request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
				);
				// A 5xx "indicates that something went wrong on our end" (openapi.yaml "Errors").
				sendJson(res, 500, {
					errors: [{ code: 'internal_error', title: 'Internal server error' }],
				});
			}
		},
		control,
		requests,
		/** The app's state and delivery log, for tests in the same process. */
		app,
		close: () => app.close(),
	} satisfies SimModule & { app: SunshineApp; requests: Array<{ method: string; path: string }> };
	return module;
}

/**
 * The JSON body: over 100kb is 413, malformed JSON 400, and a body that is not declared as JSON
 * 400 ("requires that the content-type: application/json header be specified", openapi.yaml
 * Introduction). (unverified: the codes and titles of these errors)
 */
async function readBody(req: IncomingMessage): Promise<unknown> {
	const raw = await readLimited(req, JSON_BODY_LIMIT);
	if (raw === 'too_large')
		throw new SunshineError(
			413,
			'payload_too_large',
			'The request body is larger than the 100kb JSON limit',
		);
	if (raw.length === 0) return undefined;
	if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
		throw new SunshineError(
			400,
			'bad_request',
			'The content-type: application/json header is required',
		);
	}
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch {
		throw new SunshineError(400, 'bad_request', 'The request body is not valid JSON');
	}
}

/**
 * Reads up to `limit` bytes; past it, keeps draining (up to a sane bound) without storing, so the
 * client gets its 413 instead of a reset connection.
 */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
			else if (size > limit * 100) req.destroy();
		});
		req.once('end', () => resolve(size > limit ? 'too_large' : Buffer.concat(chunks)));
		req.once('error', reject);
		req.once('close', () => {
			if (!req.complete) reject(new Error('request aborted'));
		});
	});
}
