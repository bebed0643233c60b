/**
 * Ingest: subscription DATA frames through AgentSession and a filter, against a raw `ws` +
 * `JSON.parse` consumer of the same frames with the same filter. The bench server runs in one
 * process, each consumer in a fresh process of its own (bench/consumer.ts), so server and consumer
 * never share an event loop and neither consumer inherits the other's JIT or heap.
 *
 * Two runs:
 * - flat out: the server sends as fast as the consumer drains (backpressure on `bufferedAmount`).
 *   Throughput (frames/s), wall time and CPU time (user + system of the consumer process) per frame.
 *   A `null` consumer (ws only, frames counted unread) shows the server's own ceiling.
 *   An `agent-window-1` consumer (AgentSession with `dedupeWindow: 1`) shows what the per-frame path
 *   costs without the de-duplication window.
 * - paced: the server sends exactly `pacedRate` frames a second (Zendesk's publication cap,
 *   50,000/s); the figure is the consumer's CPU time per frame and the share of one core it needs
 *   to keep up, and whether it kept up (the achieved rate).
 *
 * Rounds alternate the order of the consumers; the ratios are medians of the per-round ratios
 * (agent / raw of the same round), so a slow moment of the machine hits both sides of a ratio.
 */
import type { ConsumerConfig, ConsumerMode, ConsumerReport } from './consumer';
import { runChild, startServerProcess } from './lib/proc';
import { fixed, median, thousands } from './lib/stats';

export interface IngestOptions {
	rounds: number;
	warmup: number;
	frames: number;
	pacedRounds: number;
	pacedRate: number;
	pacedFrames: number;
	log?: (line: string) => void;
}

type Measured = 'agent' | 'agent-window-1' | 'raw';

export interface ModeFigures {
	/** Medians over the rounds. */
	framesPerSecond: number;
	cpuMicrosPerFrame: number;
	/** CPU time / wall time: 1 = one core busy all the time. */
	coreShare: number;
	wallMs: number;
}

export interface IngestResult {
	options: Omit<IngestOptions, 'log'>;
	flat: Record<ConsumerMode, ModeFigures>;
	/** Medians of per-round agent/raw ratios. */
	flatCpuRatio: number;
	flatWallRatio: number;
	flatCpuRatios: number[];
	flatWallRatios: number[];
	/** The same for agent-window-1/raw. */
	flatCpuRatioWindow1: number;
	paced: Record<Measured, ModeFigures>;
	pacedCpuRatio: number;
	pacedCpuRatios: number[];
	pacedCpuRatioWindow1: number;
}

function figures(reports: ConsumerReport[]): ModeFigures {
	return {
		framesPerSecond: median(reports.map((r) => (r.frames / r.wallMs) * 1000)),
		cpuMicrosPerFrame: median(reports.map((r) => (r.cpuMs * 1000) / r.frames)),
		coreShare: median(reports.map((r) => r.cpuMs / r.wallMs)),
		wallMs: median(reports.map((r) => r.wallMs)),
	};
}

function describe(r: ConsumerReport): string {
	return `${r.mode.padEnd(14)} ${thousands((r.frames / r.wallMs) * 1000).padStart(8)} frames/s, ${fixed((r.cpuMs * 1000) / r.frames)} µs CPU/frame, ${fixed((r.cpuMs / r.wallMs) * 100, 0)}% of a core`;
}

export async function runIngest(options: IngestOptions): Promise<IngestResult> {
	const log = options.log ?? (() => undefined);
	const server = await startServerProcess();
	const consume = async (
		mode: ConsumerMode,
		rate: number,
		warmup: number,
		frames: number,
	): Promise<ConsumerReport> => {
		const config: ConsumerConfig = { mode, httpUrl: server.httpUrl, warmup, frames, rate };
		const report = await runChild<ConsumerReport>('consumer.ts', config);
		// Frame n is a visitor's unless n % 4 === 3: both consumers must have let the same frames through.
		const total = warmup + frames;
		const expected = total - Math.floor((total + 1) / 4);
		if (mode !== 'null' && report.matched !== expected) {
			throw new Error(
				`${mode}: the filter matched ${report.matched} frames, expected about ${expected}`,
			);
		}
		return report;
	};
	const flat: Record<ConsumerMode, ConsumerReport[]> = {
		agent: [],
		'agent-window-1': [],
		raw: [],
		null: [],
	};
	const paced: Record<Measured, ConsumerReport[]> = { agent: [], 'agent-window-1': [], raw: [] };
	const flatCpuRatios: number[] = [];
	const flatWallRatios: number[] = [];
	const flatCpuRatiosWindow1: number[] = [];
	const pacedCpuRatios: number[] = [];
	const pacedCpuRatiosWindow1: number[] = [];
	const measured: Measured[] = ['raw', 'agent', 'agent-window-1'];
	/** The measured consumers in a different order each round. */
	const rotate = (round: number): Measured[] =>
		measured.map((_, i) => measured[(i + round) % measured.length]);
	try {
		for (let round = 0; round < options.rounds; round++) {
			const order: ConsumerMode[] = ['null', ...rotate(round)];
			const got: Partial<Record<ConsumerMode, ConsumerReport>> = {};
			for (const mode of order) {
				const report = await consume(mode, 0, options.warmup, options.frames);
				flat[mode].push(report);
				got[mode] = report;
				log(`  ingest flat-out round ${round + 1}/${options.rounds}: ${describe(report)}`);
			}
			flatCpuRatios.push(got.agent!.cpuMs / got.raw!.cpuMs);
			flatWallRatios.push(got.agent!.wallMs / got.raw!.wallMs);
			flatCpuRatiosWindow1.push(got['agent-window-1']!.cpuMs / got.raw!.cpuMs);
		}
		const pacedWarmup = Math.round(options.pacedRate / 2);
		for (let round = 0; round < options.pacedRounds; round++) {
			const got: Partial<Record<Measured, ConsumerReport>> = {};
			for (const mode of rotate(round)) {
				const report = await consume(mode, options.pacedRate, pacedWarmup, options.pacedFrames);
				paced[mode].push(report);
				got[mode] = report;
				log(
					`  ingest paced ${thousands(options.pacedRate)}/s round ${round + 1}/${options.pacedRounds}: ${describe(report)}`,
				);
			}
			pacedCpuRatios.push(got.agent!.cpuMs / got.raw!.cpuMs);
			pacedCpuRatiosWindow1.push(got['agent-window-1']!.cpuMs / got.raw!.cpuMs);
		}
	} finally {
		await server.stop();
	}
	const { log: _log, ...rest } = options;
	return {
		options: rest,
		flat: {
			agent: figures(flat.agent),
			'agent-window-1': figures(flat['agent-window-1']),
			raw: figures(flat.raw),
			null: figures(flat.null),
		},
		flatCpuRatio: median(flatCpuRatios),
		flatWallRatio: median(flatWallRatios),
		flatCpuRatios,
		flatWallRatios,
		flatCpuRatioWindow1: median(flatCpuRatiosWindow1),
		paced: {
			agent: figures(paced.agent),
			'agent-window-1': figures(paced['agent-window-1']),
			raw: figures(paced.raw),
		},
		pacedCpuRatio: median(pacedCpuRatios),
		pacedCpuRatios,
		pacedCpuRatioWindow1: median(pacedCpuRatiosWindow1),
	};
}

if (require.main === module) {
	runIngest({
		rounds: 5,
		warmup: 50_000,
		frames: 300_000,
		pacedRounds: 3,
		pacedRate: 50_000,
		pacedFrames: 150_000,
		log: console.log,
	})
		.then((result) => console.log(JSON.stringify(result, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
