import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** The Authentication choice of every Zendesk Chat node, and the credential each choice uses. */
export const chatAuthenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'Access Token', value: 'accessToken' },
		{ name: 'OAuth2', value: 'oAuth2' },
	],
	default: 'accessToken',
};

export const chatCredentials: INodeCredentialDescription[] = [
	{ name: 'zendeskChatApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
	{ name: 'zendeskChatOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
];
