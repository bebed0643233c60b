import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import type { LocationRequestContent } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { sendLabeler } from '../../helpers/content';
import { optionalText } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import { blockChatInputOf, displayNameField, sendAsBusiness, sendOptions } from './common';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 2 },
		placeholder: 'Where should we deliver your order?',
		description: 'The question shown above the button (at most 4096 characters)',
	},
	displayNameField,
	sendOptions([
		{
			displayName: 'Button Text',
			name: 'buttonText',
			type: 'string',
			default: 'Share location',
			description: 'The label of the button that shares the location',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendLocationRequest'] } },
	properties,
);

/** A text with a button that asks the customer to share their location (a location message comes back). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	// The core sends it as a text message with one locationRequest action: its paths are content.text and content.buttonText.
	const labeler = sendLabeler('fields', { top: { buttonText: 'Button Text' } });
	return await sendAsBusiness(this, itemIndex, context, labeler, (options) => {
		const raw = this.getNodeParameter('text', itemIndex, '') as unknown;
		const content: LocationRequestContent = {
			type: 'locationRequest',
			text: (typeof raw === 'number' ? String(raw) : raw) as string,
			...blockChatInputOf(options),
		};
		const buttonText = optionalText(options.buttonText);
		if (buttonText !== undefined) content.buttonText = buttonText;
		return content;
	});
}
