import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { AGENTS_MAX_LIMIT } from '../../../../src/rest';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { readLimit, returnAllOrLimit, takeUpTo } from '../../helpers/restLists';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [...returnAllOrLimit];

export const description = updateDisplayOptions(
	{ show: { resource: ['agent'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const rest = await resources.rest();
	// Pages no larger than needed: a limit of 5 asks for 5 agents, not 100.
	const agents = rest.listAgents({ limit: Math.min(limit ?? AGENTS_MAX_LIMIT, AGENTS_MAX_LIMIT) });
	return (await takeUpTo(agents, limit)) as IDataObject[];
}
