import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { chatHostProperties } from './chatHostProperties';

/**
 * A Chat OAuth access token issued beforehand (scopes read write chat for the Conversations API).
 * Its "Test" button is the nodes' `zendeskChatApiTest` (nodes/shared/credentialTests.ts says why).
 */
export class ZendeskChatApi implements ICredentialType {
	name = 'zendeskChatApi';

	displayName = 'Zendesk Chat Access Token API';

	icon: Icon = {
		light: 'file:../icons/zendesk-chat.svg',
		dark: 'file:../icons/zendesk-chat.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-zendesk-chat/n8n-nodes-zendesk-chat#zendesk-chat-access-token-api';

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
}
