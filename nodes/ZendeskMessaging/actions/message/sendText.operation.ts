import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import type { MessageAction, TextContent } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { actionFromFields, entriesOf, inputModeOf, jsonList, optionalList, sendLabeler } from '../../helpers/content';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import { actionsCollection, blockChatInputOf, displayNameField, inputModeField, onlyFields, onlyJson, sendAsBusiness, sendOptions } from './common';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 2 },
		description: 'The message to send to the customer (at most 4096 characters)',
	},
	{ ...inputModeField, displayName: 'Define Actions Using' },
	{
		...actionsCollection({
			name: 'actions',
			displayName: 'Actions',
			entry: 'Action',
			types: ['reply', 'postback', 'link', 'webview'],
			description: 'Optional quick replies (chips the customer taps to answer) and buttons (postback, link, webview) under the text',
		}),
		displayOptions: onlyFields,
	},
	{
		displayName: 'Actions (JSON)',
		name: 'actionsJson',
		type: 'json',
		default: '[]',
		placeholder: '[{"type": "reply", "text": "Yes", "payload": "YES"}, {"type": "link", "text": "Track order", "uri": "https://example.com/orders"}]',
		description:
			'A JSON array of actions as Zendesk documents them: {"type": "reply" or "postback", "text", "payload"}, {"type": "link", "text", "uri"}, {"type": "webview", "text", "uri", "fallback"}, {"type": "locationRequest", "text"}',
		displayOptions: onlyJson,
	},
	displayNameField,
	sendOptions(),
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendText'] } }, properties);

/** A text message as the business, with optional quick replies and buttons. */
export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	const labeler = sendLabeler(mode, { top: { actions: 'Actions' }, topEntries: { actions: 'Action' }, json: { actions: 'Actions (JSON)' } });
	return await sendAsBusiness(this, itemIndex, context, labeler, (options) => {
		const raw = this.getNodeParameter('text', itemIndex, '') as unknown;
		const actions = mode === 'json' ? jsonList(this, 'actionsJson', 'Actions (JSON)', itemIndex) : entriesOf(this.getNodeParameter('actions', itemIndex, {}), 'action').map(actionFromFields);
		const content: TextContent = { type: 'text', text: (typeof raw === 'number' ? String(raw) : raw) as string, ...blockChatInputOf(options) };
		if (optionalList(actions) !== undefined) content.actions = actions as MessageAction[];
		return content;
	});
}
