import type { INodeProperties } from 'n8n-workflow';

/**
 * Host settings shared by both Zendesk Chat credentials. They decide where the token is sent, so
 * they live in the credential only (never in node parameters). The expressions below derive the
 * same URLs as src/shared/endpoints.ts `chatEndpoints`, for n8n's credential test.
 */
export const chatHostProperties: INodeProperties[] = [
	{
		displayName: 'Host',
		name: 'host',
		type: 'options',
		options: [
			{ name: 'Zendesk (Subdomain.zendesk.com)', value: 'zendesk' },
			{
				name: 'Legacy Zopim (www.zopim.com)',
				value: 'zopim',
				description: 'For standalone Chat accounts that still use the zopim.com API host',
			},
			{
				name: 'Custom (Proxy or Local Simulator)',
				value: 'custom',
				description: "Every Chat API under one base URL, e.g. the package's simulator",
			},
		],
		default: 'zendesk',
	},
	{
		displayName: 'Subdomain',
		name: 'subdomain',
		type: 'string',
		default: '',
		placeholder: 'acme',
		description:
			'The part before .zendesk.com in your Zendesk address, e.g. "acme" for acme.zendesk.com',
		displayOptions: { show: { host: ['zendesk', 'zopim'] } },
		required: true,
	},
	{
		displayName: 'Custom Base URL',
		name: 'customBaseUrl',
		type: 'string',
		default: 'http://127.0.0.1:4010',
		description:
			'Base URL that serves /graphql/request, /stream and /api/v2/chat (npm run sim prints it)',
		displayOptions: { show: { host: ['custom'] } },
		required: true,
	},
];

/** The Chat REST API base URL, as an n8n expression over the credential's own fields. */
export const CHAT_REST_BASE_URL_EXPRESSION =
	'={{ $credentials.host === "custom" ? String($credentials.customBaseUrl).replace(/\\/+$/, "") + "/api/v2/chat" : $credentials.host === "zopim" ? "https://www.zopim.com/api/v2" : "https://" + String($credentials.subdomain).trim().replace(/\\.zendesk\\.com$/i, "") + ".zendesk.com/api/v2/chat" }}';
