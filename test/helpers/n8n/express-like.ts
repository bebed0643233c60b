import type { IncomingMessage, ServerResponse } from 'node:http';

import type { ExpressLikeResponse } from './harness';

/** A node:http request with what n8n's body parsing adds before a webhook node runs. */
export type ExpressLikeRequest = IncomingMessage & {
	body: unknown;
	rawBody: Buffer;
	query: Record<string, string>;
	params: Record<string, string>;
};

/**
 * Reads the whole body, keeps the bytes as `rawBody` and parses JSON into `body`, as n8n's
 * rawBodyReader and parseBody do. (n8n answers 422 itself to a JSON body it cannot parse; here the
 * node sees it, with `body` left empty, as it would see any body n8n does not parse.)
 */
export async function expressRequest(req: IncomingMessage): Promise<ExpressLikeRequest> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const rawBody = Buffer.concat(chunks);
	let body: unknown = {};
	if (/^application\/json\b/i.test(req.headers['content-type'] ?? '') && rawBody.length > 0) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
	}
	const url = new URL(req.url ?? '/', 'http://localhost');
	return Object.assign(req, {
		body,
		rawBody,
		query: Object.fromEntries(url.searchParams),
		params: {},
	});
}

/** express's status/json/send over a node:http response. */
export function expressResponse(
	res: ServerResponse,
): ExpressLikeResponse & { readonly statusCode: number } {
	const wrapped = {
		get statusCode() {
			return res.statusCode;
		},
		status(code: number) {
			res.statusCode = code;
			return wrapped;
		},
		json(body: unknown) {
			if (!res.headersSent) res.setHeader('content-type', 'application/json; charset=utf-8');
			res.end(JSON.stringify(body));
			return wrapped;
		},
		send(body?: unknown) {
			res.end(
				body === undefined
					? undefined
					: typeof body === 'string' || Buffer.isBuffer(body)
						? body
						: JSON.stringify(body),
			);
			return wrapped;
		},
		end() {
			if (!res.writableEnded) res.end();
			return wrapped;
		},
	};
	return wrapped;
}
