import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemAction, ListContent, MessageItem } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import {
	actionFromFields,
	entriesOf,
	inputModeOf,
	itemFromFields,
	jsonList,
	optionalList,
	sendLabeler,
} from '../../helpers/content';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import {
	actionsCollection,
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
		description: "1 to 10 rows one under the other (Zendesk's limit), each with 1 to 3 buttons",
		displayOptions: onlyFields,
		options: [{ displayName: 'Item', name: 'item', values: itemValues() }],
	},
	{
		...actionsCollection({
			name: 'listButtons',
			displayName: 'List Buttons',
			entry: 'Button',
			types: ['postback', 'link', 'webview'],
			description: 'Optional buttons under the whole list (at most 10)',
		}),
		displayOptions: onlyFields,
	},
	{
		displayName: 'Items (JSON)',
		name: 'itemsJson',
		type: 'json',
		default: '[]',
		placeholder:
			'[{"title": "Order 42", "description": "Shipped", "actions": [{"type": "link", "text": "Track", "uri": "https://example.com/42"}]}]',
		description: `1 to 10 rows: a JSON array of ${ITEM_JSON_SHAPE}`,
		displayOptions: onlyJson,
	},
	{
		displayName: 'List Buttons (JSON)',
		name: 'listButtonsJson',
		type: 'json',
		default: '[]',
		placeholder: '[{"type": "postback", "text": "More orders", "payload": "MORE"}]',
		description:
			'Optional buttons under the whole list: a JSON array of postback, link or webview actions (at most 10)',
		displayOptions: onlyJson,
	},
	displayNameField,
	sendOptions(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendList'] } },
	properties,
);

/** Rows one under the other, each with a title, description, image and buttons, plus buttons for the whole list. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	const labeler = sendLabeler(mode, {
		top: { actions: 'List Buttons' },
		json: { items: 'Items (JSON)', actions: 'List Buttons (JSON)' },
	});
	return await sendAsBusiness(this, itemIndex, context, labeler, (options) => {
		const items =
			mode === 'json'
				? jsonList(this, 'itemsJson', 'Items (JSON)', itemIndex)
				: entriesOf(this.getNodeParameter('items', itemIndex, {}), 'item').map(itemFromFields);
		const actions =
			mode === 'json'
				? jsonList(this, 'listButtonsJson', 'List Buttons (JSON)', itemIndex)
				: entriesOf(this.getNodeParameter('listButtons', itemIndex, {}), 'button').map(
						actionFromFields,
					);
		const content: ListContent = {
			type: 'list',
			items: items as MessageItem[],
			...blockChatInputOf(options),
		};
		if (optionalList(actions) !== undefined) content.actions = actions as ItemAction[];
		return content;
	});
}
