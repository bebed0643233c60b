import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** tsx's loader, by absolute URL, so a forked .ts file runs whatever the working directory. */
const TSX_LOADER = pathToFileURL(
	join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs'),
).href;

export interface Child<T> {
	child: ChildProcess;
	/** The first message the child sends. */
	first: Promise<T>;
}

/**
 * Runs `file` (a bench/*.ts entry) in a process of its own with `payload` as argv[2] (JSON), and
 * resolves with the first message it sends. Rejects when it exits before sending one.
 */
export function forkTs<T>(file: string, payload: unknown = {}, nodeFlags: string[] = []): Child<T> {
	const child = fork(join(__dirname, '..', file), [JSON.stringify(payload)], {
		execArgv: ['--import', TSX_LOADER, ...nodeFlags],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const first = new Promise<T>((resolve, reject) => {
		child.once('message', (message) => resolve(message as T));
		child.once('exit', (code, signal) =>
			reject(new Error(`${file} exited (${code ?? signal}) before reporting`)),
		);
		child.once('error', reject);
	});
	return { child, first };
}

/** Runs a child to completion and returns its report. */
export async function runChild<T>(
	file: string,
	payload: unknown,
	nodeFlags: string[] = [],
): Promise<T> {
	const { child, first } = forkTs<T>(file, payload, nodeFlags);
	try {
		return await first;
	} finally {
		if (child.connected) child.disconnect();
		await new Promise<void>((resolve) =>
			child.exitCode !== null || child.signalCode !== null
				? resolve()
				: child.once('exit', () => resolve()),
		);
	}
}

export interface ServerProcess {
	httpUrl: string;
	stop(): Promise<void>;
}

/** The bench server (bench/server-main.ts) in its own process. */
export async function startServerProcess(): Promise<ServerProcess> {
	const { child, first } = forkTs<{ httpUrl: string }>('server-main.ts');
	const { httpUrl } = await first;
	return {
		httpUrl,
		stop: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.disconnect();
			await exited;
		},
	};
}

/** The JSON payload a child was given (argv[2]). */
export function childPayload<T>(): T {
	return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** Sends the report to the parent and lets the process end. */
export function report(value: unknown): void {
	if (process.send) process.send(value);
	else console.log(JSON.stringify(value, null, 2));
}
