import {
	at,
	dropUndefined,
	onlyKeys,
	optionalBoolean,
	optionalEnum,
	requireObject,
} from './checks';
import { checkFallbackText, type FallbackText } from './fallback';
import { buildItems, type MessageItem } from './item';

/**
 * Horizontally scrolling cards (spec: carouselMessage). Shown in full on Facebook Messenger, LINE,
 * Telegram, Viber, the Web Messenger and the Android and iOS SDKs; elsewhere as raw text without
 * images or postback actions.
 */
export interface CarouselContent extends FallbackText {
	type: 'carousel';
	/** 1 to 10 items, each with 1 to 3 actions. */
	items: MessageItem[];
	/** horizontal (the default) or square images; Facebook Messenger, Web Messenger, Android and iOS only. */
	displaySettings?: { imageAspectRatio?: 'horizontal' | 'square' };
	blockChatInput?: boolean;
}

const FIELDS = ['type', 'items', 'displaySettings', 'blockChatInput', 'fallbackText'];

export function buildCarousel(
	path: string,
	content: Record<string, unknown>,
): Record<string, unknown> {
	onlyKeys(path, content, FIELDS, 'a carousel message');
	checkFallbackText(path, content);
	let displaySettings: Record<string, unknown> | undefined;
	if (content.displaySettings !== undefined) {
		const settings = requireObject(
			at(path, 'displaySettings'),
			content.displaySettings,
			'{imageAspectRatio: "square"}',
		);
		onlyKeys(at(path, 'displaySettings'), settings, ['imageAspectRatio'], 'displaySettings');
		displaySettings = dropUndefined({
			imageAspectRatio: optionalEnum(
				at(at(path, 'displaySettings'), 'imageAspectRatio'),
				settings.imageAspectRatio,
				['horizontal', 'square'] as const,
				'carouselMessage.displaySettings.imageAspectRatio',
			),
		});
	}
	return dropUndefined({
		type: 'carousel',
		items: buildItems(path, content.items, 'carousel'),
		displaySettings,
		blockChatInput: optionalBoolean(at(path, 'blockChatInput'), content.blockChatInput),
	});
}
