import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runActions, type OperationTable } from '../../shared/actionRuntime';
import { OperationContext } from '../helpers/types';
import { activityOperations } from './activity/Activity.resource';
import { conversationOperations } from './conversation/Conversation.resource';
import { messageOperations } from './message/Message.resource';
import type { NodeMap } from './node.type';
import { switchboardOperations } from './switchboard/Switchboard.resource';
import { userOperations } from './user/User.resource';

/** Every operation of every resource (the type makes a missing one a compile error). */
const operations: OperationTable<NodeMap, OperationContext> = {
	conversation: conversationOperations,
	message: messageOperations,
	activity: activityOperations,
	user: userOperations,
	switchboard: switchboardOperations,
};

/**
 * Runs the chosen operation for every input item (nodes/shared/actionRuntime.ts) on one Messaging
 * client, closed at the end; every request is made with the execution's cancel signal.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runActions.call(this, operations, (signal) => new OperationContext(this, signal));
}
