import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	AGENT_WORKSPACE_NAME,
	escalate,
	TICKET_PRIORITIES,
	type EscalationOptions,
	type UserProfile,
} from '../../../../src/messaging';
import { supportAuthenticationProperty } from '../../../shared/supportApi';
import { supportLocator } from '../../../shared/supportLocator';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { nodeError } from '../../helpers/errors';
import {
	metadataParameter,
	optionalText,
	stringParameter,
	ticketFieldsParameter,
	transcriptEntries,
	transcriptParameter,
} from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { metadataOption, userExternalIdField } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		...userExternalIdField,
		description:
			'Your own ID for the chatbot user, such as the chat session ID. The Zendesk user is created on first use and found again by this ID later, so no state has to be kept.',
	},
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		placeholder: 'Customer was charged twice for order 42 and wants a refund.',
		description:
			'The first message the agent reads: what the customer needs and what the bot already tried (at most 4096 characters)',
	},
	{
		displayName: 'Conversation',
		name: 'conversationMode',
		type: 'options',
		options: [
			{
				name: 'Reuse Latest or Create',
				value: 'latest',
				description:
					"Continue the user's most recently updated conversation, or create one if the user has none",
			},
			{ name: 'Create New', value: 'new', description: 'Always start a new conversation' },
			{ name: 'By ID', value: 'id', description: 'Continue the conversation with this ID' },
		],
		default: 'latest',
	},
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Zendesk Messaging conversation ID to continue',
		displayOptions: { show: { conversationMode: ['id'] } },
	},
	{
		displayName: 'Transcript',
		name: 'transcriptSource',
		type: 'options',
		options: [
			{ name: 'None', value: 'none', description: 'Post only the summary' },
			{
				name: 'From JSON',
				value: 'json',
				description: 'A list of {"role": "user" or "bot", "text": "…"}, e.g. from an expression',
			},
			{ name: 'Defined Below', value: 'fields', description: 'Enter the messages one by one' },
		],
		default: 'none',
		description:
			'The chat so far, posted after the summary so that the ticket shows the whole history',
	},
	{
		displayName: 'Transcript (JSON)',
		name: 'transcriptJson',
		type: 'json',
		default: '[]',
		placeholder:
			'[{"role": "user", "text": "I was charged twice"}, {"role": "bot", "text": "Let me get you an agent."}]',
		description:
			'A list of {"role": "user" or "bot", "text": "…"}, oldest first (an object with a "messages" list works too)',
		displayOptions: { show: { transcriptSource: ['json'] } },
	},
	{
		displayName: 'Transcript Messages',
		name: 'transcriptMessages',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Message',
		default: {},
		displayOptions: { show: { transcriptSource: ['fields'] } },
		options: [
			{
				displayName: 'Message',
				name: 'message',
				values: [
					{
						displayName: 'Role',
						name: 'role',
						type: 'options',
						options: [
							{ name: 'User', value: 'user' },
							{ name: 'Bot', value: 'bot' },
						],
						default: 'user',
						description: 'Who wrote the message',
					},
					{
						displayName: 'Text',
						name: 'text',
						type: 'string',
						default: '',
						typeOptions: { rows: 2 },
					},
				],
			},
		],
	},
	supportAuthenticationProperty,
	{
		displayName: 'Ticket Fields',
		name: 'ticketFields',
		type: 'collection',
		placeholder: 'Add Ticket Field',
		default: {},
		options: [
			supportLocator({
				displayName: 'Assignee',
				name: 'assigneeId',
				searchListMethod: 'searchAssignees',
				searchable: true,
				description: 'The Zendesk agent to assign the ticket to',
				placeholderId: '360000001',
			}),
			supportLocator({
				displayName: 'Brand',
				name: 'brandId',
				searchListMethod: 'searchBrands',
				searchable: false,
				description: 'The Zendesk brand of the ticket',
				placeholderId: '360000002',
			}),
			{
				displayName: 'Custom Ticket Fields',
				name: 'customFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Custom Field',
				default: {},
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							supportLocator({
								displayName: 'Field',
								name: 'id',
								searchListMethod: 'searchTicketFields',
								searchable: false,
								description:
									'A custom ticket field (Admin Center › Objects and rules › Tickets › Fields)',
								placeholderId: '360012345678',
							}),
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			supportLocator({
				displayName: 'Group',
				name: 'groupId',
				searchListMethod: 'searchGroups',
				searchable: false,
				description: 'The Zendesk group the ticket goes to (Admin Center › People › Groups)',
				placeholderId: '360000003',
			}),
			supportLocator({
				displayName: 'Organization',
				name: 'organizationId',
				searchListMethod: 'searchOrganizations',
				searchable: true,
				description: 'The Zendesk organization of the ticket',
				placeholderId: '360000004',
			}),
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'options',
				options: TICKET_PRIORITIES.map((value) => ({
					name: value[0].toUpperCase() + value.slice(1),
					value,
				})),
				default: 'normal',
			},
			{
				displayName: 'Requester Email',
				name: 'requesterEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{ displayName: 'Requester Name', name: 'requesterName', type: 'string', default: '' },
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'refund, from_bot',
				description: 'Comma-separated ticket tags; each without spaces',
			},
			supportLocator({
				displayName: 'Ticket Form',
				name: 'ticketFormId',
				searchListMethod: 'searchTicketForms',
				searchable: false,
				description:
					"The ticket form of the ticket. Not in Zendesk's handoff documentation: sent as dataCapture.systemField.ticket_form_id, named like the documented fields; if your tickets do not get the form, set it with a Zendesk trigger instead.",
				placeholderId: '360000005',
			}),
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
				displayName: 'Append Conversation Transcript to Summary',
				name: 'appendTranscript',
				type: 'boolean',
				default: false,
				description:
					"Whether to add the reused conversation's messages so far to the summary, as text, so the agent reads them in the ticket's first message; the latest lines are kept when the summary would pass 4096 characters. A new conversation has none.",
			},
			{
				displayName: 'Bot Display Name',
				name: 'botDisplayName',
				type: 'string',
				default: '',
				description:
					"Author name of the summary and of the bot's transcript lines (empty: the app's name)",
			},
			{
				...metadataOption(
					'Conversation Metadata',
					'Flat metadata of the conversation itself, e.g. {"bridge": "zendesk-chat"}: set when it is created, merged into a reused one. Every webhook event of the conversation carries it, so a Zendesk Messaging Trigger can keep to the conversations this workflow escalated (Filters › Conversation Metadata Key).',
				),
				name: 'conversationMetadata',
			},
			{
				displayName: 'Customer Name in Transcript',
				name: 'transcriptUserName',
				type: 'string',
				default: 'Customer',
				description:
					"Author name of the customer's transcript lines (they are posted by the business, so that the bot's own webhook does not take them for new customer messages)",
			},
			metadataOption(
				'Handoff Metadata',
				'More flat metadata sent when passing control, e.g. {"channel": "web"}; with the ticket fields at most 4 KB',
			),
			{
				displayName: 'Pass Control To Name or ID',
				name: 'switchboardIntegration',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSwitchboardIntegrations' },
				default: AGENT_WORKSPACE_NAME,
				description:
					'Switchboard integration that gets the conversation; zd-agentWorkspace creates the Zendesk ticket. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'User Email',
				name: 'userEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Set when the user is created',
			},
			{
				displayName: 'User First Name',
				name: 'userFirstName',
				type: 'string',
				default: '',
				description: 'Set when the user is created',
			},
			{
				displayName: 'User Last Name',
				name: 'userLastName',
				type: 'string',
				default: '',
				description: 'Set when the user is created',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['escalate'] } },
	properties,
);

const LABELS = {
	'user.externalId': 'User External ID',
	externalId: 'User External ID',
	'profile.givenName': 'User First Name',
	'profile.surname': 'User Last Name',
	'profile.email': 'User Email',
	conversationId: 'Conversation ID',
	summary: 'Summary',
	transcript: 'Transcript',
	businessDisplayName: 'Bot Display Name',
	'ticket.tags': 'Tags',
	'ticket.groupId': 'Group',
	'ticket.assigneeId': 'Assignee',
	'ticket.organizationId': 'Organization',
	'ticket.brandId': 'Brand',
	'ticket.ticketFormId': 'Ticket Form',
	'ticket.priority': 'Priority',
	'ticket.requesterName': 'Requester Name',
	'ticket.requesterEmail': 'Requester Email',
	'ticket.customFields': 'Custom Ticket Fields',
	metadata: 'Handoff Metadata',
	conversationMetadata: 'Conversation Metadata',
	switchboardIntegration: 'Pass Control To',
	appendTranscript: 'Append Conversation Transcript to Summary',
};

/**
 * The documented handoff, done by the core's `escalate`: find or create the user by external ID,
 * reuse or create the conversation, post the summary (and transcript), then pass control to the
 * agent workspace with the ticket fields and `first_message_id`, so the ticket holds every message.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const mode = this.getNodeParameter('conversationMode', itemIndex, 'latest') as string;
		const names = {
			user: optionalText(options.transcriptUserName) ?? 'Customer',
			bot: optionalText(options.botDisplayName),
		};
		const profile: UserProfile = {};
		if (optionalText(options.userFirstName)) profile.givenName = options.userFirstName as string;
		if (optionalText(options.userLastName)) profile.surname = options.userLastName as string;
		if (optionalText(options.userEmail)) profile.email = options.userEmail as string;

		const escalation: EscalationOptions = {
			user: {
				externalId: stringParameter(this, 'userExternalId', itemIndex),
				...(Object.keys(profile).length > 0 ? { profile } : {}),
			},
			summary: this.getNodeParameter('summary', itemIndex, '') as string,
			transcript: transcriptEntries(transcriptParameter(this, itemIndex), names),
			ticket: ticketFieldsParameter(this, itemIndex),
			metadata: metadataParameter(this, 'options.metadata', 'Handoff Metadata', itemIndex),
			conversationMetadata: metadataParameter(
				this,
				'options.conversationMetadata',
				'Conversation Metadata',
				itemIndex,
			),
		};
		if (mode === 'id')
			escalation.conversationId = stringParameter(this, 'conversationId', itemIndex);
		else escalation.reuseLatestConversation = mode === 'latest';
		if (names.bot !== undefined) escalation.businessDisplayName = names.bot;
		if (options.appendTranscript !== undefined)
			escalation.appendTranscript = options.appendTranscript as boolean;
		const target = optionalText(options.switchboardIntegration);
		if (target !== undefined) escalation.switchboardIntegration = target;

		const client = await messaging.get();
		const result = await escalate(client, escalation, { signal });
		// `conversation` is as it was before the handoff; the ID on top is what later steps need.
		return { conversationId: result.conversation.id, ...result } as unknown as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, LABELS);
	}
}
