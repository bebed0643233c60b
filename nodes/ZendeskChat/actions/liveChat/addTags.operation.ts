import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { addTags } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { build, channelIdField } from '../../helpers/conversationsInput';
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

export const description = updateDisplayOptions({ show: { resource: ['liveChat'], operation: ['addTags'] } }, properties);

/** Comma-separated text or a list, trimmed, without empty entries; anything else goes to the core to refuse. */
function tagList(value: unknown): unknown {
	const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value;
	if (!Array.isArray(entries)) return entries;
	return entries
		.map((tag: unknown) => (typeof tag === 'string' ? tag.trim() : typeof tag === 'number' ? String(tag) : tag))
		.filter((tag) => tag !== '');
}

export async function execute(this: IExecuteFunctions, itemIndex: number, resources: ExecutionResources): Promise<IDataObject> {
	const channelId = this.getNodeParameter('channelId', itemIndex, '') as string;
	const tags = tagList(this.getNodeParameter('tags', itemIndex, '')) as string[];
	const operation = build(() => addTags({ channelId, tags }), {
		// Name the tag that is wrong, not just its position.
		path: (field) => {
			const index = /^tags\[(\d+)\]$/.exec(field);
			return index ? `Tags › ${JSON.stringify(tags[Number(index[1])])}` : undefined;
		},
	});
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, channelId, tags: [...new Set(tags)] };
}
