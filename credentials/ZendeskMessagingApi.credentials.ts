import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { createAuthorizer } from '../src/messaging/auth';

/**
 * Sunshine Conversations (Zendesk Messaging) API key of an app: key id and secret, sent as basic
 * auth or as a short-lived app-scope JWT (NOTES.md section 5). Its "Test" button is the nodes'
 * `zendeskMessagingApiTest` (nodes/shared/credentialTests.ts says why).
 */
export class ZendeskMessagingApi implements ICredentialType {
	name = 'zendeskMessagingApi';

	displayName = 'Zendesk Messaging (Sunshine Conversations) API';

	icon: Icon = {
		light: 'file:../icons/zendesk-messaging.svg',
		dark: 'file:../icons/zendesk-messaging.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-zendesk-chat/n8n-nodes-zendesk-chat#zendesk-messaging-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'options',
			options: [
				{ name: 'Zendesk (Subdomain.zendesk.com/sc)', value: 'zendesk' },
				{ name: 'Sunshine Conversations US (api.smooch.io)', value: 'smooch' },
				{ name: 'Sunshine Conversations EU (api.eu-1.smooch.io)', value: 'smoochEu' },
				{ name: 'Custom (Proxy or Local Simulator)', value: 'custom' },
			],
			default: 'zendesk',
		},
		{
			displayName: 'Subdomain',
			name: 'subdomain',
			type: 'string',
			default: '',
			placeholder: 'acme',
			description: 'The part before .zendesk.com in your Zendesk address',
			displayOptions: { show: { host: ['zendesk'] } },
			required: true,
		},
		{
			displayName: 'Custom Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: 'http://127.0.0.1:4010',
			description: 'Base URL that serves /sc/v2/apps/… (npm run sim prints it)',
			displayOptions: { show: { host: ['custom'] } },
			required: true,
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Admin Center › Apps and integrations › APIs › Conversations API: the App ID shown above the keys',
		},
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'app_5f0a…',
			description: 'The ID of an app-scope API key created on the same page',
		},
		{
			displayName: 'Key Secret',
			name: 'keySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret of that key (Zendesk shows it only once, when the key is created)',
		},
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Basic (Key ID and Secret)', value: 'basic' },
				{
					name: 'JWT (Signed With the Secret)',
					value: 'jwt',
					description: 'A short-lived app-scope token per request; the secret never leaves n8n',
				},
			],
			default: 'basic',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authorizer = createAuthorizer({
			type: credentials.authType === 'jwt' ? 'jwt' : 'basic',
			keyId: String(credentials.keyId ?? ''),
			keySecret: String(credentials.keySecret ?? ''),
		});
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: authorizer.header() },
		};
	}
}
