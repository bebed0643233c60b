import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../resources';
import * as getAll from './getAll.operation';

/** Operations of the Agent resource (Chat REST API). */
export const agentOperations: Operations<'agent'> = { getAll };

export const agentDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['agent'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many agents',
				description:
					'List the chat agents of the account, with their IDs, names, emails, roles and departments',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
