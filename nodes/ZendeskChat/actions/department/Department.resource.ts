import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../resources';
import * as getAll from './getAll.operation';

/** Operations of the Department resource (Chat REST API). */
export const departmentOperations: Operations<'department'> = { getAll };

export const departmentDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['department'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many departments',
				description:
					'List the chat departments of the account, with their IDs, names, members and whether they are enabled',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
