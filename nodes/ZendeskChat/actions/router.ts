import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { ExecutionResources } from './ExecutionResources';
import { agentOperations } from './agent/Agent.resource';
import { chatOperations } from './chat/Chat.resource';
import { departmentOperations } from './department/Department.resource';
import { liveChatOperations } from './liveChat/LiveChat.resource';
import { messageOperations } from './message/Message.resource';
import type { OperationMap } from './resources';

const RESOURCES: Record<string, OperationMap> = {
	message: messageOperations,
	liveChat: liveChatOperations,
	chat: chatOperations,
	department: departmentOperations,
	agent: agentOperations,
};

/** Runs the chosen operation for every input item; each output item is paired with its input. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = RESOURCES[resource]?.[operation];
	if (!op) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not known`);
	}
	const items = this.getInputData();
	const resources = new ExecutionResources(this);
	const output: INodeExecutionData[] = [];
	try {
		for (let i = 0; i < items.length; i++) {
			try {
				const result = await op.execute.call(this, i, resources);
				const json = Array.isArray(result) ? result : [result];
				output.push(...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json as IDataObject[]), { itemData: { item: i } }));
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, i);
				if (!this.continueOnFail()) throw nodeError;
				output.push({ json: { error: nodeError.message, description: nodeError.description ?? null }, pairedItem: { item: i } });
			}
		}
	} finally {
		await resources.dispose();
	}
	return [output];
}
