import type { INodeProperties } from 'n8n-workflow';

/**
 * The Authentication choice of every Zendesk Chat node. Each node lists the credential of each choice
 * itself (zendeskChatApi with `testedBy: 'zendeskChatApiTest'`, zendeskChatOAuth2Api).
 */
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
