import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { listenVisitorChannel } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField } from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [channelIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['liveChat'], operation: ['listenToChannel'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(() => listenVisitorChannel({ channelId })),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel) };
}
