import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ItemAction, MessageAction, MessageItem } from '../../../src/messaging';
import { labelOf, type FieldLabeler, type FieldLabels } from '../../shared/fieldLabels';
import { jsonParameter, optionalText } from './parameters';

/**
 * Reading the structured messages' fields (n8n fields or JSON) into the core's BusinessContent,
 * and naming the core's field paths the way the editor shows them. The core's `buildContent`
 * checks every limit; nothing here duplicates a rule of the spec.
 */

export type InputMode = 'fields' | 'json';

export function inputModeOf(ctx: IExecuteFunctions, itemIndex: number): InputMode {
	return ctx.getNodeParameter('inputMode', itemIndex, 'fields') === 'json' ? 'json' : 'fields';
}

/** Text as the core takes it: a number from an expression becomes text; empty means "not given". */
function text(value: unknown): string | undefined {
	return optionalText(value);
}

/** The entries of a fixedCollection list (`{ [entry]: [...] }`), none when it was never filled in. */
export function entriesOf(value: unknown, entry: string): IDataObject[] {
	const list = (value as IDataObject | undefined)?.[entry];
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

/** A list given as JSON: typed JSON is parsed, an expression's array taken as it is; empty is none. */
export function jsonList(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): unknown {
	return jsonParameter(ctx, name, label, itemIndex, '[]');
}

/**
 * One action from the editor's fields. A reply or postback without a payload sends its own text as
 * the payload; a webview without a fallback URL falls back to its URL. Values that do not belong to
 * the chosen type are left out (the editor hides them, an expression may still set them).
 */
export function actionFromFields(values: IDataObject): MessageAction {
	const type = (values.type as string | undefined) ?? 'reply';
	const label = text(values.text);
	const payload = text(values.payload) ?? label;
	const uri = text(values.uri);
	const action: IDataObject = { type, text: label };
	if (type === 'reply' || type === 'postback') action.payload = payload;
	if (type === 'reply' && text(values.iconUrl) !== undefined) action.iconUrl = text(values.iconUrl);
	if (type === 'link' || type === 'webview') action.uri = uri;
	if (type === 'webview') {
		action.fallback = text(values.fallback) ?? uri;
		if (text(values.size) !== undefined) action.size = values.size;
	}
	return withoutUndefined(action) as unknown as MessageAction;
}

/** One carousel card or list row from the editor's fields, with its buttons. */
export function itemFromFields(values: IDataObject): MessageItem {
	return withoutUndefined({
		title: text(values.title),
		description: text(values.description),
		mediaUrl: text(values.mediaUrl),
		altText: text(values.altText),
		actions: entriesOf(values.buttons, 'button').map(actionFromFields) as ItemAction[],
	}) as unknown as MessageItem;
}

export function withoutUndefined(values: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** What the editor calls each content field (`content.items[1].title` → "Title"). */
const NAMES: Record<string, string> = {
	text: 'Text',
	markdownText: 'Markdown Text',
	htmlText: 'HTML Text',
	actions: 'Buttons',
	items: 'Items',
	fields: 'Fields',
	options: 'Options',
	title: 'Title',
	description: 'Description',
	mediaUrl: 'Image URL',
	mediaType: 'Media Type',
	altText: 'Alt Text',
	payload: 'Payload',
	uri: 'URL',
	fallback: 'Fallback URL',
	size: 'Size',
	iconUrl: 'Icon URL',
	type: 'Type',
	name: 'Name',
	label: 'Label',
	placeholder: 'Placeholder',
	minSize: 'Min Length',
	maxSize: 'Max Length',
	format: 'Format',
	buttonText: 'Button Text',
	blockChatInput: 'Block Chat Input',
	displaySettings: 'Options',
	imageAspectRatio: 'Image Aspect Ratio',
	metadata: 'Metadata',
	default: 'Default',
	openOnReceive: 'Open on Receive',
	amount: 'Amount',
	currency: 'Currency',
};

/** What one entry of each list is called: "Items › Item 2". */
const ENTRIES: Record<string, string> = {
	actions: 'Button',
	items: 'Item',
	fields: 'Field',
	options: 'Option',
};

/** The labels of the fields every Send operation shares (the author, the conversation). */
const SEND_LABELS: FieldLabels = {
	userExternalId: 'User External ID',
	conversationId: 'Conversation ID',
	displayName: 'Display Name',
	'author.displayName': 'Display Name',
	avatarUrl: 'Avatar URL',
	'author.avatarUrl': 'Avatar URL',
	ai: 'Mark as AI-Generated',
	metadata: 'Metadata',
};

export interface ContentLabels {
	/** Labels of the top-level content fields that differ from NAMES, e.g. `{ actions: 'Actions', mediaUrl: 'File URL' }`. */
	top?: Record<string, string>;
	/** Entry names of top-level lists that differ from ENTRIES, e.g. `{ actions: 'Action' }`. */
	topEntries?: Record<string, string>;
	/** In JSON mode the top-level lists come from these fields, e.g. `{ items: 'Items (JSON)' }`. */
	json?: Record<string, string>;
}

/**
 * The labeler of a Send operation: content paths become the editor's names ("Items › Item 2 ›
 * Buttons › Button 1 › URL"; in JSON mode "Items (JSON) › Item 2 › …"), the author's and the
 * conversation's fields their labels.
 */
export function sendLabeler(mode: InputMode, labels: ContentLabels = {}): FieldLabeler {
	return (field) => {
		if (field !== 'content' && !field.startsWith('content.') && !field.startsWith('content['))
			return labelOf(field, SEND_LABELS);
		const parts: string[] = [];
		let list: string | undefined;
		for (const segment of field.slice('content'.length).match(/[^.[\]]+|\[\d+\]/g) ?? []) {
			const index = /^\[(\d+)\]$/.exec(segment);
			if (index) {
				const entry =
					(parts.length === 1 ? labels.topEntries?.[list ?? ''] : undefined) ??
					ENTRIES[list ?? ''] ??
					'Entry';
				parts.push(`${entry} ${Number(index[1]) + 1}`);
				continue;
			}
			list = segment;
			if (parts.length === 0) {
				parts.push(
					(mode === 'json' ? labels.json?.[segment] : undefined) ??
						labels.top?.[segment] ??
						NAMES[segment] ??
						segment,
				);
			} else {
				parts.push(NAMES[segment] ?? segment);
			}
		}
		return parts.join(' › ') || 'Message';
	};
}

/** An optional list: none when absent or empty; anything else goes to the core (which names what is wrong). */
export function optionalList(value: unknown): unknown {
	if (value === undefined || value === null || (Array.isArray(value) && value.length === 0))
		return undefined;
	return value;
}
