import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { leaveChannel } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField } from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [channelIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['liveChat'], operation: ['leaveChat'] } },
	properties,
);

/** `leaveChannel` (schema page: "Leave the channel if joined, or stop listening to it if listening"). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(() => leaveChannel({ channelId })),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel) };
}
