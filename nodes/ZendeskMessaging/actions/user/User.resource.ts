import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../node.type';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getConversations from './getConversations.operation';
import * as update from './update.operation';

/** Operations of the User resource. */
export const userOperations: Operations<'user'> = { create, get, update, getConversations };

export const userDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a user',
				description:
					'Create a Zendesk Messaging user with your own external ID and an optional profile',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a user',
				description: 'Get a Zendesk Messaging user by your external ID or by the Zendesk user ID',
			},
			{
				name: 'Get Many Conversations',
				value: 'getConversations',
				action: 'Get the conversations of a user',
				description:
					"List a user's conversations (the same as Conversation › Get Many), e.g. to find an earlier conversation's ID",
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a user',
				description:
					"Change a user's name, email, avatar, locale or metadata, e.g. once the customer told the bot their email",
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...update.description,
	...getConversations.description,
];
