import type {
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { ZendeskChatApi } from '../../../credentials/ZendeskChatApi.credentials';
import { ZendeskChat } from '../../../nodes/ZendeskChat/ZendeskChat.node';
import { ZendeskChatTrigger } from '../../../nodes/ZendeskChatTrigger/ZendeskChatTrigger.node';
import {
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../../simulator';
import { simAgentKey } from '../../helpers/chat-credentials';
import { encodeRelayId } from '../../../simulator/conversations';
import { sharedSessionPool } from '../../../src/conversations';
import { credentialKey } from '../../../src/shared';
import { N8nHarness, type ActiveTrigger } from '../../helpers/n8n/harness';

export const TRIGGER = 'Zendesk Chat Trigger';
export const DOWNSTREAM = 'Downstream';
export const TRIGGER_TYPE = 'n8n-nodes-zendesk-chat.zendeskChatTrigger';
export const ACTION_TYPE = 'n8n-nodes-zendesk-chat.zendeskChat';

/**
 * Downstream executions wait here when a test holds them (by the message text they carry), so a
 * test can tell "emitted at once" from "emitted after the previous execution finished".
 */
export const gates = new Map<string, Promise<void>>();
export const downstreamLog: Array<{ text: unknown; phase: 'start' | 'end' }> = [];

/** A plain node after the trigger: each emit runs it, as production runs the rest of the workflow. */
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
		const items = this.getInputData();
		const text = items[0]?.json.text;
		downstreamLog.push({ text, phase: 'start' });
		const gate = typeof text === 'string' ? gates.get(text) : undefined;
		if (gate) await gate;
		downstreamLog.push({ text, phase: 'end' });
		return [
			items.map((item, index) => ({
				json: { seen: item.json.messageId ?? item.json.metric ?? null },
				pairedItem: { item: index },
			})),
		];
	}
}

/** The version a new workflow gets (the node's defaultVersion). */
export const TRIGGER_VERSION = 1.1;

export function triggerNode(
	parameters: INodeParameters = {},
	typeVersion = TRIGGER_VERSION,
): INode {
	return {
		id: 'chat-trigger-1',
		name: TRIGGER,
		type: TRIGGER_TYPE,
		typeVersion,
		position: [0, 0],
		parameters,
		credentials: { zendeskChatApi: { id: 'cred-chat', name: 'Zendesk Chat' } },
	};
}

const downstreamNode: INode = {
	id: 'downstream-1',
	name: DOWNSTREAM,
	type: 'test.downstream',
	typeVersion: 1,
	position: [200, 0],
	parameters: {},
};

export const CONNECTIONS: IConnections = {
	[TRIGGER]: { main: [[{ node: DOWNSTREAM, type: 'main', index: 0 }]] },
};

/** The simulator, a harness with the trigger and a downstream node, and the credential it uses. */
export class ChatTriggerFixture {
	private readonly active = new Set<ActiveTrigger>();

	private constructor(
		readonly sim: Simulator,
		readonly harness: N8nHarness,
	) {}

	static async start(): Promise<ChatTriggerFixture> {
		const sim = await startSimulator();
		const harness = new N8nHarness({
			nodeTypes: {
				[TRIGGER_TYPE]: new ZendeskChatTrigger(),
				[ACTION_TYPE]: new ZendeskChat(),
				'test.downstream': new Downstream(),
			},
			credentialTypes: { zendeskChatApi: new ZendeskChatApi() },
			credentials: {
				zendeskChatApi: {
					accessToken: SIM_TOKENS.bot,
					host: 'custom',
					customBaseUrl: sim.urls.base,
				},
			},
		});
		return new ChatTriggerFixture(sim, harness);
	}

	/**
	 * The pool key the nodes use for a pre-issued token: of the agent GET /agents/me names for it (a
	 * token REST refuses is keyed by the credential: a hash, never the token).
	 */
	key(token: string = SIM_TOKENS.bot): string {
		const agentId =
			token === SIM_TOKENS.human
				? SIM_HUMAN_AGENT_ID
				: token === SIM_TOKENS.bot || token === SIM_TOKENS.readOnly
					? SIM_BOT_AGENT_ID
					: undefined;
		return agentId === undefined
			? credentialKey('zendeskChatApi', this.sim.urls.rest, token)
			: simAgentKey(this.sim, agentId);
	}

	/** The credential's own key, which the REST and Streaming clients count their budget under. */
	credentialKey(token: string = SIM_TOKENS.bot): string {
		return credentialKey('zendeskChatApi', this.sim.urls.rest, token);
	}

	useToken(token: string): void {
		this.harness.credentialsHelper.setData('zendeskChatApi', {
			accessToken: token,
			host: 'custom',
			customBaseUrl: this.sim.urls.base,
		});
	}

	workflow(parameters: INodeParameters, typeVersion = TRIGGER_VERSION) {
		return {
			nodes: [triggerNode(parameters, typeVersion), downstreamNode],
			connections: CONNECTIONS,
		};
	}

	async activate(
		parameters: INodeParameters,
		workflow: { nodes: INode[]; connections: IConnections } = this.workflow(parameters),
	): Promise<ActiveTrigger> {
		const trigger = await this.harness.activate({ ...workflow, triggerNode: TRIGGER });
		this.active.add(trigger);
		return trigger;
	}

	async close(trigger: ActiveTrigger): Promise<void> {
		this.active.delete(trigger);
		await trigger.close();
	}

	/** Closes what a failed test left active. */
	async closeAll(): Promise<void> {
		for (const trigger of [...this.active]) await this.close(trigger);
	}

	/** The trigger's items, one list per emit, as JSON. */
	static items(trigger: ActiveTrigger): IDataObject[][] {
		return trigger.emits.map((e) => e.items[0].map((item) => item.json));
	}

	/** The first item of each emit. */
	static firstItems(trigger: ActiveTrigger): IDataObject[] {
		return trigger.emits.map((e) => e.items[0][0].json);
	}

	/** Live server-side subscriptions of `field` across the agent's sessions. */
	serverSubscriptions(field: 'message' | 'chatActivity'): number {
		return this.sim.conversations.control
			.sessions()
			.filter((s) => s.connected)
			.reduce((n, s) => n + s.subscriptions.filter((sub) => sub.field === field).length, 0);
	}

	channelOf(chatId: string): string {
		return encodeRelayId('CHANNEL', chatId);
	}

	async shutdown(): Promise<void> {
		await this.closeAll();
		await this.sim.close();
	}
}

export function leasesOf(key: string): number {
	return sharedSessionPool().leases(key);
}

/** Polls `check` until it is true; fails naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
