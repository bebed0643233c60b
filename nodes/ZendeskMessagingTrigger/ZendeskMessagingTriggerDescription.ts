import type { INodeProperties } from 'n8n-workflow';

import { EVENT_OPTIONS } from './helpers/events';

export const triggerProperties: INodeProperties[] = [
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
				description: 'Activation adds the webhook to a custom integration that has none yet (e.g. the bot\'s switchboard integration); deactivation deletes the webhook only',
			},
			{
				name: 'Create a New Integration',
				value: 'newIntegration',
				description: 'Activation creates a custom integration named after the workflow, with the webhook; deactivation deletes both',
			},
			{
				name: 'Set Up by Hand in Admin Center',
				value: 'manual',
				description: 'You create the webhook yourself with this node\'s URL and paste its secret here; n8n changes nothing in Zendesk',
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
			'The custom integration to add the webhook to, which must have no webhook yet (a custom integration holds one): Admin Center › Apps and integrations › Integrations › Conversations integrations, the ID in the integration\'s page address. Messages sent through this integration are treated as the bot\'s own.',
		displayOptions: { show: { registration: ['existingIntegration'] } },
	},
	{
		displayName:
			'In Admin Center › Apps and integrations › Integrations › Conversations integrations, create an integration whose webhook URL is this node\'s Production URL (or its Test URL while testing), then paste the secret Zendesk shows for it below',
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
		description: 'The secret Zendesk sends in the X-API-Key header of every call to this webhook; calls without it are refused with 401',
		displayOptions: { show: { registration: ['manual'] } },
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
				description: 'Whether Zendesk adds the client and device a message came from to each event (not for webhooks set up by hand)',
			},
			{
				displayName: 'Include Full User',
				name: 'includeFullUser',
				type: 'boolean',
				default: false,
				description: 'Whether Zendesk adds the complete user (profile, identities, metadata) to each event (not for webhooks set up by hand)',
			},
			{
				displayName: "Include the Bot's Own Messages",
				name: 'includeOwnMessages',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep messages posted by the Zendesk Messaging node or through this integration. Off by default, so a bot never answers itself.',
			},
		],
	},
];
