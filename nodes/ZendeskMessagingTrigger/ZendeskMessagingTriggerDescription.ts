import type { INodeProperties } from 'n8n-workflow';

import { CHANNEL_OPTIONS } from './helpers/channels';
import { EVENT_OPTIONS } from './helpers/events';
import { DEFAULT_MAX_BODY_KB } from './helpers/settings';

export const triggerProperties: INodeProperties[] = [
	{
		// Zendesk calls n8n from the internet, and n8n builds the URL it registers from WEBHOOK_URL.
		displayName:
			'Zendesk must reach this n8n from the internet: start n8n with WEBHOOK_URL set to its public HTTPS address (e.g. https://n8n.example.com/), so that the Production URL above is one Zendesk can call',
		name: 'webhookUrlNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		// The two an escalation needs: a message (from the user or an agent) and the agent ending the session.
		default: ['conversation:message', 'switchboard:releaseControl'],
		options: EVENT_OPTIONS,
		description:
			'The Zendesk Messaging webhook triggers that start the workflow, one item per event. Conversation Message covers user messages and agent replies; Switchboard Release Control is the agent ending the session.',
	},
	{
		displayName: 'Webhook Registration',
		name: 'registration',
		type: 'options',
		options: [
			{
				name: 'Add to an Existing Integration',
				value: 'existingIntegration',
				description:
					"Activation adds the webhook to a custom integration that has none yet (e.g. the bot's switchboard integration); deactivation deletes the webhook only",
			},
			{
				name: 'Create a New Integration',
				value: 'newIntegration',
				description:
					'Activation creates a custom integration named after the workflow, with the webhook; deactivation deletes both',
			},
			{
				name: 'Set Up by Hand in Admin Center',
				value: 'manual',
				description:
					"You create the webhook yourself with this node's URL and paste its secret here; n8n changes nothing in Zendesk",
			},
		],
		default: 'newIntegration',
	},
	{
		displayName: 'Integration ID',
		name: 'integrationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '5f11a650e4e987667c2051d1',
		description:
			"The custom integration to add the webhook to, which must have no webhook yet (a custom integration holds one): Admin Center › Apps and integrations › Integrations › Conversations integrations, the ID in the integration's page address. Messages sent through this integration are treated as the bot's own.",
		displayOptions: { show: { registration: ['existingIntegration'] } },
	},
	{
		displayName:
			"In Admin Center › Apps and integrations › Integrations › Conversations integrations, create an integration whose webhook URL is this node's Production URL (or its Test URL while testing), then paste the secret Zendesk shows for it below",
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		displayName: 'Webhook Secret',
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			'The secret Zendesk sends in the X-API-Key header of every call to this webhook; calls without it are refused with 401',
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			'Which Conversation Message events start the workflow; every filter set must match. Other selected events (e.g. Switchboard Release Control) pass every filter but the conversation metadata ones.',
		options: [
			{
				displayName: 'Author',
				name: 'authors',
				type: 'multiOptions',
				default: [],
				options: [
					{
						name: 'Agent',
						value: 'agent',
						description: 'A Zendesk agent answering from the agent workspace',
					},
					{
						name: 'Bot or Business',
						value: 'business',
						description: 'A business message not from an agent: a bot, an integration, the API',
					},
					{ name: 'Customer', value: 'customer', description: 'The end user' },
				],
				description: 'Keep only messages written by these authors',
			},
			{
				displayName: 'Channel',
				name: 'channels',
				type: 'multiOptions',
				default: [],
				options: CHANNEL_OPTIONS,
				description:
					"Keep only messages that came from these channels. A customer's message comes from their channel; a bot's or an agent's reply comes from the API or the agent workspace, not from the customer's channel.",
			},
			{
				displayName: 'Conversation Metadata Key',
				name: 'metadataKey',
				type: 'string',
				default: '',
				placeholder: 'brand',
				description:
					"Keep only events of conversations whose metadata has this key (with a value other than null): their messages and the end of their sessions. Escalate to Agent's Conversation Metadata option sets such a key.",
			},
			{
				displayName: 'Conversation Metadata Value',
				name: 'metadataValue',
				type: 'string',
				default: '',
				description: 'The value the key must have, compared as text. Empty: any value.',
			},
			{
				displayName: 'First Customer Message Only',
				name: 'firstMessageOnly',
				type: 'boolean',
				default: false,
				description:
					"Whether to keep a customer's message only when it is the first they wrote in the conversation (read from the conversation's history; not for webhooks set up by hand). Replies by a bot or an agent never pass.",
			},
			{
				displayName: 'Text Contains',
				name: 'textContains',
				type: 'string',
				default: '',
				placeholder: 'refund',
				description: 'Keep only messages whose text contains this, ignoring case',
			},
			{
				displayName: 'Text Matches Regex',
				name: 'textPattern',
				type: 'string',
				default: '',
				placeholder: '/refund|chargeback/i',
				description:
					'Keep only messages whose text matches this JavaScript regular expression, written /pattern/flags or as a bare pattern',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Full Source',
				name: 'includeFullSource',
				type: 'boolean',
				default: false,
				description:
					'Whether Zendesk adds the client and device a message came from to each event (not for webhooks set up by hand)',
			},
			{
				displayName: 'Include Full User',
				name: 'includeFullUser',
				type: 'boolean',
				default: false,
				description:
					'Whether Zendesk adds the complete user (profile, identities, metadata) to each event (not for webhooks set up by hand)',
			},
			{
				displayName: "Include the Bot's Own Messages",
				name: 'includeOwnMessages',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep messages posted by the Zendesk Messaging node or through this integration. Off by default, so a bot never answers itself.',
			},
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodySize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_BODY_KB,
				description:
					'A call with a larger body is refused with 413 and starts nothing. n8n itself accepts at most N8N_PAYLOAD_SIZE_MAX (16 MB by default).',
			},
		],
	},
];
