/**
 * `npm run bench`: every bench, one after the other, each against its raw baseline in the same run,
 * then a Markdown summary on stdout. These are measurements, not tests: nothing here fails on a
 * figure, and the verdicts only compare the ratios with the design targets of the issue.
 *
 *   npm run bench                  # every bench (about 17 minutes on 2 cores; the n8n ones about 10 of them, the queue one 4)
 *   npm run bench -- --quick       # fewer rounds and frames: a smoke run of the harness (~30 s)
 *   npm run bench -- --write       # also replace the results sections of docs/benchmarks.md
 *   npm run bench -- --only ingest,send
 *   npm run bench -- --only relay --write   # only the relay section of the docs is replaced
 *   npm run bench -- --only chatReply,messagingReply   # the two benches through a real n8n
 *   npm run bench -- --json        # also write bench/results.json (ratios, absolute figures, machine)
 *   npm run bench -- --only export --write   # Export and Search, Return All, at the REST rate limit (bench:export)
 *   npm run bench -- --only queueReply      # the Chat bench on a queue-mode cluster, relayed sends (bench:queue)
 *
 * docs/benchmarks.md has five results sections: the four core benches' (between the
 * bench:results markers), the relay bench's (bench:relay), the n8n benches' (bench:n8n), the
 * queue-mode Chat bench's (bench:queue) and Export's (bench:export). --write replaces a section
 * only when a bench of it ran, so `--only relay --write` leaves the others as they were.
 *
 * queueReply needs redis-server and PostgreSQL (Debian's postgresql: initdb, pg_ctl), as the
 * queue-mode e2e suite does: a default run includes it when they are installed and says it skipped
 * it when not.
 */
import { cpus, loadavg, totalmem, type } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { runExport, type ExportResult } from './export';
import { runIngest, type IngestResult } from './ingest';
import { n8nSection, N8N_NODE_VERSION, runN8nBenches, type N8nResults } from './n8n-report';
import { N8N_VERSION } from './lib/n8n-bench';
import { runMemory, type MemoryResult } from './memory';
import {
	queuePrerequisitesMissing,
	queueSection,
	runQueueReply,
	type QueueReplyResult,
} from './queue-reply';
import { runRecovery, type RecoveryResult } from './recovery';
import { runRelay, type RelayResult } from './relay';
import { runSend, type SendResult } from './send';
import { fixed, mib, thousands } from './lib/stats';

const BENCHES = [
	'ingest',
	'send',
	'memory',
	'recovery',
	'relay',
	'chatReply',
	'messagingReply',
	'queueReply',
	'export',
] as const;
type Bench = (typeof BENCHES)[number];

const { values } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		write: { type: 'boolean', default: false },
		only: { type: 'string' },
		json: { type: 'boolean', default: false },
	},
});

const only = new Set(
	(values.only ?? BENCHES.join(',')).split(',').map((name) => name.trim()) as Bench[],
);
for (const name of only)
	if (!BENCHES.includes(name))
		throw new Error(`unknown bench ${name}; known: ${BENCHES.join(', ')}`);
const quick = values.quick === true;

const TARGETS = {
	ingestRate: 50_000,
	ingestRatio: 1.25,
	sendRatio: 1.2,
	recoveryMs: 500,
	/** A send relayed to the session's holder over Redis, against the same send made in the holder. */
	relayRatio: 1.5,
	/** "Flat": less growth past warm-up than this (a leak of 8 bytes a frame would be about 7 MiB). */
	memoryGrowth: 1024 * 1024,
	/** Export and Search with Return All: time against the floor the 200 requests/min set, and no 429. */
	exportRatio: 1.05,
};

interface Results {
	ingest?: IngestResult;
	send?: SendResult;
	memory?: MemoryResult;
	recovery?: RecoveryResult;
	relay?: RelayResult;
	n8n?: N8nResults;
	queue?: QueueReplyResult;
	export?: ExportResult;
}

/**
 * bench/results.json's figures (lower is better; ratios unless the name says otherwise), one line
 * each: a key whose bench did not run (undefined) is left out.
 */
const RESULT_KEYS: Array<[string, (r: Results) => number | null | undefined]> = [
	['chatEventToReplyP50', (r) => r.n8n?.chatReply?.headline.p50Ratio],
	['chatEventToReplyP99', (r) => r.n8n?.chatReply?.headline.p99Ratio],
	['messagingEventToReplyP50', (r) => r.n8n?.messagingReply?.headline.p50Ratio],
	// The same with N8N_EXPRESSION_ENGINE_POOL_SIZE=4 on n8n (the README's advice), both paths.
	['messagingEventToReplyP50Pool', (r) => r.n8n?.messagingReplyPool?.headline.p50Ratio],
	['ownTimeP99Ms', (r) => r.n8n?.ownTime?.variants.defaultsNewChat.totalP99],
	['warmSend', (r) => r.send?.ratio],
	['ingestCpu', (r) => r.ingest?.flatCpuRatio],
	['ingestWall', (r) => r.ingest?.flatWallRatio],
	['relayCore', (r) => r.relay?.ratio],
	['relayedSend', (r) => r.queue?.chat.headline.p50Ratio],
	['exportVsFloor', (r) => r.export?.ratio],
];

function verdict(met: boolean): string {
	return met ? 'met' : '**not met**';
}

function machine(): string {
	const cpu = cpus();
	const load = loadavg()
		.map((l) => l.toFixed(2))
		.join(', ');
	return [
		`- CPU: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}; ${Math.round(totalmem() / 1024 ** 3)} GiB RAM; ${type()}`,
		`- Node ${process.version}; load average before the run: ${load}`,
		`- Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${command()}\``,
	].join('\n');
}

/** The command line of this run, as run. */
function command(): string {
	const flags = [
		quick ? '--quick' : '',
		values.only !== undefined ? `--only ${[...only].join(',')}` : '',
		values.json ? '--json' : '',
	].filter(Boolean);
	return `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
}

function ingestSection(r: IngestResult): string {
	const row = (name: string, f: IngestResult['flat']['agent']) =>
		`| ${name} | ${thousands(f.framesPerSecond)} | ${fixed(f.cpuMicrosPerFrame)} | ${fixed(f.coreShare * 100, 0)}% |`;
	const pacedRow = (name: string, f: IngestResult['paced']['agent']) =>
		`| ${name} | ${thousands(f.framesPerSecond)} | ${fixed(f.cpuMicrosPerFrame)} | ${fixed(f.coreShare * 100, 0)}% |`;
	// Sustained: it kept up with the paced stream, and flat out it goes at least that fast.
	const sustained =
		r.paced.agent.framesPerSecond >= 0.99 * r.options.pacedRate &&
		r.flat.agent.framesPerSecond >= TARGETS.ingestRate;
	return [
		`### Ingest (${r.options.rounds} rounds × ${thousands(r.options.frames)} frames flat out, ${r.options.pacedRounds} × ${thousands(r.options.pacedFrames)} paced; medians)`,
		'',
		'Flat out (the server sends as fast as the consumer drains):',
		'',
		'| consumer | frames/s | CPU µs/frame | CPU / wall |',
		'| --- | ---: | ---: | ---: |',
		row('AgentSession + filter', r.flat.agent),
		row('AgentSession, `dedupeWindow: 1` + filter', r.flat['agent-window-1']),
		row('raw ws + JSON.parse + filter', r.flat.raw),
		row('ws only, frames unread (server ceiling)', r.flat.null),
		'',
		`Paced at ${thousands(r.options.pacedRate)} frames/s:`,
		'',
		'| consumer | achieved frames/s | CPU µs/frame | share of one core |',
		'| --- | ---: | ---: | ---: |',
		pacedRow('AgentSession + filter', r.paced.agent),
		pacedRow('AgentSession, `dedupeWindow: 1` + filter', r.paced['agent-window-1']),
		pacedRow('raw ws + JSON.parse + filter', r.paced.raw),
		'',
		`- AgentSession / raw, CPU time per frame: **${fixed(r.pacedCpuRatio)}×** at ${thousands(r.options.pacedRate)}/s (rounds: ${r.pacedCpuRatios.map((x) => fixed(x)).join(', ')}), **${fixed(r.flatCpuRatio)}×** flat out (rounds: ${r.flatCpuRatios.map((x) => fixed(x)).join(', ')})`,
		`- The same with \`dedupeWindow: 1\` (the rest of the per-frame path): ${fixed(r.pacedCpuRatioWindow1)}× at ${thousands(r.options.pacedRate)}/s, ${fixed(r.flatCpuRatioWindow1)}× flat out`,
		`- AgentSession / raw, wall time for ${thousands(r.options.frames)} frames flat out: **${fixed(r.flatWallRatio)}×** (rounds: ${r.flatWallRatios.map((x) => fixed(x)).join(', ')})`,
		`- Target ≥ ${thousands(TARGETS.ingestRate)} frames/s sustained: ${verdict(sustained)} (${thousands(r.flat.agent.framesPerSecond)}/s flat out; ${thousands(r.paced.agent.framesPerSecond)}/s paced, on ${fixed(r.paced.agent.coreShare * 100, 0)}% of a core)`,
		`- Target ≤ ${TARGETS.ingestRatio}× the raw cost: CPU/frame at ${thousands(r.options.pacedRate)}/s ${verdict(r.pacedCpuRatio <= TARGETS.ingestRatio)}; CPU/frame flat out ${verdict(r.flatCpuRatio <= TARGETS.ingestRatio)}; wall time flat out ${verdict(r.flatWallRatio <= TARGETS.ingestRatio)}`,
	].join('\n');
}

function sendSection(r: SendResult): string {
	const row = (name: string, f: SendResult['figures']['raw']) =>
		`| ${name} | ${fixed(f.p50, 0)} | ${fixed(f.p90, 0)} | ${fixed(f.p99, 0)} | ${fixed(f.beforeSend, 0)} | ${fixed(f.network, 0)} | ${fixed(f.afterAnswer, 0)} |`;
	return [
		`### Send on a warm session (${r.samples} round trips per variant, interleaved)`,
		'',
		'| variant | p50 µs | p90 µs | p99 µs | before send | network + server | after the answer |',
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
		row('raw ws: stringify, send, await the id, parse', r.figures.raw),
		row('`session.request(sendMessage({...}))`', r.figures.agent),
		row('`session.request(operation)`, operation built beforehand', r.figures.agentPrebuilt),
		'',
		`- AgentSession / raw round trip (median of per-burst median ratios): **${fixed(r.ratio)}×** with sendMessage() built per call, ${fixed(r.ratioPrebuilt)}× with the operation built beforehand`,
		`- Target ≤ ${TARGETS.sendRatio}×: ${verdict(r.ratio <= TARGETS.sendRatio)}`,
	].join('\n');
}

function memorySection(r: MemoryResult): string {
	const row = (name: string, f: MemoryResult['agent']) =>
		`| ${name} | ${mib(f.start)} | ${mib(f.end)} | ${mib(f.min)} – ${mib(f.max)} | ${fixed((f.end - f.start) / 1024, 0)} KiB | ${fixed(f.bytesPerThousandFrames, 0)} B |`;
	const samples = r.agent.samples
		.map(([seen, bytes]) => `${seen / 1000}k: ${(bytes / 1024 / 1024).toFixed(2)}`)
		.join(', ');
	const growth = r.agent.end - r.agent.start;
	return [
		`### Memory (${thousands(r.frames)} frames flat out, heap after a full GC every ${thousands(r.every)} frames)`,
		'',
		`| consumer | heap at ${thousands(r.warmup)} | heap at ${thousands(r.frames)} | range | growth | slope per 1,000 frames |`,
		'| --- | ---: | ---: | ---: | ---: | ---: |',
		row('AgentSession + filter', r.agent),
		row('raw ws + JSON.parse + filter', r.raw),
		'',
		`- AgentSession heap after GC along the run (frames: MiB): ${samples}`,
		`- Target flat over ${thousands(r.frames)} frames: ${verdict(growth < TARGETS.memoryGrowth)} (${fixed(growth / 1024, 0)} KiB from ${thousands(r.warmup)} to ${thousands(r.frames)} frames, ${fixed(r.agent.bytesPerThousandFrames / 1000, 3)} bytes per frame)`,
	].join('\n');
}

function recoverySection(r: RecoveryResult): string {
	const row = (name: string, p: RecoveryResult['agent']) =>
		`| ${name} | ${fixed(p.open)} | ${fixed(p.live)} | ${fixed(p.event)} |`;
	return [
		`### Recovery from an abnormal close (${r.iterations} drops each, simulator, medians in ms since the drop)`,
		'',
		'| client | socket open again | subscription live | next event delivered |',
		'| --- | ---: | ---: | ---: |',
		row('AgentSession (defaults)', r.agent),
		row('raw ws: reconnect at once, resubscribe', r.raw),
		'',
		`- AgentSession / raw, drop to next event: **${fixed(r.ratio)}×**; AgentSession p90 ${fixed(r.agentP90)} ms, worst ${fixed(r.agentMax)} ms (raw worst ${fixed(r.rawMax)} ms)`,
		`- Target < ${TARGETS.recoveryMs} ms: ${verdict(r.agentMax < TARGETS.recoveryMs)} (worst of ${r.iterations})`,
	].join('\n');
}

function relaySection(r: RelayResult): string {
	const row = (name: string, f: RelayResult['figures']['local']) =>
		`| ${name} | ${fixed(f.p50, 0)} | ${fixed(f.p95, 0)} | ${fixed(f.p99, 0)} |`;
	const { local: l, relayed: x, relayedSameProcess: s } = r.phases;
	const phase = (
		name: string,
		local: number | undefined,
		pick: (p: RelayResult['phases']['relayed']) => number,
	) =>
		`| ${name} | ${local === undefined ? '' : fixed(local, 0)} | ${fixed(pick(x), 0)} | ${fixed(pick(s), 0)} |`;
	const spread = [...r.burstRatios].sort((a, b) => a - b);
	return [
		`### Relayed send vs local send, queue mode (${r.samples} round trips per variant, interleaved)`,
		'',
		'| variant | p50 µs | p95 µs | p99 µs |',
		'| --- | ---: | ---: | ---: |',
		row(
			'local: `session.request(sendMessage({...}))` in the process holding the session',
			r.figures.local,
		),
		row('**relayed** from another process over Redis', r.figures.relayed),
		row("relayed from another pool in the holder's process", r.figures.relayedSameProcess),
		row(
			'floor: one byte to the holder process over plain TCP, its local send, one byte back',
			r.figures.floor,
		),
		'',
		'Where the time goes (medians of each part, µs):',
		'',
		'| part | local | relayed | relayed, same process |',
		'| --- | ---: | ---: | ---: |',
		phase(
			'requester: sendMessage() built, then the holder lookup (GET of the lease key: one Redis round trip)',
			undefined,
			(p) => p.lookup,
		),
		phase('requester: wire operation, JSON.stringify, to PUBLISH', undefined, (p) => p.toPublish),
		phase("request through Redis to the holder's subscriber", undefined, (p) => p.requestHop),
		phase(
			'holder (local: the caller): to the frame handed to the socket',
			l.beforeSend,
			(p) => p.holderBeforeSend,
		),
		phase('session round trip to the server', l.network, (p) => p.network),
		phase(
			"holder: the answer to its PUBLISH (local: to the caller's result)",
			l.afterAnswer,
			(p) => p.holderAfter,
		),
		phase("answer through Redis to the requester's subscriber", undefined, (p) => p.answerHop),
		phase(
			"requester: JSON.parse, the Operation's parse, to the result",
			undefined,
			(p) => p.afterAnswer,
		),
		'',
		`- Relayed / local round trip (median of per-burst median ratios): **${fixed(r.ratio)}×** (bursts: ${fixed(spread[0] ?? NaN)} to ${fixed(spread[spread.length - 1] ?? NaN)}); p95 relayed / p95 local ${fixed(r.ratioP95)}×`,
		`- From another pool in the holder's process: ${fixed(r.ratioSameProcess)}×`,
		`- Floor / local: **${fixed(r.ratioFloor)}×**: no relay between two processes can do better on this machine; relayed / floor: ${fixed(r.ratioToFloor)}×`,
		`- Target ≤ ${TARGETS.relayRatio}×: ${verdict(r.ratio <= TARGETS.relayRatio)}${r.ratioFloor > TARGETS.relayRatio ? ' (below the floor on loopback)' : ''}`,
	].join('\n');
}

function render(results: Results): string {
	const sections = [machine()];
	if (results.ingest) sections.push(ingestSection(results.ingest));
	if (results.send) sections.push(sendSection(results.send));
	if (results.memory) sections.push(memorySection(results.memory));
	if (results.recovery) sections.push(recoverySection(results.recovery));
	return sections.join('\n\n');
}

function exportSection(r: ExportResult): string {
	const s = (ms: number) => fixed(ms / 1000, 1);
	const row = (w: ExportResult['walks'][number]) =>
		`| ${w.name} | ${thousands(w.items)} | ${w.requests} | ${w.tooMany} | ${s(w.simulatedMs)} | ${s(w.floorMs)} | **${fixed(w.ratio)}×** | ${s(w.windowFloorMs)} | ${s(w.wallMs)} |`;
	return [
		`### Export and Search with Return All over ${thousands(r.chats)} chats at 200 requests/min (simulator, ManualClock)`,
		'',
		'| walk | items | requests | of them 429 | simulated s | floor s (pages × 0.3 s) | / floor | sliding-window least s | real s |',
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		...r.walks.map(row),
		'',
		`- Worst time / floor: **${fixed(r.ratio)}×**; 429s: **${r.tooMany}**`,
		`- Target ≤ ${TARGETS.exportRatio}× the floor and no 429: ${verdict(r.ratio <= TARGETS.exportRatio && r.tooMany === 0)}`,
	].join('\n');
}

function renderRelay(result: RelayResult): string {
	return [machine(), relaySection(result)].join('\n\n');
}

function renderN8n(result: N8nResults): string {
	return [machine(), n8nSection(result)].join('\n\n');
}

/** bench/results.json: the ratios of RESULT_KEYS, then the absolute figures and the machine. */
function writeJson(results: Results): void {
	const figures: Record<string, number | null> = {};
	for (const [key, pick] of RESULT_KEYS) {
		const value = pick(results);
		if (value !== undefined)
			figures[key] = value === null || !Number.isFinite(value) ? null : value;
	}
	const cpu = cpus();
	const json = {
		...figures,
		absolute: {
			chatReply: results.n8n?.chatReply,
			messagingReply: results.n8n?.messagingReply,
			messagingReplyPool: results.n8n?.messagingReplyPool,
			ownTime: results.n8n?.ownTime,
			messagingOwnTime: results.n8n?.messagingOwnTime,
			queueReply: results.queue,
			send: results.send && {
				rawP50Us: results.send.figures.raw.p50,
				agentP50Us: results.send.figures.agent.p50,
				agentP99Us: results.send.figures.agent.p99,
			},
			ingest: results.ingest && {
				flatFramesPerSecond: results.ingest.flat.agent.framesPerSecond,
				pacedCpuMicrosPerFrame: results.ingest.paced.agent.cpuMicrosPerFrame,
				pacedCpuRatio: results.ingest.pacedCpuRatio,
			},
			relay: results.relay && {
				localP50Us: results.relay.figures.local.p50,
				relayedP50Us: results.relay.figures.relayed.p50,
			},
			recovery: results.recovery && {
				agentMedianMs: results.recovery.agent.event,
				ratio: results.recovery.ratio,
			},
			memory: results.memory && {
				growthBytes: results.memory.agent.end - results.memory.agent.start,
			},
			export: results.export && {
				chats: results.export.chats,
				tooMany: results.export.tooMany,
				walks: results.export.walks,
			},
		},
		machine: {
			cores: cpu.length,
			cpu: cpu[0]?.model ?? 'unknown',
			memoryGiB: Math.round(totalmem() / 1024 ** 3),
			os: type(),
			node: process.version,
			...(results.n8n || results.queue
				? { n8n: N8N_VERSION, n8nNode: `v${N8N_NODE_VERSION}` }
				: {}),
			loadBefore: loadBefore,
		},
		run: { at: new Date().toISOString(), command: command() },
	};
	const file = join(__dirname, 'results.json');
	writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
	console.log(`wrote ${file}`);
}

const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));

/** Replaces what is between the section's markers in docs/benchmarks.md. */
function writeDocs(
	markdown: string,
	section: 'results' | 'relay' | 'n8n' | 'queue' | 'export',
): void {
	const start = `<!-- bench:${section}:start -->`;
	const end = `<!-- bench:${section}:end -->`;
	const file = join(__dirname, '..', 'docs', 'benchmarks.md');
	const doc = readFileSync(file, 'utf8');
	const from = doc.indexOf(start);
	const to = doc.indexOf(end);
	if (from < 0 || to < from) throw new Error(`docs/benchmarks.md has no ${start} … ${end} section`);
	writeFileSync(file, `${doc.slice(0, from + start.length)}\n${markdown}\n${doc.slice(to)}`);
	console.log(`wrote the ${section} section into ${file}`);
}

async function main(): Promise<void> {
	const started = Date.now();
	const log = (line: string) => console.log(line);
	const results: Results = {};
	if (only.has('ingest')) {
		log('ingest …');
		results.ingest = await runIngest(
			quick
				? {
						rounds: 2,
						warmup: 20_000,
						frames: 100_000,
						pacedRounds: 1,
						pacedRate: 50_000,
						pacedFrames: 100_000,
						log,
					}
				: {
						rounds: 5,
						warmup: 50_000,
						frames: 300_000,
						pacedRounds: 3,
						pacedRate: 50_000,
						pacedFrames: 150_000,
						log,
					},
		);
	}
	if (only.has('send')) {
		log('send …');
		results.send = await runSend(
			quick ? { bursts: 5, warmupBursts: 2, log } : { bursts: 40, warmupBursts: 5, log },
		);
	}
	if (only.has('memory')) {
		log('memory …');
		results.memory = await runMemory(
			quick
				? { frames: 200_000, every: 20_000, warmup: 40_000, log }
				: { frames: 1_000_000, every: 50_000, warmup: 100_000, log },
		);
	}
	if (only.has('recovery')) {
		log('recovery …');
		results.recovery = await runRecovery({ iterations: quick ? 5 : 30, log });
	}
	if (only.has('relay')) {
		log('relay …');
		results.relay = await runRelay(
			quick ? { bursts: 6, warmupBursts: 2, log } : { bursts: 50, warmupBursts: 5, log },
		);
	}
	if (only.has('chatReply') || only.has('messagingReply')) {
		results.n8n = await runN8nBenches(
			{ chat: only.has('chatReply'), messaging: only.has('messagingReply') },
			quick,
			log,
		);
	}
	if (only.has('queueReply')) {
		const missing = queuePrerequisitesMissing();
		if (missing) log(`queueReply skipped: ${missing}`);
		else {
			log('queueReply …');
			results.queue = await runQueueReply({
				rates: quick ? [5, 10] : [5, 10, 20],
				reusedChats: 10,
				...(quick
					? { blockMs: 2000, blocksPerPath: 2, drainMs: 10_000 }
					: { blockMs: 2500, blocksPerPath: 4, drainMs: 15_000 }),
				log,
			});
		}
	}
	if (only.has('export')) {
		log('export …');
		results.export = await runExport({ chats: 10_000, log });
	}
	const core =
		results.ingest || results.send || results.memory || results.recovery
			? render(results)
			: undefined;
	const relay = results.relay ? renderRelay(results.relay) : undefined;
	const n8n = results.n8n ? renderN8n(results.n8n) : undefined;
	const queue = results.queue ? [machine(), queueSection(results.queue)].join('\n\n') : undefined;
	const exported = results.export
		? [machine(), exportSection(results.export)].join('\n\n')
		: undefined;
	console.log(
		`\n${[core, relay, n8n, queue, exported].filter(Boolean).join('\n\n')}\n\n(${Math.round((Date.now() - started) / 1000)} s)`,
	);
	if (values.write) {
		if (core) writeDocs(core, 'results');
		if (relay) writeDocs(relay, 'relay');
		if (n8n) writeDocs(n8n, 'n8n');
		if (queue) writeDocs(queue, 'queue');
		if (exported) writeDocs(exported, 'export');
	}
	if (values.json) writeJson(results);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
