/**
 * Memory over 1,000,000 frames: the consumer (bench/consumer.ts, run with --expose-gc) forces a
 * full GC every `every` frames and records `heapUsed`. AgentSession keeps a bounded de-duplication
 * window per subscription (1,024 ids by default) and nothing per frame, so its heap after GC should
 * stay flat, like the raw `ws` + `JSON.parse` consumer's, which keeps nothing at all.
 *
 * The figures: the heap after the first sample past warm-up and at the end, the growth between
 * them, and the least-squares slope over those samples in bytes per 1,000 frames. A leak of even
 * 8 bytes a frame would add about 7 MiB over the run; noise is a few tens of KiB.
 */
import type { ConsumerConfig, ConsumerReport } from './consumer';
import { runChild, startServerProcess } from './lib/proc';
import { mib, slope } from './lib/stats';

export interface HeapFigures {
	/** [frames seen, heapUsed after GC]. */
	samples: Array<[number, number]>;
	/** heapUsed after GC at the first sample past warm-up, and at the end. */
	start: number;
	end: number;
	min: number;
	max: number;
	/** Least-squares slope past warm-up, bytes per 1,000 frames. */
	bytesPerThousandFrames: number;
	rssAfter: number;
}

export interface MemoryResult {
	frames: number;
	every: number;
	warmup: number;
	agent: HeapFigures;
	raw: HeapFigures;
}

function heapFigures(report: ConsumerReport, warmup: number): HeapFigures {
	const past = report.heap.filter(([seen]) => seen >= warmup);
	const values = past.map(([, bytes]) => bytes);
	return {
		samples: report.heap,
		start: values[0],
		end: values[values.length - 1],
		min: Math.min(...values),
		max: Math.max(...values),
		bytesPerThousandFrames:
			slope(
				past.map(([seen]) => seen),
				values,
			) * 1000,
		rssAfter: report.rssAfter,
	};
}

export async function runMemory(options: {
	frames: number;
	every: number;
	warmup: number;
	log?: (line: string) => void;
}): Promise<MemoryResult> {
	const log = options.log ?? (() => undefined);
	const server = await startServerProcess();
	const result: Partial<MemoryResult> = {
		frames: options.frames,
		every: options.every,
		warmup: options.warmup,
	};
	try {
		for (const mode of ['agent', 'raw'] as const) {
			// The consumer's warm-up is one frame: the samples are taken from the start, and the figures
			// skip the first `warmup` frames.
			const config: ConsumerConfig = {
				mode,
				httpUrl: server.httpUrl,
				warmup: 1,
				frames: options.frames - 1,
				rate: 0,
				heapEvery: options.every,
			};
			const report = await runChild<ConsumerReport>('consumer.ts', config, ['--expose-gc']);
			const figures = heapFigures(report, options.warmup);
			result[mode] = figures;
			log(
				`  memory ${mode}: heap after GC ${mib(figures.start)} at ${options.warmup.toLocaleString('en-US')} frames, ${mib(figures.end)} at ${options.frames.toLocaleString('en-US')}; slope ${figures.bytesPerThousandFrames.toFixed(0)} B per 1,000 frames`,
			);
		}
	} finally {
		await server.stop();
	}
	return result as MemoryResult;
}

if (require.main === module) {
	runMemory({ frames: 1_000_000, every: 50_000, warmup: 100_000, log: console.log })
		.then((result) =>
			console.log(
				JSON.stringify(
					{
						...result,
						agent: { ...result.agent, samples: undefined },
						raw: { ...result.raw, samples: undefined },
					},
					null,
					2,
				),
			),
		)
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
