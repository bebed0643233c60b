import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import type { CarouselContent, MessageItem } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import {
	entriesOf,
	inputModeOf,
	itemFromFields,
	jsonList,
	sendLabeler,
} from '../../helpers/content';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import {
	blockChatInputOf,
	displayNameField,
	inputModeField,
	ITEM_JSON_SHAPE,
	itemValues,
	onlyFields,
	onlyJson,
	sendAsBusiness,
	sendOptions,
} from './common';

const properties: INodeProperties[] = [
	...conversationLocator,
	inputModeField,
	{
		displayName: 'Items',
		name: 'items',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Item',
		default: {},
		description: "1 to 10 cards shown side by side (Zendesk's limit), each with 1 to 3 buttons",
		displayOptions: onlyFields,
		options: [{ displayName: 'Item', name: 'item', values: itemValues() }],
	},
	{
		displayName: 'Items (JSON)',
		name: 'itemsJson',
		type: 'json',
		default: '[]',
		placeholder:
			'[{"title": "Basic plan", "description": "$9 a month", "actions": [{"type": "postback", "text": "Choose", "payload": "BASIC"}]}]',
		description: `1 to 10 cards: a JSON array of ${ITEM_JSON_SHAPE}`,
		displayOptions: onlyJson,
	},
	displayNameField,
	sendOptions([
		{
			displayName: 'Image Aspect Ratio',
			name: 'imageAspectRatio',
			type: 'options',
			options: [
				{ name: 'Horizontal', value: 'horizontal' },
				{ name: 'Square', value: 'square' },
			],
			default: 'horizontal',
			description:
				'The shape of the card images (Facebook Messenger, the Web Messenger and the mobile SDKs)',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendCarousel'] } },
	properties,
);

/** Cards side by side, each with a title, description, image and buttons. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	const labeler = sendLabeler(mode, { json: { items: 'Items (JSON)' } });
	return await sendAsBusiness(this, itemIndex, context, labeler, (options) => {
		const items =
			mode === 'json'
				? jsonList(this, 'itemsJson', 'Items (JSON)', itemIndex)
				: entriesOf(this.getNodeParameter('items', itemIndex, {}), 'item').map(itemFromFields);
		const content: CarouselContent = {
			type: 'carousel',
			items: items as MessageItem[],
			...blockChatInputOf(options),
		};
		if (typeof options.imageAspectRatio === 'string' && options.imageAspectRatio !== '') {
			content.displaySettings = {
				imageAspectRatio: options.imageAspectRatio as 'horizontal' | 'square',
			};
		}
		return content;
	});
}
