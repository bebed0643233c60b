import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { inputModeOf } from '../../helpers/content';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import { displayNameField, sendAsBusiness, sendOptions } from './common';
import { textContentOf, textFields, textLabeler } from './text';

const properties: INodeProperties[] = [
	...conversationLocator,
	...textFields({
		types: ['reply', 'postback', 'link', 'webview'],
		actionsDescription:
			'Optional quick replies (chips the customer taps to answer) and buttons (postback, link, webview) under the text',
		jsonDescription:
			'A JSON array of actions as Zendesk documents them: {"type": "reply" or "postback", "text", "payload"}, {"type": "link", "text", "uri"}, {"type": "webview", "text", "uri", "fallback"}, {"type": "locationRequest", "text"}',
	}),
	displayNameField,
	sendOptions(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendText'] } },
	properties,
);

/** A text message as the business, with optional quick replies and buttons. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	return await sendAsBusiness(this, itemIndex, context, textLabeler(mode), (options) =>
		textContentOf(this, itemIndex, mode, options),
	);
}
