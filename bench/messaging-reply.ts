/**
 * Messaging event to reply, through a real n8n (issue 14).
 *
 * - ours: a customer writes in the Web Widget (`sim.sunshine.control.userSays`); the simulator
 *   delivers the `conversation:message` webhook to the Zendesk Messaging Trigger (Create a New
 *   Integration, the default registration; Filters › Authors: Customer, as a bot has it, so that
 *   the business replies echoed back by the webhook start nothing) → Zendesk Messaging › Send Text
 *   (as the business) → the simulator stores the message, timed there.
 * - baseline: a client posts the same webhook envelope (a copy of one the simulator delivered,
 *   with a new event id and text) to n8n's Webhook node → HTTP Request posts the business message
 *   to the same Sunshine Conversations endpoint of the simulator (basic auth), timed there too.
 *
 * Both replies are business messages, so both are echoed by the simulator's webhook to the
 * trigger, which drops them: each path costs n8n the same extra request per reply.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { SIM_SUNSHINE } from '../simulator';
import { median } from './lib/stats';
import {
	alternate,
	executionProfile,
	ms,
	pathTimelines,
	type Timeline,
	type ExecutionProfile,
	figures,
	postJson,
	Probes,
	ratio,
	sleep,
	startN8nBench,
	webhookNode,
	type N8nBench,
	type PathFigures,
	type PathName,
	type Probe,
} from './lib/n8n-bench';

export interface MessagingReplyOptions {
	rates: number[];
	blockMs: number;
	blocksPerPath: number;
	drainMs: number;
	conversations: number;
	/**
	 * The baseline's HTTP Request authenticates with an n8n Basic Auth credential instead of a
	 * header it writes itself: n8n then checks the workflow's credentials before each execution,
	 * as it does for ours (an experiment: how much of the gap that check is).
	 */
	baselineCredential?: boolean;
	/**
	 * The baseline's Webhook node version (default 2). n8n 2.x lets only a static Webhook v2 skip the
	 * expression isolate during the webhook call (LiveWebhooks.webhookPhaseNeedsIsolate); v1 takes
	 * it as our trigger does (an experiment: how much of the gap that path is).
	 */
	baselineWebhookVersion?: number;
	log: (line: string) => void;
	bench?: N8nBench;
	/** Extra environment for the n8n the bench starts (not with `bench`). */
	n8nEnv?: Record<string, string>;
}

/** Medians in ms of each path's parts: event → its POST to n8n starts, → n8n answered the POST, → the reply stored. */
export interface MessagingParts {
	toPost: number;
	n8nAnswer: number;
	toReply: number;
}

export interface MessagingRateResult {
	rate: number;
	ours: PathFigures;
	baseline: PathFigures;
	parts: Record<PathName, MessagingParts>;
	/** Where the time went, from n8n's record of the executions (medians, ms). */
	timeline: Record<PathName, Timeline>;
	p50Ratio: number | null;
	p99Ratio: number | null;
}

export interface MessagingReplyResult {
	options: Omit<MessagingReplyOptions, 'log' | 'bench'>;
	rows: MessagingRateResult[];
	highest: Record<PathName, number | null>;
	/** The p50 ratio at the highest rate both held (the lowest rate's when neither held). */
	headline: { rate: number | null; p50Ratio: number | null; p99Ratio: number | null };
	sendErrors: number;
	/** Sunshine API requests the simulator served during the measured blocks, by method and path shape, per event of our path. */
	sunshineRequestsPerReply: Record<string, number>;
	/** n8n's own record of the executions of each workflow (the latest 100). */
	profile: Record<PathName, ExecutionProfile | undefined>;
}

const HOOK_PATH = 'bench-messaging-reply';

/**
 * Ours: the Zendesk Messaging Trigger as a bot has it (Create a New Integration, Filters › Authors:
 * Customer, so that the business replies echoed back start nothing).
 */
/** Zendesk Messaging › Send Text (as the business) to `conversationId`. */
export function messagingSendTextNode(
	name: string,
	credentials: Record<string, unknown>,
	conversationId: string,
	text: string,
) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-zendesk-chat.zendeskMessaging',
		typeVersion: 1,
		position: [240, 0] as [number, number],
		parameters: {
			resource: 'message',
			operation: 'sendText',
			conversationBy: 'conversationId',
			conversationId,
			text,
			inputMode: 'fields',
			actions: {},
			options: {},
		},
		credentials,
	};
}

export function messagingTriggerNode(name: string, credentials: Record<string, unknown>) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-zendesk-chat.zendeskMessagingTrigger',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		webhookId: randomUUID(),
		parameters: {
			events: ['conversation:message'],
			registration: 'newIntegration',
			filters: { authors: ['customer'] },
			options: {},
		},
		credentials,
	};
}

export async function runMessagingReply(
	options: MessagingReplyOptions,
): Promise<MessagingReplyResult> {
	const { log } = options;
	const bench = options.bench ?? (await startN8nBench(log, options.n8nEnv));
	try {
		const { sim, n8n, credentials } = bench;
		const app = sim.sunshine.app;
		const probes = new Probes();
		// Both replies: business messages stored by the simulator's Sunshine app.
		const postMessage = app.postMessage.bind(app);
		app.postMessage = (conversation, draft) => {
			const message = postMessage(conversation, draft);
			if (draft.author.type === 'business')
				probes.replied((draft.content as { text?: string }).text, performance.now());
			return message;
		};

		// The POSTs to n8n's webhooks (the simulator's deliveries and the baseline's client both use
		// global fetch in this process): when each started and when n8n answered, by token.
		const posts = new Map<string, { start: number; answered?: number }>();
		const realFetch = globalThis.fetch;
		globalThis.fetch = (async (
			input: Parameters<typeof fetch>[0],
			init?: Parameters<typeof fetch>[1],
		) => {
			const url = String(input instanceof Request ? input.url : input);
			// The customer's message only ("text":"Hello <token>"), not the echo of a reply ("Re: Hello …").
			const token =
				url.includes('/webhook/') && typeof init?.body === 'string'
					? /"text":"Hello (bench-[a-z0-9]+-\d+)"/.exec(init.body)?.[1]
					: undefined;
			if (!token) return await realFetch(input, init);
			const post = { start: performance.now() } as { start: number; answered?: number };
			if (!posts.has(token)) posts.set(token, post);
			const response = await realFetch(input, init);
			post.answered = performance.now();
			return response;
		}) as typeof fetch;

		const cred = {
			zendeskMessagingApi: { id: credentials.messaging.id, name: credentials.messaging.name },
		};
		const ours = await n8n.importAndActivate({
			name: 'Bench: Zendesk Messaging Trigger → Send Text',
			nodes: [
				messagingTriggerNode('Zendesk Messaging Trigger', cred),
				messagingSendTextNode(
					'Send Text',
					cred,
					'={{ $json.conversationId }}',
					'=Re: {{ $json.text }}',
				),
			],
			connections: {
				'Zendesk Messaging Trigger': { main: [[{ node: 'Send Text', type: 'main', index: 0 }]] },
			},
		});
		const basic = Buffer.from(`${SIM_SUNSHINE.keyId}:${SIM_SUNSHINE.keySecret}`).toString('base64');
		const auth = options.baselineCredential
			? {
					parameters: { authentication: 'genericCredentialType', genericAuthType: 'httpBasicAuth' },
					credentials: {
						httpBasicAuth: await n8n.createCredential(
							`Sunshine basic auth ${Date.now()}`,
							'httpBasicAuth',
							{ user: SIM_SUNSHINE.keyId, password: SIM_SUNSHINE.keySecret },
						),
					},
				}
			: {
					parameters: {
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'Authorization', value: `Basic ${basic}` }] },
					},
					credentials: undefined,
				};
		const baseline = await n8n.importAndActivate({
			name: 'Bench: Webhook → HTTP Request (Sunshine)',
			nodes: [
				webhookNode(HOOK_PATH, options.baselineWebhookVersion),
				{
					id: randomUUID(),
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [240, 0],
					parameters: {
						method: 'POST',
						url: `=${sim.urls.sunshine}/v2/apps/${SIM_SUNSHINE.appId}/conversations/{{ $json.body.events[0].payload.conversation.id }}/messages`,
						...auth.parameters,
						sendBody: true,
						specifyBody: 'json',
						jsonBody:
							'={ "author": { "type": "business" }, "content": { "type": "text", "text": {{ JSON.stringify("Re: " + $json.body.events[0].payload.message.content.text) }} } }',
						options: {},
					},
					...(auth.credentials
						? {
								credentials: {
									httpBasicAuth: {
										id: auth.credentials.httpBasicAuth.id,
										name: auth.credentials.httpBasicAuth.name,
									},
								},
							}
						: {}),
				},
			],
			connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
		});
		log(`  workflows active: ours ${ours.id}, baseline ${baseline.id}`);
		const hookUrl = `${n8n.baseUrl}/webhook/${HOOK_PATH}`;

		// The conversations the customers write in; the first message of each also gives the
		// envelope the baseline's client copies.
		const conversations: string[] = [];
		for (let i = 0; i < options.conversations; i++) {
			const said = sim.sunshine.control.userSays({
				userExternalId: `customer-${i + 1}`,
				text: `Hi ${i}`,
			}) as { conversationId: string };
			conversations.push(said.conversationId);
		}
		await app.delivery.settled();
		const delivered = app.delivery.attempts.find(
			(a) =>
				a.type === 'conversation:message' &&
				a.outcome === 'delivered' &&
				a.body.events[0]?.payload?.message?.author?.type === 'user',
		);
		if (!delivered)
			throw new Error(
				`the simulator delivered no customer message to the trigger (${app.delivery.attempts.length} attempts)`,
			);
		const template = JSON.stringify(delivered.body);
		const secret = delivered.headers['X-API-Key'] ?? '';

		let turn = 0;
		const fire = (path: PathName, token: string): Probe => {
			const conversationId = conversations[turn++ % conversations.length];
			const text = `Hello ${token}`;
			if (path === 'ours') {
				const probe = probes.sent(token, path);
				try {
					sim.sunshine.control.userSays({ conversationId, text });
				} catch {
					probes.sendErrors += 1;
				}
				return probe;
			}
			const envelope = JSON.parse(template);
			const event = envelope.events[0];
			event.id = randomUUID().replace(/-/g, '').slice(0, 24);
			event.createdAt = new Date().toISOString();
			event.payload.conversation.id = conversationId;
			event.payload.message.id = randomUUID().replace(/-/g, '').slice(0, 24);
			event.payload.message.received = event.createdAt;
			event.payload.message.content = { type: 'text', text };
			const body = JSON.stringify(envelope);
			const probe = probes.sent(token, path);
			postJson(hookUrl, body, probes, { 'X-API-Key': secret });
			return probe;
		};

		await alternate(
			{ rate: 5, blockMs: 1500, blocksPerPath: 1, drainMs: options.drainMs, fire },
			probes,
			{ ours: [], baseline: [] },
		);

		const rows: MessagingRateResult[] = [];
		// The simulator keeps only its latest requests: count them as they come instead.
		const shapes: Record<string, number> = {};
		const requestLog = sim.sunshine.requests;
		requestLog.push = (...entries) => {
			for (const r of entries) {
				const shape = `${r.method} ${r.path.replace(/\/v2\/apps\/[^/]+/, '/v2/apps/{app}').replace(/\/conversations\/[^/]+/, '/conversations/{id}')}`;
				shapes[shape] = (shapes[shape] ?? 0) + 1;
			}
			return Array.prototype.push.apply(requestLog, entries);
		};
		let oursSent = 0;
		for (const rate of options.rates) {
			const collected: Record<PathName, Probe[]> = { ours: [], baseline: [] };
			const started = performance.now();
			const active = await alternate(
				{
					rate,
					blockMs: options.blockMs,
					blocksPerPath: options.blocksPerPath,
					drainMs: options.drainMs,
					fire,
				},
				probes,
				collected,
			);
			const o = figures(collected.ours, active.ours);
			const b = figures(collected.baseline, active.baseline);
			oursSent += o.sent;
			const parts = (list: Probe[]): MessagingParts => {
				const withPost = list.filter(
					(p) => p.token && posts.get(p.token)?.answered !== undefined && p.repliedAt !== undefined,
				);
				const post = (p: Probe) => posts.get(p.token!)!;
				return {
					toPost: median(withPost.map((p) => post(p).start - p.sentAt)),
					n8nAnswer: median(withPost.map((p) => post(p).answered! - post(p).start)),
					toReply: median(withPost.map((p) => p.repliedAt! - post(p).answered!)),
				};
			};
			const paths = await pathTimelines(n8n, collected, {
				ours: { id: ours.id, trigger: 'Zendesk Messaging Trigger', action: 'Send Text' },
				baseline: { id: baseline.id, trigger: 'Webhook', action: 'HTTP Request' },
			});
			rows.push({
				rate,
				ours: o,
				baseline: b,
				parts: { ours: parts(collected.ours), baseline: parts(collected.baseline) },
				timeline: paths,
				p50Ratio: ratio(o.p50, b.p50),
				p99Ratio: ratio(o.p99, b.p99),
			});
			log(
				`  ${rate}/s: ours p50 ${ms(o.p50)} p99 ${ms(o.p99)} (${o.replied}/${o.sent}), baseline p50 ${ms(b.p50)} p99 ${ms(b.p99)} (${b.replied}/${b.sent}) [${Math.round((performance.now() - started) / 1000)} s]`,
			);
			if (!o.holds && !b.holds) break;
		}
		const top = (p: PathName) => {
			const held = rows.filter((r) => r[p].holds).map((r) => r.rate);
			return held.length > 0 ? Math.max(...held) : null;
		};
		const bothHeld = rows.filter((r) => r.ours.holds && r.baseline.holds).map((r) => r.rate);
		const headRow = rows.find(
			(r) => r.rate === (bothHeld.length > 0 ? Math.max(...bothHeld) : options.rates[0]),
		);
		delete (requestLog as { push?: unknown }).push;
		// The baseline makes one POST per event; the rest is ours.
		const baselineSent = rows.reduce((n, r) => n + r.baseline.sent, 0);
		const sunshineRequestsPerReply = Object.fromEntries(
			Object.entries(shapes).map(([shape, n]) => [
				shape,
				Number(
					(
						(shape.endsWith('/messages') && shape.startsWith('POST') ? n - baselineSent : n) /
						Math.max(1, oursSent)
					).toFixed(2),
				),
			]),
		);
		globalThis.fetch = realFetch;
		const profile = {
			ours: await executionProfile(n8n, ours.id),
			baseline: await executionProfile(n8n, baseline.id),
		};
		await n8n.deactivate(ours.id).catch(() => undefined);
		await n8n.deactivate(baseline.id).catch(() => undefined);
		return {
			options: {
				rates: options.rates,
				blockMs: options.blockMs,
				blocksPerPath: options.blocksPerPath,
				drainMs: options.drainMs,
				conversations: options.conversations,
				baselineCredential: options.baselineCredential === true,
			},
			rows,
			highest: { ours: top('ours'), baseline: top('baseline') },
			headline: {
				rate: headRow?.rate ?? null,
				p50Ratio: headRow?.p50Ratio ?? null,
				p99Ratio: headRow?.p99Ratio ?? null,
			},
			sendErrors: probes.sendErrors,
			sunshineRequestsPerReply,
			profile,
		};
	} finally {
		if (!options.bench) await bench.stop();
	}
}

if (require.main === module) {
	// A shorter, profiled or reconfigured run: BENCH_RATES=5 BENCH_BLOCKS=1 BENCH_BLOCK_MS=2000;
	// BENCH_N8N_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/n8nprof' for n8n's process (its
	// profile is written when the bench stops n8n); BENCH_N8N_ENV='{"N8N_…":"…"}' for n8n's settings;
	// BENCH_BASELINE_WEBHOOK_VERSION=1 for the baseline's Webhook node at version 1.
	const env = process.env;
	const n8nEnv: Record<string, string> = {
		...(env.BENCH_N8N_ENV ? (JSON.parse(env.BENCH_N8N_ENV) as Record<string, string>) : {}),
		...(env.BENCH_N8N_NODE_OPTIONS ? { NODE_OPTIONS: env.BENCH_N8N_NODE_OPTIONS } : {}),
	};
	runMessagingReply({
		rates: env.BENCH_RATES ? env.BENCH_RATES.split(',').map(Number) : [5, 10],
		blockMs: Number(env.BENCH_BLOCK_MS ?? 2000),
		blocksPerPath: Number(env.BENCH_BLOCKS ?? 2),
		drainMs: 10_000,
		conversations: 10,
		log: console.log,
		n8nEnv: Object.keys(n8nEnv).length > 0 ? n8nEnv : undefined,
		baselineWebhookVersion: env.BENCH_BASELINE_WEBHOOK_VERSION
			? Number(env.BENCH_BASELINE_WEBHOOK_VERSION)
			: undefined,
	})
		.then((r) => console.log(JSON.stringify(r, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exitCode = 1;
		})
		.finally(() => sleep(0));
}
