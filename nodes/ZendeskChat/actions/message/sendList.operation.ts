import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendListTemplate, type Button, type Panel } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import {
	build,
	channelIdField,
	fallbackOption,
	structuredMessageOptions,
	inputModeField,
	jsonParameter,
} from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';
import {
	buttonFields,
	entriesOf,
	inputModeOf,
	labelsFor,
	panelFromFields,
	panelValues,
	readButtons,
} from './common';

const properties: INodeProperties[] = [
	channelIdField,
	inputModeField,
	{
		displayName: 'Items',
		name: 'items',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Item',
		default: {},
		description: "2 to 4 rows shown one under the other (Zendesk's limit)",
		displayOptions: { show: { inputMode: ['fields'] } },
		options: [{ displayName: 'Item', name: 'item', values: panelValues() }],
	},
	{
		displayName: 'Items (JSON)',
		name: 'itemsJson',
		type: 'json',
		default:
			'[\n  { "heading": "Order #1001", "paragraph": "Shipped" },\n  { "heading": "Order #1002", "paragraph": "Being packed", "linkUrl": "https://example.com/orders/1002" }\n]',
		description:
			'2 to 4 rows: a JSON array of objects with heading, paragraph, imageUrl and linkUrl',
		displayOptions: { show: { inputMode: ['json'] } },
	},
	...buttonFields('At most 1 button, under the list', '[]'),
	structuredMessageOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendList'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	const items =
		mode === 'json'
			? jsonParameter(this, 'itemsJson', 'Items (JSON)', itemIndex)
			: entriesOf(this, 'items', 'item', itemIndex).map(panelFromFields);
	const buttons = readButtons(this, itemIndex, mode, true);
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(
			() =>
				sendListTemplate({
					channelId,
					items: items as Panel[],
					buttons: buttons as Button[],
					fallback: fallbackOption(this, itemIndex),
				}),
			labelsFor(mode),
		),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel) };
}
