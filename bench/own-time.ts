/**
 * Our own time on the chat event-to-reply path, which cannot be seen from outside n8n's process:
 * the same node code run in this process through n8n-core's engine (test/helpers/n8n/harness.ts:
 * TriggerContext, WorkflowExecute, as the node tests do), on the simulator, with the trigger's
 * default settings and the Send Text of the chat-reply bench. Two parts per message:
 *
 * - in: the DATA frame handed to the client socket's 'message' listeners → the trigger's emit
 *   (the engine's run of the workflow starting);
 * - out: the Zendesk Chat node's execute() called → the sendMessage frame handed to `ws.send`.
 *
 * Stamps are taken by wrapping `ws`'s WebSocket.prototype.emit/send for client sockets (the frame
 * is kept by reference and only searched after the run, so the stamp costs a push), the harness's
 * execute (the emit) and the node's execute. What is between the two parts (n8n-core running the
 * workflow) is n8n's, not ours; so is n8n's evaluation of the node's parameters inside the out part
 * (`{{ $json.channelId }}` and the text's expression: n8n's expression engine, which every node,
 * HTTP Request included, pays for its own parameters). It is timed around n8n-core's
 * `_getNodeParameter` and reported beside the out part, which counts our own work without it.
 */
import { performance } from 'node:perf_hooks';

import { ExecuteContext } from 'n8n-core';
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import WebSocket from 'ws';

import { ZendeskChatApi } from '../credentials/ZendeskChatApi.credentials';
import type * as ChatNode from '../nodes/ZendeskChat/ZendeskChat.node';
import type * as ChatTriggerNode from '../nodes/ZendeskChatTrigger/ZendeskChatTrigger.node';
import { SIM_TOKENS, startSimulator } from '../simulator';
import { closeSharedSessionPool } from '../src/conversations';
import { N8nHarness } from '../test/helpers/n8n/harness';
import { quantile } from './lib/stats';

// With the extension: under tsx, `…/ZendeskChat.node` resolves to the codex file ZendeskChat.node.json first.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ZendeskChat } = require('../nodes/ZendeskChat/ZendeskChat.node.ts') as typeof ChatNode;
const { ZendeskChatTrigger } =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../nodes/ZendeskChatTrigger/ZendeskChatTrigger.node.ts') as typeof ChatTriggerNode;

export interface OwnTimeOptions {
	/** Messages per variant. */
	messages: number;
	rate: number;
	log: (line: string) => void;
}

export interface OwnTimeFigures {
	messages: number;
	/** Milliseconds, per message: in + out. */
	totalP50: number;
	totalP99: number;
	inP50: number;
	inP99: number;
	/** Send Text called → frame on the socket, less n8n's evaluation of the node's parameters. */
	outP50: number;
	outP99: number;
	/** n8n's evaluation of the node's parameters (its expression engine) within that span. */
	paramsP50: number;
	paramsP99: number;
	/** The whole span, Send Text called → frame on the socket, parameters included. */
	spanP50: number;
	spanP99: number;
}

export type OwnTimeVariant = 'defaultsNewChat' | 'defaultsReusedChats' | 'departmentNewChat';

export interface OwnTimeResult {
	options: Omit<OwnTimeOptions, 'log'>;
	variants: Record<OwnTimeVariant, OwnTimeFigures>;
}

const TRIGGER = 'Zendesk Chat Trigger';
const SEND = 'Send Text';

interface Stamp {
	at: number;
	data: unknown;
}

export async function runOwnTime(options: OwnTimeOptions): Promise<OwnTimeResult> {
	const frames: Stamp[] = [];
	const sends: Stamp[] = [];
	const emits = new Map<string, number>();
	const executes = new Map<string, number>();
	const proto = WebSocket.prototype as unknown as {
		emit: (...a: unknown[]) => boolean;
		send: (...a: unknown[]) => void;
		_isServer?: boolean;
	};
	const originalEmit = proto.emit;
	const originalSend = proto.send;
	proto.emit = function (this: { _isServer?: boolean }, event: unknown, ...args: unknown[]) {
		if (event === 'message' && !this._isServer)
			frames.push({ at: performance.now(), data: args[0] });
		return originalEmit.call(this, event, ...args);
	};
	proto.send = function (this: { _isServer?: boolean }, data: unknown, ...args: unknown[]) {
		if (!this._isServer) sends.push({ at: performance.now(), data });
		return originalSend.call(this, data, ...args);
	};

	// n8n's parameter evaluation, per execution context: [start, end] of each call.
	const paramTimes = new WeakMap<object, Array<[number, number]>>();
	const paramsOf = new Map<string, Array<[number, number]>>();
	const context = ExecuteContext.prototype as unknown as {
		_getNodeParameter: (...a: unknown[]) => unknown;
	};
	const originalParameter = context._getNodeParameter;
	context._getNodeParameter = function (this: object, ...args: unknown[]) {
		const calls = paramTimes.get(this);
		if (!calls) return originalParameter.apply(this, args);
		const start = performance.now();
		try {
			return originalParameter.apply(this, args);
		} finally {
			calls.push([start, performance.now()]);
		}
	};

	class TimedZendeskChat extends ZendeskChat {
		async execute(this: IExecuteFunctions) {
			const text = this.getInputData()[0]?.json.text;
			if (typeof text === 'string') {
				const key = token(text) ?? text;
				const calls: Array<[number, number]> = [];
				paramTimes.set(this, calls);
				paramsOf.set(key, calls);
				executes.set(key, performance.now());
			}
			return await ZendeskChat.prototype.execute.call(this);
		}
	}

	const sim = await startSimulator();
	const harness = new N8nHarness({
		nodeTypes: {
			'n8n-nodes-zendesk-chat.zendeskChatTrigger': new ZendeskChatTrigger(),
			'n8n-nodes-zendesk-chat.zendeskChat': new TimedZendeskChat(),
		},
		credentialTypes: { zendeskChatApi: new ZendeskChatApi() },
		credentials: {
			zendeskChatApi: { accessToken: SIM_TOKENS.bot, host: 'custom', customBaseUrl: sim.urls.base },
		},
	});
	// The trigger's emit: the harness runs the workflow from it (`execute(workflow, node, items, 'trigger')`).
	const engine = harness as unknown as { execute: (...a: unknown[]) => Promise<unknown> };
	const execute = engine.execute.bind(harness);
	engine.execute = (...args: unknown[]) => {
		const items = args[2] as Array<Array<{ json: { text?: unknown } }>>;
		const text = items?.[0]?.[0]?.json.text;
		if (args[3] === 'trigger' && typeof text === 'string')
			emits.set(token(text) ?? text, performance.now());
		return execute(...args);
	};

	const credentials = { zendeskChatApi: { id: 'bench', name: 'bench' } };
	const nodes = (triggerParameters: INode['parameters']): INode[] => [
		{
			id: 't',
			name: TRIGGER,
			type: 'n8n-nodes-zendesk-chat.zendeskChatTrigger',
			// The version a new workflow gets; its defaults are the ones measured.
			typeVersion: 1.1,
			position: [0, 0],
			parameters: triggerParameters,
			credentials,
		},
		{
			id: 's',
			name: SEND,
			type: 'n8n-nodes-zendesk-chat.zendeskChat',
			typeVersion: 1,
			position: [200, 0],
			parameters: {
				resource: 'message',
				operation: 'sendText',
				channelId: '={{ $json.channelId }}',
				text: '=Re: {{ $json.text }}',
				options: {},
			},
			credentials,
		},
	];
	const connections = { [TRIGGER]: { main: [[{ node: SEND, type: 'main' as const, index: 0 }]] } };

	let sequence = 0;
	const measure = async (
		name: OwnTimeVariant,
		triggerParameters: INode['parameters'],
		reuse: boolean,
	): Promise<OwnTimeFigures> => {
		const active = await harness.activate({
			nodes: nodes(triggerParameters),
			connections,
			triggerNode: TRIGGER,
		});
		const chats = Array.from({ length: 10 }, () => sim.world.startChat({}).id);
		const tokens: string[] = [];
		const say = (i: number, text: string) => {
			if (reuse) sim.world.visitorSays(chats[i % chats.length], text);
			else sim.world.startChat({ message: text });
		};
		// Warm-up: JIT, the reused chats' departments, the session.
		for (let i = 0; i < 20; i++) {
			say(i, `warm own-${name}-w${i}`);
			await sleep(1000 / options.rate);
		}
		await sleep(1500);
		frames.length = 0;
		sends.length = 0;
		for (let i = 0; i < options.messages; i++) {
			const t = `own-${++sequence}x`;
			tokens.push(t);
			say(i, `Hello ${t}`);
			await sleep(1000 / options.rate);
		}
		const deadline = Date.now() + 10_000;
		while (
			Date.now() < deadline &&
			tokens.some((t) => !sends.some((s) => text(s.data).includes(`Re: Hello ${t}`)))
		)
			await sleep(50);
		await active.close();
		const ins: number[] = [];
		const outs: number[] = [];
		const params: number[] = [];
		const spans: number[] = [];
		const totals: number[] = [];
		for (const t of tokens) {
			const frame = frames.find((f) => {
				const s = text(f.data);
				return s.includes('"DATA"') && s.includes(`Hello ${t}"`);
			});
			const send = sends.find((s) => text(s.data).includes(`Re: Hello ${t}`));
			const emitted = emits.get(t);
			const executed = executes.get(t);
			if (!frame || !send || emitted === undefined || executed === undefined) continue;
			const a = emitted - frame.at;
			const span = send.at - executed;
			const p = (paramsOf.get(t) ?? [])
				.filter(([, end]) => end <= send.at)
				.reduce((sum, [start, end]) => sum + (end - start), 0);
			const b = span - p;
			ins.push(a);
			outs.push(b);
			params.push(p);
			spans.push(span);
			totals.push(a + b);
		}
		const figures: OwnTimeFigures = {
			messages: totals.length,
			totalP50: quantile(totals, 0.5),
			totalP99: quantile(totals, 0.99),
			inP50: quantile(ins, 0.5),
			inP99: quantile(ins, 0.99),
			outP50: quantile(outs, 0.5),
			outP99: quantile(outs, 0.99),
			paramsP50: quantile(params, 0.5),
			paramsP99: quantile(params, 0.99),
			spanP50: quantile(spans, 0.5),
			spanP99: quantile(spans, 0.99),
		};
		options.log(
			`  own time ${name}: p99 ${figures.totalP99.toFixed(2)} ms (in ${figures.inP99.toFixed(2)}, out ${figures.outP99.toFixed(2)}; p50 ${figures.totalP50.toFixed(2)}); n8n's parameters p50 ${figures.paramsP50.toFixed(2)} p99 ${figures.paramsP99.toFixed(2)}; out with them p99 ${figures.spanP99.toFixed(2)}; ${totals.length}/${tokens.length} messages`,
		);
		return figures;
	};

	try {
		const variants = {
			defaultsNewChat: await measure('defaultsNewChat', {}, false),
			defaultsReusedChats: await measure('defaultsReusedChats', {}, true),
			// Include Department added (version 1's default): a new chat's first message waits for it.
			departmentNewChat: await measure(
				'departmentNewChat',
				{ options: { includeDepartment: true } },
				false,
			),
		};
		return { options: { messages: options.messages, rate: options.rate }, variants };
	} finally {
		proto.emit = originalEmit;
		proto.send = originalSend;
		context._getNodeParameter = originalParameter;
		// The nodes' pooled session stays warm after the triggers close: end it before the simulator.
		await closeSharedSessionPool();
		await sim.close();
	}
}

function token(text: string): string | undefined {
	return /own-\d+x/.exec(text)?.[0];
}

function text(data: unknown): string {
	if (typeof data === 'string') return data;
	if (Buffer.isBuffer(data)) return data.toString('utf8');
	if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
	if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
	return String(data);
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

if (require.main === module) {
	runOwnTime({ messages: 100, rate: 10, log: console.log })
		.then((r) => console.log(JSON.stringify(r, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exitCode = 1;
		})
		.then(() => process.exit());
}
