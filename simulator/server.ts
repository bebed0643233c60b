import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import type { Faults, HttpFault } from './faults';
import { MalformedJsonError, readJson, sendJson } from './http';
import type { ControlOperation, SimModule } from './module';

export interface ControlGroups {
	[group: string]: Record<string, ControlOperation>;
}

/**
 * One HTTP server for every simulated API, routed by path (the real APIs live on different hosts,
 * but their paths do not overlap). Injected faults are applied here, before any API sees a request,
 * and no request can crash the process: a thrown error becomes a 500.
 */
export class SimulatorServer {
	readonly http: Server;
	private readonly sockets = new Set<Socket>();

	constructor(
		private readonly modules: SimModule[],
		private readonly controls: ControlGroups,
		private readonly faults: Faults,
		private readonly log: (message: string) => void,
	) {
		this.http = createServer((req, res) => {
			this.onRequest(req, res).catch((error) => this.fail(res, error));
		});
		this.http.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.once('close', () => this.sockets.delete(socket));
		});
		this.http.on('upgrade', (req, socket, head) => {
			this.onUpgrade(req, socket, head).catch((error) => {
				this.log(`upgrade failed: ${String(error)}`);
				socket.destroy();
			});
		});
		this.http.on('clientError', (_error, socket) => {
			if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
			else socket.destroy();
		});
	}

	/** Ends every open connection abruptly (WebSockets see an abnormal close), but `except`. */
	dropAllSockets(except?: Duplex): number {
		let dropped = 0;
		for (const socket of this.sockets) {
			if (socket === except) continue;
			socket.destroy();
			dropped++;
		}
		return dropped;
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/'))
			return this.onControl(req, res, url);
		const module = this.modules.find((m) => m.handles(url));
		if (!module) {
			sendJson(res, 404, {
				error: 'not_found',
				description: `no simulated API serves ${url.pathname}`,
			});
			return;
		}
		const fault = this.faults.takeHttpFault(module.api);
		await this.faults.wait(module.api);
		if (fault) return this.sendFault(res, fault, module);
		await module.handleRequest(req, res, url);
	}

	private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		socket.on('error', () => socket.destroy());
		const url = new URL(req.url ?? '/', 'http://simulator');
		const module = this.modules.find((m) => m.handlesUpgrade?.(url));
		if (!module?.handleUpgrade) {
			rejectUpgrade(socket, 404, { error: 'not_found' });
			return;
		}
		const fault = this.faults.takeHttpFault(module.api);
		await this.faults.wait(module.api);
		if (fault) {
			rejectUpgrade(
				socket,
				fault.status,
				fault.body ?? module.faultBody?.(fault.status) ?? { error: statusText(fault.status) },
				fault.retryAfter,
			);
			return;
		}
		module.handleUpgrade(req, socket, head, url);
	}

	private async onControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const [, , group, operation] = url.pathname.split('/');
		if (!group) {
			const listing = Object.fromEntries(
				Object.entries(this.controls).map(([g, ops]) => [g, Object.keys(ops)]),
			);
			sendJson(res, 200, {
				operations: listing,
				usage: 'POST /_sim/<group>/<operation> with a JSON object body',
			});
			return;
		}
		const op = this.controls[group]?.[operation ?? ''];
		if (!op || !Object.prototype.hasOwnProperty.call(this.controls[group], operation)) {
			sendJson(res, 404, {
				error: 'unknown_operation',
				description: `no control operation ${group}/${operation ?? ''}`,
			});
			return;
		}
		if (req.method !== 'POST' && req.method !== 'GET') {
			sendJson(res, 405, { error: 'method_not_allowed' });
			return;
		}
		let args: unknown;
		try {
			args = req.method === 'POST' ? await readJson(req) : Object.fromEntries(url.searchParams);
		} catch (error) {
			if (error instanceof MalformedJsonError) {
				sendJson(res, 400, { error: 'malformed_json', description: error.message });
				return;
			}
			throw error;
		}
		try {
			const result = await op(args ?? {});
			sendJson(res, 200, { result: result ?? null });
		} catch (error) {
			const code = (error as { code?: string }).code;
			const status = code === 'not_found' ? 404 : 400;
			sendJson(res, status, { error: code ?? 'invalid', description: (error as Error).message });
		}
	}

	private sendFault(res: ServerResponse, fault: HttpFault, module: SimModule): void {
		const headers: Record<string, string> = {};
		if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
		// An injected fault answers in the API's own error shape, as the real API would.
		const body = fault.body ??
			module.faultBody?.(fault.status) ?? { error: statusText(fault.status) };
		sendJson(res, fault.status, body, headers);
	}

	private fail(res: ServerResponse, error: unknown): void {
		this.log(
			`request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
		);
		if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
		else res.destroy();
	}
}

/** Answers a WebSocket upgrade with an HTTP error instead (e.g. 429 when over a connection limit). */
export function rejectUpgrade(
	socket: Duplex,
	status: number,
	body: unknown,
	retryAfter?: number,
): void {
	if (!socket.writable) return void socket.destroy();
	const text = JSON.stringify(body);
	const lines = [
		`HTTP/1.1 ${status} ${statusText(status)}`,
		'Connection: close',
		'Content-Type: application/json; charset=utf-8',
		`Content-Length: ${Buffer.byteLength(text)}`,
	];
	if (retryAfter !== undefined) lines.push(`Retry-After: ${retryAfter}`);
	socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

function statusText(status: number): string {
	const texts: Record<number, string> = {
		400: 'Bad Request',
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		409: 'Conflict',
		413: 'Payload Too Large',
		429: 'Too Many Requests',
		500: 'Internal Server Error',
		502: 'Bad Gateway',
		503: 'Service Unavailable',
		504: 'Gateway Timeout',
	};
	return texts[status] ?? 'Error';
}
