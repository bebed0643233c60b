import {
	ExecutionLifecycleHooks,
	HookContext,
	TriggerContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type ITriggerResponse,
	type IVersionedNodeType,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WebhookType,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';

export interface HarnessOptions {
	/** Node types by the type name workflows use (e.g. `n8n-nodes-zendesk-chat.zendeskChat`). */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: Record<string, ICredentialType>;
	/** Decrypted credential data by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Where n8n is reached (webhook URLs are built from it); a local server in webhook tests. */
	baseUrl?: string;
}

/** A webhook method of a node (webhookMethods.default.checkExists / create / delete). */
export type WebhookMethodName = 'checkExists' | 'create' | 'delete';

export interface HookSpec extends WorkflowSpec {
	node: string;
	method: WebhookMethodName;
	/** As "Listen for test event" does it: the test URL, mode manual. */
	isTest?: boolean;
	/** Defaults as n8n calls them: create/checkExists 'trigger' ('manual' for a test), delete 'internal'. */
	mode?: WorkflowExecuteMode;
	activation?: WorkflowActivateMode;
	webhookName?: WebhookType;
}

/** The part of express's response that n8n and webhook nodes use. */
export interface ExpressLikeResponse {
	status(code: number): ExpressLikeResponse;
	json(body: unknown): unknown;
	send(body?: unknown): unknown;
	end(): unknown;
}

/** The express-like request and response n8n hands a webhook node (N8N-CONVENTIONS.md section 9). */
export interface WebhookCallSpec extends WorkflowSpec {
	node: string;
	/** headers, body (parsed), rawBody (the bytes), query, params, method. */
	req: unknown;
	/** status(code) returning itself, json(body), send(body), end(), as express's response. */
	res: ExpressLikeResponse;
	/** A call to the test URL while "Listen for test event" runs: mode manual instead of webhook. */
	isTest?: boolean;
	webhookName?: WebhookType;
}

export interface WebhookCall {
	/** What the node's webhook() returned. */
	response: IWebhookResponseData;
	/** The execution its items started (as n8n runs it after answering), if any. */
	run?: Promise<IRun>;
}

export interface WorkflowSpec {
	nodes: INode[];
	connections?: IConnections;
	/** Static data shared across runs of the same workflow (triggers keep state there). */
	staticData?: IDataObject;
}

/** What an active trigger did, for assertions. */
export interface ActiveTrigger {
	response: ITriggerResponse;
	/** Every emit, with the run its items started (awaited in order). */
	emits: Array<{ items: INodeExecutionData[][]; run: Promise<IRun> }>;
	errors: Error[];
	failedExecutions: Error[];
	/** Resolves with the n-th emit (1-based) once it has happened. */
	waitForEmits(count: number, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

/**
 * Runs our nodes through n8n-core's real engine (WorkflowExecute, TriggerContext) the way n8n
 * itself does, without a database or a server (N8N-CONVENTIONS.md section 9): node types are
 * registered here, credentials come from TestCredentialsHelper.
 */
export class N8nHarness {
	readonly credentialsHelper: TestCredentialsHelper;
	readonly nodeTypes: INodeTypes;
	private executionSequence = 0;
	private readonly baseUrl: string;

	constructor(options: HarnessOptions) {
		this.baseUrl = options.baseUrl ?? 'http://127.0.0.1:5678';
		this.credentialsHelper = new TestCredentialsHelper(options.credentialTypes ?? {}, {
			...(options.credentials ?? {}),
		});
		const types = options.nodeTypes;
		this.nodeTypes = {
			getByName: (name) => {
				const type = types[name];
				if (!type) throw new Error(`unknown node type ${name}`);
				return type;
			},
			getByNameAndVersion: (name, version) => {
				const type = types[name];
				if (!type) throw new Error(`unknown node type ${name}`);
				return NodeHelpers.getVersionedNodeType(type, version);
			},
			getKnownTypes: () => ({}),
		};
	}

	workflow(spec: WorkflowSpec): Workflow {
		return new Workflow({
			id: 'wf-test',
			name: 'test workflow',
			nodes: spec.nodes,
			connections: spec.connections ?? {},
			nodeTypes: this.nodeTypes,
			staticData: spec.staticData,
			active: false,
			settings: { executionOrder: 'v1' },
		});
	}

	additionalData(
		mode: WorkflowExecuteMode,
		workflow: Workflow,
		onRun?: (run: IRun) => void,
	): IWorkflowExecuteAdditionalData {
		const executionId = String(++this.executionSequence);
		const hooks = new ExecutionLifecycleHooks(mode, executionId, {
			id: workflow.id,
			name: workflow.name ?? 'test',
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never);
		if (onRun) hooks.addHandler('workflowExecuteAfter', (run) => onRun(run));
		const base = this.baseUrl;
		return {
			hooks,
			credentialsHelper: this.credentialsHelper,
			executionId,
			currentNodeExecutionIndex: 0,
			restApiUrl: `${base}/rest`,
			instanceBaseUrl: base,
			formBaseUrl: `${base}/form`,
			formWaitingBaseUrl: `${base}/form-waiting`,
			formTestBaseUrl: `${base}/form-test`,
			webhookBaseUrl: `${base}/webhook`,
			webhookWaitingBaseUrl: `${base}/webhook-waiting`,
			webhookTestBaseUrl: `${base}/webhook-test`,
			mcpBaseUrl: `${base}/mcp`,
			mcpTestBaseUrl: `${base}/mcp-test`,
			variables: {},
			executeWorkflow: async () => {
				throw new Error('sub-workflows are not available in tests');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			logAiEvent: () => undefined,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/**
	 * Runs a workflow from `startNode` with `items` as its input (mode manual by default, as the
	 * editor's "Execute workflow" does). In manual mode a trigger start node runs its trigger() and
	 * its first emit becomes its output.
	 */
	async run(
		spec: WorkflowSpec & {
			startNode: string;
			items?: INodeExecutionData[];
			mode?: WorkflowExecuteMode;
			stopSignal?: AbortSignal;
		},
	): Promise<IRun> {
		const workflow = this.workflow(spec);
		return this.execute(
			workflow,
			spec.startNode,
			[spec.items ?? [{ json: {} }]],
			spec.mode ?? 'manual',
			spec.stopSignal,
		);
	}

	/**
	 * Activates a trigger node as an active workflow does: trigger() in mode 'trigger', and each
	 * emit runs the downstream nodes through WorkflowExecute, exactly as n8n feeds emitted items in.
	 */
	async activate(spec: WorkflowSpec & { triggerNode: string }): Promise<ActiveTrigger> {
		const workflow = this.workflow(spec);
		const node = workflow.getNode(spec.triggerNode);
		if (!node) throw new Error(`no node ${spec.triggerNode}`);
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (!nodeType.trigger) throw new Error(`${node.type} is not a trigger node`);
		const emits: ActiveTrigger['emits'] = [];
		const errors: Error[] = [];
		const failedExecutions: Error[] = [];
		const waiters: Array<{ count: number; resolve: () => void }> = [];
		const emit = (
			items: INodeExecutionData[][],
			_response?: unknown,
			donePromise?: { resolve: (r: IRun) => void; reject: (e: Error) => void },
		) => {
			const run = this.execute(workflow, node.name, items, 'trigger');
			run.then(
				(r) => donePromise?.resolve(r),
				(e) => donePromise?.reject(e),
			);
			emits.push({ items, run });
			for (const w of waiters.filter((x) => emits.length >= x.count)) {
				waiters.splice(waiters.indexOf(w), 1);
				w.resolve();
			}
		};
		const additionalData = this.additionalData('trigger', workflow);
		const context = new TriggerContext(
			workflow,
			node,
			additionalData,
			'trigger',
			'activate',
			emit as never,
			(error: Error) => void errors.push(error),
			(error: Error) => void failedExecutions.push(error),
		);
		const response = (await nodeType.trigger.call(context)) ?? {};
		return {
			response,
			emits,
			errors,
			failedExecutions,
			waitForEmits: (count, timeoutMs = 5000) =>
				emits.length >= count
					? Promise.resolve()
					: new Promise<void>((resolve, reject) => {
							const timer = setTimeout(
								() =>
									reject(
										new Error(`only ${emits.length} of ${count} emits within ${timeoutMs} ms`),
									),
								timeoutMs,
							);
							waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
						}),
			close: async () => {
				await response.closeFunction?.();
			},
		};
	}

	/**
	 * webhookData as n8n's CLI builds it for a node's webhook (its helper is not published): the
	 * description's method and path, the node's webhookId, and whether it is the test webhook.
	 */
	webhookData(
		workflow: Workflow,
		nodeName: string,
		additionalData: IWorkflowExecuteAdditionalData,
		options: { isTest?: boolean; webhookName?: WebhookType } = {},
	): IWebhookData {
		const node = workflow.getNode(nodeName);
		if (!node) throw new Error(`no node ${nodeName}`);
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const description = nodeType.description.webhooks?.find(
			(w) => w.name === (options.webhookName ?? 'default'),
		);
		if (!description)
			throw new Error(`${node.type} has no webhook ${options.webhookName ?? 'default'}`);
		const path = String(description.path ?? '');
		return {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			path: NodeHelpers.getNodeWebhookPath(
				workflow.id,
				node,
				path,
				description.isFullPath === true,
			),
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
			isTest: options.isTest === true,
		};
	}

	/**
	 * Runs one of a node's webhookMethods through n8n-core's HookContext, as n8n does on activation
	 * (checkExists, then create) and deactivation (delete). Pass the same `staticData` object to
	 * each call: what the node stores there is kept in it, as n8n saves it with the workflow.
	 */
	async hook(spec: HookSpec): Promise<boolean> {
		const workflow = this.workflow(spec);
		const node = workflow.getNode(spec.node);
		if (!node) throw new Error(`no node ${spec.node}`);
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const webhookName = spec.webhookName ?? 'default';
		const method = nodeType.webhookMethods?.[webhookName]?.[spec.method];
		if (!method)
			throw new Error(`${node.type} has no webhookMethods.${webhookName}.${spec.method}`);
		const mode =
			spec.mode ?? (spec.method === 'delete' ? 'internal' : spec.isTest ? 'manual' : 'trigger');
		const activation =
			spec.activation ??
			(spec.method === 'delete' ? 'update' : spec.isTest ? 'manual' : 'activate');
		const additionalData = this.additionalData(mode, workflow);
		const webhookData = this.webhookData(workflow, node.name, additionalData, {
			isTest: spec.isTest,
			webhookName,
		});
		const context = new HookContext(workflow, node, additionalData, mode, activation, webhookData);
		return await method.call(context);
	}

	/**
	 * One call to a node's webhook URL, served as n8n serves it: the node's webhook() runs in
	 * n8n-core's WebhookContext with the given request and response; unless it answered itself
	 * (noWebhookResponse), the call is answered the way responseMode 'onReceived' does (200 at once,
	 * before the workflow runs), and the returned items start an execution downstream.
	 */
	async webhook(spec: WebhookCallSpec): Promise<WebhookCall> {
		const workflow = this.workflow(spec);
		const node = workflow.getNode(spec.node);
		if (!node) throw new Error(`no node ${spec.node}`);
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (!nodeType.webhook) throw new Error(`${node.type} is not a webhook node`);
		const mode: WorkflowExecuteMode = spec.isTest ? 'manual' : 'webhook';
		const additionalData = this.additionalData(mode, workflow);
		Object.assign(additionalData, { httpRequest: spec.req, httpResponse: spec.res });
		const webhookData = this.webhookData(workflow, node.name, additionalData, {
			isTest: spec.isTest,
			webhookName: spec.webhookName,
		});
		const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
		const response = await nodeType.webhook.call(context);
		if (response.noWebhookResponse === true) return { response };
		const code = webhookData.webhookDescription.responseCode;
		const status = typeof code === 'number' ? code : 200;
		if (response.workflowData === undefined) {
			spec.res
				.status(status)
				.json(response.webhookResponse ?? { message: 'Webhook call received' });
			return { response };
		}
		spec.res.status(status).json({ message: 'Workflow was started' });
		return { response, run: this.execute(workflow, node.name, response.workflowData, mode) };
	}

	/**
	 * `stopSignal` stops the execution as n8n's Stop button does: it cancels WorkflowExecute's
	 * promise, which aborts the signal nodes get from getExecutionCancelSignal(). The run resolves
	 * once the running node has returned.
	 */
	private async execute(
		workflow: Workflow,
		startNode: string,
		data: INodeExecutionData[][],
		mode: WorkflowExecuteMode,
		stopSignal?: AbortSignal,
	): Promise<IRun> {
		const node = workflow.getNode(startNode);
		if (!node) throw new Error(`no node ${startNode}`);
		let finished!: (run: IRun) => void;
		const done = new Promise<IRun>((resolve) => (finished = resolve));
		const additionalData = this.additionalData(mode, workflow, (run) => finished(run));
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] },
		});
		const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
		const running = execution.processRunExecutionData(workflow);
		const stop = () => running.cancel();
		stopSignal?.addEventListener('abort', stop, { once: true });
		try {
			await running;
		} finally {
			stopSignal?.removeEventListener('abort', stop);
		}
		return done;
	}
}

/** The items a node put on its first output in the first run, as plain JSON. */
export function outputOf(run: IRun, nodeName: string, output = 0): IDataObject[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) throw new Error(`node ${nodeName} did not run`);
	if (task.error) throw task.error;
	return (task.data?.main?.[output] ?? []).map((item) => item.json);
}

/** The error a node ended with in the first run. */
export function errorOf(
	run: IRun,
	nodeName: string,
): Error & { description?: string | null; context?: IDataObject } {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task?.error) throw new Error(`node ${nodeName} did not fail`);
	return task.error as never;
}
