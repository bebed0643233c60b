import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendPanelTemplateCarousel, type CarouselItem } from '../../../../src/conversations';
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
	buttonCollection,
	entriesOf,
	inputModeOf,
	labelsFor,
	nestedButtons,
	panelFromFields,
	panelValues,
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
		description: "2 to 10 cards shown side by side (Zendesk's limit), each with up to 3 buttons",
		displayOptions: { show: { inputMode: ['fields'] } },
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [...panelValues(), buttonCollection('Up to 3 buttons on this card')],
			},
		],
	},
	{
		displayName: 'Items (JSON)',
		name: 'itemsJson',
		type: 'json',
		default:
			'[\n  { "heading": "Basic plan", "paragraph": "$9 a month", "buttons": [{ "text": "Choose", "action": "reply", "value": "basic" }] },\n  { "heading": "Pro plan", "paragraph": "$29 a month", "linkUrl": "https://example.com/pro" }\n]',
		description:
			'2 to 10 cards: a JSON array of objects with heading, paragraph, imageUrl, linkUrl and buttons (text, action, value)',
		displayOptions: { show: { inputMode: ['json'] } },
	},
	structuredMessageOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendCarousel'] } },
	properties,
);

/** A JSON card: flat (heading, …, buttons) as the editor documents it, or the core's { panel, buttons }. */
function itemFromJson(entry: unknown): unknown {
	if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || 'panel' in entry)
		return entry;
	const { buttons, ...panel } = entry as IDataObject;
	return buttons === undefined ? { panel } : { panel, buttons };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	let items: unknown;
	if (mode === 'json') {
		const json = jsonParameter(this, 'itemsJson', 'Items (JSON)', itemIndex);
		items = Array.isArray(json) ? json.map(itemFromJson) : json;
	} else {
		items = entriesOf(this, 'items', 'item', itemIndex).map((values) => {
			const buttons = nestedButtons(values);
			return buttons.length > 0
				? { panel: panelFromFields(values), buttons }
				: { panel: panelFromFields(values) };
		});
	}
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(
			() =>
				sendPanelTemplateCarousel({
					channelId,
					items: items as CarouselItem[],
					fallback: fallbackOption(this, itemIndex),
				}),
			labelsFor(mode),
		),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel) };
}
