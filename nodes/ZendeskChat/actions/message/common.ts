import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../../src/conversations';
import type { ChannelRef } from '../../helpers/channelIds';
import { compact, jsonParameter, type Labels } from '../../helpers/conversationsInput';

/**
 * A message ready to send for one item: every field checked and the chat's channel known, nothing
 * sent yet. Send Text and Send Quick Replies send it; Send and Wait for Reply sends it, then waits.
 */
export interface PreparedSend<R> {
	operation: Operation<R>;
	channel: ChannelRef;
	/** The text the visitor reads first. */
	text: string;
	/** The operation's output item for the send's result. */
	output(result: R): IDataObject;
}

/**
 * Fields and readers shared by the structured messages. The editor gives each list either as n8n
 * fields or as a JSON array; both become the core's input, which enforces Zendesk's limits.
 */

export type InputMode = 'fields' | 'json';

export function inputModeOf(ctx: IExecuteFunctions, itemIndex: number): InputMode {
	return ctx.getNodeParameter('inputMode', itemIndex, 'fields') === 'json' ? 'json' : 'fields';
}

/** Label overrides for JSON mode: the lists come from the "(JSON)" fields. */
export function labelsFor(mode: InputMode, labels: Labels = {}): Labels {
	if (mode === 'fields') return labels;
	return {
		...labels,
		top: {
			quickReplies: 'Quick Replies (JSON)',
			buttons: 'Buttons (JSON)',
			items: 'Items (JSON)',
			...labels.top,
		},
	};
}

const onlyFields = { show: { inputMode: ['fields'] } };
const onlyJson = { show: { inputMode: ['json'] } };

/** The fields of one button: its label, what it does, and the reply or URL. */
const buttonValues: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		description: 'The label on the button',
	},
	{
		displayName: 'Action',
		name: 'actionType',
		type: 'options',
		options: [
			{
				name: 'Reply',
				value: 'reply',
				description: "Picking it sends the value as the visitor's reply",
			},
			{
				name: 'Open Link',
				value: 'link',
				description: 'Picking it opens the URL given as the value',
			},
		],
		default: 'reply',
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description:
			"For Reply: what the visitor sends (empty: the button's text). For Open Link: an http(s) URL.",
	},
];

/** A Buttons list as fields; `limit` says how many, e.g. "1 to 3 buttons". */
export function buttonCollection(limit: string): INodeProperties {
	return {
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		description: `${limit} (Zendesk's limit)`,
		options: [{ displayName: 'Button', name: 'button', values: buttonValues }],
	};
}

const EXAMPLE_BUTTONS =
	'[\n  { "text": "Track my order", "action": "link", "value": "https://example.com/orders" },\n  { "text": "Talk to a human", "action": "reply", "value": "human" }\n]';

/** The Buttons list (as fields) and its JSON twin. */
export function buttonFields(limit: string, jsonDefault = EXAMPLE_BUTTONS): INodeProperties[] {
	return [
		{ ...buttonCollection(limit), displayOptions: onlyFields },
		{
			displayName: 'Buttons (JSON)',
			name: 'buttonsJson',
			type: 'json',
			default: jsonDefault,
			description: `${limit}: a JSON array of objects with text, action ("reply" or "link") and value`,
			displayOptions: onlyJson,
		},
	];
}

/** The fields of a panel (a card): what Send Panel asks for, and each carousel or list item. */
export function panelValues(): INodeProperties[] {
	return [
		{
			displayName: 'Heading',
			name: 'heading',
			type: 'string',
			default: '',
			description: 'The title of the card',
		},
		{
			displayName: 'Paragraph',
			name: 'paragraph',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: 'The text under the heading',
		},
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/image.png',
			description: 'An http(s) image shown on the card',
		},
		{
			displayName: 'Link URL',
			name: 'linkUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/product',
			description: 'An http(s) page opened when the card is clicked',
		},
	];
}

/** Text as the core takes it (numbers from expressions become text). */
function str(value: unknown): unknown {
	return typeof value === 'number' ? String(value) : value;
}

/** One button from the editor's fields: a reply button without a value replies with its text. */
function buttonFromFields(values: IDataObject): IDataObject {
	const action = values.actionType ?? 'reply';
	const value = str(values.value);
	return compact({
		text: str(values.text),
		action,
		value: action === 'reply' && (value === undefined || value === '') ? str(values.text) : value,
	}) as IDataObject;
}

/** A panel from the editor's fields, without the optional fields left empty. */
export function panelFromFields(values: IDataObject): IDataObject {
	return compact({
		heading: str(values.heading),
		paragraph: str(values.paragraph),
		imageUrl: str(values.imageUrl),
		linkUrl: str(values.linkUrl),
	}) as IDataObject;
}

/** The entries of a fixedCollection list (`{ [entry]: [...] }`), none when it was never filled in. */
export function entriesOf(
	ctx: IExecuteFunctions,
	name: string,
	entry: string,
	itemIndex: number,
): IDataObject[] {
	const collection = ctx.getNodeParameter(name, itemIndex, {}) as IDataObject;
	const values = collection?.[entry];
	return Array.isArray(values) ? (values as IDataObject[]) : [];
}

/** The buttons, from the fields or the JSON field. */
export function readButtons(
	ctx: IExecuteFunctions,
	itemIndex: number,
	mode: InputMode,
	optional = false,
): unknown {
	if (mode === 'json')
		return jsonParameter(ctx, 'buttonsJson', 'Buttons (JSON)', itemIndex, { optional });
	return entriesOf(ctx, 'buttons', 'button', itemIndex).map(buttonFromFields);
}

/** Buttons nested in a carousel item (as fields). */
export function nestedButtons(values: IDataObject): IDataObject[] {
	const buttons = (values.buttons as IDataObject | undefined)?.button;
	return Array.isArray(buttons) ? (buttons as IDataObject[]).map(buttonFromFields) : [];
}
