import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateAgentStatus, type AgentStatus } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { build } from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{
				name: 'Away',
				value: 'AWAY',
				description: 'Signed in, but new chats are not routed to the agent',
			},
			{ name: 'Invisible', value: 'INVISIBLE', description: 'Signed in and hidden from visitors' },
			{ name: 'Online', value: 'ONLINE', description: 'Visitors can reach the agent' },
		],
		default: 'ONLINE',
		description: 'The status of the agent of the credential',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['liveChat'], operation: ['setAgentStatus'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const status = this.getNodeParameter('status', itemIndex, 'ONLINE') as AgentStatus;
	const operation = build(() => updateAgentStatus({ status }));
	const session = await resources.session();
	const agent = await session.request(operation);
	return {
		success: true,
		status,
		agent: agent ? { id: agent.id, displayName: agent.display_name } : null,
	};
}
