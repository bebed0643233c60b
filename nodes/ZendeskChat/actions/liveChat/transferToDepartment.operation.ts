import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { transferToDepartment } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { build, channelIdField, leaveChatOptions } from '../../helpers/conversationsInput';
import { locatorField, locatorValue, resolveRelayId } from '../../helpers/relayIds';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	channelIdField,
	locatorField('department'),
	leaveChatOptions('once it is transferred'),
];

export const description = updateDisplayOptions({ show: { resource: ['liveChat'], operation: ['transferToDepartment'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, resources: ExecutionResources): Promise<IDataObject> {
	const channelId = this.getNodeParameter('channelId', itemIndex, '') as string;
	const department = locatorValue(this, 'department', itemIndex) as string;
	const { leave } = this.getNodeParameter('options', itemIndex, {}) as { leave?: boolean };
	// Checked as given first, so a bad input fails before the department list is asked for.
	build(() => transferToDepartment({ channelId, departmentId: department, leave }));
	const resolved = await resolveRelayId(this, itemIndex, resources, 'department', department);
	const operation = build(() => transferToDepartment({ channelId, departmentId: resolved.id, leave }));
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, channelId, department: { ...resolved }, leftChat: leave === true };
}
