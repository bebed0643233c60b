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
		displayName: 'File URL',
		name: 'mediaUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/invoice.pdf',
		description: 'Where Zendesk fetches the file from (a PDF, a document, …): a public http(s) URL',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		description: 'An optional caption sent with the file (at most 4096 characters)',
	},
	displayNameField,
	sendOptions([altTextOption('file')]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendFile'] } },
	properties,
);

/** A file (with an optional caption) as the business. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	const labeler = sendLabeler('fields', { top: { mediaUrl: 'File URL', altText: 'Alt Text' } });
	return await sendAsBusiness(this, itemIndex, context, labeler, (options) =>
		mediaContent(this, itemIndex, 'file', options),
	);
}
