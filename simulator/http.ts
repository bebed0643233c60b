import type { IncomingMessage, ServerResponse } from 'node:http';

/** Thrown by readBody when a body is larger than the API accepts. */
export class BodyTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`request body is larger than ${limit} bytes`);
	}
}

/** Thrown by readJson when the body is not JSON. */
export class MalformedJsonError extends Error {}

/** The whole request body, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new BodyTooLargeError(limit);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** The request body parsed as JSON; an empty body is `undefined`. */
export async function readJson(req: IncomingMessage, limit?: number): Promise<unknown> {
	const body = await readBody(req, limit);
	if (body.length === 0) return undefined;
	try {
		return JSON.parse(body.toString('utf8'));
	} catch {
		throw new MalformedJsonError('request body is not valid JSON');
	}
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string | number> = {},
): void {
	if (res.headersSent) return;
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/** The bearer token of an Authorization header, if it has one. */
export function bearerToken(req: IncomingMessage): string | undefined {
	const header = req.headers.authorization;
	if (!header) return undefined;
	const match = /^Bearer\s+(.+)$/i.exec(header.trim());
	return match ? match[1].trim() : undefined;
}
