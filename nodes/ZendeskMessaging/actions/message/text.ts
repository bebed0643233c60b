import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { MessageAction, TextContent } from '../../../../src/messaging';
import {
	actionFromFields,
	entriesOf,
	jsonList,
	optionalList,
	sendLabeler,
	type InputMode,
} from '../../helpers/content';
import type { FieldLabeler } from '../../../shared/fieldLabels';
import {
	actionsCollection,
	blockChatInputOf,
	inputModeField,
	onlyFields,
	onlyJson,
} from './common';

/**
 * A text message with optional actions, as Send Text and Send and Wait for Reply give it: the
 * fields, the content read from them, and the editor's names for the content's paths.
 */

type ActionType = 'reply' | 'postback' | 'link' | 'webview';

/** The Text field, Define Actions Using, and the actions as n8n fields or as JSON. */
export function textFields(options: {
	types: ActionType[];
	actionsDescription: string;
	jsonDescription: string;
}): INodeProperties[] {
	return [
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
				types: options.types,
				description: options.actionsDescription,
			}),
			displayOptions: onlyFields,
		},
		{
			displayName: 'Actions (JSON)',
			name: 'actionsJson',
			type: 'json',
			default: '[]',
			placeholder:
				'[{"type": "reply", "text": "Yes", "payload": "YES"}, {"type": "link", "text": "Track order", "uri": "https://example.com/orders"}]',
			description: options.jsonDescription,
			displayOptions: onlyJson,
		},
	];
}

/** "Actions › Action 2 › URL", or "Actions (JSON) › Action 2 › URL" when the actions came as JSON. */
export function textLabeler(mode: InputMode): FieldLabeler {
	return sendLabeler(mode, {
		top: { actions: 'Actions' },
		topEntries: { actions: 'Action' },
		json: { actions: 'Actions (JSON)' },
	});
}

/** The text content of the item; its limits are checked by the core when it is sent. */
export function textContentOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	mode: InputMode,
	options: IDataObject,
): TextContent {
	const raw = ctx.getNodeParameter('text', itemIndex, '') as unknown;
	const actions =
		mode === 'json'
			? jsonList(ctx, 'actionsJson', 'Actions (JSON)', itemIndex)
			: entriesOf(ctx.getNodeParameter('actions', itemIndex, {}), 'action').map(actionFromFields);
	const content: TextContent = {
		type: 'text',
		text: (typeof raw === 'number' ? String(raw) : raw) as string,
		...blockChatInputOf(options),
	};
	if (optionalList(actions) !== undefined) content.actions = actions as MessageAction[];
	return content;
}
