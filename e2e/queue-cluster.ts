/**
 * A real n8n 2.x in queue mode on loopback, for the end-to-end tests of issue 12 (the pooled agent
 * session across processes): Postgres (e2e/postgres.ts) and Redis (e2e/redis.ts) of its own, one
 * main (`n8n start`: editor, API, triggers, so the Zendesk Chat Trigger's agent session), workers
 * (`n8n worker`: every execution, so the action nodes) and a webhook processor (`n8n webhook`:
 * production webhook calls, so the Messaging Trigger's webhook method), each with a user folder of
 * its own holding this package as the Community Nodes installer puts it (<folder>/.n8n/nodes, which
 * every n8n process loads at start: installed once, copied for each process). Not one shared folder:
 * n8n keeps per-process files there (its crash journal, the config file, binary data), and a shared
 * one makes each process report the others' restarts as "Last session crashed". Then the same set-up as
 * e2e/stack.ts (simulator, alert sink, credentials, examples imported and activated on the main),
 * so the result is a Stack that playRound (e2e/scenario.ts) plays as it does on a single n8n.
 *
 * Everything is on free ports, in temp dirs, and stop() ends only what start() started: another
 * engineer's `npm run test:e2e` can run beside it.
 *
 * The environment n8n reads, as named in n8n 2.41's @n8n/config (packages/@n8n/config/src/...;
 * read in e2e/runtime/node_modules/@n8n/config/dist):
 * - configs/executions.config.ts: `EXECUTIONS_MODE` ('regular' | 'queue').
 * - configs/scaling-mode.config.ts: `QUEUE_BULL_REDIS_HOST`, `QUEUE_BULL_REDIS_PORT`,
 *   `QUEUE_HEALTH_CHECK_ACTIVE`, `QUEUE_HEALTH_CHECK_PORT` (the worker server: /healthz and
 *   /healthz/readiness) and `N8N_WORKER_SERVER_ADDRESS` (where it listens; '::' by default).
 * - configs/database.config.ts: `DB_TYPE` ('postgresdb'), `DB_POSTGRESDB_HOST`, `_PORT`,
 *   `_DATABASE`, `_USER`, `_PASSWORD`. Queue mode needs Postgres (n8n's docs, "Queue mode").
 * - configs/endpoints.config.ts: `N8N_DISABLE_PRODUCTION_MAIN_PROCESS` (the main leaves production
 *   webhook calls to the webhook processors).
 * - configs/runners.config.ts: `N8N_RUNNERS_BROKER_PORT` (each process its own; N8nInstance picks it).
 * - index.ts: `N8N_WEBHOOK_URL`; packages/cli/src/services/url.service.ts falls back to the documented
 *   `WEBHOOK_URL`, which is what the main registers webhooks with: here the webhook processor's URL.
 * - `N8N_ENCRYPTION_KEY`: the same for every process (credentials are decrypted on the workers).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSimulator } from '../simulator';
import { ensureRuntime, freePort, installPackageInto, N8nInstance } from './n8n-instance';
import { Postgres } from './postgres';
import { Redis } from './redis';
import { AlertSink, provisionExamples, type Stack } from './stack';

export interface QueueClusterOptions {
	/** How many `n8n worker` processes (2 by default). */
	workers?: number;
	/** How many `n8n webhook` processes (1 by default); WEBHOOK_URL points at the first. */
	webhookProcessors?: number;
	log?: (line: string) => void;
	/** Simulator log lines. */
	simLog?: (line: string) => void;
	/**
	 * Where each process's output goes (main.log, worker-1.log, webhook-1.log, postgres and redis);
	 * kept after stop(). A temp dir, removed on stop, when absent (E2E_QUEUE_LOG_DIR in the suite).
	 */
	logDir?: string;
	/**
	 * false: neither the examples nor their credentials are provisioned (bench/queue-reply.ts creates
	 * its own workflows and credentials); the Stack's workflows, standby and credentials are then empty.
	 */
	examples?: boolean;
}

/** A Stack (stack.n8n is the main) with the cluster's other processes. */
export interface QueueCluster extends Stack {
	main: N8nInstance;
	workers: N8nInstance[];
	webhookProcessors: N8nInstance[];
	postgres: Postgres;
	redis: Redis;
	/** The folder holding every process's user folder (`<name>/.n8n/nodes` has the package). */
	userFolder: string;
	logDir: string;
	/** The output of one process so far: `main`, `worker-1`, `webhook-1`… (`main-2` a restarted main). */
	logOf(name: string): string;
	/** The output of the main running now (`main`, or `main-<n>` after restarts). */
	mainLog(): string;
	/** Execution ids each worker's log says it started ("Worker started execution <id> (job <n>)"). */
	executionsByWorker(): Record<string, string[]>;
	/**
	 * Starts one more webhook processor (`webhook-<n>`) on the same database, Redis and user folder;
	 * WEBHOOK_URL stays the first one's, so Zendesk keeps calling that one: the new one answers the
	 * same paths when called directly (what a load balancer in front of two would do).
	 */
	addWebhookProcessor(): Promise<N8nInstance>;
	/**
	 * `kill -9` of the main and of the processes it started (n8n's task runner): what a crashed host
	 * or an OOM-killed container leaves. Nothing closes: its sockets (the agent session's WebSocket,
	 * its Redis connections) are cut by the OS, its Redis lease is left to expire. Resolves once the
	 * main is gone, with the time of the kill (Date.now()) and the pids killed.
	 */
	killMain(): Promise<{ killedAt: number; pids: number[] }>;
	/**
	 * Starts the main again, as a supervisor would: the same user folder, port, database, Redis and
	 * environment (its output in `main-<n>.log`). It re-activates the active workflows, so their
	 * triggers start again. `main` and `n8n` then name the new process.
	 */
	restartMain(): Promise<N8nInstance>;
}

/** Every descendant of a process (children first found through `ps`), for killing a process tree. */
function descendantsOf(pid: number): number[] {
	let listing = '';
	try {
		listing = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
	} catch {
		return [];
	}
	const children = new Map<number, number[]>();
	for (const line of listing.trim().split('\n')) {
		const [child, parent] = line.trim().split(/\s+/).map(Number);
		children.set(parent, [...(children.get(parent) ?? []), child]);
	}
	const found: number[] = [];
	const queue = [...(children.get(pid) ?? [])];
	while (queue.length > 0) {
		const next = queue.shift()!;
		found.push(next);
		queue.push(...(children.get(next) ?? []));
	}
	return found;
}

/** Starts Postgres, Redis, the main, the workers and the webhook processors, then the examples on the main. */
export async function startQueueCluster(options: QueueClusterOptions = {}): Promise<QueueCluster> {
	const log = options.log ?? (() => undefined);
	const timings: Record<string, number> = {};
	const started: Array<() => Promise<void>> = [];
	const ownLogDir = !options.logDir;
	const logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'n8n-queue-logs-'));
	mkdirSync(logDir, { recursive: true });
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-queue-user-'));
	const packageFolder = join(userFolder, 'package');
	const stopAll = async () => {
		// Webhook processors and workers first, the main, then the stores they use.
		for (const stop of started.reverse()) await stop().catch(() => undefined);
		started.length = 0;
		rmSync(userFolder, { recursive: true, force: true });
		if (ownLogDir) rmSync(logDir, { recursive: true, force: true });
	};
	const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
		const t = Date.now();
		const result = await work();
		timings[name] = Date.now() - t;
		return result;
	};
	try {
		await phase('runtime', async () => ensureRuntime(log, 2));
		await phase('package', async () => installPackageInto(packageFolder, log));

		const [postgres, redis] = await phase('stores', () =>
			Promise.all([
				Postgres.start({ log }),
				Redis.start({ log, outputFile: join(logDir, 'redis.log') }),
			]),
		);
		started.push(() => postgres.stop());
		started.push(() => redis.stop());

		const sim = await startSimulator({ port: 0, log: options.simLog });
		started.push(() => sim.close());
		log(`Zendesk simulator on ${sim.urls.base}`);
		const alerts = new AlertSink();
		await alerts.listen(0);
		started.push(() => alerts.close());

		const webhookPorts = await Promise.all(
			Array.from({ length: options.webhookProcessors ?? 1 }, () => freePort()),
		);
		const webhookUrl = `http://127.0.0.1:${webhookPorts[0]}/`;
		const common: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			...postgres.n8nEnv,
			...redis.n8nEnv,
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			WEBHOOK_URL: webhookUrl,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_LOG_LEVEL: 'info',
		};
		const startProcess = async (
			name: string,
			command: 'start' | 'worker' | 'webhook',
			port: number,
			extra: Record<string, string> = {},
			logName = name,
		) => {
			const healthPort = command === 'worker' ? await freePort() : undefined;
			const ownFolder = join(userFolder, name);
			// A restarted process keeps its user folder (and the package in it), as a container keeps its volume.
			if (!existsSync(ownFolder)) cpSync(packageFolder, ownFolder, { recursive: true });
			const instance = await N8nInstance.start({
				command,
				port,
				line: 2,
				userFolder: ownFolder,
				healthPort,
				env: {
					...common,
					...(healthPort ? { QUEUE_HEALTH_CHECK_PORT: String(healthPort) } : {}),
					...extra,
				},
				outputFile: join(logDir, `${logName}.log`),
				log,
				bootTimeoutMs: 300_000,
			});
			started.push(() => instance.stop());
			return instance;
		};

		// The main first: it runs the database migrations the others expect.
		const mainEnv = { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' };
		const main = await phase('main', () => startProcess('main', 'start', 0, mainEnv));
		const [workers, webhookProcessors] = await phase('workersAndWebhooks', () =>
			Promise.all([
				Promise.all(
					Array.from({ length: options.workers ?? 2 }, (_, i) =>
						startProcess(`worker-${i + 1}`, 'worker', 0),
					),
				),
				Promise.all(
					webhookPorts.map((port, i) => startProcess(`webhook-${i + 1}`, 'webhook', port)),
				),
			]),
		);

		const examples =
			options.examples === false
				? ({ workflows: {}, standby: {}, credentials: {} } as unknown as Pick<
						Stack,
						'workflows' | 'standby' | 'credentials'
					>)
				: await phase('workflows', () => provisionExamples(main, sim, alerts, log));
		const addWebhookProcessor = async () => {
			const instance = await startProcess(
				`webhook-${webhookProcessors.length + 1}`,
				'webhook',
				await freePort(),
			);
			webhookProcessors.push(instance);
			return instance;
		};
		const logOf = (name: string) => {
			const file = join(logDir, `${name}.log`);
			return existsSync(file) ? readFileSync(file, 'utf8') : '';
		};
		let mainStarts = 1;
		const killMain = async () => {
			const victim = cluster.main;
			const pid = victim.pid;
			if (pid === undefined || !victim.running) throw new Error('the main is not running');
			// The task runner n8n spawned, found before the kill (a killed parent's children are re-parented).
			const pids = [pid, ...descendantsOf(pid)];
			const killedAt = Date.now();
			for (const p of pids) {
				try {
					process.kill(p, 'SIGKILL');
				} catch {
					// already gone
				}
			}
			const deadline = Date.now() + 10_000;
			while (victim.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
			if (victim.running) throw new Error(`the main (pid ${pid}) did not die on SIGKILL`);
			log(`killed the main (pids ${pids.join(', ')})`);
			return { killedAt, pids };
		};
		const restartMain = async () => {
			if (cluster.main.running) throw new Error('the main still runs: killMain() first');
			mainStarts += 1;
			const instance = await startProcess(
				'main',
				'start',
				cluster.main.port,
				mainEnv,
				`main-${mainStarts}`,
			);
			cluster.main = instance;
			cluster.n8n = instance;
			return instance;
		};
		const cluster: QueueCluster = {
			sim,
			n8n: main,
			alerts,
			...examples,
			timings,
			stop: stopAll,
			main,
			workers,
			webhookProcessors,
			postgres,
			redis,
			userFolder,
			logDir,
			logOf,
			mainLog: () => logOf(mainStarts === 1 ? 'main' : `main-${mainStarts}`),
			addWebhookProcessor,
			killMain,
			restartMain,
			executionsByWorker: () =>
				Object.fromEntries(
					workers.map((_, i) => {
						const name = `worker-${i + 1}`;
						return [
							name,
							[...logOf(name).matchAll(/Worker started execution (\d+) \(job/g)].map((m) => m[1]),
						];
					}),
				),
		};
		return cluster;
	} catch (error) {
		await stopAll();
		throw error;
	}
}
