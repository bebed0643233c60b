import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { LazyMessagingClient } from '../helpers/clients';
import type { OperationContext } from '../helpers/types';
import * as conversation from './conversation/Conversation.resource';
import type { NodeMap, ZendeskMessagingType } from './node.type';
import * as user from './user/User.resource';

type Operation = { execute: (this: IExecuteFunctions, itemIndex: number, context: OperationContext) => Promise<IDataObject | IDataObject[]> };

/** Every operation of every resource (the type makes a missing one a compile error). */
const operations: { [R in keyof NodeMap]: Record<NodeMap[R], Operation> } = {
	conversation: {
		escalate: conversation.escalate,
		forwardUserMessage: conversation.forwardUserMessage,
		sendAsBusiness: conversation.sendAsBusiness,
		releaseControl: conversation.releaseControl,
		get: conversation.get,
		listMessages: conversation.listMessages,
	},
	user: { create: user.create, get: user.get },
};

/**
 * Runs the chosen operation for every input item on one client (closed in the finally):
 * each output item is paired with its input item; a failed item becomes `{error}` with
 * "Continue On Fail", otherwise the mapped error stops the node.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as ZendeskMessagingType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = (operations[resource] as Record<string, Operation> | undefined)?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for the resource "${resource}"`);
	}

	const context: OperationContext = { messaging: new LazyMessagingClient(this), signal: this.getExecutionCancelSignal?.() };
	const output: INodeExecutionData[] = [];
	try {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const result = await run.execute.call(this, itemIndex, context);
				output.push(...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), { itemData: { item: itemIndex } }));
			} catch (error) {
				const mapped = toNodeError(this.getNode(), error, itemIndex);
				if (!this.continueOnFail()) throw mapped;
				const json: IDataObject = { error: mapped.message };
				if (mapped.description) json.description = mapped.description;
				output.push({ json, pairedItem: { item: itemIndex } });
			}
		}
	} finally {
		await context.messaging.close();
	}
	return [output];
}
