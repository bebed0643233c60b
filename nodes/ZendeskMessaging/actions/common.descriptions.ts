import type { INodeProperties } from 'n8n-workflow';

export { returnAllOrLimit } from '../../shared/listFields';

/** How a conversation operation finds its conversation: statelessly, from the chatbot user's external ID, or by ID. */
export const conversationByField: INodeProperties = {
	displayName: 'Find Conversation By',
	name: 'conversationBy',
	type: 'options',
	options: [
		{
			name: 'User External ID',
			value: 'userExternalId',
			description:
				'The most recently updated conversation of the chatbot user with this external ID (no conversation ID needs to be stored)',
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
	description:
		'Your own ID for the chatbot user, such as the chat session ID: the same ID given to Escalate to Agent',
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

/** Whose conversations an operation lists or creates: the user's external ID (your own), or the Zendesk user ID. */
export const userLocator: INodeProperties[] = [
	{
		displayName: 'Find User By',
		name: 'userBy',
		type: 'options',
		options: [
			{
				name: 'User External ID',
				value: 'userExternalId',
				description: 'Your own ID for the user, such as the chat session ID',
			},
			{ name: 'User ID', value: 'userId', description: 'The ID Zendesk Messaging gave the user' },
		],
		default: 'userExternalId',
	},
	{ ...userExternalIdField, displayOptions: { show: { userBy: ['userExternalId'] } } },
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '7494535bff5cef41a15be74d',
		description: 'The ID Zendesk Messaging gave the user',
		displayOptions: { show: { userBy: ['userId'] } },
	},
];

/** The fields of a conversation one can set (Create) and change (Update). */
export const conversationFields: INodeProperties[] = [
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'A description of the conversation (at most 100 characters)',
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'The name of the conversation (at most 100 characters)',
	},
	{
		displayName: 'Icon URL',
		name: 'iconUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/icon.png',
		description: 'An http(s) image shown for the conversation',
	},
	metadataOption(
		'Metadata',
		'Flat metadata stored with the conversation, e.g. {"orderId": "42"} (at most 4 KB); on Update it replaces the metadata as a whole',
	),
];

/** The switchboard integration that gets control (Pass Control, Offer Control). */
export const controlTargetField: INodeProperties = {
	displayName: 'Switchboard Integration Name or ID',
	name: 'switchboardIntegration',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getControlTargets' },
	required: true,
	default: '',
	description:
		'Who gets the conversation: zd-agentWorkspace (a Zendesk agent, who gets a ticket), a bot\'s integration, or "next" (the one configured after the integration in control). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** The labels of Pass Control and Offer Control. */
export const controlLabels = {
	...conversationLabels,
	switchboardIntegration: 'Switchboard Integration',
};
