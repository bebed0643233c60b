import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { CHAT_REST_BASE_URL_EXPRESSION, chatHostProperties } from './chatHostProperties';

/** A Chat OAuth access token issued beforehand (scopes read write chat for the Conversations API). */
export class ZendeskChatApi implements ICredentialType {
	name = 'zendeskChatApi';

	displayName = 'Zendesk Chat Access Token API';

	icon: Icon = { light: 'file:../icons/zendesk-chat.svg', dark: 'file:../icons/zendesk-chat.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-zendesk-chat/n8n-nodes-zendesk-chat#zendesk-chat-api-access-token';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A Chat OAuth token with the scopes read, write and chat (the Conversations API needs all three). Create one with the Chat OAuth client in Zendesk Chat: Settings › Account › API & SDKs.',
		},
		...chatHostProperties,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: CHAT_REST_BASE_URL_EXPRESSION, url: '/agents/me' },
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Zendesk refused the access token: it is wrong, expired or revoked. Create a new one.' },
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: 'The token lacks a scope: it needs read (and write and chat for the Chat Trigger and messages).' },
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No Chat API at this host: check the subdomain (or the custom base URL).' },
			},
		],
	};
}
