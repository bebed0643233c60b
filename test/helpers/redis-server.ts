import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real redis-server for the queue-mode tests, on a free loopback port in a temp dir, without
 * persistence. It stops only the process it started. When redis-server is missing it is installed
 * with apt-get (CI runs as root; .ci/run installs it too), or the test fails saying how to.
 */
export interface RedisServer {
	readonly port: number;
	readonly settings: { host: string; port: number };
	/** Stops the server (SIGTERM, then SIGKILL); start() brings it back on the same port, empty. */
	stop(): Promise<void>;
	start(): Promise<void>;
	/** Stops it for good and removes its temp dir. */
	close(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
	const binary = ensureRedisServer();
	const dir = mkdtempSync(join(tmpdir(), 'zchat-redis-'));
	const port = await freePort();
	let child: ChildProcess | undefined;

	const start = async () => {
		const proc = spawn(
			binary,
			[
				'--save',
				'',
				'--appendonly',
				'no',
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--dir',
				dir,
			],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let output = '';
		proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child = proc;
		const deadline = Date.now() + 10_000;
		while (!(await accepts(port))) {
			if (proc.exitCode !== null || Date.now() > deadline) {
				proc.kill('SIGKILL');
				throw new Error(`redis-server did not start on port ${port}:\n${output}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	};

	const stop = async () => {
		const proc = child;
		child = undefined;
		if (!proc || proc.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
		proc.kill('SIGTERM');
		const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
		await exited;
		clearTimeout(timer);
	};

	await start();
	return {
		port,
		settings: { host: '127.0.0.1', port },
		start,
		stop,
		close: async () => {
			await stop();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

function ensureRedisServer(): string {
	const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
	const install = spawnSync(
		'sh',
		['-c', 'apt-get update -qq && apt-get install -y -qq redis-server'],
		{ encoding: 'utf8', stdio: 'pipe' },
	);
	const again = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	if (again.status === 0 && again.stdout.trim()) return again.stdout.trim();
	throw new Error(
		'redis-server is not installed and could not be installed (the queue-mode tests need a real Redis): ' +
			`run "apt-get update && apt-get install -y redis-server" as root.\n${install.stderr ?? ''}`,
	);
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = new Socket();
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
		socket.connect(port, '127.0.0.1');
	});
}
