import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { sendLabeler } from '../../helpers/content';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import { displayNameField, sendAsBusiness, sendOptions } from './common';
import { altTextOption, mediaContent } from './media';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Image URL',
		name: 'mediaUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/receipt.png',
		description: 'Where Zendesk fetches the image from: a public http(s) URL',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		description: 'An optional caption sent with the image (at most 4096 characters)',
	},
	displayNameField,
	sendOptions([altTextOption('image')]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendImage'] } },
	properties,
);

/** An image (with an optional caption) as the business. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	const labeler = sendLabeler('fields', { top: { mediaUrl: 'Image URL', altText: 'Alt Text' } });
	return await sendAsBusiness(this, itemIndex, context, labeler, (options) =>
		mediaContent(this, itemIndex, 'image', options),
	);
}
