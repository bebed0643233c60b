import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { channels } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { readLimit, returnAllOrLimit } from '../../helpers/restLists';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [...returnAllOrLimit];

export const description = updateDisplayOptions(
	{ show: { resource: ['liveChat'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const session = await resources.session();
	// The API gives its default page of open chats; no page arguments are documented.
	const open = await session.request(channels());
	return (limit === undefined ? open : open.slice(0, limit)).map((channel) => ({
		channelId: channel.id,
		agents: channel.agents.map((agent) => ({
			id: agent.id,
			displayName: agent.display_name,
			status: agent.status,
		})),
	}));
}
