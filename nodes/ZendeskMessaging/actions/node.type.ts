import type { AllEntities } from 'n8n-workflow';

import type { ActionOperation, ResourceOperations } from '../../shared/actionRuntime';
import type { OperationContext } from '../helpers/types';

/** Every resource of the node and its operations (Airtable v2's NodeMap). */
export type NodeMap = {
	conversation:
		| 'escalate'
		| 'forwardUserMessage'
		| 'get'
		| 'getAll'
		| 'getTranscript'
		| 'create'
		| 'update'
		| 'listMessages'
		| 'listParticipants'
		| 'passControl'
		| 'offerControl'
		| 'acceptControl'
		| 'releaseControl';
	message:
		| 'sendText'
		| 'sendCarousel'
		| 'sendList'
		| 'sendImage'
		| 'sendFile'
		| 'sendLocationRequest'
		| 'sendForm'
		| 'sendAndWaitForReply'
		| 'delete';
	activity: 'typingStart' | 'typingStop' | 'markAsRead';
	user: 'create' | 'get' | 'update' | 'getConversations';
	switchboard: 'get' | 'setUpBotHandoff';
};

export type ZendeskMessagingType = AllEntities<NodeMap>;

/** One operation: its fields and what it does for one input item, with the execution's client and signal. */
export type MessagingOperation = ActionOperation<OperationContext>;

/** The operations of one resource of the node, by name. */
export type Operations<R extends keyof NodeMap> = ResourceOperations<NodeMap, R, OperationContext>;
