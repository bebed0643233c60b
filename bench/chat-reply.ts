/**
 * Chat event to reply, through a real n8n (issue 14): how long a visitor waits between their
 * message and the workflow's answer, and how many chats a second one n8n keeps up with.
 *
 * - ours: Zendesk Chat Trigger (Chat Message from a visitor, every setting at its default) →
 *   Zendesk Chat › Send Text to `{{ $json.channelId }}`. The visitor writes in the simulator
 *   (`world.startChat` with a message for a new chat per message, `world.visitorSays` for reused
 *   chats); the reply is timed when the simulator's world records the agent's message.
 * - baseline, what a user builds from n8n's own nodes: a client posts the same event as JSON to a
 *   Webhook node (answers at once) → HTTP Request posts the reply to a recording server in this
 *   process, which times its arrival.
 *
 * Both workflows are active in the same n8n for the whole run; the paths alternate in short blocks
 * (ABBA) at each rate, open loop, first with a new chat per message, then with a few reused chats.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { encodeRelayId } from '../simulator/conversations';
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

export type ChatMode = 'newChat' | 'reusedChats';

export interface ChatReplyOptions {
	rates: number[];
	blockMs: number;
	blocksPerPath: number;
	drainMs: number;
	/** Chats the reused-chats mode spreads its messages over. */
	reusedChats: number;
	log: (line: string) => void;
	/** A running n8n bench set-up to reuse (run.ts shares one between the two n8n benches). */
	bench?: N8nBench;
	/**
	 * Called once both workflows are active, before the warm-up (bench/queue-reply.ts waits there
	 * for the trigger on the cluster's main to listen, and keeps the ids for its checks).
	 */
	afterActivate?: (workflows: ChatReplyWorkflows) => Promise<void>;
}

export interface ChatReplyWorkflows {
	ours: { id: string; name: string };
	baseline: { id: string; name: string };
}

export interface ChatRateResult {
	rate: number;
	mode: ChatMode;
	ours: PathFigures;
	baseline: PathFigures;
	p50Ratio: number | null;
	p99Ratio: number | null;
	/** Where the time went, from n8n's record of the executions (medians, ms). */
	timeline: Record<PathName, Timeline>;
}

export interface ChatReplyResult {
	options: Omit<ChatReplyOptions, 'log' | 'bench' | 'afterActivate'>;
	rows: ChatRateResult[];
	/** The highest rate each path held (p99 < 1 s, nothing lost, kept up), per mode. */
	highest: Record<ChatMode, Record<PathName, number | null>>;
	/** The highest rate both held with a new chat per message, and the ratios there (the headline). */
	headline: { rate: number | null; p50Ratio: number | null; p99Ratio: number | null };
	sendErrors: number;
	/** n8n's own record of the executions of each workflow (the latest 100). */
	profile: Record<PathName, ExecutionProfile | undefined>;
}

const MODES: ChatMode[] = ['newChat', 'reusedChats'];
const HOOK_PATH = 'bench-chat-reply';

export async function runChatReply(options: ChatReplyOptions): Promise<ChatReplyResult> {
	const { log } = options;
	const bench = options.bench ?? (await startN8nBench(log));
	try {
		const { sim, n8n, recorder, credentials } = bench;
		const probes = new Probes();
		// Our reply: the bot's message as the simulator's world records it.
		sim.world.on('message', (_chat, entry) => {
			if (entry.senderType === 'Agent') probes.replied(entry.msg);
		});
		recorder.onPost((body) => probes.replied(body));

		const cred = { zendeskChatApi: { id: credentials.chat.id, name: credentials.chat.name } };
		const ours = await n8n.importAndActivate({
			name: 'Bench: Zendesk Chat Trigger → Send Text',
			nodes: [
				{
					id: randomUUID(),
					name: 'Zendesk Chat Trigger',
					type: 'n8n-nodes-zendesk-chat.zendeskChatTrigger',
					// The version a new workflow gets: its defaults are the ones measured.
					typeVersion: 1.1,
					position: [0, 0],
					parameters: {},
					credentials: cred,
				},
				{
					id: randomUUID(),
					name: 'Send Text',
					type: 'n8n-nodes-zendesk-chat.zendeskChat',
					typeVersion: 1,
					position: [240, 0],
					parameters: {
						resource: 'message',
						operation: 'sendText',
						channelId: '={{ $json.channelId }}',
						text: '=Re: {{ $json.text }}',
						options: {},
					},
					credentials: cred,
				},
			],
			connections: {
				'Zendesk Chat Trigger': { main: [[{ node: 'Send Text', type: 'main', index: 0 }]] },
			},
		});
		const baseline = await n8n.importAndActivate({
			name: 'Bench: Webhook → HTTP Request',
			nodes: [
				webhookNode(HOOK_PATH),
				{
					id: randomUUID(),
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [240, 0],
					parameters: {
						method: 'POST',
						url: recorder.url,
						sendBody: true,
						specifyBody: 'keypair',
						bodyParameters: {
							parameters: [
								{ name: 'channelId', value: '={{ $json.body.message.node.channel.id }}' },
								{ name: 'text', value: '=Re: {{ $json.body.message.node.content }}' },
							],
						},
						options: {},
					},
				},
			],
			connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
		});
		log(`  workflows active: ours ${ours.id}, baseline ${baseline.id}`);
		await options.afterActivate?.({ ours, baseline });
		const hookUrl = `${bench.webhookBaseUrl ?? n8n.baseUrl}/webhook/${HOOK_PATH}`;

		const reused = Array.from(
			{ length: options.reusedChats },
			(_, i) => sim.world.startChat({ visitor: { name: `Bench Visitor ${i + 1}` } }).id,
		);
		let mode: ChatMode = 'newChat';
		let turn = 0;
		const fire = (path: PathName, token: string): Probe => {
			const text = `Hello ${token}`;
			if (path === 'ours') {
				const probe = probes.sent(token, path);
				try {
					if (mode === 'newChat')
						sim.world.startChat({ visitor: { name: 'Bench Visitor' }, message: text });
					else sim.world.visitorSays(reused[turn++ % reused.length], text);
				} catch {
					probes.sendErrors += 1;
				}
				return probe;
			}
			const chatId = mode === 'newChat' ? `bench.${token}` : reused[turn++ % reused.length];
			const body = JSON.stringify(chatEvent(chatId, text));
			const probe = probes.sent(token, path);
			postJson(hookUrl, body, probes);
			return probe;
		};

		// Warm-up, not counted: both paths, both modes (the reused chats' departments get cached).
		for (const m of MODES) {
			mode = m;
			await alternate(
				{ rate: 5, blockMs: 1500, blocksPerPath: 1, drainMs: options.drainMs, fire },
				probes,
				{ ours: [], baseline: [] },
			);
		}

		const rows: ChatRateResult[] = [];
		for (const rate of options.rates) {
			const saturated: boolean[] = [];
			for (const m of MODES) {
				mode = m;
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
				const paths = await pathTimelines(n8n, collected, {
					ours: { id: ours.id, trigger: 'Zendesk Chat Trigger', action: 'Send Text' },
					baseline: { id: baseline.id, trigger: 'Webhook', action: 'HTTP Request' },
				});
				rows.push({
					rate,
					mode: m,
					ours: o,
					baseline: b,
					p50Ratio: ratio(o.p50, b.p50),
					p99Ratio: ratio(o.p99, b.p99),
					timeline: paths,
				});
				saturated.push(!o.holds && !b.holds);
				log(
					`  ${rate}/s ${m}: ours p50 ${ms(o.p50)} p99 ${ms(o.p99)} (${o.replied}/${o.sent}), baseline p50 ${ms(b.p50)} p99 ${ms(b.p99)} (${b.replied}/${b.sent}) [${Math.round((performance.now() - started) / 1000)} s]`,
				);
			}
			if (saturated.every(Boolean)) break;
		}

		const highest = Object.fromEntries(
			MODES.map((m) => [
				m,
				Object.fromEntries(
					(['ours', 'baseline'] as PathName[]).map((p) => [
						p,
						maxRate(rows.filter((r) => r.mode === m && r[p].holds).map((r) => r.rate)),
					]),
				),
			]),
		) as ChatReplyResult['highest'];
		const both = maxRate(
			rows
				.filter((r) => r.mode === 'newChat' && r.ours.holds && r.baseline.holds)
				.map((r) => r.rate),
		);
		// Neither held at any rate with a new chat per message: the headline is the lowest rate's.
		const headRow = rows.find((r) => r.mode === 'newChat' && r.rate === (both ?? options.rates[0]));
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
				reusedChats: options.reusedChats,
			},
			rows,
			highest,
			headline: {
				rate: headRow?.rate ?? null,
				p50Ratio: headRow?.p50Ratio ?? null,
				p99Ratio: headRow?.p99Ratio ?? null,
			},
			sendErrors: probes.sendErrors,
			profile,
		};
	} finally {
		if (!options.bench) await bench.stop();
	}
}

/**
 * The event the baseline's client posts: the Conversations API's message node as the trigger
 * receives it in its DATA frame (the selection of messageSubscription()), wrapped as a relay would.
 */
function chatEvent(chatId: string, text: string): Record<string, unknown> {
	return {
		type: 'chat.msg',
		message: {
			node: {
				id: encodeRelayId('MESSAGE', `${chatId}.${Date.now()}`),
				content: text,
				timestamp: Date.now(),
				msg_id: `msg-${randomUUID().slice(0, 10)}`,
				channel: { id: encodeRelayId('CHANNEL', chatId), raw_id: chatId, __typename: 'Channel' },
				from: {
					__typename: 'Visitor',
					id: encodeRelayId('VISITOR', `bench-${chatId}`),
					display_name: 'Bench Visitor',
					email: null,
				},
			},
		},
	};
}

function maxRate(rates: number[]): number | null {
	return rates.length > 0 ? Math.max(...rates) : null;
}

if (require.main === module) {
	runChatReply({
		rates: [5, 10],
		blockMs: 2000,
		blocksPerPath: 2,
		drainMs: 10_000,
		reusedChats: 10,
		log: console.log,
	})
		.then((r) => console.log(JSON.stringify(r, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exitCode = 1;
		})
		.finally(() => sleep(0));
}
