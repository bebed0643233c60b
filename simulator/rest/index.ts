import type { IncomingMessage, ServerResponse } from 'node:http';

import { BodyTooLargeError, bearerToken, MalformedJsonError, readJson, sendJson } from '../http';
import type { SimContext, SimModule } from '../module';
import { retryAfterSeconds } from '../rate-window';
import { WorldError } from '../world/chat-world';
import { errorBody, RestError, UNAUTHORIZED_DESCRIPTION } from './errors';
import { RequestLog, type LoggedRequest } from './request-log';
import { findRoute, scopeFor } from './routes';
import { seedChats, type SeedChatsArgs } from './seed-chats';
import type { RestEnv, RestReply, RestRequest } from './types';

/** NOTES.md section 3: base URL https://{subdomain}.zendesk.com/api/v2/chat/. */
export const REST_PREFIX = '/api/v2/chat';

/**
 * The Chat REST API (seeds/chat-rest-api-chats.txt, NOTES.md section 3): chats (list, ids map,
 * show, update, delete, search), the incremental chat export, departments and agents, rendered
 * from the shared ChatWorld.
 *
 * Every request, in this order:
 * 1. `Authorization: Bearer <token>` must be a valid, unrevoked, unexpired token: else 401. Such a
 *    request is not counted against the budget (the account is unknown until the token is).
 * 2. It takes one request from the account's budget, 200 a minute shared with Streaming API
 *    connections (seeds/chat-streaming-api.txt "Rate Limits"; NOTES.md section 3): when spent, 429
 *    with Retry-After in seconds (NOTES: clients honour Retry-After).
 * 3. Unknown path: 404; known path, other method: 405 with Allow.
 * 4. GET needs scope `read` (NOTES.md section 2); PUT and DELETE need `write` (unverified): else 403.
 * Errors are `{error: <HTTP status text>, description}` (see errors.ts).
 */
export function createRestModule(ctx: SimContext) {
	const requests = new RequestLog();
	const budgetKey = String(ctx.world.accountId);
	const env: RestEnv = { world: ctx.world, restBase: () => `${ctx.baseUrl()}${REST_PREFIX}` };

	const reply = (req: IncomingMessage, res: ServerResponse, url: URL, answer: RestReply): void => {
		const entry: LoggedRequest = {
			method: req.method ?? 'GET',
			path: `${url.pathname}${url.search}`,
			status: answer.status,
			at: new Date(ctx.clock.now()).toISOString(),
		};
		requests.add(entry);
		if (answer.status === 204) {
			res.writeHead(204, answer.headers ?? {});
			res.end();
			return;
		}
		sendJson(res, answer.status, answer.body, answer.headers ?? {});
	};

	const answer = async (req: IncomingMessage, url: URL): Promise<RestReply> => {
		const token = ctx.world.authenticate(bearerToken(req));
		if (!token)
			return failure(
				new RestError(401, UNAUTHORIZED_DESCRIPTION, { 'www-authenticate': 'Bearer' }),
			);

		const decision = ctx.restBudget.take(budgetKey);
		if (!decision.allowed) {
			const seconds = retryAfterSeconds(decision.retryAfterMs);
			return failure(
				new RestError(
					429,
					`Rate limit exceeded: ${ctx.restBudget.limit} requests per minute per account (Chat REST API requests and ` +
						`Streaming API connections together). Retry after ${seconds} seconds.`,
					{ 'retry-after': String(seconds) },
				),
			);
		}

		const segments = pathSegments(url);
		const route = segments && findRoute(segments);
		if (!segments || !route)
			return failure(new RestError(404, `no Chat REST API endpoint at ${url.pathname}`));
		const method = req.method ?? 'GET';
		const handler = route.methods[method];
		if (!handler) {
			const allow = Object.keys(route.methods).join(', ');
			return failure(
				new RestError(405, `${method} is not allowed on ${url.pathname} (allowed: ${allow})`, {
					allow,
				}),
			);
		}
		const scope = scopeFor(method);
		if (!token.scopes.includes(scope)) {
			return failure(
				new RestError(
					403,
					`this OAuth token lacks the "${scope}" scope that ${method} ${url.pathname} needs`,
				),
			);
		}

		const request: RestRequest = {
			method,
			url,
			segments,
			agentId: token.agentId,
			readBody: () => readBody(req),
		};
		try {
			return await handler(env, request);
		} catch (error) {
			if (error instanceof RestError) return failure(error);
			if (error instanceof WorldError)
				return failure(new RestError(error.code === 'not_found' ? 404 : 400, error.message));
			throw error;
		}
	};

	const control = {
		/** Each request the REST API answered: {method, path, status, at}; the last `limit` when given. */
		requestLog: (a: { limit?: number } = {}) => requests.list(a?.limit),
		clearRequestLog: () => ({ cleared: requests.clear() }),
		/** The account's shared budget (REST requests and Streaming connections) in the current minute. */
		budgetUsed: () => {
			const used = ctx.restBudget.used(budgetKey);
			return {
				used,
				limit: ctx.restBudget.limit,
				remaining: Math.max(0, ctx.restBudget.limit - used),
				windowMs: ctx.restBudget.windowMs,
			};
		},
		/** Forgets the budget's counted requests (all of the account's). */
		resetBudget: () => {
			ctx.restBudget.reset();
			return { reset: true };
		},
		/** Creates many finished chats spread over time (see seed-chats.ts). */
		seedChats: (a: SeedChatsArgs) => seedChats(ctx.world, a),
	};

	return {
		api: 'rest' as const,
		faultBody: (status: number) => errorBody(status, `injected fault: HTTP ${status}`),
		handles: (url: URL) =>
			url.pathname === REST_PREFIX || url.pathname.startsWith(`${REST_PREFIX}/`),
		handleRequest: async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
			let result: RestReply;
			try {
				result = await answer(req, url);
			} catch (error) {
				ctx.log(
					`rest: ${req.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
				);
				result = failure(
					new RestError(500, 'the simulator failed to answer this request (see its log)'),
				);
			}
			reply(req, res, url, result);
		},
		control,
		close: async () => undefined,
	} satisfies SimModule;
}

function failure(error: RestError): RestReply {
	return {
		status: error.status,
		body: errorBody(error.status, error.message),
		headers: error.headers,
	};
}

/** Decoded segments after /api/v2/chat/, or undefined when the path cannot be decoded. */
function pathSegments(url: URL): string[] | undefined {
	const rest = url.pathname.slice(REST_PREFIX.length + 1);
	try {
		return rest.split('/').map(decodeURIComponent);
	} catch {
		return undefined;
	}
}

async function readBody(req: IncomingMessage): Promise<unknown> {
	try {
		return await readJson(req);
	} catch (error) {
		if (error instanceof MalformedJsonError)
			throw new RestError(400, 'the request body is not valid JSON');
		if (error instanceof BodyTooLargeError) throw new RestError(413, error.message);
		throw error;
	}
}
