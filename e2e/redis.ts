/**
 * A throwaway Redis for the queue-mode cluster (e2e/queue-cluster.ts): n8n's Bull queue and its
 * pub/sub between main, workers and webhook processors. Debian's redis-server
 * (`apt-get install -y redis-server` when missing), on 127.0.0.1 and a free port, nothing persisted
 * (`--save '' --appendonly no`), its working directory a temp dir; stop() ends this process only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './n8n-instance';

function redisServerPath(): string {
	try {
		return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
	} catch {
		throw new Error(
			'redis-server is not installed: apt-get update && apt-get install -y redis-server',
		);
	}
}

/** Sends one inline command and resolves with the first reply line. */
export async function redisCommand(
	port: number,
	command: string,
	host = '127.0.0.1',
): Promise<string> {
	return await new Promise((resolve, reject) => {
		const socket = createConnection({ port, host }, () => socket.write(`${command}\r\n`));
		let data = '';
		socket.setTimeout(2000, () => socket.destroy(new Error('redis: timeout')));
		socket.on('data', (chunk) => {
			data += chunk.toString('utf8');
			if (data.includes('\r\n')) {
				socket.end();
				resolve(data.split('\r\n')[0]);
			}
		});
		socket.on('error', reject);
	});
}

export class Redis {
	private constructor(
		readonly port: number,
		private readonly child: ChildProcess,
		private readonly dir: string,
	) {}

	readonly host = '127.0.0.1';

	static async start(
		options: { port?: number; log?: (line: string) => void; outputFile?: string } = {},
	): Promise<Redis> {
		const port = options.port ?? (await freePort());
		const dir = mkdtempSync(join(tmpdir(), 'n8n-queue-redis-'));
		const output = options.outputFile
			? (await import('node:fs')).openSync(options.outputFile, 'a')
			: 'ignore';
		const child = spawn(
			redisServerPath(),
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir,
				'--daemonize',
				'no',
			],
			{
				stdio: ['ignore', output, output],
			},
		);
		const redis = new Redis(port, child, dir);
		const deadline = Date.now() + 20_000;
		for (;;) {
			if (child.exitCode !== null)
				throw new Error(`redis-server exited with code ${child.exitCode}`);
			if ((await redisCommand(port, 'PING').catch(() => '')) === '+PONG') break;
			if (Date.now() > deadline) {
				await redis.stop();
				throw new Error('redis-server did not answer PING within 20 s');
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		options.log?.(`Redis on 127.0.0.1:${port}`);
		return redis;
	}

	/** The Bull queue's Redis for n8n (@n8n/config src/configs/scaling-mode.config.ts: QUEUE_BULL_REDIS_HOST/PORT). */
	get n8nEnv(): Record<string, string> {
		return { QUEUE_BULL_REDIS_HOST: this.host, QUEUE_BULL_REDIS_PORT: String(this.port) };
	}

	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
			this.child.kill('SIGTERM');
			const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}
