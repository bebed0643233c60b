import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../node.type';
import * as escalate from './escalate.operation';
import * as forwardUserMessage from './forwardUserMessage.operation';
import * as get from './get.operation';
import * as listMessages from './listMessages.operation';
import * as releaseControl from './releaseControl.operation';
import * as sendAsBusiness from './sendAsBusiness.operation';

/** Operations of the Conversation resource. */
export const conversationOperations: Operations<'conversation'> = { escalate, forwardUserMessage, get, listMessages, releaseControl, sendAsBusiness };

export const conversationDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
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
				description: 'Post a message the customer wrote to the bot into their Zendesk conversation, as written by the customer, so the agent sees it',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a conversation',
				description: 'Get a conversation, including which integration (bot or agent workspace) has control of it',
			},
			{
				name: 'List Messages',
				value: 'listMessages',
				action: 'List messages in a conversation',
				description: 'Read the messages of a conversation, oldest first, e.g. to see what the agent answered',
			},
			{
				name: 'Release Control',
				value: 'releaseControl',
				action: 'Release control of a conversation',
				description: 'End the switchboard control of a conversation (whoever has it, e.g. after the bot resolved it)',
			},
			{
				name: 'Send as Business',
				value: 'sendAsBusiness',
				action: 'Send a message as the business',
				description: 'Send a text message to the customer as the business (the bot), with an optional display name',
			},
		],
		default: 'escalate',
	},
	...escalate.description,
	...forwardUserMessage.description,
	...get.description,
	...listMessages.description,
	...releaseControl.description,
	...sendAsBusiness.description,
];
