import type { AllEntities } from 'n8n-workflow';

export type NodeMap = {
	conversation: 'escalate' | 'forwardUserMessage' | 'sendAsBusiness' | 'releaseControl' | 'get' | 'listMessages';
	user: 'create' | 'get';
};

export type ZendeskMessagingType = AllEntities<NodeMap>;
