import type { IDataObject, INode, INodeExecutionData, IRun } from 'n8n-workflow';

import { ZendeskChat } from '../../../../nodes/ZendeskChat/ZendeskChat.node';
import { SIM_TOKENS, type Simulator } from '../../../../simulator';
import { encodeRelayId } from '../../../../simulator/conversations/relay-id';
import type { ChatRecord, DeliveredToVisitor } from '../../../../simulator/world/types';
import { chatCredentialsFor, chatCredentialTypes } from '../../../helpers/chat-credentials';
import { N8nHarness } from '../../../helpers/n8n/harness';

export const NODE_TYPE = 'n8n-nodes-zendesk-chat.zendeskChat';
export const NODE_NAME = 'Zendesk Chat';

/** A harness with the node and both Chat credentials pointed at the simulator. */
export function liveHarness(sim: Simulator, token: string = SIM_TOKENS.bot): N8nHarness {
	return new N8nHarness({
		nodeTypes: { [NODE_TYPE]: new ZendeskChat() },
		credentialTypes: chatCredentialTypes(),
		credentials: chatCredentialsFor(sim, token),
	});
}

export interface RunOptions {
	authentication?: 'accessToken' | 'oAuth2';
	continueOnFail?: boolean;
	items?: INodeExecutionData[];
}

export function liveNode(parameters: IDataObject, options: RunOptions = {}): INode {
	const authentication = options.authentication ?? 'accessToken';
	return {
		id: 'zendesk-chat-live',
		name: NODE_NAME,
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
export function run(
	harness: N8nHarness,
	parameters: IDataObject,
	options: RunOptions = {},
): Promise<IRun> {
	const node = liveNode(parameters, options);
	return harness.run({ nodes: [node], startNode: node.name, items: options.items });
}

/** The node's output items; throws the node's error if it failed. */
export function itemsOf(result: IRun): INodeExecutionData[] {
	const task = result.data.resultData.runData[NODE_NAME]?.[0];
	if (!task) throw new Error('the node did not run');
	if (task.error) throw task.error;
	return task.data?.main?.[0] ?? [];
}

/** The node's error (message, description, itemIndex), or a failure if it did not fail. */
export function errorOf(result: IRun): {
	message: string;
	description: string | null | undefined;
	itemIndex: unknown;
	name: string;
} {
	const error = result.data.resultData.runData[NODE_NAME]?.[0]?.error;
	if (!error) throw new Error('the node did not fail');
	return {
		message: error.message,
		description: (error as { description?: string | null }).description,
		itemIndex: (error as { context?: { itemIndex?: unknown } }).context?.itemIndex,
		name: error.name,
	};
}

/** A visitor starts a chat; its channel id is the Relay id the trigger's `message` events carry. */
export function startChat(sim: Simulator, message = 'Hi'): { chat: ChatRecord; channelId: string } {
	const chat = sim.world.startChat({ message });
	return { chat, channelId: encodeRelayId('CHANNEL', chat.id) };
}

export function delivered(sim: Simulator, chatId: string): DeliveredToVisitor[] {
	return sim.world.requireChat(chatId).delivered;
}

export function inputs(...values: IDataObject[]): INodeExecutionData[] {
	return values.map((json) => ({ json }));
}

export { encodeRelayId };
