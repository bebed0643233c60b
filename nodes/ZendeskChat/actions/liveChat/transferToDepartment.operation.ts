import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { transferToDepartment } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField, leaveChatOptions } from '../../helpers/conversationsInput';
import { locatorField, locatorValue, resolveRelayId } from '../../helpers/relayIds';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	channelIdField,
	locatorField('department'),
	leaveChatOptions('once it is transferred'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['liveChat'], operation: ['transferToDepartment'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const department = locatorValue(this, 'department', itemIndex) as string;
	const { leave } = this.getNodeParameter('options', itemIndex, {}) as { leave?: boolean };
	// Checked as given first, so a bad input fails before the channel or department list is asked for.
	const channel = await withChannel(this, itemIndex, resources, (channelId) =>
		build(() => transferToDepartment({ channelId, departmentId: department, leave })),
	);
	const resolved = await resolveRelayId(this, itemIndex, resources, 'department', department);
	const operation = build(() =>
		transferToDepartment({ channelId: channel.channelId, departmentId: resolved.id, leave }),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return {
		success: result.success,
		...channelOutput(channel),
		department: { ...resolved },
		leftChat: leave === true,
	};
}
