import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inviteAgent } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { build, channelIdField, leaveChatOptions } from '../../helpers/conversationsInput';
import { locatorField, locatorValue, resolveRelayId } from '../../helpers/relayIds';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	channelIdField,
	locatorField('agent'),
	leaveChatOptions('once the invitation is sent (a handoff)'),
];

export const description = updateDisplayOptions({ show: { resource: ['liveChat'], operation: ['inviteAgent'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, resources: ExecutionResources): Promise<IDataObject> {
	const channelId = this.getNodeParameter('channelId', itemIndex, '') as string;
	const agent = locatorValue(this, 'agent', itemIndex) as string;
	const { leave } = this.getNodeParameter('options', itemIndex, {}) as { leave?: boolean };
	// Checked as given first, so a bad input fails before the agent list is asked for.
	build(() => inviteAgent({ channelId, agentId: agent, leave }));
	const resolved = await resolveRelayId(this, itemIndex, resources, 'agent', agent);
	const operation = build(() => inviteAgent({ channelId, agentId: resolved.id, leave }));
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, channelId, agent: { ...resolved }, leftChat: leave === true };
}
