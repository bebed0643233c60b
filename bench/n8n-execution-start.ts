/**
 * Where a webhook-started execution spends its time before its first node, through a real n8n
 * (the diagnostic behind the Messaging bench's "execution start → Send Text" span).
 *
 * Two-node workflows are activated one at a time; each is sent `PROBE_N` events (5 a second by
 * default, `PROBE_RATE`), then n8n's record of them is read: execution start → trigger's start,
 * trigger's run, trigger end → second node's start, second node's run (medians, ms). With
 * `PROBE_ISOLATE_LOG=1` n8n is started with bench/lib/isolate-acquire-log.cjs preloaded, and
 * each workflow's expression-isolate acquisitions are summarised by phase (webhook / execution):
 * how many, how many found the pool empty (a cold isolate), and their median wait.
 *
 * The workflows (`PROBE_VARIANTS`, comma-separated, in order; one of the `trig…` first, since its
 * first delivery gives the envelope the `hook…` ones are posted):
 * - `ours`: Zendesk Messaging Trigger → Zendesk Messaging › Send Text (the bench's workflow);
 * - `trigNoop`: Zendesk Messaging Trigger → No Operation; `trigHttp`: → HTTP Request;
 * - `hookNoop`: n8n's Webhook node (v2) → No Operation; `hookSend`: → Send Text;
 * - `baseline`: Webhook (v2) → HTTP Request (the bench's baseline);
 * - `hookV1Noop`: Webhook v1 → No Operation; `hookExprNoop`: Webhook v2 with one expression in its
 *   options → No Operation (n8n's webhook fast path applies to neither).
 *
 * `npx tsx bench/n8n-execution-start.ts`; `PROBE_N8N_ENV='{"N8N_EXPRESSION_ENGINE_POOL_SIZE":"2"}'`
 * passes settings to n8n; `BENCH_N8N_NODE_OPTIONS` adds Node options to n8n's process.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RUNTIMES } from '../e2e/n8n-instance';
import { SIM_SUNSHINE } from '../simulator';
import { quantile } from './lib/stats';
import { sleep, startN8nBench, webhookNode } from './lib/n8n-bench';
import { messagingSendTextNode, messagingTriggerNode } from './messaging-reply';

const env = process.env;
const N = Number(env.PROBE_N ?? 20);
const RATE = Number(env.PROBE_RATE ?? 5);
const VARIANTS = (env.PROBE_VARIANTS ?? 'trigNoop,ours,hookNoop,baseline,hookSend,trigHttp').split(
	',',
);

async function main(): Promise<void> {
	const isolateLog = env.PROBE_ISOLATE_LOG
		? join(tmpdir(), `isolate-acquire-${Date.now()}.log`)
		: undefined;
	const nodeOptions = [
		env.BENCH_N8N_NODE_OPTIONS ?? '',
		isolateLog ? `--require ${join(__dirname, 'lib', 'isolate-acquire-log.cjs')}` : '',
	]
		.join(' ')
		.trim();
	const bench = await startN8nBench(console.log, {
		...(env.PROBE_N8N_ENV ? (JSON.parse(env.PROBE_N8N_ENV) as Record<string, string>) : {}),
		...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
		...(isolateLog
			? { ISOLATE_ACQUIRE_LOG: isolateLog, ISOLATE_RUNTIME_DIR: RUNTIMES[2].dir }
			: {}),
	});
	const { sim, n8n, credentials } = bench;
	try {
		const cred = {
			zendeskMessagingApi: { id: credentials.messaging.id, name: credentials.messaging.name },
		};
		const trigger = () => messagingTriggerNode('T', cred);
		const hook = (path: string, extra: Record<string, unknown> = {}) => ({
			...webhookNode(path),
			name: 'T',
			...extra,
		});
		const sendText = (conversationId: string, text: string) =>
			messagingSendTextNode('A', cred, conversationId, text);
		const basic = Buffer.from(`${SIM_SUNSHINE.keyId}:${SIM_SUNSHINE.keySecret}`).toString('base64');
		const http = (conversationId: string, text: string) => ({
			id: randomUUID(),
			name: 'A',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [240, 0],
			parameters: {
				method: 'POST',
				url: `=${sim.urls.sunshine}/v2/apps/${SIM_SUNSHINE.appId}/conversations/${conversationId}/messages`,
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'Authorization', value: `Basic ${basic}` }] },
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={ "author": { "type": "business" }, "content": { "type": "text", "text": {{ JSON.stringify("Re: " + ${text}) }} } }`,
				options: {},
			},
		});
		const noop = () => ({
			id: randomUUID(),
			name: 'A',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [240, 0],
			parameters: {},
		});
		const B = '$json.body.events[0].payload';
		const defs: Record<string, { nodes: Array<Record<string, any>>; viaHook: boolean }> = {
			ours: {
				nodes: [trigger(), sendText('={{ $json.conversationId }}', '=Re: {{ $json.text }}')],
				viaHook: false,
			},
			trigNoop: { nodes: [trigger(), noop()], viaHook: false },
			trigHttp: {
				nodes: [trigger(), http('{{ $json.conversationId }}', '$json.text')],
				viaHook: false,
			},
			hookNoop: { nodes: [hook('probe-hn'), noop()], viaHook: true },
			hookSend: {
				nodes: [
					hook('probe-hs'),
					sendText(`={{ ${B}.conversation.id }}`, `=Re: {{ ${B}.message.content.text }}`),
				],
				viaHook: true,
			},
			baseline: {
				nodes: [hook('probe-hb'), http(`{{ ${B}.conversation.id }}`, `${B}.message.content.text`)],
				viaHook: true,
			},
			hookV1Noop: { nodes: [hook('probe-h1', { typeVersion: 1 }), noop()], viaHook: true },
			hookExprNoop: {
				nodes: [
					hook('probe-hx', {
						parameters: {
							httpMethod: 'POST',
							path: 'probe-hx',
							options: { rawBody: '={{ false }}' },
						},
					}),
					noop(),
				],
				viaHook: true,
			},
		};

		const conversations: string[] = [];
		for (let i = 0; i < 5; i++) {
			const said = sim.sunshine.control.userSays({
				userExternalId: `probe-${i}`,
				text: `Hi ${i}`,
			}) as { conversationId: string };
			conversations.push(said.conversationId);
		}
		let template = '';
		let secret = '';
		for (const name of VARIANTS) {
			const def = defs[name];
			if (!def) throw new Error(`unknown variant ${name}`);
			if (def.viaHook && !template)
				throw new Error(`${name} needs a trig… variant before it (for the envelope it posts)`);
			const wf = await n8n.importAndActivate({
				name: `probe ${name}`,
				nodes: def.nodes,
				connections: { T: { main: [[{ node: 'A', type: 'main', index: 0 }]] } },
			});
			const app = sim.sunshine.app;
			if (!def.viaHook && !template) {
				sim.sunshine.control.userSays({ conversationId: conversations[0], text: 'warm' });
				await app.delivery.settled();
				const delivered = app.delivery.attempts.find(
					(a) =>
						a.type === 'conversation:message' &&
						a.outcome === 'delivered' &&
						a.body.events[0]?.payload?.message?.author?.type === 'user',
				);
				if (delivered) {
					template = JSON.stringify(delivered.body);
					secret = delivered.headers['X-API-Key'] ?? '';
				}
			}
			const path = def.nodes[0].parameters.path as string | undefined;
			const from = Date.now();
			// A few more than read back: the first executions of a workflow warm it up.
			for (let i = 0; i < N + 3; i++) {
				const conversationId = conversations[i % conversations.length];
				const text = `Hello probe-${name}-${i}`;
				if (!def.viaHook) sim.sunshine.control.userSays({ conversationId, text });
				else {
					const envelope = JSON.parse(template);
					const event = envelope.events[0];
					event.id = randomUUID().replace(/-/g, '').slice(0, 24);
					event.payload.conversation.id = conversationId;
					event.payload.message.id = randomUUID().replace(/-/g, '').slice(0, 24);
					event.payload.message.content = { type: 'text', text };
					void fetch(`${n8n.baseUrl}/webhook/${path}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', 'X-API-Key': secret },
						body: JSON.stringify(envelope),
					})
						.then(async (r) => await r.arrayBuffer())
						.catch(() => undefined);
				}
				await sleep(1000 / RATE);
			}
			await sleep(3000);
			const to = Date.now();
			const page = await n8n.api<{ data: Array<Record<string, any>> }>(
				'GET',
				`/executions?workflowId=${wf.id}&includeData=true&limit=${N}`,
			);
			const rows = page.data.flatMap((e) => {
				const runData = e.data?.resultData?.runData ?? {};
				const t = runData.T?.[0];
				const a = runData.A?.[0];
				if (!t || !a) return [];
				const startedAt = Date.parse(e.startedAt);
				return [
					{
						toTrigger: t.startTime - startedAt,
						trigger: t.executionTime,
						toAction: a.startTime - (t.startTime + t.executionTime),
						action: a.executionTime,
					},
				];
			});
			const med = (key: keyof (typeof rows)[0]) =>
				Math.round(
					quantile(
						rows.map((r) => r[key]),
						0.5,
					) * 10,
				) / 10;
			console.log(
				`${name}: ${rows.length} executions; start → trigger ${med('toTrigger')} ms, trigger ${med('trigger')} ms, trigger → action ${med('toAction')} ms, action ${med('action')} ms`,
			);
			if (isolateLog) console.log(`  isolates: ${summariseIsolates(isolateLog, from, to)}`);
			await n8n.deactivate(wf.id).catch(() => undefined);
			await sleep(500);
		}
	} finally {
		await bench.stop();
		if (isolateLog) rmSync(isolateLog, { force: true });
	}
}

/** The isolate acquisitions logged between two instants, by phase: count, cold (pool empty), median wait. */
function summariseIsolates(file: string, from: number, to: number): string {
	const byPhase: Record<string, { waits: number[]; cold: number }> = {};
	const replenish: number[] = [];
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		const [at, kind, ms, pool, phase] = line.split(' ');
		if (!at || Number(at) < from || Number(at) > to) continue;
		if (kind === 'replenished') replenish.push(Number(ms));
		if (kind !== 'acquire') continue;
		const entry = (byPhase[phase.replace('phase=', '')] ??= { waits: [], cold: 0 });
		entry.waits.push(Number(ms));
		if (pool === 'pool=0') entry.cold += 1;
	}
	const parts = Object.entries(byPhase).map(
		([phase, { waits, cold }]) =>
			`${phase} ${waits.length} (${cold} cold), wait p50 ${quantile(waits, 0.5).toFixed(1)} ms`,
	);
	if (replenish.length > 0)
		parts.push(
			`pool replenished ${replenish.length}×, p50 ${quantile(replenish, 0.5).toFixed(1)} ms`,
		);
	return parts.join('; ');
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
