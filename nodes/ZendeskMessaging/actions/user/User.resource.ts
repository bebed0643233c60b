import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../node.type';
import * as create from './create.operation';
import * as get from './get.operation';

/** Operations of the User resource. */
export const userOperations: Operations<'user'> = { create, get };

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
				description: 'Create a Zendesk Messaging user with your own external ID and an optional profile',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a user',
				description: 'Get a Zendesk Messaging user by your external ID or by the Zendesk user ID',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
];
