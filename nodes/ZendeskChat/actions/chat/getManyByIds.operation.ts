import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { fieldError, listValue } from '../../helpers/restInput';
import { labelled } from '../../../shared/fieldLabels';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	{
		displayName: 'Chat IDs',
		name: 'chatIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1704.2314815.QHgVx6SOrRuSx, 1704.2314816.WxYz',
		description:
			'The IDs of the chats to get, separated by commas, or a list from an expression. Any number of IDs: they are fetched 50 at a time.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Fail on Missing Chats',
				name: 'failOnMissing',
				type: 'boolean',
				default: false,
				description:
					'Whether to fail when an ID has no chat (deleted, or never existed). When off, such IDs are left out of the output.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['getManyByIds'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject[]> {
	const ids = listValue(this.getNodeParameter('chatIds', itemIndex, ''));
	if (ids.length === 0) {
		throw fieldError(
			this,
			itemIndex,
			'Chat IDs is empty',
			'Give one or more chat IDs, separated by commas, or a list from an expression.',
		);
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as { failOnMissing?: boolean };
	const rest = await resources.rest();
	const { chats, missingIds } = await labelled({ chatIds: 'Chat IDs' }, () =>
		rest.getChats(ids as string[]),
	);
	if (options.failOnMissing === true && missingIds.length > 0) {
		throw fieldError(
			this,
			itemIndex,
			`${missingIds.length} of ${chats.length + missingIds.length} chats were not found: ${missingIds.join(', ')}`,
			'These chat IDs have no chat: they were deleted, or never existed. Turn off Fail on Missing Chats to leave them out.',
		);
	}
	return chats as IDataObject[];
}
