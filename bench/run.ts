/**
 * `npm run bench`: every bench, one after the other, each against its raw baseline in the same run,
 * then a Markdown summary on stdout. These are measurements, not tests: nothing here fails on a
 * figure, and the verdicts only compare the ratios with the design targets of the issue.
 *
 *   npm run bench                  # all four benches (about 2 minutes on 2 cores)
 *   npm run bench -- --quick       # fewer rounds and frames: a smoke run of the harness (~20 s)
 *   npm run bench -- --write       # also replace the results section of docs/benchmarks.md
 *   npm run bench -- --only ingest,send
 */
import { cpus, loadavg, totalmem, type } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { runIngest, type IngestResult } from './ingest';
import { runMemory, type MemoryResult } from './memory';
import { runRecovery, type RecoveryResult } from './recovery';
import { runSend, type SendResult } from './send';
import { fixed, mib, thousands } from './lib/stats';

const BENCHES = ['ingest', 'send', 'memory', 'recovery'] as const;
type Bench = (typeof BENCHES)[number];

const { values } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		write: { type: 'boolean', default: false },
		only: { type: 'string' },
	},
});

const only = new Set((values.only ?? BENCHES.join(',')).split(',').map((name) => name.trim()) as Bench[]);
for (const name of only) if (!BENCHES.includes(name)) throw new Error(`unknown bench ${name}; known: ${BENCHES.join(', ')}`);
const quick = values.quick === true;

const TARGETS = {
	ingestRate: 50_000,
	ingestRatio: 1.25,
	sendRatio: 1.2,
	recoveryMs: 500,
	/** "Flat": less growth past warm-up than this (a leak of 8 bytes a frame would be about 7 MiB). */
	memoryGrowth: 1024 * 1024,
};

interface Results {
	ingest?: IngestResult;
	send?: SendResult;
	memory?: MemoryResult;
	recovery?: RecoveryResult;
}

function verdict(met: boolean): string {
	return met ? 'met' : '**not met**';
}

function machine(): string {
	const cpu = cpus();
	const load = loadavg().map((l) => l.toFixed(2)).join(', ');
	return [
		`- CPU: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}; ${Math.round(totalmem() / 1024 ** 3)} GiB RAM; ${type()}`,
		`- Node ${process.version}; load average before the run: ${load}`,
		`- Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npm run bench${quick ? ' -- --quick' : ''}\``,
	].join('\n');
}

function ingestSection(r: IngestResult): string {
	const row = (name: string, f: IngestResult['flat']['agent']) =>
		`| ${name} | ${thousands(f.framesPerSecond)} | ${fixed(f.cpuMicrosPerFrame)} | ${fixed(f.coreShare * 100, 0)}% |`;
	const pacedRow = (name: string, f: IngestResult['paced']['agent']) =>
		`| ${name} | ${thousands(f.framesPerSecond)} | ${fixed(f.cpuMicrosPerFrame)} | ${fixed(f.coreShare * 100, 0)}% |`;
	// Sustained: it kept up with the paced stream, and flat out it goes at least that fast.
	const sustained = r.paced.agent.framesPerSecond >= 0.99 * r.options.pacedRate && r.flat.agent.framesPerSecond >= TARGETS.ingestRate;
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
	const samples = r.agent.samples.map(([seen, bytes]) => `${seen / 1000}k: ${(bytes / 1024 / 1024).toFixed(2)}`).join(', ');
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
	const row = (name: string, p: RecoveryResult['agent']) => `| ${name} | ${fixed(p.open)} | ${fixed(p.live)} | ${fixed(p.event)} |`;
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

function render(results: Results): string {
	const sections = [machine()];
	if (results.ingest) sections.push(ingestSection(results.ingest));
	if (results.send) sections.push(sendSection(results.send));
	if (results.memory) sections.push(memorySection(results.memory));
	if (results.recovery) sections.push(recoverySection(results.recovery));
	return sections.join('\n\n');
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

function writeDocs(markdown: string): void {
	const file = join(__dirname, '..', 'docs', 'benchmarks.md');
	const doc = readFileSync(file, 'utf8');
	const from = doc.indexOf(START);
	const to = doc.indexOf(END);
	if (from < 0 || to < from) throw new Error(`docs/benchmarks.md has no ${START} … ${END} section`);
	writeFileSync(file, `${doc.slice(0, from + START.length)}\n${markdown}\n${doc.slice(to)}`);
	console.log(`wrote the results into ${file}`);
}

async function main(): Promise<void> {
	const started = Date.now();
	const log = (line: string) => console.log(line);
	const results: Results = {};
	if (only.has('ingest')) {
		log('ingest …');
		results.ingest = await runIngest(
			quick
				? { rounds: 2, warmup: 20_000, frames: 100_000, pacedRounds: 1, pacedRate: 50_000, pacedFrames: 100_000, log }
				: { rounds: 5, warmup: 50_000, frames: 300_000, pacedRounds: 3, pacedRate: 50_000, pacedFrames: 150_000, log },
		);
	}
	if (only.has('send')) {
		log('send …');
		results.send = await runSend(quick ? { bursts: 5, warmupBursts: 2, log } : { bursts: 40, warmupBursts: 5, log });
	}
	if (only.has('memory')) {
		log('memory …');
		results.memory = await runMemory(quick ? { frames: 200_000, every: 20_000, warmup: 40_000, log } : { frames: 1_000_000, every: 50_000, warmup: 100_000, log });
	}
	if (only.has('recovery')) {
		log('recovery …');
		results.recovery = await runRecovery({ iterations: quick ? 5 : 30, log });
	}
	const markdown = render(results);
	console.log(`\n${markdown}\n\n(${Math.round((Date.now() - started) / 1000)} s)`);
	if (values.write) writeDocs(markdown);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
