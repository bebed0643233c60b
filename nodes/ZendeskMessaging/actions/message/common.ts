import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import {
	buildContent,
	optionalString,
	requireHttpUrl,
	validateMetadata,
	type BusinessAuthorInput,
	type BusinessContent,
} from '../../../../src/messaging';
import { findConversation } from '../../helpers/conversation';
import type { FieldLabeler } from '../../../shared/fieldLabels';
import { nodeError } from '../../helpers/errors';
import { metadataParameter, optionalText } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { metadataOption } from '../common.descriptions';

/**
 * What the Message operations share: every one posts as the business (the bot) with the same
 * author fields, and the structured ones take their lists as n8n fields or as JSON.
 */

/** How the lists of a structured message are given: n8n fields, or JSON (built by an earlier node or an AI agent). */
export const inputModeField: INodeProperties = {
	displayName: 'Define Using',
	name: 'inputMode',
	type: 'options',
	options: [
		{ name: 'Fields Below', value: 'fields', description: 'Add each entry with the fields below' },
		{
			name: 'JSON',
			value: 'json',
			description: 'Give the entries as a JSON array, in the shape Zendesk documents',
		},
	],
	default: 'fields',
};

export const onlyFields = { show: { inputMode: ['fields'] } };
export const onlyJson = { show: { inputMode: ['json'] } };

const ACTION_TYPES: Record<string, INodePropertyOptions> = {
	link: {
		name: 'Link',
		value: 'link',
		description: 'A button that opens a web page (or a mailto: or tel: link)',
	},
	postback: {
		name: 'Postback',
		value: 'postback',
		description:
			'A button that sends its payload to your bot (conversation:postback webhook event)',
	},
	reply: {
		name: 'Quick Reply',
		value: 'reply',
		description:
			'A chip the customer taps to answer: its text becomes their message, with the payload',
	},
	webview: {
		name: 'Webview',
		value: 'webview',
		description: 'A button that opens a page inside the messenger',
	},
};

/** The Type of an action on a text message (quick replies first) … */
const MESSAGE_ACTION_TYPE: INodeProperties = {
	displayName: 'Type',
	name: 'type',
	type: 'options',
	options: [],
	default: 'reply',
};
/** … and on a carousel card, a list row or a list (no quick replies there). */
const ITEM_ACTION_TYPE: INodeProperties = {
	displayName: 'Type',
	name: 'type',
	type: 'options',
	options: [],
	default: 'postback',
};

/**
 * The fields of one button or quick reply. `types` are the action types this place accepts
 * (carousel and list items take no quick replies).
 */
function actionValues(types: Array<keyof typeof ACTION_TYPES>): INodeProperties[] {
	const has = (type: string) => types.includes(type);
	const payloadTypes = ['reply', 'postback'].filter(has);
	const uriTypes = ['link', 'webview'].filter(has);
	const typeField: INodeProperties = has('reply')
		? { ...MESSAGE_ACTION_TYPE }
		: { ...ITEM_ACTION_TYPE };
	typeField.options = types.map((type) => ACTION_TYPES[type]);
	const values: INodeProperties[] = [
		typeField,
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			default: '',
			description: 'The label the customer sees',
		},
	];
	if (payloadTypes.length > 0) {
		values.push({
			displayName: 'Payload',
			name: 'payload',
			type: 'string',
			default: '',
			description: 'What your bot receives when it is used (empty: the text)',
			displayOptions: { show: { type: payloadTypes } },
		});
	}
	if (has('reply')) {
		values.push({
			displayName: 'Icon URL',
			name: 'iconUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/icon.png',
			description: 'An icon shown next to the quick reply',
			displayOptions: { show: { type: ['reply'] } },
		});
	}
	if (uriTypes.length > 0) {
		values.push({
			displayName: 'URL',
			name: 'uri',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/orders',
			description: 'The page it opens',
			displayOptions: { show: { type: uriTypes } },
		});
	}
	if (has('webview')) {
		values.push(
			{
				displayName: 'Fallback URL',
				name: 'fallback',
				type: 'string',
				default: '',
				description: 'What channels without webviews open instead (empty: the URL)',
				displayOptions: { show: { type: ['webview'] } },
			},
			{
				displayName: 'Size',
				name: 'size',
				type: 'options',
				options: [
					{ name: 'Compact', value: 'compact' },
					{ name: 'Full', value: 'full' },
					{ name: 'Tall', value: 'tall' },
				],
				default: 'tall',
				displayOptions: { show: { type: ['webview'] } },
			},
		);
	}
	return values;
}

/** A list of buttons as n8n fields. */
export function actionsCollection(options: {
	name: string;
	displayName: string;
	entry: string;
	types: Array<keyof typeof ACTION_TYPES>;
	description: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: `Add ${options.entry}`,
		default: {},
		description: options.description,
		options: [
			{
				displayName: options.entry,
				name: options.entry.toLowerCase(),
				values: actionValues(options.types),
			},
		],
	};
}

/** The fields of a carousel card or list row: title, description, image and 1 to 3 buttons. */
export function itemValues(): INodeProperties[] {
	return [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description: 'The heading (1 to 128 characters)',
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: 'The text under the title (at most 128 characters)',
		},
		{
			displayName: 'Image URL',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/product.png',
			description: 'An http(s) image shown on it',
		},
		{
			displayName: 'Alt Text',
			name: 'altText',
			type: 'string',
			default: '',
			description: 'The image described for screen readers (at most 128 characters)',
		},
		actionsCollection({
			name: 'buttons',
			displayName: 'Buttons',
			entry: 'Button',
			types: ['postback', 'link', 'webview'],
			description: "1 to 3 buttons (Zendesk's limit)",
		}),
	];
}

/** Zendesk's names for the item buttons in JSON, for the field descriptions. */
export const ITEM_JSON_SHAPE =
	'objects with title, description, mediaUrl, altText and actions (1 to 3 of {"type": "postback", "text", "payload"}, {"type": "link", "text", "uri"} or {"type": "webview", "text", "uri", "fallback"})';

/** The Display Name field every Send operation has (as Send as Business had it). */
export const displayNameField: INodeProperties = {
	displayName: 'Display Name',
	name: 'displayName',
	type: 'string',
	default: '',
	placeholder: 'Support Bot',
	description: "Author name shown with the message (empty: the app's name)",
};

/** The Options of every Send operation: the author's avatar, the AI mark, metadata, and the operation's own options. */
export function sendOptions(extra: INodeProperties[] = []): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Avatar URL',
			name: 'avatarUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/bot.png',
			description: 'Picture shown with the message',
		},
		{
			displayName: 'Block Chat Input',
			name: 'blockChatInput',
			type: 'boolean',
			default: false,
			description:
				'Whether to disable the chat input while this is the latest message (on clients that support it), so the customer answers with the buttons',
		},
		{
			displayName: 'Mark as AI-Generated',
			name: 'ai',
			type: 'boolean',
			default: false,
			description:
				'Whether to mark the message as written by AI (Zendesk shows a disclaimer with it)',
		},
		metadataOption(
			'Metadata',
			'Flat metadata stored with the message (at most 4 KB with the origin tag)',
		),
		...extra,
	];
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** The Options collection of an item as given. */
export function optionsOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/** `blockChatInput` from the Options, only when set. */
export function blockChatInputOf(options: IDataObject): { blockChatInput?: true } {
	return options.blockChatInput === true ? { blockChatInput: true } : {};
}

/** Spec author.displayName: at most 255 characters (the core checks the same when posting). */
const AUTHOR_NAME_MAX = 255;

/** The author fields, checked before any request (the conversation lookup included). */
function authorOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): BusinessAuthorInput {
	const author: BusinessAuthorInput = {};
	const displayName = optionalString(
		'displayName',
		optionalText(ctx.getNodeParameter('displayName', itemIndex, '')),
		AUTHOR_NAME_MAX,
	);
	if (displayName !== undefined) author.displayName = displayName;
	const avatarUrl = optionalText(options.avatarUrl);
	if (avatarUrl !== undefined) author.avatarUrl = requireHttpUrl('avatarUrl', avatarUrl);
	if (options.ai === true) author.ai = true;
	const metadata = validateMetadata(
		'metadata',
		metadataParameter(ctx, 'options.metadata', 'Metadata', itemIndex),
	);
	if (metadata) author.metadata = metadata;
	return author;
}

/**
 * Posts `content` as the business into the item's conversation. Everything is checked first (the
 * core's `buildContent` for the content and its limits, the author fields), so bad input sends no
 * request at all; then the conversation is found and the message posted, stamped with the origin
 * tag (the Zendesk Messaging Trigger drops it, so the bot never answers itself).
 * Returns the message as Zendesk stored it, with the conversation ID.
 */
export async function sendAsBusiness(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
	labeler: FieldLabeler,
	makeContent: (options: IDataObject) => BusinessContent,
): Promise<IDataObject> {
	try {
		const options = optionsOf(ctx, itemIndex);
		const content = makeContent(options);
		buildContent(content);
		const author = authorOf(ctx, itemIndex, options);
		const client = await messaging.get();
		const conversation = await findConversation(ctx, client, itemIndex, { signal });
		const message = await client.postBusinessContent(
			conversation.id,
			{ ...author, content },
			{ signal },
		);
		return { ...message, conversationId: conversation.id };
	} catch (error) {
		throw nodeError(ctx, error, itemIndex, labeler);
	}
}
