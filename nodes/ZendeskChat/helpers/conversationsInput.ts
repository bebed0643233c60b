import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { InvalidInputError } from '../../../src/shared/errors';
import { relabel as relabelField } from '../../shared/fieldLabels';

/**
 * Field helpers of the Message and Live Chat resources (Conversations API). The core checks every
 * input (limits, URLs, tag alphabet) before anything is sent; these only read the node's fields
 * into the core's shapes and give its errors the names of the fields the user sees.
 */

/**
 * The chat to act on, shared by every Message and Live Chat operation. The default reads the
 * `channelId` a Zendesk Chat Trigger item (or Live Chat › Get Many) carries, so a reply after the
 * trigger needs no mapping; a REST chat id is accepted too (helpers/channelIds.ts turns it into the
 * channel id), because that is what an AI agent or a Chat › Search step often passes on.
 */
export const channelIdField: INodeProperties = {
	displayName: 'Channel ID',
	name: 'channelId',
	type: 'string',
	required: true,
	default: '={{ $json.channelId }}',
	placeholder: 'e.g. W1sibG9jYWxJZCIsIjEyMyJdLFsidHlwZSIsIkNIQU5ORUwiXV0=',
	description:
		'The chat going on now: its channel ID (the default takes the channelId of a Zendesk Chat Trigger item) or its chat ID (the chatId of a trigger item, or the ID Chat › Search and Chat › Get give, e.g. 1704.2314815.QHgVx6SOrRuSx). Both work.',
};

/** How the lists of a structured message are given: n8n fields, or JSON (e.g. built by a previous node or an AI agent). */
export const inputModeField: INodeProperties = {
	displayName: 'Define Using',
	name: 'inputMode',
	type: 'options',
	options: [
		{ name: 'Fields Below', value: 'fields', description: 'Add each entry with the fields below' },
		{ name: 'JSON', value: 'json', description: 'Give the entries as a JSON array' },
	],
	default: 'fields',
};

/** Core field names (as in src/conversations inputs) and the labels the editor shows for them. */
const NAMES: Record<string, string> = {
	channelId: 'Channel ID',
	message: 'Text',
	msgId: 'Message ID',
	quickReplies: 'Quick Replies',
	buttons: 'Buttons',
	items: 'Items',
	heading: 'Heading',
	paragraph: 'Paragraph',
	imageUrl: 'Image URL',
	linkUrl: 'Link URL',
	text: 'Text',
	value: 'Value',
	action: 'Action',
	departmentId: 'Department',
	agentId: 'Agent',
	tags: 'Tags',
	typing: 'Typing',
	status: 'Status',
};

/** What one entry of a list is called: "Quick Replies › Reply 3". */
const ENTRY: Record<string, string> = {
	quickReplies: 'Reply',
	buttons: 'Button',
	items: 'Item',
	tags: 'Tag',
};

/** What to do about a bad value, by the top-level field. */
const HINTS: Record<string, string> = {
	channelId:
		'Map the chat: a Zendesk Chat Trigger item carries its channel ID as channelId (Live Chat › Get Many too) and its chat ID as chatId; either works.',
	message: 'Type the text, or map it with an expression such as {{ $json.reply }}.',
	options: 'Give each answer as text without "/" (e.g. "Yes or no", not "Yes/No").',
};

/** Label overrides: a different top-level label (e.g. "Quick Replies (JSON)"), or a full label for a path. */
export interface Labels {
	top?: Record<string, string>;
	path?: (field: string) => string | undefined;
}

/**
 * The editor's name for a core field path: `items[1].panel.heading` → "Items › Item 2 › Heading",
 * `fallback.message` → "Fallback Text".
 */
export function labelOf(field: string, labels: Labels = {}): string {
	const custom = labels.path?.(field);
	if (custom !== undefined) return custom;
	if (field === 'fallback' || field.startsWith('fallback.')) return 'Fallback Text';
	const parts: string[] = [];
	let listName: string | undefined;
	for (const segment of field.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
		const index = /^\[(\d+)\]$/.exec(segment);
		if (index) {
			parts.push(`${ENTRY[listName ?? ''] ?? 'Entry'} ${Number(index[1]) + 1}`);
			continue;
		}
		listName = segment;
		if (segment === 'panel') continue; // a carousel item's panel is the item itself in the editor
		parts.push(
			parts.length === 0
				? (labels.top?.[segment] ?? NAMES[segment] ?? segment)
				: (NAMES[segment] ?? segment),
		);
	}
	return parts.join(' › ') || field;
}

/**
 * A core input error in the editor's terms: "sendQuickReplies: quickReplies must have 1 to 11
 * entries (Zendesk's limit), got 12" becomes "Quick Replies must have 1 to 11 entries (Zendesk's
 * limit), got 12", with the field's label. Any other error is returned unchanged.
 */
export function relabel(error: unknown, labels: Labels = {}): unknown {
	if (!(error instanceof InvalidInputError)) return error;
	const input = error as InvalidInputError;
	// The core puts its operation's name in front ("sendQuickReplies: …"); the editor has no use for it.
	const bare = new InvalidInputError(
		input.field,
		input.message.replace(/^[A-Za-z]+: /, ''),
		input.hint,
	);
	return relabelField(
		bare,
		(field) => labelOf(field, labels),
		(field) => HINTS[/^[A-Za-z]+/.exec(field)?.[0] ?? ''],
	);
}

/** Builds a core operation (which checks its input), reporting a bad input under the editor's field names. */
export function build<T>(make: () => T, labels?: Labels): T {
	try {
		return make();
	} catch (error) {
		throw relabel(error, labels);
	}
}

/** A text field as given (an expression may give a number: it becomes text; anything else goes to the core to refuse). */
export function textParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	return typeof value === 'number' ? String(value) : value;
}

/**
 * A JSON field: text is parsed, a value an expression already made (an array, an object) is taken
 * as it is. The shape is left to the core, which names what is wrong. An empty optional field is no value.
 */
export function jsonParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	options: { optional?: boolean } = {},
): unknown {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') {
		if (options.optional) return undefined;
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Field: ${label}. Give a JSON array, e.g. [{"text": "Yes"}, {"text": "No"}].`,
			level: 'warning',
		});
	}
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${label} is not valid JSON: ${(error as Error).message}`,
			{
				itemIndex,
				description: `Field: ${label}. Check the quotes, commas and brackets (an n8n expression such as {{ $json.buttons }} can give an array directly).`,
				level: 'warning',
			},
		);
	}
}

/**
 * A list field: comma-separated text, or a list from an expression (the way to give an entry that
 * holds a comma). Entries are trimmed, numbers become text, empty entries are dropped; anything else
 * goes to the core to refuse.
 */
export function textList(value: unknown): unknown {
	const entries = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: value;
	if (!Array.isArray(entries)) return entries;
	return entries
		.map((entry: unknown) =>
			typeof entry === 'string' ? entry.trim() : typeof entry === 'number' ? String(entry) : entry,
		)
		.filter((entry) => entry !== '');
}

/** An object without its empty-text and absent values: an unused optional field of the editor is no value at all. */
export function compact(values: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
	);
}

/** The optional Fallback Text of the Options collection, as the core's fallback (absent: the core makes one). */
export function fallbackOption(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { message: string } | undefined {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { fallbackText?: unknown };
	const text = options.fallbackText;
	if (text === undefined || text === null || text === '') return undefined;
	return { message: typeof text === 'number' ? String(text) : (text as string) };
}

/** The Options collection's Fallback Text field, shared by the structured messages. */
const fallbackTextOption: INodeProperties = {
	displayName: 'Fallback Text',
	name: 'fallbackText',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description:
		'The plain text shown where structured messages cannot be (the native mobile SDKs). Leave empty to send one made from the message and its choices.',
};

/** The Options collection of every structured message: only the Fallback Text for now. */
export const structuredMessageOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [fallbackTextOption],
};

/** The Options collection of a handoff (transfer, invite): whether the credential's agent leaves. */
export function leaveChatOptions(whenItLeaves: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Leave Chat',
				name: 'leave',
				type: 'boolean',
				default: false,
				description: `Whether the agent of the credential leaves the chat ${whenItLeaves}`,
			},
		],
	};
}
