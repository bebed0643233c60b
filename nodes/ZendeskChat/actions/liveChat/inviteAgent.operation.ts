import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inviteAgent } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField, leaveChatOptions } from '../../helpers/conversationsInput';
import { locatorField, locatorValue, resolveRelayId } from '../../helpers/relayIds';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	channelIdField,
	locatorField('agent'),
	leaveChatOptions('once the invitation is sent (a handoff)'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['liveChat'], operation: ['inviteAgent'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const agent = locatorValue(this, 'agent', itemIndex) as string;
	const { leave } = this.getNodeParameter('options', itemIndex, {}) as { leave?: boolean };
	// Checked as given first, so a bad input fails before the channel or agent list is asked for.
	const channel = await withChannel(this, itemIndex, resources, (channelId) =>
		build(() => inviteAgent({ channelId, agentId: agent, leave })),
	);
	const resolved = await resolveRelayId(this, itemIndex, resources, 'agent', agent);
	const operation = build(() =>
		inviteAgent({ channelId: channel.channelId, agentId: resolved.id, leave }),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return {
		success: result.success,
		...channelOutput(channel),
		agent: { ...resolved },
		leftChat: leave === true,
	};
}
