import { buildActions, ITEM_ACTION_TYPES, type ItemAction } from './actions';
import {
	at,
	dropUndefined,
	item,
	onlyKeys,
	optionalEnum,
	optionalMetadata,
	optionalText,
	requireList,
	requireObject,
	requireText,
	requireUrl,
} from './checks';
import type { Metadata } from '../validate';

/** One card of a carousel or row of a list (spec: item). */
export interface MessageItem {
	/** 1–128 characters. */
	title: string;
	/** At most 128 characters. */
	description?: string;
	/** The image, an http(s) URL. */
	mediaUrl?: string;
	/** The image's MIME type, e.g. image/png. */
	mediaType?: string;
	/** The image described for screen readers; at most 128 characters. */
	altText?: string;
	size?: 'compact' | 'large';
	/** 1 to 3: postback, link, webview or buy (spec: actionSubset). */
	actions: ItemAction[];
	metadata?: Metadata;
}

const FIELDS = [
	'title',
	'description',
	'mediaUrl',
	'mediaType',
	'altText',
	'size',
	'actions',
	'metadata',
];

/** `kind` is "carousel" or "list", for the messages. */
export function buildItem(path: string, value: unknown, kind: string): Record<string, unknown> {
	const entry = requireObject(path, value, '{title, actions: [{type: "postback", text, payload}]}');
	onlyKeys(path, entry, FIELDS, `a ${kind} item`);
	const actions = requireList(at(path, 'actions'), entry.actions, {
		min: 1,
		max: 3,
		what: `a ${kind} item has`,
		unit: 'actions',
		rule: 'item.actions minItems 1, maxItems 3',
	});
	return dropUndefined({
		title: requireText(
			at(path, 'title'),
			entry.title,
			128,
			'item.title minLength 1, maxLength 128',
		),
		description: optionalText(
			at(path, 'description'),
			entry.description,
			128,
			'item.description maxLength 128',
		),
		mediaUrl:
			entry.mediaUrl === undefined ? undefined : requireUrl(at(path, 'mediaUrl'), entry.mediaUrl),
		mediaType: optionalText(
			at(path, 'mediaType'),
			entry.mediaType,
			128,
			'item.mediaType maxLength 128',
		),
		altText: optionalText(at(path, 'altText'), entry.altText, 128, 'item.altText maxLength 128'),
		size: optionalEnum(at(path, 'size'), entry.size, ['compact', 'large'] as const, 'item.size'),
		actions: buildActions(at(path, 'actions'), actions, ITEM_ACTION_TYPES, `a ${kind} item`),
		metadata: optionalMetadata(at(path, 'metadata'), entry.metadata),
	});
}

/** Spec carouselMessage.items / listMessage.items: 1 to 10 items. */
export function buildItems(path: string, value: unknown, kind: string): Record<string, unknown>[] {
	const items = requireList(at(path, 'items'), value, {
		min: 1,
		max: 10,
		what: `a ${kind} has`,
		unit: 'items',
		rule: `${kind}Message.items minItems 1, maxItems 10`,
	});
	return items.map((entry, i) => buildItem(item(at(path, 'items'), i), entry, kind));
}
