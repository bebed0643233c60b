import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { readLimit, returnAllOrLimit } from '../../helpers/restLists';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [...returnAllOrLimit];

export const description = updateDisplayOptions(
	{ show: { resource: ['department'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const rest = await resources.rest();
	// The API gives every department in one answer.
	const departments = await rest.listDepartments();
	return (limit === undefined ? departments : departments.slice(0, limit)) as IDataObject[];
}
