import { InvalidInputError } from '../../shared/errors';
import { quoteValue } from '../../shared/excerpt';
import type { Metadata } from '../validate';
import {
	at,
	buttonText,
	dropUndefined,
	item,
	optionalBoolean,
	optionalEnum,
	optionalMetadata,
	onlyKeys,
	requireObject,
	requireUrl,
} from './checks';

/**
 * Message actions (spec schemas reply, postback, link, webview, locationRequest, buy; the union
 * `action`). The spec has no `share` action.
 */

/** A quick reply: a chip that sends `text` as the user's message, with `payload` (spec: reply). */
export interface ReplyAction {
	type: 'reply';
	text: string;
	payload: string;
	/** An icon next to the reply. */
	iconUrl?: string;
	metadata?: Metadata;
}

/** A button that sends a `conversation:postback` webhook with `payload` (spec: postback). */
export interface PostbackAction {
	type: 'postback';
	text: string;
	payload: string;
	metadata?: Metadata;
}

/** Options passed to Facebook Messenger as they are (spec: extraChannelOptions). */
export interface ExtraChannelOptions {
	messenger?: {
		/** Load the URL with Messenger Extensions (webview actions). */
		messenger_extensions?: boolean;
		/** "hide" hides the share button (webview actions). */
		webview_share_button?: 'hide';
	};
}

/** A button that opens `uri` (spec: link). */
export interface LinkAction {
	type: 'link';
	text: string;
	/** http(s), mailto: or tel:. */
	uri: string;
	/** The default action of a carousel or list item on Facebook Messenger. */
	default?: boolean;
	extraChannelOptions?: ExtraChannelOptions;
	metadata?: Metadata;
}

/** A button that opens `uri` in a webview; channels without webviews open `fallback` (spec: webview). */
export interface WebviewAction {
	type: 'webview';
	text: string;
	uri: string;
	fallback: string;
	size?: 'compact' | 'tall' | 'full';
	default?: boolean;
	/** Opens the webview at once; at most one action per message; Web Messenger only. */
	openOnReceive?: boolean;
	extraChannelOptions?: ExtraChannelOptions;
	metadata?: Metadata;
}

/** A button that asks the user to share their location (spec: locationRequest). */
export interface LocationRequestAction {
	type: 'locationRequest';
	text: string;
	metadata?: Metadata;
}

/** A payment button (spec: buy): `amount` in cents, `currency` an ISO 4217 code. */
export interface BuyAction {
	type: 'buy';
	text: string;
	amount: number;
	currency?: string;
	metadata?: Metadata;
}

export type MessageAction =
	| ReplyAction
	| PostbackAction
	| LinkAction
	| WebviewAction
	| LocationRequestAction
	| BuyAction;

/** What carousel and list items (and list messages) may carry (spec: actionSubset). */
export type ItemAction = PostbackAction | LinkAction | WebviewAction | BuyAction;

export const MESSAGE_ACTION_TYPES = [
	'reply',
	'postback',
	'link',
	'webview',
	'locationRequest',
	'buy',
] as const;
/** Spec actionSubset: buy, link, postback, webview; no reply and no locationRequest. */
export const ITEM_ACTION_TYPES = ['postback', 'link', 'webview', 'buy'] as const;

/** A link may open a web page, write an email or dial a number; `javascript:` and `data:` are refused. */
const LINK_SCHEMES = ['http:', 'https:', 'mailto:', 'tel:'];
const WEBVIEW_SIZES = ['compact', 'tall', 'full'] as const;

const FIELDS: Record<MessageAction['type'], readonly string[]> = {
	reply: ['type', 'text', 'payload', 'iconUrl', 'metadata'],
	postback: ['type', 'text', 'payload', 'metadata'],
	link: ['type', 'text', 'uri', 'default', 'extraChannelOptions', 'metadata'],
	webview: [
		'type',
		'text',
		'uri',
		'fallback',
		'size',
		'default',
		'openOnReceive',
		'extraChannelOptions',
		'metadata',
	],
	locationRequest: ['type', 'text', 'metadata'],
	buy: ['type', 'text', 'amount', 'currency', 'metadata'],
};

/** The spec body of one action, refusing a type outside `allowed` (where the spec's `actionSubset` applies). */
export function buildAction(
	path: string,
	value: unknown,
	allowed: readonly string[],
	where: string,
): Record<string, unknown> {
	const action = requireObject(path, value, '{type: "postback", text: "Yes", payload: "YES"}');
	const type = action.type;
	if (typeof type !== 'string' || !(MESSAGE_ACTION_TYPES as readonly string[]).includes(type)) {
		throw new InvalidInputError(
			at(path, 'type'),
			`${at(path, 'type')} must be one of ${allowed.join(', ')}, got ${quoteValue(type)}`,
		);
	}
	if (!allowed.includes(type)) {
		throw new InvalidInputError(
			at(path, 'type'),
			`${where} cannot carry a ${type} action (spec: actionSubset is ${ITEM_ACTION_TYPES.join(', ')})`,
			'Put reply and locationRequest actions on a text or image message.',
		);
	}
	onlyKeys(path, action, FIELDS[type as MessageAction['type']], `a ${type} action`);
	const common = {
		type,
		text: buttonText(at(path, 'text'), action.text),
		metadata: optionalMetadata(at(path, 'metadata'), action.metadata),
	};
	switch (type as MessageAction['type']) {
		case 'reply':
			return dropUndefined({
				...common,
				payload: payload(at(path, 'payload'), action.payload),
				iconUrl:
					action.iconUrl === undefined
						? undefined
						: requireUrl(at(path, 'iconUrl'), action.iconUrl),
			});
		case 'postback':
			return dropUndefined({ ...common, payload: payload(at(path, 'payload'), action.payload) });
		case 'link':
			return dropUndefined({
				...common,
				uri: requireUrl(at(path, 'uri'), action.uri, LINK_SCHEMES),
				default: optionalBoolean(at(path, 'default'), action.default),
				extraChannelOptions: extraChannelOptions(
					at(path, 'extraChannelOptions'),
					action.extraChannelOptions,
				),
			});
		case 'webview':
			return dropUndefined({
				...common,
				uri: requireUrl(at(path, 'uri'), action.uri),
				fallback: requireUrl(at(path, 'fallback'), action.fallback),
				size: optionalEnum(at(path, 'size'), action.size, WEBVIEW_SIZES, 'webview.size'),
				default: optionalBoolean(at(path, 'default'), action.default),
				openOnReceive: optionalBoolean(at(path, 'openOnReceive'), action.openOnReceive),
				extraChannelOptions: extraChannelOptions(
					at(path, 'extraChannelOptions'),
					action.extraChannelOptions,
				),
			});
		case 'buy':
			return dropUndefined({
				...common,
				amount: amount(at(path, 'amount'), action.amount),
				currency: currency(at(path, 'currency'), action.currency),
			});
		case 'locationRequest':
			return dropUndefined(common);
	}
}

export function buildActions(
	path: string,
	list: unknown[],
	allowed: readonly string[],
	where: string,
): Record<string, unknown>[] {
	return list.map((entry, i) => buildAction(item(path, i), entry, allowed, where));
}

/**
 * Spec webview.openOnReceive: "Only one action per message can be set to true", counting the
 * message's own actions and its items' actions.
 */
export function checkOpenOnReceive(path: string, body: Record<string, unknown>): void {
	const paths: string[] = [];
	const scan = (actions: unknown, where: string) => {
		if (!Array.isArray(actions)) return;
		actions.forEach((action: Record<string, unknown>, i) => {
			if (action.openOnReceive === true) paths.push(at(item(where, i), 'openOnReceive'));
		});
	};
	scan(body.actions, at(path, 'actions'));
	if (Array.isArray(body.items))
		body.items.forEach((entry: Record<string, unknown>, i) =>
			scan(entry.actions, at(item(at(path, 'items'), i), 'actions')),
		);
	if (paths.length > 1) {
		throw new InvalidInputError(
			paths[1],
			`only one action per message can open on receive (spec: webview.openOnReceive), and ${paths[0]} already does`,
		);
	}
}

/** Spec extraChannelOptions: `messenger` with messenger_extensions (boolean) and webview_share_button ("hide"). */
function extraChannelOptions(path: string, value: unknown): Record<string, unknown> | undefined {
	if (value === undefined) return undefined;
	const options = requireObject(path, value, '{messenger: {messenger_extensions: true}}');
	onlyKeys(path, options, ['messenger'], 'extraChannelOptions');
	if (options.messenger === undefined) return {};
	const messenger = requireObject(
		at(path, 'messenger'),
		options.messenger,
		'{messenger_extensions: true}',
	);
	onlyKeys(
		at(path, 'messenger'),
		messenger,
		['messenger_extensions', 'webview_share_button'],
		'extraChannelOptions.messenger',
	);
	return {
		messenger: dropUndefined({
			messenger_extensions: optionalBoolean(
				at(at(path, 'messenger'), 'messenger_extensions'),
				messenger.messenger_extensions,
			),
			webview_share_button: optionalEnum(
				at(at(path, 'messenger'), 'webview_share_button'),
				messenger.webview_share_button,
				['hide'] as const,
				'extraChannelOptions.messenger.webview_share_button',
			),
		}),
	};
}

/** Spec postback.payload / reply.payload: required; an empty payload would tell the bot nothing. */
function payload(path: string, value: unknown): string {
	if (typeof value !== 'string' || value.length === 0) {
		throw new InvalidInputError(
			path,
			`${path} must be a non-empty string: it is what the bot receives when the button is used`,
		);
	}
	return value;
}

/** Spec buy.amount: "specified in cents and is an integer (9.99$ -> 999)". */
function amount(path: string, value: unknown): number {
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
		throw new InvalidInputError(
			path,
			`${path} must be a positive whole number of cents (9.99 is 999), got ${quoteValue(value)}`,
		);
	}
	return value;
}

/** Spec buy.currency: "An ISO 4217 standard currency code in lowercase". */
function currency(path: string, value: unknown): string | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value)) {
		throw new InvalidInputError(
			path,
			`${path} must be a three-letter ISO 4217 code such as "usd", got ${quoteValue(value)}`,
		);
	}
	return value.toLowerCase();
}
