/**
 * Send on a warm session: the round trip of one sendMessage through AgentSession against a raw
 * `ws` client sending the same request frame and awaiting the answer with its id, both on the same
 * bench server (its own process) and both in this process, measured one call at a time, interleaved.
 *
 * Variants, each timed from the call to the parsed answer:
 * - `raw`: JSON.stringify the request frame (same document, variables with a fresh msg_id), send,
 *   await the frame with the echoed id, JSON.parse it.
 * - `agent`: `session.request(sendMessage({...}))`, which is what the action node does: the
 *   operation is built (input validated, msg_id generated), rate-limited, sent, correlated, and its
 *   answer validated.
 * - `agent, prebuilt operation`: `session.request(operation)` with the operation built beforehand,
 *   to show how much of the difference is building the operation.
 *
 * Each round trip is split in three by timestamps on the client's socket (its `send` and the
 * arrival of a frame): before the frame is handed to `ws`, the network (the server's process
 * included), and after the answer arrived until the caller has the result.
 *
 * AgentSession keeps under the documented 100 requests per second per session, which would make a
 * tight loop measure the limiter's waits. Calls therefore go in bursts of BURST per variant every
 * BURST_EVERY_MS (80 agent requests a second), so the limiter never waits and every call is a
 * back-to-back round trip on a warm socket.
 */
import { randomUUID } from 'node:crypto';

import WebSocket from 'ws';

import { AgentSession, createStartBudget, sendMessage, type Operation } from '../src/conversations';
import { staticToken } from '../src/shared';
import { startServerProcess } from './lib/proc';
import { fixed, median, quantile } from './lib/stats';

const VARIANTS = ['raw', 'agent', 'agentPrebuilt'] as const;
type Variant = (typeof VARIANTS)[number];

export interface VariantFigures {
	/** Round trip, microseconds. */
	p50: number;
	p90: number;
	p99: number;
	/** Medians of the three parts of the round trip, microseconds. */
	beforeSend: number;
	network: number;
	afterAnswer: number;
}

export interface SendResult {
	samples: number;
	figures: Record<Variant, VariantFigures>;
	/** Median of the per-burst ratios agent/raw (medians within a burst). */
	ratio: number;
	ratioPrebuilt: number;
}

const BURST = 20;
const BURST_EVERY_MS = 500;
const CHANNEL_ID = Buffer.from(
	JSON.stringify([
		['localId', '2501.1000'],
		['type', 'CHANNEL'],
	]),
).toString('base64');
const TEXT = 'Thanks for waiting, I am looking into it now.';

/** Timestamps of the last frame handed to a socket and of the last frame read from one. */
const marks = { sent: 0n, answered: 0n };

/** Stamps the socket's sends and arrivals (all sends of these sockets are the benched requests). */
function stamp(ws: WebSocket): void {
	const send = ws.send.bind(ws) as (...args: unknown[]) => void;
	ws.send = ((...args: unknown[]) => {
		marks.sent = process.hrtime.bigint();
		send(...args);
	}) as WebSocket['send'];
	ws.prependListener('message', () => {
		marks.answered = process.hrtime.bigint();
	});
}

class RawClient {
	private lastId = 0;
	private readonly pending = new Map<number, (frame: unknown) => void>();
	private readonly template: Operation<unknown>;

	private constructor(readonly ws: WebSocket) {
		this.template = sendMessage({ channelId: CHANNEL_ID, message: TEXT });
		ws.on('message', (data: Buffer) => {
			const frame = JSON.parse(data.toString()) as { id?: number };
			if (typeof frame.id !== 'number') return;
			const resolve = this.pending.get(frame.id);
			if (resolve === undefined) return;
			this.pending.delete(frame.id);
			resolve(frame);
		});
	}

	static async connect(httpUrl: string): Promise<RawClient> {
		const response = await fetch(httpUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				query:
					'mutation StartAgentSession($access_token: String!) { startAgentSession(access_token: $access_token) { websocket_url } }',
				variables: { access_token: 'raw' },
			}),
		});
		const body = (await response.json()) as {
			data: { startAgentSession: { websocket_url: string } };
		};
		const ws = new WebSocket(body.data.startAgentSession.websocket_url, {
			perMessageDeflate: false,
		});
		await new Promise<void>((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('error', reject);
		});
		return new RawClient(ws);
	}

	/** The same request frame sendMessage makes, with a fresh msg_id; resolves with the parsed answer. */
	send(message: string): Promise<unknown> {
		const id = ++this.lastId;
		const answer = new Promise<unknown>((resolve) => this.pending.set(id, resolve));
		const payload = {
			query: this.template.document,
			variables: { channel_id: CHANNEL_ID, msg: message, msg_id: randomUUID() },
			operationName: this.template.name,
		};
		this.ws.send(JSON.stringify({ type: 'request', id, payload }));
		return answer;
	}

	close(): void {
		this.ws.close();
	}
}

interface Call {
	total: number;
	beforeSend: number;
	network: number;
	afterAnswer: number;
}

async function timed(call: () => Promise<unknown>): Promise<Call> {
	const t0 = process.hrtime.bigint();
	await call();
	const t1 = process.hrtime.bigint();
	const us = (from: bigint, to: bigint) => Number(to - from) / 1000;
	return {
		total: us(t0, t1),
		beforeSend: us(t0, marks.sent),
		network: us(marks.sent, marks.answered),
		afterAnswer: us(marks.answered, t1),
	};
}

export async function runSend(options: {
	bursts: number;
	warmupBursts: number;
	log?: (line: string) => void;
}): Promise<SendResult> {
	const log = options.log ?? (() => undefined);
	const server = await startServerProcess();
	const session = new AgentSession({
		tokenProvider: staticToken('bench'),
		httpUrl: server.httpUrl,
		startBudget: createStartBudget(),
	});
	const raw = await RawClient.connect(server.httpUrl);
	await session.connect();
	// The session's socket is private; the bench only stamps its sends and arrivals.
	const sessionSocket = (session as unknown as { ws?: WebSocket }).ws;
	if (!sessionSocket) throw new Error('the session has no socket to stamp');
	stamp(sessionSocket);
	stamp(raw.ws);

	const calls: Record<Variant, Call[]> = { raw: [], agent: [], agentPrebuilt: [] };
	const burstRatios: number[] = [];
	const burstRatiosPrebuilt: number[] = [];
	const variants: Record<Variant, () => Promise<Call>> = {
		raw: () => timed(() => raw.send(TEXT)),
		agent: () =>
			timed(() => session.request(sendMessage({ channelId: CHANNEL_ID, message: TEXT }))),
		agentPrebuilt: () => {
			const operation = sendMessage({ channelId: CHANNEL_ID, message: TEXT });
			return timed(() => session.request(operation));
		},
	};
	try {
		for (let burst = 0; burst < options.warmupBursts + options.bursts; burst++) {
			const started = Date.now();
			const inBurst: Record<Variant, Call[]> = { raw: [], agent: [], agentPrebuilt: [] };
			for (let i = 0; i < BURST; i++) {
				// Rotate the order, so no variant always runs right after another one.
				for (let k = 0; k < VARIANTS.length; k++) {
					const name = VARIANTS[(i + burst + k) % VARIANTS.length];
					inBurst[name].push(await variants[name]());
				}
			}
			if (burst >= options.warmupBursts) {
				for (const name of VARIANTS) calls[name].push(...inBurst[name]);
				const med = (name: Variant) => median(inBurst[name].map((c) => c.total));
				burstRatios.push(med('agent') / med('raw'));
				burstRatiosPrebuilt.push(med('agentPrebuilt') / med('raw'));
				if ((burst - options.warmupBursts) % 10 === 9) {
					const all = (name: Variant) => fixed(median(calls[name].map((c) => c.total)), 0);
					log(
						`  send: ${burst + 1 - options.warmupBursts}/${options.bursts} bursts, median raw ${all('raw')} µs, agent ${all('agent')} µs`,
					);
				}
			}
			await new Promise((resolve) =>
				setTimeout(resolve, Math.max(0, BURST_EVERY_MS - (Date.now() - started))),
			);
		}
	} finally {
		raw.close();
		await session.close();
		await server.stop();
	}
	const figures = (list: Call[]): VariantFigures => {
		const totals = list.map((c) => c.total);
		return {
			p50: median(totals),
			p90: quantile(totals, 0.9),
			p99: quantile(totals, 0.99),
			beforeSend: median(list.map((c) => c.beforeSend)),
			network: median(list.map((c) => c.network)),
			afterAnswer: median(list.map((c) => c.afterAnswer)),
		};
	};
	return {
		samples: calls.raw.length,
		figures: {
			raw: figures(calls.raw),
			agent: figures(calls.agent),
			agentPrebuilt: figures(calls.agentPrebuilt),
		},
		ratio: median(burstRatios),
		ratioPrebuilt: median(burstRatiosPrebuilt),
	};
}

if (require.main === module) {
	runSend({ bursts: 30, warmupBursts: 5, log: console.log })
		.then((result) => console.log(JSON.stringify(result, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
