import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runActions, type OperationTable } from '../../shared/actionRuntime';
import { ExecutionResources } from './ExecutionResources';
import * as agent from './agent/Agent.resource';
import * as chat from './chat/Chat.resource';
import * as department from './department/Department.resource';
import * as liveChat from './liveChat/LiveChat.resource';
import * as message from './message/Message.resource';
import type { NodeMap } from './resources';

/** Every operation of every resource (the type makes a missing one a compile error). */
const operations: OperationTable<NodeMap, ExecutionResources> = {
	message: message.messageOperations,
	liveChat: liveChat.liveChatOperations,
	chat: chat.chatOperations,
	department: department.departmentOperations,
	agent: agent.agentOperations,
};

/**
 * Runs the chosen operation for every input item (nodes/shared/actionRuntime.ts), with one REST
 * client and one session lease for the whole execution, each request made with its cancel signal.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runActions.call(this, operations, (signal) => new ExecutionResources(this, signal));
}
