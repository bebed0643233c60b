import type { IDataObject, INode, INodeExecutionData, IRun } from 'n8n-workflow';

import { ZendeskMessagingApi } from '../../../credentials/ZendeskMessagingApi.credentials';
import { ZendeskMessaging } from '../../../nodes/ZendeskMessaging/ZendeskMessaging.node';
import { SIM_SUNSHINE, type Simulator } from '../../../simulator';
import { N8nHarness } from '../../helpers/n8n/harness';

export const NODE_TYPE = 'n8n-nodes-zendesk-chat.zendeskMessaging';
export const NODE_NAME = 'Zendesk Messaging';

let counter = 0;
/** A fresh external ID per test, so tests never see each other's users. */
export const unique = (prefix: string) => `${prefix}-${Date.now()}-${++counter}`;

export function messagingCredentials(sim: Simulator, overrides: IDataObject = {}): IDataObject {
	return {
		host: 'custom',
		customBaseUrl: sim.urls.base,
		appId: SIM_SUNSHINE.appId,
		keyId: SIM_SUNSHINE.keyId,
		keySecret: SIM_SUNSHINE.keySecret,
		authType: 'jwt',
		...overrides,
	};
}

export function messagingHarness(
	sim: Simulator,
	credentialOverrides: IDataObject = {},
): N8nHarness {
	return new N8nHarness({
		nodeTypes: { [NODE_TYPE]: new ZendeskMessaging() },
		credentialTypes: { zendeskMessagingApi: new ZendeskMessagingApi() },
		credentials: { zendeskMessagingApi: messagingCredentials(sim, credentialOverrides) as never },
	});
}

export function messagingNode(parameters: IDataObject, extra: Partial<INode> = {}): INode {
	return {
		id: 'zm',
		name: NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { zendeskMessagingApi: { id: 'cred-messaging', name: 'Zendesk Messaging' } },
		...extra,
	};
}

/** Runs the node alone on `items` (one empty item by default). */
export function runNode(
	harness: N8nHarness,
	parameters: IDataObject,
	items?: INodeExecutionData[],
	extra: Partial<INode> = {},
): Promise<IRun> {
	return harness.run({ nodes: [messagingNode(parameters, extra)], startNode: NODE_NAME, items });
}

/** The items the node put out, with their pairing. */
export function itemsOf(run: IRun): INodeExecutionData[] {
	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	if (!task) throw new Error('the node did not run');
	if (task.error) throw task.error;
	return task.data?.main?.[0] ?? [];
}

export const textOf = (message: unknown) => (message as { content: { text: string } }).content.text;

/**
 * Runs `action` with a tripwire on the Sunshine API: every request would be answered with an
 * injected 503, so a request shows up as a served fault (and as a different error). Returns what
 * `action` returned once it is checked that no request reached the simulator.
 */
export async function withoutRequests<T>(sim: Simulator, action: () => Promise<T>): Promise<T> {
	const before = sim.faults.served.sunshine;
	sim.faults.failNextHttp({ api: 'sunshine', status: 503, count: 1000 });
	try {
		const result = await action();
		expect(sim.faults.served.sunshine).toBe(before);
		return result;
	} finally {
		sim.faults.reset();
	}
}
