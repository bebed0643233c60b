/**
 * One ingest consumer, in a process of its own (forked by ingest.ts and memory.ts). It connects to
 * the bench server, subscribes to `message`, and counts the frames that pass the filter (visitor
 * messages), in one of three modes:
 *
 * - `agent`: the real AgentSession (startAgentSession over HTTP, the socket, subscribe(), the
 *   per-frame path: parse, subscription lookup, select, de-duplication, sink) and the filter in the
 *   sink, with default options;
 * - `agent-window-1`: the same with `dedupeWindow: 1`, which leaves de-duplication next to free:
 *   what the rest of the per-frame path costs;
 * - `raw`: the baseline: plain `ws` + `JSON.parse` + the same shape check and filter;
 * - `null`: plain `ws`, counting frames without reading them: how fast the server and `ws` can go,
 *   the ceiling a consumer's throughput is measured under.
 *
 * The first `warmup` frames are not measured (JIT, connection set-up). Over the next `frames` it
 * measures wall time and the process's CPU time (user + system), and optionally the heap after a
 * full GC every `heapEvery` frames (needs --expose-gc).
 */
import WebSocket from 'ws';

import {
	AgentSession,
	createStartBudget,
	messageSubscription,
	type ChatMessageEvent,
} from '../src/conversations';
import { staticToken } from '../src/shared';
import { isVisitorMessage } from './lib/frames';
import { childPayload, report } from './lib/proc';

export type ConsumerMode = 'agent' | 'agent-window-1' | 'raw' | 'null';

export interface ConsumerConfig {
	mode: ConsumerMode;
	/** The bench server's startAgentSession URL. */
	httpUrl: string;
	warmup: number;
	frames: number;
	/** Frames per second the server sends at; 0 = as fast as this consumer drains. */
	rate: number;
	/** Sample the heap after a full GC every this many frames (0 = never). */
	heapEvery?: number;
}

export interface ConsumerReport {
	mode: ConsumerMode;
	frames: number;
	matched: number;
	wallMs: number;
	cpuMs: number;
	/** [frames seen, heapUsed bytes after GC] */
	heap: Array<[number, number]>;
	rssAfter: number;
}

const config = childPayload<ConsumerConfig>();
const total = config.warmup + config.frames;
const url = `${config.httpUrl}?frames=${total}&rate=${config.rate}`;

let seen = 0;
let matched = 0;
let t0 = 0n;
let cpu0: NodeJS.CpuUsage = { user: 0, system: 0 };
const heap: Array<[number, number]> = [];
let finish: () => void = () => undefined;
const done = new Promise<void>((resolve) => (finish = resolve));
let result: Pick<ConsumerReport, 'wallMs' | 'cpuMs'> = { wallMs: 0, cpuMs: 0 };

const gc = (globalThis as { gc?: () => void }).gc;
const heapEvery = config.heapEvery ?? 0;
if (heapEvery > 0 && !gc) throw new Error('heap sampling needs node --expose-gc');

/** Called once per frame that reached the consumer, after the filter ran. */
function counted(): void {
	seen++;
	if (seen === config.warmup) {
		t0 = process.hrtime.bigint();
		cpu0 = process.cpuUsage();
	}
	if (heapEvery > 0 && seen % heapEvery === 0) {
		gc!();
		heap.push([seen, process.memoryUsage().heapUsed]);
	}
	if (seen === total) {
		const cpu = process.cpuUsage(cpu0);
		result = {
			wallMs: Number(process.hrtime.bigint() - t0) / 1e6,
			cpuMs: (cpu.user + cpu.system) / 1000,
		};
		finish();
	}
}

async function startSessionRaw(): Promise<string> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			query:
				'mutation StartAgentSession($access_token: String!) { startAgentSession(access_token: $access_token) { websocket_url } }',
			variables: { access_token: 'bench' },
		}),
	});
	const body = (await response.json()) as {
		data: { startAgentSession: { websocket_url: string } };
	};
	return body.data.startAgentSession.websocket_url;
}

async function runRaw(readFrames: boolean): Promise<() => Promise<void>> {
	const ws = new WebSocket(await startSessionRaw(), { perMessageDeflate: false });
	const subscribeId = 1;
	let subscriptionId: unknown;
	ws.on('message', (data: Buffer) => {
		if (!readFrames && subscriptionId !== undefined) return counted();
		const frame = JSON.parse(data.toString());
		if (frame.sig === 'DATA') {
			if (frame.subscription_id !== subscriptionId) return;
			const node = frame.payload?.data?.message?.node;
			if (node === null || typeof node !== 'object' || typeof node.id !== 'string') return;
			if (isVisitorMessage(node)) matched++;
			counted();
		} else if (frame.id === subscribeId) {
			subscriptionId = frame.payload.data.subscription_id;
		}
	});
	await new Promise<void>((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	const operation = messageSubscription();
	ws.send(
		JSON.stringify({
			type: 'request',
			id: subscribeId,
			payload: {
				query: operation.document,
				variables: operation.variables,
				operationName: operation.name,
			},
		}),
	);
	return async () => {
		ws.close();
		await new Promise((resolve) => ws.once('close', resolve));
	};
}

async function runAgent(dedupeWindow?: number): Promise<() => Promise<void>> {
	const session = new AgentSession({
		tokenProvider: staticToken('bench'),
		httpUrl: url,
		startBudget: createStartBudget(),
		dedupeWindow,
	});
	session.subscribe(messageSubscription(), {
		next: (event: ChatMessageEvent) => {
			if (isVisitorMessage(event)) matched++;
			counted();
		},
		error: (error) => {
			throw error;
		},
	});
	await session.connect();
	return () => session.close();
}

async function main(): Promise<void> {
	const close =
		config.mode === 'agent'
			? await runAgent()
			: config.mode === 'agent-window-1'
				? await runAgent(1)
				: await runRaw(config.mode === 'raw');
	await done;
	await close();
	const out: ConsumerReport = {
		mode: config.mode,
		frames: config.frames,
		matched,
		heap,
		rssAfter: process.memoryUsage().rss,
		...result,
	};
	report(out);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
