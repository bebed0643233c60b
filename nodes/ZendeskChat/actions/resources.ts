import type { AllEntities } from 'n8n-workflow';

import type { ActionOperation, ResourceOperations } from '../../shared/actionRuntime';
import type { ExecutionResources } from './ExecutionResources';

/** Every resource of the node and its operations (Airtable v2's NodeMap). */
export type NodeMap = {
	message:
		| 'sendText'
		| 'sendQuickReplies'
		| 'sendButtons'
		| 'sendPanel'
		| 'sendCarousel'
		| 'sendList'
		| 'sendAndWaitForReply';
	liveChat:
		| 'transferToDepartment'
		| 'inviteAgent'
		| 'addTags'
		| 'setTypingIndicator'
		| 'listenToChannel'
		| 'leaveChat'
		| 'setAgentStatus'
		| 'getAll';
	chat:
		| 'delete'
		| 'export'
		| 'get'
		| 'getAll'
		| 'getManyByIds'
		| 'getTranscript'
		| 'search'
		| 'update';
	department: 'getAll';
	agent: 'getAll';
};

export type ZendeskChatType = AllEntities<NodeMap>;

/**
 * One operation: its fields (shown only for its resource and operation) and what it does for one
 * input item, with the execution's REST client and session.
 */
export type ChatOperation = ActionOperation<ExecutionResources>;

/** The operations of one resource of the node, by name. */
export type Operations<R extends keyof NodeMap> = ResourceOperations<
	NodeMap,
	R,
	ExecutionResources
>;
