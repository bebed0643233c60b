/**
 * Everything the demo and the end-to-end tests run: the Zendesk simulator, a stand-in for a chat
 * app's incoming webhook (where the metrics alert posts), and the real n8n with this package
 * installed, its credentials and the example workflows created through n8n's API exactly as the
 * files in examples/ are written: the three of the scripted round activated, the Messaging bot
 * imported but left inactive until its own story (startMessagingBot).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { SIM_MODEL, SIM_SUNSHINE, SIM_TOKENS, startSimulator, type Simulator } from '../simulator';
import { N8nInstance, REPO_ROOT } from './n8n-instance';

export const EXAMPLES = {
	autoReply: 'auto-reply.json',
	escalation: 'escalation-bridge.json',
	metricsAlert: 'metrics-alert.json',
} as const;
export type ExampleKey = keyof typeof EXAMPLES;

/**
 * Examples imported with the others but left inactive: an active Messaging bot answers every
 * customer message of the app (the conversations the escalation bridge creates included), so it is
 * switched on only for its own story, after the round (startMessagingBot).
 */
export const STANDBY_EXAMPLES = {
	messagingBot: 'messaging-bot-handoff.json',
	aiAgent: 'ai-agent-handoff.json',
} as const;
export type StandbyKey = keyof typeof STANDBY_EXAMPLES;

/** The nodes of messaging-bot-handoff.json's one-time set-up. */
export const BOT_SETUP = {
	trigger: 'Run Once After Activation',
	node: 'Set Up Bot Handoff',
} as const;

/** The credential names the example files refer to. */
export const CREDENTIAL_NAMES = {
	chat: 'Zendesk Chat account',
	messaging: 'Zendesk Messaging account',
	openAi: 'OpenAI account',
} as const;

/** Where metrics-alert.json posts; the stack points it at its own alert sink when that differs. */
export const EXAMPLE_ALERT_URL = 'http://127.0.0.1:4011/alerts';

export function readExample(key: ExampleKey | StandbyKey): Record<string, any> {
	const file = key in EXAMPLES ? EXAMPLES[key as ExampleKey] : STANDBY_EXAMPLES[key as StandbyKey];
	return JSON.parse(readFileSync(join(REPO_ROOT, 'examples', file), 'utf8'));
}

/** One POST the metrics alert made. */
export interface Alert {
	at: number;
	body: Record<string, any>;
}

/** A tiny incoming-webhook receiver (what Slack's would be): records every JSON POST. */
export class AlertSink {
	readonly alerts: Alert[] = [];
	private readonly listeners = new Set<(alert: Alert) => void>();
	private server: Server | undefined;

	async listen(port: number): Promise<void> {
		this.server = createServer((req, res) => {
			void readJson(req).then((body) => {
				const alert = { at: Date.now(), body };
				this.alerts.push(alert);
				for (const listener of this.listeners) listener(alert);
				res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
			});
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', () => resolve());
		});
	}

	get url(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}/alerts`;
	}

	onAlert(listener: (alert: Alert) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return { raw: text };
	}
}

export interface StackOptions {
	/** The simulator's port (0: a free one). */
	simPort?: number;
	/** n8n's port (0: a free one). */
	n8nPort?: number;
	/** The alert sink's port (0: a free one). */
	alertPort?: number;
	log?: (line: string) => void;
	/** n8n's own output goes here; discarded when absent. */
	n8nOutputFile?: string;
	/** Simulator log lines (failed requests, webhook deliveries). */
	simLog?: (line: string) => void;
}

export interface Stack {
	sim: Simulator;
	n8n: N8nInstance;
	alerts: AlertSink;
	workflows: Record<ExampleKey, { id: string; name: string }>;
	/** The examples imported but not activated (STANDBY_EXAMPLES). */
	standby: Record<StandbyKey, { id: string; name: string }>;
	credentials: { chat: string; messaging: string; openAi: string };
	/** Milliseconds: simulator, n8n start phases, credentials and workflows. */
	timings: Record<string, number>;
	stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
	const log = options.log ?? (() => undefined);
	const timings: Record<string, number> = {};
	const started: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of started.reverse()) await stop().catch(() => undefined);
	};
	try {
		const sim = await startSimulator({ port: options.simPort ?? 0, log: options.simLog });
		started.push(() => sim.close());
		log(`Zendesk simulator on ${sim.urls.base}`);

		const alerts = new AlertSink();
		await alerts.listen(options.alertPort ?? 0);
		started.push(() => alerts.close());

		let t = Date.now();
		const n8n = await N8nInstance.start({
			port: options.n8nPort ?? 0,
			log,
			outputFile: options.n8nOutputFile,
		});
		started.push(() => n8n.stop());
		Object.assign(timings, n8n.timings);
		timings.n8nTotal = Date.now() - t;

		t = Date.now();
		const examples = await provisionExamples(n8n, sim, alerts, log);
		timings.workflows = Date.now() - t;

		return { sim, n8n, alerts, ...examples, timings, stop: stopAll };
	} catch (error) {
		await stopAll();
		throw error;
	}
}

/**
 * On a running n8n (startStack's, or a queue-mode cluster's main, e2e/queue-cluster.ts): the two
 * credentials pointing at the simulator, the examples of the round imported and activated, the
 * standby ones imported only.
 */
export async function provisionExamples(
	n8n: N8nInstance,
	sim: Simulator,
	alerts: AlertSink,
	log: (line: string) => void = () => undefined,
): Promise<Pick<Stack, 'workflows' | 'standby' | 'credentials'>> {
	const chat = await n8n.createCredential(CREDENTIAL_NAMES.chat, 'zendeskChatApi', {
		accessToken: SIM_TOKENS.bot,
		host: 'custom',
		customBaseUrl: sim.urls.base,
	});
	const messaging = await n8n.createCredential(CREDENTIAL_NAMES.messaging, 'zendeskMessagingApi', {
		host: 'custom',
		customBaseUrl: sim.urls.base,
		appId: SIM_SUNSHINE.appId,
		keyId: SIM_SUNSHINE.keyId,
		keySecret: SIM_SUNSHINE.keySecret,
		authType: 'basic',
	});
	// n8n's own OpenAI credential, pointed at the simulator's scripted model (simulator/model).
	const openAi = await n8n.createCredential(CREDENTIAL_NAMES.openAi, 'openAiApi', {
		apiKey: SIM_MODEL.apiKey,
		url: sim.urls.model,
	});
	log(
		`Credentials "${CREDENTIAL_NAMES.chat}", "${CREDENTIAL_NAMES.messaging}" and "${CREDENTIAL_NAMES.openAi}" created (pointing at the simulator)`,
	);

	const workflows = {} as Stack['workflows'];
	for (const key of Object.keys(EXAMPLES) as ExampleKey[]) {
		const workflow = readExample(key);
		if (key === 'metricsAlert') pointAlertAt(workflow, alerts.url);
		workflows[key] = await n8n.importAndActivate(workflow);
		log(
			`Workflow "${workflow.name}" created from examples/${EXAMPLES[key]} and activated (id ${workflows[key].id})`,
		);
	}
	const standby = {} as Stack['standby'];
	for (const key of Object.keys(STANDBY_EXAMPLES) as StandbyKey[]) {
		const workflow = readExample(key);
		standby[key] = await n8n.importWorkflow(workflow);
		log(
			`Workflow "${workflow.name}" created from examples/${STANDBY_EXAMPLES[key]}, not activated (id ${standby[key].id})`,
		);
	}
	return {
		workflows,
		standby,
		credentials: { chat: chat.id, messaging: messaging.id, openAi: openAi.id },
	};
}

/**
 * Switches the Messaging bot on as its sticky note says: activate it (its trigger registers the
 * webhook in a new custom integration, `n8n: <workflow name>`), then run its one-time set-up node,
 * Set Up Bot Handoff, through n8n as the editor's "Execute step" does. Returns that execution.
 */
export async function startMessagingBot(stack: Stack): Promise<Record<string, any>> {
	const { id } = stack.standby.messagingBot;
	await stack.n8n.activate(id);
	return await stack.n8n.runManually(id, BOT_SETUP.trigger, BOT_SETUP.node);
}

/**
 * Switches the AI agent example on in the Messaging bot's place: the bot is deactivated (both would
 * answer the same customers), the AI example activated and its Set Up Bot Handoff run, which makes
 * its integration the default responder. Returns that execution.
 */
export async function startAiAgent(stack: Stack): Promise<Record<string, any>> {
	await stack.n8n.deactivate(stack.standby.messagingBot.id).catch(() => undefined);
	const { id } = stack.standby.aiAgent;
	await stack.n8n.activate(id);
	return await stack.n8n.runManually(id, BOT_SETUP.trigger, BOT_SETUP.node);
}

/** The example posts to EXAMPLE_ALERT_URL; a stack on other ports points it at its own sink. */
function pointAlertAt(workflow: Record<string, any>, url: string): void {
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.httpRequest' && node.parameters?.url === EXAMPLE_ALERT_URL)
			node.parameters.url = url;
	}
}
