/**
 * What the two n8n benches (chat-reply.ts, messaging-reply.ts) share: the Zendesk simulator in this
 * process, a real pinned n8n (e2e/n8n-instance.ts: the 2.x line the demo runs, installed on the
 * first run, this package packed from a fresh build and installed as Community Nodes install it),
 * a recording HTTP server for the baseline's replies, and an open-loop load generator that
 * alternates the two paths in short blocks and pairs every event with its reply by a token.
 *
 * Every time is `performance.now()` of this process: the simulator (which writes the visitor's
 * message and receives our reply), the recorder (which receives the baseline's reply) and the
 * client that posts the baseline's event all live here, so one clock measures both paths.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { N8nInstance } from '../../e2e/n8n-instance';
import { SIM_SUNSHINE, SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import { quantile } from './stats';

/** The n8n the benches run on (e2e/runtime/package.json pins it). */
export const N8N_VERSION = '2.41.1';

export interface N8nBench {
	sim: Simulator;
	n8n: N8nInstance;
	recorder: Recorder;
	credentials: { chat: { id: string; name: string }; messaging: { id: string; name: string } };
	/** Where n8n's own output went. */
	n8nLog: string;
	/**
	 * Where production webhooks are called (the baseline's events): n8n.baseUrl when absent. On a
	 * queue-mode cluster (bench/queue-reply.ts) the webhook processor's, as the main serves none.
	 */
	webhookBaseUrl?: string;
	stop(): Promise<void>;
}

export async function startN8nBench(
	log: (line: string) => void,
	/** Extra environment for n8n (e.g. NODE_OPTIONS for a CPU profile of its process). */
	env?: Record<string, string>,
): Promise<N8nBench> {
	const stops: Array<() => Promise<void>> = [];
	const stop = async () => {
		for (const s of stops.reverse()) await s().catch(() => undefined);
	};
	try {
		const sim = await startSimulator({ port: 0 });
		stops.push(() => sim.close());
		const recorder = new Recorder();
		await recorder.listen();
		stops.push(() => recorder.close());
		const n8nLog = join(tmpdir(), `bench-n8n-${Date.now()}.log`);
		log(
			`  starting n8n ${N8N_VERSION} (install on the first run, build and pack of this package; its output: ${n8nLog}) …`,
		);
		const n8n = await N8nInstance.start({
			port: 0,
			line: 2,
			outputFile: n8nLog,
			env,
			log: (line) => (line.startsWith('$') ? undefined : log(`  ${line}`)),
		});
		stops.push(() => n8n.stop());
		const credentials = await createBenchCredentials(n8n, sim);
		return { sim, n8n, recorder, credentials, n8nLog, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** The benches' two credentials, pointing at the simulator (on a cluster: created through the main). */
export async function createBenchCredentials(
	n8n: N8nInstance,
	sim: Simulator,
): Promise<N8nBench['credentials']> {
	const chat = await n8n.createCredential('Zendesk Chat (bench)', 'zendeskChatApi', {
		accessToken: SIM_TOKENS.bot,
		host: 'custom',
		customBaseUrl: sim.urls.base,
	});
	const messaging = await n8n.createCredential('Zendesk Messaging (bench)', 'zendeskMessagingApi', {
		host: 'custom',
		customBaseUrl: sim.urls.base,
		appId: SIM_SUNSHINE.appId,
		keyId: SIM_SUNSHINE.keyId,
		keySecret: SIM_SUNSHINE.keySecret,
		authType: 'basic',
	});
	return { chat, messaging };
}

/** A tiny HTTP server that records when each POST arrived (the whole body read) and answers 200. */
export class Recorder {
	private server: Server | undefined;
	private listener: ((body: string, at: number) => void) | undefined;

	async listen(): Promise<void> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const at = performance.now();
				this.listener?.(Buffer.concat(chunks).toString('utf8'), at);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
			});
		});
		this.server.keepAliveTimeout = 60_000;
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/reply`;
	}

	onPost(listener: (body: string, at: number) => void): void {
		this.listener = listener;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}
}

/** n8n's Webhook node (answers at once, "When Last Node Finishes" is not what a relay needs). */
export function webhookNode(path: string, typeVersion = 2): Record<string, unknown> {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, options: {} },
	};
}

/** `event` (without the token) in one word a reply can carry back: `bench-<run>-<n>`. */
export const TOKEN = /bench-[a-z0-9]+-\d+/;

export type PathName = 'ours' | 'baseline';

/** One event sent, and when its reply arrived (undefined: none before the block's drain ended). */
export interface Probe {
	path: PathName;
	token?: string;
	sentAt: number;
	repliedAt?: number;
}

/** Pairs events with replies by their token. */
export class Probes {
	private readonly byToken = new Map<string, Probe>();
	private readonly run = Math.random().toString(36).slice(2, 8);
	private sequence = 0;
	/** Events that could not even be sent (an HTTP error of the baseline's POST, a simulator error). */
	sendErrors = 0;

	next(): string {
		return `bench-${this.run}-${++this.sequence}`;
	}

	sent(token: string, path: PathName): Probe {
		const probe: Probe = { path, token, sentAt: performance.now() };
		this.byToken.set(token, probe);
		return probe;
	}

	/** A reply whose text holds a token arrived at `at`. */
	replied(text: string | null | undefined, at: number = performance.now()): void {
		const token = text ? TOKEN.exec(text)?.[0] : undefined;
		const probe = token ? this.byToken.get(token) : undefined;
		if (probe && probe.repliedAt === undefined) probe.repliedAt = at;
	}
}

/** What one path did at one rate. */
export interface PathFigures {
	sent: number;
	replied: number;
	/** Replies not there when the block's drain ended (counted as infinitely late in the quantiles). */
	lost: number;
	/** Milliseconds; null when more than 1% (p99) or 50% (p50) of the events got no reply. */
	p50: number | null;
	p90: number | null;
	p99: number | null;
	max: number | null;
	/** Replies per second over the blocks (first event to last reply of each block), against the rate offered. */
	achievedRate: number;
	/**
	 * p99 under 1 s and nothing lost. (The load is open loop: a path that does not keep up builds a
	 * backlog within the block, which shows in its p99.)
	 */
	holds: boolean;
}

export function figures(probes: Probe[], activeSeconds: number): PathFigures {
	const latencies = probes.map((p) =>
		p.repliedAt === undefined ? Infinity : p.repliedAt - p.sentAt,
	);
	const finite = (v: number) => (Number.isFinite(v) ? v : null);
	const replied = probes.filter((p) => p.repliedAt !== undefined).length;
	const p99 = finite(quantile(latencies, 0.99));
	const achievedRate = activeSeconds > 0 ? replied / activeSeconds : 0;
	return {
		sent: probes.length,
		replied,
		lost: probes.length - replied,
		p50: finite(quantile(latencies, 0.5)),
		p90: finite(quantile(latencies, 0.9)),
		p99,
		max: finite(Math.max(...latencies)),
		achievedRate,
		holds: p99 !== null && p99 < 1000 && replied === probes.length,
	};
}

export interface BlockPlan {
	/** Events per second, open loop (sent on schedule whether or not replies keep up). */
	rate: number;
	/** Length of one block of one path. */
	blockMs: number;
	/** Blocks per path; the paths alternate ABBA so neither always goes first. */
	blocksPerPath: number;
	/** After a block, how long to wait for its last replies before the next one starts. */
	drainMs: number;
	/** Sends one event of `path` carrying `token`; returns its probe (made with probes.sent just before sending). */
	fire: (path: PathName, token: string) => Probe;
}

/**
 * Runs the blocks of one rate: ours, baseline, baseline, ours, ours, … Each block sends `rate`
 * events a second on a fixed schedule for `blockMs`, then waits until every reply is in or
 * `drainMs` has passed, so a block's backlog never spills into the next path's block.
 */
export async function alternate(
	plan: BlockPlan,
	probes: Probes,
	collected: Record<PathName, Probe[]>,
): Promise<Record<PathName, number>> {
	const active: Record<PathName, number> = { ours: 0, baseline: 0 };
	for (let block = 0; block < 2 * plan.blocksPerPath; block++) {
		const path: PathName = [0, 3].includes(block % 4) ? 'ours' : 'baseline';
		const sent: Probe[] = [];
		const count = Math.max(1, Math.round((plan.rate * plan.blockMs) / 1000));
		const start = performance.now();
		for (let i = 0; i < count; i++) {
			const due = start + (i * 1000) / plan.rate;
			const wait = due - performance.now();
			if (wait > 1) await sleep(wait);
			const token = probes.next();
			sent.push(plan.fire(path, token));
		}
		const sendingEnded = performance.now();
		const deadline = sendingEnded + plan.drainMs;
		while (sent.some((p) => p.repliedAt === undefined) && performance.now() < deadline)
			await sleep(20);
		// Replying time: from the block's first event to its last reply (or the send window, if longer).
		const last = Math.max(sendingEnded, ...sent.map((p) => p.repliedAt ?? 0));
		active[path] += (last - start) / 1000;
		collected[path].push(...sent);
		// Let n8n finish saving the block's executions before the other path starts.
		await sleep(300);
	}
	return active;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** ours / baseline, or null when either is missing. */
export function ratio(ours: number | null, baseline: number | null): number | null {
	return ours === null || baseline === null || baseline === 0 ? null : ours / baseline;
}

/** Posts JSON with fetch (keep-alive) without waiting; counts failures. */
export function postJson(
	url: string,
	body: string,
	probes: Probes,
	headers: Record<string, string> = {},
): void {
	void fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body,
	})
		.then(async (res) => {
			await res.arrayBuffer();
			if (!res.ok) probes.sendErrors += 1;
		})
		.catch(() => {
			probes.sendErrors += 1;
		});
}

/** Medians (ms) over a workflow's latest executions, as n8n recorded them: per node and in all. */
export interface ExecutionProfile {
	executions: number;
	/** stoppedAt − startedAt. */
	total: number;
	/** Each node's executionTime. */
	nodes: Record<string, number>;
	/** The part of the execution no node accounts for (the engine, saving, hooks). */
	outsideNodes: number;
}

export async function executionProfile(
	n8n: N8nInstance,
	workflowId: string,
	limit = 100,
): Promise<ExecutionProfile | undefined> {
	try {
		const page = await n8n.api<{ data: Array<Record<string, any>> }>(
			'GET',
			`/executions?workflowId=${workflowId}&includeData=true&limit=${limit}`,
		);
		const totals: number[] = [];
		const perNode: Record<string, number[]> = {};
		const outside: number[] = [];
		for (const execution of page.data) {
			if (!execution.startedAt || !execution.stoppedAt) continue;
			const total = Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt);
			totals.push(total);
			const runData = (execution.data?.resultData?.runData ?? {}) as Record<
				string,
				Array<{ executionTime?: number }>
			>;
			let inNodes = 0;
			for (const [name, runs] of Object.entries(runData)) {
				const time = runs[0]?.executionTime ?? 0;
				(perNode[name] ??= []).push(time);
				inNodes += time;
			}
			outside.push(total - inNodes);
		}
		if (totals.length === 0) return undefined;
		return {
			executions: totals.length,
			total: quantile(totals, 0.5),
			nodes: Object.fromEntries(
				Object.entries(perNode).map(([name, times]) => [name, quantile(times, 0.5)]),
			),
			outsideNodes: quantile(outside, 0.5),
		};
	} catch {
		return undefined;
	}
}

/** One execution as n8n recorded it, on the epoch clock: when it started, and when its action node started and how long it ran. */
export interface ExecutionStamp {
	startedAt: number;
	nodeStart: number;
	nodeTime: number;
}

/**
 * The latest `limit` executions of a workflow, by the token their trigger's item carries (n8n's
 * clock is the machine's: compare with `performance.timeOrigin + performance.now()`).
 */
export async function executionStamps(
	n8n: N8nInstance,
	workflowId: string,
	triggerNode: string,
	actionNode: string,
	limit: number,
): Promise<Map<string, ExecutionStamp>> {
	const stamps = new Map<string, ExecutionStamp>();
	try {
		const page = await n8n.api<{ data: Array<Record<string, any>> }>(
			'GET',
			`/executions?workflowId=${workflowId}&includeData=true&limit=${Math.min(250, limit)}`,
		);
		for (const execution of page.data) {
			const runData = execution.data?.resultData?.runData ?? {};
			const token = /Hello (bench-[a-z0-9]+-\d+)/.exec(
				JSON.stringify(runData[triggerNode] ?? ''),
			)?.[1];
			const action = runData[actionNode]?.[0];
			if (!token || !action || !execution.startedAt) continue;
			stamps.set(token, {
				startedAt: Date.parse(execution.startedAt),
				nodeStart: action.startTime,
				nodeTime: action.executionTime,
			});
		}
	} catch {
		// A diagnostic: without it the figures stand.
	}
	return stamps;
}

/** Medians (ms) of a path's timeline: event → execution started → action node started → reply. */
export interface Timeline {
	toExecution: number;
	toNode: number;
	nodeTime: number;
	nodeToReply: number;
	paired: number;
}

export function timeline(probes: Probe[], stamps: Map<string, ExecutionStamp>): Timeline {
	const origin = performance.timeOrigin;
	const rows = probes.flatMap((p) => {
		const s = p.token ? stamps.get(p.token) : undefined;
		return s && p.repliedAt !== undefined ? [{ p, s }] : [];
	});
	return {
		toExecution: quantile(
			rows.map(({ p, s }) => s.startedAt - (origin + p.sentAt)),
			0.5,
		),
		toNode: quantile(
			rows.map(({ s }) => s.nodeStart - s.startedAt),
			0.5,
		),
		nodeTime: quantile(
			rows.map(({ s }) => s.nodeTime),
			0.5,
		),
		nodeToReply: quantile(
			rows.map(({ p, s }) => origin + p.repliedAt! - s.nodeStart),
			0.5,
		),
		paired: rows.length,
	};
}

/** A workflow of one path as n8n records it: its id, its trigger's and its action node's names. */
export interface PathWorkflow {
	id: string;
	trigger: string;
	action: string;
}

/** Each path's timeline: its events paired with n8n's record of the latest executions of its workflow. */
export async function pathTimelines(
	n8n: N8nInstance,
	collected: Record<PathName, Probe[]>,
	workflows: Record<PathName, PathWorkflow>,
): Promise<Record<PathName, Timeline>> {
	const of = async (path: PathName) => {
		const { id, trigger, action } = workflows[path];
		const probes = collected[path];
		return timeline(probes, await executionStamps(n8n, id, trigger, action, probes.length + 20));
	};
	return { ours: await of('ours'), baseline: await of('baseline') };
}

/** A latency for the progress lines: whole milliseconds, or "lost". */
export function ms(value: number | null): string {
	return value === null ? 'lost' : `${Math.round(value)} ms`;
}
