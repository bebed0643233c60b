import { buildActions, ITEM_ACTION_TYPES, type ItemAction } from './actions';
import { at, dropUndefined, onlyKeys, optionalBoolean, requireList } from './checks';
import { checkFallbackText, type FallbackText } from './fallback';
import { buildItems, type MessageItem } from './item';

/**
 * A vertical list of items (spec: listMessage). Native on Facebook Messenger and WeChat; a
 * carousel on LINE and the Android, iOS and Web SDKs; several rich messages on WhatsApp, Telegram
 * and Twitter; raw text elsewhere.
 */
export interface ListContent extends FallbackText {
	type: 'list';
	/** 1 to 10 items, each with 1 to 3 actions. */
	items: MessageItem[];
	/** 1 to 10 actions for the whole list: postback, link, webview or buy. */
	actions?: ItemAction[];
	blockChatInput?: boolean;
}

const FIELDS = ['type', 'items', 'actions', 'blockChatInput', 'fallbackText'];

export function buildList(path: string, content: Record<string, unknown>): Record<string, unknown> {
	onlyKeys(path, content, FIELDS, 'a list message');
	checkFallbackText(path, content);
	let actions: Record<string, unknown>[] | undefined;
	if (content.actions !== undefined) {
		const list = requireList(at(path, 'actions'), content.actions, {
			min: 1,
			max: 10,
			what: 'a list message has',
			unit: 'actions',
			rule: 'listMessage.actions minItems 1, maxItems 10',
		});
		actions = buildActions(at(path, 'actions'), list, ITEM_ACTION_TYPES, 'a list message');
	}
	return dropUndefined({
		type: 'list',
		items: buildItems(path, content.items, 'list'),
		actions,
		blockChatInput: optionalBoolean(at(path, 'blockChatInput'), content.blockChatInput),
	});
}
