import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../node.type';
import * as acceptControl from './acceptControl.operation';
import * as create from './create.operation';
import * as escalate from './escalate.operation';
import * as forwardUserMessage from './forwardUserMessage.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getTranscript from './getTranscript.operation';
import * as listMessages from './listMessages.operation';
import * as listParticipants from './listParticipants.operation';
import * as offerControl from './offerControl.operation';
import * as passControl from './passControl.operation';
import * as releaseControl from './releaseControl.operation';
import * as update from './update.operation';

/** Operations of the Conversation resource: the conversation itself, its messages as read, and who has control of it. */
export const conversationOperations: Operations<'conversation'> = {
	escalate,
	forwardUserMessage,
	get,
	getAll,
	getTranscript,
	create,
	update,
	listMessages,
	listParticipants,
	passControl,
	offerControl,
	acceptControl,
	releaseControl,
};

export const conversationDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Accept Control',
				value: 'acceptControl',
				action: 'Accept control of a conversation',
				description:
					'Complete an Offer Control: the switchboard integration control was offered to takes the conversation',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a conversation',
				description:
					'Start a new conversation for an existing user (by external ID or user ID), with an optional name, description, icon and metadata',
			},
			{
				name: 'Escalate to Agent',
				value: 'escalate',
				action: 'Escalate a conversation to a human agent',
				description:
					'Hand the customer over to a human Zendesk agent: creates (or finds) the user by external ID, posts a summary and the chat so far, and opens a ticket with the whole history',
			},
			{
				name: 'Forward User Message',
				value: 'forwardUserMessage',
				action: 'Forward a customer message to the agent',
				description:
					'Post a message the customer wrote to the bot into their Zendesk conversation, as written by the customer, so the agent sees it',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a conversation',
				description:
					'Get a conversation, including which integration (bot or agent workspace) has control of it',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get the conversations of a user',
				description:
					"List a user's conversations (by external ID or user ID), e.g. to find an earlier conversation",
			},
			{
				name: 'Get Transcript',
				value: 'getTranscript',
				action: 'Get the transcript of a conversation',
				description:
					'Every message of a conversation as readable text or Markdown, one line per message with who said it (customer, agent or bot) and when',
			},
			{
				name: 'List Messages',
				value: 'listMessages',
				action: 'List messages in a conversation',
				description:
					'Read the messages of a conversation, oldest first, e.g. to see what the agent answered',
			},
			{
				name: 'List Participants',
				value: 'listParticipants',
				action: 'List the participants of a conversation',
				description:
					'List the users taking part in a conversation, with their user IDs and external IDs',
			},
			{
				name: 'Offer Control',
				value: 'offerControl',
				action: 'Offer control of a conversation',
				description:
					'Offer the conversation to another switchboard integration (e.g. the agent workspace): the current one keeps it until the offer is accepted',
			},
			{
				name: 'Pass Control',
				value: 'passControl',
				action: 'Pass control of a conversation',
				description:
					'Give the conversation to a switchboard integration at once: zd-agentWorkspace for a human agent, a bot, or "next"; whoever had it loses it',
			},
			{
				name: 'Release Control',
				value: 'releaseControl',
				action: 'Release control of a conversation',
				description:
					'End the switchboard control of a conversation (whoever has it, e.g. after the bot resolved it)',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a conversation',
				description: "Change a conversation's display name, description, icon or metadata",
			},
		],
		default: 'escalate',
	},
	...escalate.description,
	...forwardUserMessage.description,
	...get.description,
	...getAll.description,
	...getTranscript.description,
	...create.description,
	...update.description,
	...listMessages.description,
	...listParticipants.description,
	...passControl.description,
	...offerControl.description,
	...acceptControl.description,
	...releaseControl.description,
];
