import type { IncomingMessage, ServerResponse } from 'node:http';

import { SIM_MODEL } from '../defaults';
import { bearerToken, readJson, sendJson } from '../http';
import type { SimContext, SimModule } from '../module';
import { decide, type Decision, type Turn } from './brain';
import {
	chatCompletionAnswer,
	responsesAnswer,
	turnOfChatCompletions,
	turnOfResponses,
} from './wire';

export { ANSWERS as MODEL_ANSWERS, intentOf } from './brain';

const PREFIX = '/v1';

/** One request the model answered: what it read and what it decided. */
export interface ModelTurnRecord {
	api: 'responses' | 'chat.completions';
	at: number;
	turn: Turn;
	decision: Decision;
}

/** OpenAI's error body: `{error: {message, type, code}}`. */
const openAiError = (message: string, type: string, code: string | null) => ({
	error: { message, type, param: null, code },
});

/**
 * A scripted, deterministic chat model with the OpenAI API's shape (brain.ts decides), for n8n's
 * OpenAI Chat Model node pointed at `<simulator>/v1`: GET /v1/models (the node's model list),
 * POST /v1/responses and POST /v1/chat/completions (wire.ts). Not a Zendesk API: it lets the AI
 * agent example run offline. Streaming is not served (n8n's AI Agent asks without it).
 */
export function createModelModule(ctx: SimContext) {
	const turns: ModelTurnRecord[] = [];
	let seq = 0;

	const control = {
		/** Every turn the model answered, oldest first; the last `limit` when given. */
		turns: (a: { limit?: number } = {}) => (a?.limit ? turns.slice(-a.limit) : turns.slice()),
		reset: () => ({ cleared: turns.splice(0).length }),
	};

	const module: SimModule & { control: typeof control } = {
		api: 'model',
		handles: (url) => url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`),
		async handleRequest(req: IncomingMessage, res: ServerResponse, url: URL) {
			if (bearerToken(req) !== SIM_MODEL.apiKey) {
				return sendJson(
					res,
					401,
					openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
				);
			}
			const path = url.pathname.slice(PREFIX.length);
			if (req.method === 'GET' && path === '/models') {
				return sendJson(res, 200, {
					object: 'list',
					data: [
						{ id: SIM_MODEL.model, object: 'model', created: 0, owned_by: 'zendesk-simulator' },
					],
				});
			}
			const api =
				req.method === 'POST' && path === '/responses'
					? 'responses'
					: req.method === 'POST' && path === '/chat/completions'
						? 'chat.completions'
						: undefined;
			if (!api)
				return sendJson(
					res,
					404,
					openAiError(
						`Unknown request URL: ${req.method} ${url.pathname}.`,
						'invalid_request_error',
						'unknown_url',
					),
				);
			let body: Record<string, unknown>;
			try {
				body = (await readJson(req)) as Record<string, unknown>;
			} catch {
				return sendJson(
					res,
					400,
					openAiError(
						'We could not parse the JSON body of your request.',
						'invalid_request_error',
						null,
					),
				);
			}
			if (body?.stream === true)
				return sendJson(
					res,
					400,
					openAiError(
						"The simulator's scripted model does not stream.",
						'invalid_request_error',
						'unsupported_value',
					),
				);
			const turn = api === 'responses' ? turnOfResponses(body) : turnOfChatCompletions(body);
			const decision = decide(turn);
			turns.push({ api, at: ctx.clock.now(), turn, decision });
			const id = String(++seq).padStart(6, '0');
			const model = typeof body.model === 'string' ? body.model : SIM_MODEL.model;
			const createdAt = Math.floor(ctx.clock.now() / 1000);
			sendJson(
				res,
				200,
				api === 'responses'
					? responsesAnswer(decision, model, id, createdAt)
					: chatCompletionAnswer(decision, model, id, createdAt),
			);
		},
		control,
		close: async () => undefined,
	};
	return module;
}
