import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { addTags } from '../../../../src/conversations';
import { quoteValue } from '../../../../src/shared/excerpt';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField, textList } from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	channelIdField,
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. vip, order-42',
		description:
			'Tags to add to the chat and its visitor, separated by commas (or a list from an expression). A tag may hold only letters, digits, - and _.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['liveChat'], operation: ['addTags'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const tags = textList(this.getNodeParameter('tags', itemIndex, '')) as string[];
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(() => addTags({ channelId, tags }), {
			// Name the tag that is wrong, not just its position.
			path: (field) => {
				const index = /^tags\[(\d+)\]$/.exec(field);
				return index ? `Tags › ${quoteValue(tags[Number(index[1])])}` : undefined;
			},
		}),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel), tags: [...new Set(tags)] };
}
