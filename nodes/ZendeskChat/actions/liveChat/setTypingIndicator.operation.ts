import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { setTypingIndicator } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField } from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	channelIdField,
	{
		displayName: 'Typing',
		name: 'typing',
		type: 'boolean',
		default: true,
		description: 'Whether the visitor sees "agent is typing" (on) or not (off)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['liveChat'], operation: ['setTypingIndicator'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const typing = this.getNodeParameter('typing', itemIndex, true) as boolean;
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(() => setTypingIndicator({ channelId, typing })),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel), typing };
}
