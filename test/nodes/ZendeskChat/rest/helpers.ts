import type { IDataObject, INode, INodeExecutionData, IRun } from 'n8n-workflow';

import { ZendeskChat } from '../../../../nodes/ZendeskChat/ZendeskChat.node';
import type { Simulator } from '../../../../simulator';
import { chatCredentialsFor, chatCredentialTypes } from '../../../helpers/chat-credentials';
import { N8nHarness } from '../../../helpers/n8n/harness';

export const NODE_TYPE = 'n8n-nodes-zendesk-chat.zendeskChat';
export const NODE_NAME = 'Zendesk Chat';

/** A harness with the node and both Chat credentials pointed at the simulator. */
export function chatHarness(sim: Simulator, options: { accessToken?: string } = {}): N8nHarness {
	return new N8nHarness({
		nodeTypes: { [NODE_TYPE]: new ZendeskChat() },
		credentialTypes: chatCredentialTypes(),
		credentials: chatCredentialsFor(sim, options.accessToken),
	});
}

export interface NodeOptions {
	authentication?: 'accessToken' | 'oAuth2';
	/** n8n's "On Error: Continue" (continueOnFail). */
	continueOnFail?: boolean;
	name?: string;
}

/** The Zendesk Chat node with these parameters (authentication and credentials filled in). */
export function chatNode(parameters: IDataObject, options: NodeOptions = {}): INode {
	const authentication = options.authentication ?? 'accessToken';
	return {
		id: 'zendesk-chat',
		name: options.name ?? NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication, ...parameters } as INode['parameters'],
		credentials:
			authentication === 'oAuth2'
				? { zendeskChatOAuth2Api: { id: 'cred-oauth', name: 'chat oauth' } }
				: { zendeskChatApi: { id: 'cred-token', name: 'chat token' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Runs the node alone on `items` (one empty item by default), as a manual execution. */
export function runNode(
	harness: N8nHarness,
	parameters: IDataObject,
	options: NodeOptions & {
		items?: INodeExecutionData[];
		staticData?: IDataObject;
		mode?: 'manual' | 'trigger';
	} = {},
): Promise<IRun> {
	const node = chatNode(parameters, options);
	return harness.run({
		nodes: [node],
		startNode: node.name,
		items: options.items,
		staticData: options.staticData,
		mode: options.mode,
	});
}

/** The items (json and pairing) the node put out in its first run. */
export function itemsOf(run: IRun, nodeName = NODE_NAME): INodeExecutionData[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) throw new Error(`node ${nodeName} did not run`);
	if (task.error) throw task.error;
	return task.data?.main?.[0] ?? [];
}

/** The REST requests the simulator answered since its log was last cleared, as "METHOD /path?query". */
export function restRequests(sim: Simulator): string[] {
	return sim.rest.control
		.requestLog()
		.map(
			(r: { method: string; path: string }) => `${r.method} ${r.path.replace('/api/v2/chat', '')}`,
		);
}

/** Input items `{json}` from plain objects. */
export function inputs(...values: IDataObject[]): INodeExecutionData[] {
	return values.map((json) => ({ json }));
}
