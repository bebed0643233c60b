import type { INodeProperties } from 'n8n-workflow';

/** How a conversation operation finds its conversation: statelessly, from the chatbot user's external ID, or by ID. */
export const conversationByField: INodeProperties = {
	displayName: 'Find Conversation By',
	name: 'conversationBy',
	type: 'options',
	options: [
		{
			name: 'User External ID',
			value: 'userExternalId',
			description: 'The most recently updated conversation of the chatbot user with this external ID (no conversation ID needs to be stored)',
		},
		{
			name: 'Conversation ID',
			value: 'conversationId',
			description: 'A conversation ID returned by an earlier operation or a trigger',
		},
	],
	default: 'userExternalId',
};

export const userExternalIdField: INodeProperties = {
	displayName: 'User External ID',
	name: 'userExternalId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'chat-session-42',
	description: 'Your own ID for the chatbot user, such as the chat session ID: the same ID given to Escalate to Agent',
};

export const conversationIdField: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '6470b4b8c1e0a7d5c0f0e8a1',
	description: 'The Zendesk Messaging conversation ID',
};

/** The locator fields: the external ID shows for the lookup, the conversation ID for the direct way. */
export const conversationLocator: INodeProperties[] = [
	conversationByField,
	{ ...userExternalIdField, displayOptions: { show: { conversationBy: ['userExternalId'] } } },
	{ ...conversationIdField, displayOptions: { show: { conversationBy: ['conversationId'] } } },
];

export function metadataOption(displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name: 'metadata',
		type: 'json',
		default: '{}',
		description,
	};
}

/** The field labels every conversation operation shares (core field path → parameter name). */
export const conversationLabels = {
	userExternalId: 'User External ID',
	conversationId: 'Conversation ID',
	text: 'Text',
	'content.text': 'Text',
	metadata: 'Metadata',
};
