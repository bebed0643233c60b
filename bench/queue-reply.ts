/**
 * The Chat event-to-reply bench on a queue-mode n8n cluster (issue 14, "Queue mode: the same Chat
 * bench on the cluster, relayed sends"): bench/chat-reply.ts's workflows, load and figures, run on
 * e2e/queue-cluster.ts's cluster instead of one `n8n start`.
 *
 * - The cluster: n8n 2.41.1 in queue mode, its own Postgres and Redis on loopback (Debian's
 *   postgresql and redis-server), one main (`n8n start`: the API and the triggers, so our Zendesk
 *   Chat Trigger, which holds the agent session under its Redis lease), two workers (`n8n worker`:
 *   every execution) and one webhook processor (`n8n webhook`). No example workflows: only the
 *   bench's two are active.
 * - ours: Zendesk Chat Trigger (defaults) on the main → the execution enqueued → a worker runs Send
 *   Text, whose request is relayed over Redis to the main holding the session (a relayed send) →
 *   the simulator records the bot's message.
 * - baseline: the same Webhook → HTTP Request workflow, its event posted to the **webhook
 *   processor's** production URL: the cluster's main runs with N8N_DISABLE_PRODUCTION_MAIN_PROCESS
 *   (production webhooks are the webhook processors' job, as n8n's queue-mode docs set it up, and
 *   as the e2e cluster registers webhooks), so the main answers no production webhook. The webhook
 *   processor enqueues the execution, a worker runs it: the same hops as ours, less the relay.
 *
 * After the run it checks, from the workers' logs ("Worker started execution <id>") against n8n's
 * execution records, that every execution of ours ran on a worker and none on the main, and throws
 * otherwise: without that the bench would not measure relayed sends. It also counts the
 * startAgentSession calls the simulator saw (one expected: the main's; a worker starting its own
 * would show as more).
 *
 *   npx tsx bench/queue-reply.ts            # rates 5, 10, 20/s; raw JSON at the end
 *   QUEUE_BENCH_RATES=5,10 QUEUE_BENCH_BLOCKS=2 npx tsx bench/queue-reply.ts   # a quicker run
 *   npm run bench -- --only queueReply      # the same through run.ts, with its Markdown section
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { postgresBin } from '../e2e/postgres';
import { startQueueCluster, type QueueCluster } from '../e2e/queue-cluster';
import { SIM_BOT_AGENT_ID } from '../simulator';
import {
	runChatReply,
	type ChatRateResult,
	type ChatReplyOptions,
	type ChatReplyResult,
	type ChatReplyWorkflows,
} from './chat-reply';
import {
	createBenchCredentials,
	N8N_VERSION,
	Recorder,
	sleep,
	type N8nBench,
} from './lib/n8n-bench';
import { fixed } from './lib/stats';
import { chatRow, N8N_NODE_VERSION, profileLine, TARGETS_N8N, timelineCell } from './n8n-report';

/** The Chat bench's load and blocks, on a cluster of its own. */
export interface QueueReplyOptions extends Pick<
	ChatReplyOptions,
	'rates' | 'blockMs' | 'blocksPerPath' | 'drainMs' | 'reusedChats' | 'log'
> {
	/** Where every process's output goes (kept); a temp dir of its own when absent. */
	logDir?: string;
}

/** Where one workflow's executions ran, from n8n's records and the processes' logs. */
export interface Placement {
	/** Executions n8n recorded for the workflow. */
	executions: number;
	/** Of them, started by a worker ("Worker started execution <id>" in its log). */
	onWorkers: number;
	/** Of them, per worker. */
	byWorker: Record<string, number>;
	/** Of them, not successful. */
	failed: number;
}

export interface QueueReplyResult {
	/** The Chat bench's own result (rows, highest rates, headline) on the cluster. */
	chat: ChatReplyResult;
	cluster: {
		workers: number;
		webhookProcessors: number;
		/** Where the baseline's client posted its events. */
		baselinePostsTo: 'webhook processor';
		logDir: string;
	};
	placement: { ours: Placement; baseline: Placement; mainStartedExecutions: number };
	/** startAgentSession calls the simulator answered during the whole run. */
	sessionStarts: { bot: number; total: number; byOutcome: Record<string, number> };
	/** Agent sessions of the bot live at the end (before the cluster stopped). */
	botSessionsLive: number;
}

/**
 * Why the cluster cannot run here (redis-server or Postgres's initdb/pg_ctl missing, as
 * e2e/redis.ts and e2e/postgres.ts look for them), or undefined when it can.
 */
export function queuePrerequisitesMissing(): string | undefined {
	const missing: string[] = [];
	try {
		execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
	} catch {
		missing.push('redis-server');
	}
	try {
		const bin = postgresBin();
		if (!['initdb', 'pg_ctl', 'postgres'].every((tool) => existsSync(join(bin, tool))))
			missing.push('postgresql');
	} catch {
		missing.push('postgresql');
	}
	return missing.length > 0
		? `${missing.join(' and ')} not installed (apt-get update && apt-get install -y ${missing.join(' ')})`
		: undefined;
}

export async function runQueueReply(options: QueueReplyOptions): Promise<QueueReplyResult> {
	const { log } = options;
	const logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'bench-queue-'));
	log(
		`  starting the queue-mode cluster (Postgres, Redis, n8n ${N8N_VERSION}: main, 2 workers, webhook processor; logs in ${logDir}) …`,
	);
	const cluster = await startQueueCluster({
		examples: false,
		logDir,
		log: (line) => (line.startsWith('$') ? undefined : log(`  ${line}`)),
	});
	const recorder = new Recorder();
	try {
		await recorder.listen();
		const credentials = await createBenchCredentials(cluster.main, cluster.sim);
		const webhookProcessor = cluster.webhookProcessors[0];
		const bench: N8nBench = {
			sim: cluster.sim,
			n8n: cluster.main,
			recorder,
			credentials,
			n8nLog: logDir,
			webhookBaseUrl: webhookProcessor.baseUrl,
			stop: async () => undefined,
		};
		let workflows: ChatReplyWorkflows | undefined;
		const chat = await runChatReply({
			rates: options.rates,
			blockMs: options.blockMs,
			blocksPerPath: options.blocksPerPath,
			drainMs: options.drainMs,
			reusedChats: options.reusedChats,
			log,
			bench,
			afterActivate: async (active) => {
				workflows = active;
				await waitListening(cluster, active.ours.name);
				log(`  the Chat Trigger of "${active.ours.name}" listens on the main`);
			},
		});
		if (!workflows) throw new Error('the Chat bench did not activate its workflows');

		// Where the executions ran: n8n's records against the workers' logs (give the last ones a moment to be logged).
		await sleep(1000);
		const onWorker = new Map<string, string>();
		for (const [worker, ids] of Object.entries(cluster.executionsByWorker()))
			for (const id of ids) onWorker.set(id, worker);
		const mainStartedExecutions = [...cluster.mainLog().matchAll(/Worker started execution (\d+)/g)]
			.length;
		const placement = {
			ours: placementOf(await allExecutions(cluster, workflows.ours.id), onWorker),
			baseline: placementOf(await allExecutions(cluster, workflows.baseline.id), onWorker),
			mainStartedExecutions,
		};
		const starts = cluster.sim.conversations.control.sessionStarts();
		const result: QueueReplyResult = {
			chat,
			cluster: {
				workers: cluster.workers.length,
				webhookProcessors: cluster.webhookProcessors.length,
				baselinePostsTo: 'webhook processor',
				logDir,
			},
			placement,
			sessionStarts: {
				bot: starts.byAgent[String(SIM_BOT_AGENT_ID)] ?? 0,
				total: starts.total,
				byOutcome: starts.byOutcome,
			},
			botSessionsLive: cluster.sim.conversations.control
				.sessions()
				.filter((s) => s.agentId === SIM_BOT_AGENT_ID).length,
		};
		log(
			`  placement: ours ${placement.ours.onWorkers}/${placement.ours.executions} executions on workers (${fmtByWorker(placement.ours)}), baseline ${placement.baseline.onWorkers}/${placement.baseline.executions} (${fmtByWorker(placement.baseline)}); startAgentSession calls: ${result.sessionStarts.bot} for the bot agent`,
		);
		// Fail loudly: without executions on the workers the sends were not relayed.
		const { ours } = placement;
		if (ours.executions === 0 || ours.onWorkers !== ours.executions || mainStartedExecutions > 0)
			throw new Error(
				`queue bench: our executions did not all run on workers (${ours.onWorkers} of ${ours.executions} on workers, ${mainStartedExecutions} started by the main): the sends were not relayed, so the figures do not measure relayed sends (logs in ${logDir})`,
			);
		return result;
	} finally {
		await recorder.close().catch(() => undefined);
		await cluster.stop();
	}
}

/** Waits until the main logs that the workflow's Chat Trigger listens (as test/e2e's failover does). */
async function waitListening(cluster: QueueCluster, workflowName: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (cluster.mainLog().includes(`of workflow "${workflowName}" is listening`)) return;
		await sleep(100);
	}
	const trouble = cluster
		.mainLog()
		.split('\n')
		.filter((line) => /activat|Zendesk/i.test(line))
		.slice(-10);
	throw new Error(
		`the Chat Trigger of "${workflowName}" did not listen on the main within 60 s; the main's log says: ${trouble.join(' | ') || 'nothing about it'}`,
	);
}

/** Every execution n8n recorded for a workflow (ids and status), through the public API's pages. */
async function allExecutions(
	cluster: QueueCluster,
	workflowId: string,
): Promise<Array<{ id: string; status: string }>> {
	const all: Array<{ id: string; status: string }> = [];
	let cursor: string | undefined;
	do {
		const page = await cluster.main.api<{
			data: Array<Record<string, any>>;
			nextCursor?: string | null;
		}>(
			'GET',
			`/executions?workflowId=${workflowId}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		for (const e of page.data) all.push({ id: String(e.id), status: String(e.status) });
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all;
}

function placementOf(
	executions: Array<{ id: string; status: string }>,
	onWorker: Map<string, string>,
): Placement {
	const byWorker: Record<string, number> = {};
	let onWorkers = 0;
	for (const e of executions) {
		const worker = onWorker.get(e.id);
		if (!worker) continue;
		onWorkers += 1;
		byWorker[worker] = (byWorker[worker] ?? 0) + 1;
	}
	return {
		executions: executions.length,
		onWorkers,
		byWorker,
		failed: executions.filter((e) => e.status !== 'success').length,
	};
}

function fmtByWorker(p: Placement): string {
	return (
		Object.entries(p.byWorker)
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([worker, n]) => `${worker} ${n}`)
			.join(', ') || 'none'
	);
}

const x = (v: number | null) => (v === null ? '–' : `${fixed(v)}×`);

/** The Markdown section of docs/benchmarks.md between the bench:queue markers (run.ts adds the machine). */
export function queueSection(r: QueueReplyResult): string {
	const { chat } = r;
	const o = chat.options;
	const met = (row: ChatRateResult) =>
		row.p50Ratio !== null &&
		row.p99Ratio !== null &&
		row.p50Ratio <= TARGETS_N8N.chatRatio &&
		row.p99Ratio <= TARGETS_N8N.chatRatio;
	const defaults = chat.rows.filter((row) => row.mode === 'newChat');
	const bothHeld = chat.highest.newChat.ours !== null && chat.highest.newChat.baseline !== null;
	return [
		`- n8n ${N8N_VERSION} on Node ${N8N_NODE_VERSION} in queue mode: one main (the Zendesk Chat Trigger, holding the agent session), ${r.cluster.workers} workers (every execution), ${r.cluster.webhookProcessors} webhook processor (the baseline's production webhook); Postgres and Redis on loopback; ${cpus().length} cores shared with the bench process (simulator, load, recorder)`,
		'',
		`### Chat event to reply on a queue-mode cluster, relayed sends (${o.blocksPerPath} blocks of ${o.blockMs / 1000} s per path per rate, alternated ABBA; latency in ms, p50 / p99)`,
		'',
		'| rate | chats | ours: Chat Trigger (main) → Send Text (worker, relayed) | baseline: Webhook (webhook processor) → HTTP Request (worker) | p50 ours / baseline | p99 ours / baseline | replies/s ours / baseline |',
		'| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
		...chat.rows.map(chatRow),
		'',
		`- Highest rate held (p99 < 1 s, nothing lost), new chat per message: ours ${chat.highest.newChat.ours ?? 'none'}/s, baseline ${chat.highest.newChat.baseline ?? 'none'}/s; reused chats: ours ${chat.highest.reusedChats.ours ?? 'none'}/s, baseline ${chat.highest.reusedChats.baseline ?? 'none'}/s`,
		`- Headline \`relayedSend\` (defaults, new chat per message, at ${chat.headline.rate ?? '–'}/s${bothHeld ? ', the highest rate both held' : ', the lowest rate: not both held one'}): p50 **${x(chat.headline.p50Ratio)}**, p99 **${x(chat.headline.p99Ratio)}**`,
		`- Target ≤ ${TARGETS_N8N.chatRatio}× at every rate with the defaults (new chat per message): ${defaults.every(met) ? 'met' : '**not met**'} (met at: ${
			defaults
				.filter(met)
				.map((row) => `${row.rate}/s`)
				.join(', ') || 'none'
		})`,
		`- Relayed: ${r.placement.ours.onWorkers} of our ${r.placement.ours.executions} executions ran on workers (${fmtByWorker(r.placement.ours)}), none on the main, ${r.placement.ours.failed} failed; the baseline's: ${r.placement.baseline.onWorkers} of ${r.placement.baseline.executions} (${fmtByWorker(r.placement.baseline)}), ${r.placement.baseline.failed} failed`,
		`- startAgentSession calls for the bot agent over the whole run: **${r.sessionStarts.bot}** (all: ${JSON.stringify(r.sessionStarts.byOutcome)}); the workers' Send Text used the main's session`,
		'',
		"Where the time goes, from n8n's record of each execution paired with its event (medians, ms): event → execution started (on a worker) → action node started → its run time → from its start to the reply received:",
		'',
		'| rate | chats | ours | baseline |',
		'| ---: | --- | ---: | ---: |',
		...chat.rows.map(
			(row) =>
				`| ${row.rate}/s | ${row.mode === 'newChat' ? 'new chat each' : 'reused'} | ${timelineCell(row.timeline.ours)} | ${timelineCell(row.timeline.baseline)} |`,
		),
		'',
		profileLine('ours', chat.profile.ours),
		profileLine('the baseline', chat.profile.baseline),
		chat.sendErrors > 0 ? `- ${chat.sendErrors} events could not be sent` : '',
	]
		.filter((line, i, all) => line !== '' || (all[i - 1] !== '' && i < all.length - 1))
		.join('\n');
}

/** A comma-separated list of positive numbers from the environment (QUEUE_BENCH_RATES=5,10), or undefined when unset. */
function envNumbers(name: string): number[] | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const values = raw.split(',').map((part) => Number(part.trim()));
	if (values.some((v) => !Number.isFinite(v) || v <= 0))
		throw new Error(
			`${name}: expected positive numbers separated by commas, got ${JSON.stringify(raw)}`,
		);
	return values;
}

if (require.main === module) {
	const missing = queuePrerequisitesMissing();
	if (missing) {
		console.log(`queueReply skipped: ${missing}`);
	} else {
		runQueueReply({
			rates: envNumbers('QUEUE_BENCH_RATES') ?? [5, 10, 20],
			blockMs: 2500,
			blocksPerPath: envNumbers('QUEUE_BENCH_BLOCKS')?.[0] ?? 4,
			drainMs: 15_000,
			reusedChats: 10,
			log: console.log,
		})
			.then((r) => {
				console.log(JSON.stringify(r, null, 2));
				console.log(`\n${queueSection(r)}`);
			})
			.catch((error) => {
				console.error(error);
				process.exitCode = 1;
			})
			.finally(() => sleep(0));
	}
}
