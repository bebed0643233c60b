import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	IRun,
	IWebhookResponseData,
} from 'n8n-workflow';

import { ZendeskMessagingApi } from '../../../credentials/ZendeskMessagingApi.credentials';
import { ZendeskMessagingTrigger } from '../../../nodes/ZendeskMessagingTrigger/ZendeskMessagingTrigger.node';
import { MessagingClient } from '../../../src/messaging';
import { ManualClock, SIM_SUNSHINE, startSimulator, type Simulator } from '../../../simulator';
import { expressRequest, expressResponse } from '../../helpers/n8n/express-like';
import {
	N8nHarness,
	outputOf,
	type HookSpec,
	type WebhookMethodName,
	type WorkflowSpec,
} from '../../helpers/n8n/harness';

export const TRIGGER = 'Zendesk Messaging Trigger';
export const DOWNSTREAM = 'Downstream';
export const TRIGGER_TYPE = 'n8n-nodes-zendesk-chat.zendeskMessagingTrigger';
export const WEBHOOK_ID = '3f0c8a52-6f7e-4c1e-9a55-0d6e5b1c2a77';
export const WORKFLOW_NAME = 'test workflow';

/** A plain node after the trigger, so each test sees the items reach the rest of the workflow. */
class Downstream implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Downstream',
		name: 'downstream',
		group: ['transform'],
		version: 1,
		description: 'test',
		defaults: {},
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions) {
		return [
			this.getInputData().map((item, index) => ({
				json: { seen: item.json.eventId },
				pairedItem: { item: index },
			})),
		];
	}
}

/** One call to the local n8n stand-in: what came in, what was answered, what ran. */
export interface Call {
	path: string;
	isTest: boolean;
	headers: Record<string, unknown>;
	status: number;
	response?: IWebhookResponseData;
	run?: IRun;
	/** The trigger's items of that execution, as JSON. */
	items: IDataObject[];
}

export function triggerNode(
	parameters: INodeParameters = {},
	overrides: Partial<INode> = {},
): INode {
	return {
		id: 'trigger-node-1',
		name: TRIGGER,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters,
		credentials: { zendeskMessagingApi: { id: 'cred-messaging', name: 'Zendesk Messaging' } },
		...overrides,
	};
}

/**
 * The simulator, and a small local HTTP server standing in for n8n's webhook endpoints: each
 * request to /webhook/<id>/webhook (or /webhook-test/…) is handed to the node's webhook() through
 * n8n-core's WebhookContext (harness.webhook), answered as n8n answers it, and its execution run.
 */
export class TriggerFixture {
	readonly calls: Call[] = [];
	/** The next call is handled, but its answer is lost (the connection drops): Zendesk retries it. */
	loseNextAnswer = false;
	workflow!: Required<Pick<WorkflowSpec, 'nodes' | 'connections' | 'staticData'>>;
	private readonly pending = new Set<Promise<unknown>>();

	private constructor(
		readonly sim: Simulator,
		readonly clock: ManualClock,
		readonly server: Server,
		readonly baseUrl: string,
		readonly harness: N8nHarness,
		/** The app's own client, for setting up and inspecting Zendesk state (as an admin would). */
		readonly admin: MessagingClient,
	) {}

	static async start(): Promise<TriggerFixture> {
		const clock = new ManualClock(Date.now());
		const sim = await startSimulator({ clock });
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const harness = TriggerFixture.harnessFor(sim, baseUrl);
		const admin = new MessagingClient({
			baseUrl: sim.urls.sunshine,
			appId: SIM_SUNSHINE.appId,
			auth: { type: 'basic', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
		});
		const fixture = new TriggerFixture(sim, clock, server, baseUrl, harness, admin);
		server.on('request', (req, res) => {
			const handled = fixture.handle(req, res);
			fixture.pending.add(handled);
			void handled.finally(() => fixture.pending.delete(handled));
		});
		fixture.useWorkflow({});
		return fixture;
	}

	static harnessFor(
		sim: Simulator,
		baseUrl: string,
		credentials: IDataObject | null = {},
	): N8nHarness {
		return new N8nHarness({
			baseUrl,
			nodeTypes: {
				[TRIGGER_TYPE]: new ZendeskMessagingTrigger(),
				'test.downstream': new Downstream(),
			},
			credentialTypes: { zendeskMessagingApi: new ZendeskMessagingApi() },
			credentials:
				credentials === null
					? {}
					: {
							zendeskMessagingApi: {
								host: 'custom',
								customBaseUrl: sim.urls.base,
								appId: SIM_SUNSHINE.appId,
								keyId: SIM_SUNSHINE.keyId,
								keySecret: SIM_SUNSHINE.keySecret,
								authType: 'basic',
								...credentials,
							},
						},
		});
	}

	/** A fresh workflow (trigger → downstream) with empty static data. */
	useWorkflow(parameters: INodeParameters, overrides: Partial<INode> = {}): void {
		this.workflow = {
			nodes: [
				triggerNode(parameters, overrides),
				{
					id: 'down-1',
					name: DOWNSTREAM,
					type: 'test.downstream',
					typeVersion: 1,
					position: [200, 0],
					parameters: {},
				},
			],
			connections: { [TRIGGER]: { main: [[{ node: DOWNSTREAM, type: 'main', index: 0 }]] } },
			staticData: {},
		};
	}

	/** Changes the trigger's parameters, keeping the workflow's static data (as editing a workflow does). */
	setParameters(parameters: INodeParameters): void {
		this.workflow.nodes[0] = { ...this.workflow.nodes[0], parameters };
	}

	/** What the node keeps in its static data. */
	get stored(): IDataObject {
		return (this.workflow.staticData[`node:${TRIGGER}`] ?? {}) as IDataObject;
	}

	hook(
		method: WebhookMethodName,
		options: Partial<HookSpec> & { harness?: N8nHarness } = {},
	): Promise<boolean> {
		const { harness = this.harness, ...rest } = options;
		return harness.hook({ ...this.workflow, node: TRIGGER, method, ...rest });
	}

	/** Activation as n8n does it: checkExists, then create when it says false. */
	async activate(options: Partial<HookSpec> = {}): Promise<void> {
		if (!(await this.hook('checkExists', options))) await this.hook('create', options);
	}

	get productionUrl(): string {
		return `${this.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;
	}

	get testUrl(): string {
		return `${this.baseUrl}/webhook-test/${WEBHOOK_ID}/webhook`;
	}

	/**
	 * Posts to the node's URL as Zendesk would (or as anyone could). Resolves once the execution it
	 * started is over, or with `settle: false` as soon as the answer is in.
	 */
	async post(
		body: unknown,
		headers: Record<string, string> = {},
		url = this.productionUrl,
		options: { settle?: boolean } = {},
	): Promise<{ status: number; body: unknown }> {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await response.text();
		if (options.settle !== false) await this.settle();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON: keep the text
		}
		return { status: response.status, body: parsed };
	}

	/** Waits for the simulator's deliveries and every execution they started. */
	async settle(): Promise<void> {
		await this.sim.sunshine.control.settleDeliveries();
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	/** Every item the trigger emitted, in order, over all calls. */
	get items(): IDataObject[] {
		return this.calls.flatMap((c) => c.items);
	}

	async close(): Promise<void> {
		await this.settle();
		await this.admin.close();
		await this.sim.close();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(
		req: import('node:http').IncomingMessage,
		res: import('node:http').ServerResponse,
	): Promise<void> {
		const path = new URL(req.url ?? '/', this.baseUrl).pathname;
		const isTest = path.startsWith('/webhook-test/');
		const call: Call = { path, isTest, headers: { ...req.headers }, status: 0, items: [] };
		if (
			req.method !== 'POST' ||
			(path !== new URL(this.productionUrl).pathname && path !== new URL(this.testUrl).pathname)
		) {
			res.writeHead(404).end();
			return;
		}
		this.calls.push(call);
		const request = await expressRequest(req);
		const lose = this.loseNextAnswer;
		this.loseNextAnswer = false;
		const response = expressResponse(res);
		if (lose) {
			// The workflow runs, but the answer never reaches Zendesk.
			response.status = () => response;
			response.json = () => (res.socket?.destroy(), response);
		}
		try {
			const result = await this.harness.webhook({
				...this.workflow,
				node: TRIGGER,
				req: request,
				res: response,
				isTest,
			});
			call.response = result.response;
			call.status = lose ? 0 : res.statusCode;
			// A node that answered the call itself (noWebhookResponse) and returned items still starts
			// an execution: n8n's executeWebhook (packages/cli/src/webhooks/webhook-helpers.ts, 1.123.x
			// and 2.41.x) answers nothing more and runs the workflow on workflowData.
			const workflowData = result.response?.workflowData;
			const run =
				result.run ??
				(result.response?.noWebhookResponse === true && workflowData
					? this.harness.run({
							...this.workflow,
							startNode: TRIGGER,
							items: workflowData[0],
							mode: isTest ? 'manual' : 'webhook',
						})
					: undefined);
			if (run) {
				call.run = await run;
				call.items = outputOf(call.run, TRIGGER);
			}
		} catch (error) {
			call.status = 500;
			if (!res.headersSent) res.writeHead(500).end(String(error));
		}
	}
}
