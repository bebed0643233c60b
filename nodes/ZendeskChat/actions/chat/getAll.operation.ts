import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { readLimit, returnAllOrLimit, takeUpTo } from '../../helpers/restLists';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [...returnAllOrLimit];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const rest = await resources.rest();
	return (await takeUpTo(rest.listChats(), limit)) as IDataObject[];
}
