import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import WebSocket, { WebSocketServer } from 'ws';

import { frameTemplates, frameText, type FrameTemplate } from './frames';

/**
 * A bench-only Conversations API server: plain `ws` + node:http, speaking the documented protocol
 * just enough for the benches and nothing more (no GraphQL, no sessions to resume, no limits).
 *
 * - `POST /graphql/request` (startAgentSession) answers a websocket_url. What the socket does is set
 *   by the request's query string, copied into the websocket_url: `frames` (DATA frames to blast at
 *   every subscription, default 0) and `rate` (frames per second, 0 = as fast as the client drains).
 * - A `request` frame whose query is a subscription is acknowledged
 *   `{payload:{data:{subscription_id}},id}`, then the blast starts.
 * - Any other `request` frame is answered `{payload:{data:{<operation field>:{success:true}}},id}`
 *   (sendMessage, stopAgentSession, ...): an echo of its id.
 * - `stop_subscription` is answered `{payload:{data:{success:true}},id}` and stops that blast.
 * - `{sig:"PING",payload}` is answered `{sig:"PONG",payload}`.
 *
 * The blast respects backpressure: it keeps at most HIGH_WATER bytes buffered in `ws`/the socket
 * (`ws.bufferedAmount`) and resumes from the write callback, so a slow consumer slows the server
 * down instead of growing its memory.
 */

const HIGH_WATER = 1 << 20;
const BATCH = 64;
const SESSION_PATH = '/stream/0.1/graphql/';

export interface BenchServer {
	port: number;
	httpUrl: string;
	close(): Promise<void>;
}

interface BlastConfig {
	frames: number;
	rate: number;
}

export async function startBenchServer(port = 0): Promise<BenchServer> {
	let sessions = 0;
	const sockets = new Set<WebSocket>();
	const http = createServer((req, res) => void handleHttp(req, res));
	const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

	async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://bench');
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks).toString('utf8');
		if (
			req.method !== 'POST' ||
			url.pathname !== '/graphql/request' ||
			!body.includes('startAgentSession')
		) {
			res
				.writeHead(404, { 'content-type': 'application/json' })
				.end('{"errors":[{"message":"not found"}]}');
			return;
		}
		const sessionId = `bench${++sessions}`;
		const address = http.address() as AddressInfo;
		const websocketUrl = `ws://127.0.0.1:${address.port}${SESSION_PATH}${sessionId}:1${url.search}`;
		const answer = {
			data: {
				startAgentSession: { websocket_url: websocketUrl, session_id: sessionId, client_id: '1' },
			},
		};
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
	}

	http.on('upgrade', (req, socket, head) => {
		const url = new URL(req.url ?? '/', 'http://bench');
		if (!url.pathname.startsWith(SESSION_PATH)) {
			socket.destroy();
			return;
		}
		const config: BlastConfig = {
			frames: Number(url.searchParams.get('frames') ?? 0),
			rate: Number(url.searchParams.get('rate') ?? 0),
		};
		wss.handleUpgrade(req, socket, head, (ws) => {
			sockets.add(ws);
			ws.once('close', () => sockets.delete(ws));
			serveSocket(ws, url.pathname.slice(SESSION_PATH.length), config);
		});
	});

	await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
	const actual = (http.address() as AddressInfo).port;
	return {
		port: actual,
		httpUrl: `http://127.0.0.1:${actual}/graphql/request`,
		close: async () => {
			for (const ws of sockets) ws.terminate();
			wss.close();
			await new Promise<void>((resolve) => http.close(() => resolve()));
		},
	};
}

/** `{payload:{data:{<field>:{success:true}}},id:` for each operation name, built once. */
const answerHeads = new Map<string, string>();

function answerHead(operationName: unknown): string {
	const name =
		typeof operationName === 'string' && operationName !== '' ? operationName : 'Request';
	let head = answerHeads.get(name);
	if (head === undefined) {
		const field = name[0].toLowerCase() + name.slice(1);
		head = `{"payload":{"data":${JSON.stringify({ [field]: { success: true } })}},"id":`;
		answerHeads.set(name, head);
	}
	return head;
}

function serveSocket(ws: WebSocket, sessionKey: string, config: BlastConfig): void {
	const blasts = new Map<string, Blast>();
	let subscriptions = 0;
	ws.on('error', () => undefined);
	ws.on('close', () => {
		for (const blast of blasts.values()) blast.stop();
		blasts.clear();
	});
	ws.on('message', (data: Buffer) => {
		let frame: {
			sig?: unknown;
			type?: unknown;
			id?: unknown;
			payload?: { query?: unknown; operationName?: unknown; subscription_id?: unknown };
		};
		try {
			frame = JSON.parse(data.toString());
		} catch {
			return;
		}
		if (frame.sig === 'PING') {
			ws.send(`{"sig":"PONG","payload":${JSON.stringify(frame.payload ?? null)}}`);
			return;
		}
		const id = JSON.stringify(frame.id ?? null);
		if (frame.type === 'stop_subscription') {
			const subscriptionId = String(frame.payload?.subscription_id);
			blasts.get(subscriptionId)?.stop();
			blasts.delete(subscriptionId);
			ws.send(`{"payload":{"data":{"success":true}},"id":${id}}`);
			return;
		}
		if (frame.type !== 'request') return;
		const query = typeof frame.payload?.query === 'string' ? frame.payload.query : '';
		if (query.trimStart().startsWith('subscription')) {
			const subscriptionId = `${sessionKey}.sub${++subscriptions}`;
			ws.send(`{"payload":{"data":{"subscription_id":"${subscriptionId}"}},"id":${id}}`);
			if (config.frames > 0) {
				const blast = new Blast(ws, frameTemplates(subscriptionId), config.frames, config.rate);
				blasts.set(subscriptionId, blast);
				blast.start();
			}
			return;
		}
		ws.send(`${answerHead(frame.payload?.operationName)}${id}}`);
	});
}

/** One subscription's stream of `total` distinct DATA frames. */
class Blast {
	private sent = 0;
	private stopped = false;
	private timer: NodeJS.Timeout | undefined;
	private startedAt = 0;
	/** ws's underlying socket (not public API, but stable across ws 8): only used to cork a batch. */
	private readonly socket: Socket;

	constructor(
		private readonly ws: WebSocket,
		private readonly templates: FrameTemplate[],
		private readonly total: number,
		private readonly rate: number,
	) {
		this.socket = (ws as unknown as { _socket: Socket })._socket;
	}

	start(): void {
		this.startedAt = performance.now();
		if (this.rate > 0) this.timer = setInterval(() => this.pump(), 1);
		else this.pump();
	}

	stop(): void {
		this.stopped = true;
		clearInterval(this.timer);
	}

	/** Sends until the buffer is full, the paced budget is spent, or every frame is out. */
	private readonly pump = (): void => {
		const ws = this.ws;
		if (this.stopped || ws.readyState !== WebSocket.OPEN) return this.stop();
		const limit =
			this.rate > 0
				? Math.min(
						this.total,
						Math.floor(((performance.now() - this.startedAt) * this.rate) / 1000),
					)
				: this.total;
		while (this.sent < limit && ws.bufferedAmount < HIGH_WATER) {
			const end = Math.min(limit, this.sent + BATCH);
			// One write (writev) per batch instead of one per frame: ws writes each frame on its own,
			// and a syscall per frame would make the server, not the consumer, the bottleneck.
			this.socket.cork();
			for (; this.sent < end - 1; this.sent++) ws.send(frameText(this.templates, this.sent));
			// The batch's last frame calls back once it is written out: room for more, maybe.
			ws.send(frameText(this.templates, this.sent++), this.rate > 0 ? undefined : this.onWritten);
			this.socket.uncork();
		}
		if (this.sent >= this.total) this.stop();
	};

	private readonly onWritten = (error?: Error): void => {
		if (!error) this.pump();
	};
}
