import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { CHAT_REST_BASE_URL_EXPRESSION, chatHostProperties } from './chatHostProperties';

/** Base of the Chat OAuth endpoints for the chosen host (NOTES.md section 2). */
const OAUTH_BASE =
	'$self["host"] === "custom" ? String($self["customBaseUrl"]).replace(/\\/+$/, "") + "/oauth2/chat" : $self["host"] === "zopim" ? "https://www.zopim.com/oauth2" : "https://" + String($self["subdomain"]).trim().replace(/\\.zendesk\\.com$/i, "") + ".zendesk.com/oauth2/chat"';

/**
 * Chat OAuth2 (the "Chat" OAuth client, not Zendesk Support's): authorization code or client
 * credentials, scopes read write chat. n8n refreshes the token and stores it.
 */
export class ZendeskChatOAuth2Api implements ICredentialType {
	name = 'zendeskChatOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Zendesk Chat OAuth2 API';

	icon: Icon = {
		light: 'file:../icons/zendesk-chat.svg',
		dark: 'file:../icons/zendesk-chat.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-zendesk-chat/n8n-nodes-zendesk-chat#zendesk-chat-oauth2-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code', value: 'authorizationCode' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
			],
			default: 'authorizationCode',
		},
		...chatHostProperties,
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${OAUTH_BASE} + "/authorizations/new" }}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${OAUTH_BASE} + "/token" }}`,
			required: true,
		},
		{
			// The Conversations API needs all three (seeds/chat-conversations-api-overview.txt).
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'read write chat',
		},
		{
			// The legacy zopim authorize page asks which account (NOTES.md section 2).
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default:
				'={{ $self["host"] === "zopim" ? "subdomain=" + String($self["subdomain"]).trim() : "" }}',
		},
		{
			// The token endpoint takes client_id and client_secret as form fields (NOTES.md section 2).
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	test: ICredentialTestRequest = {
		request: { baseURL: CHAT_REST_BASE_URL_EXPRESSION, url: '/agents/me' },
	};
}
