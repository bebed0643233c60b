import { at, messageText } from './checks';

/**
 * What a channel that cannot show a carousel or list shows instead. The spec has no field for it
 * in a request: carouselMessage.text is readOnly ("The fallback text message used when carousel
 * messages are not supported by the channel"), and Zendesk writes it from the items itself. So it
 * is checked (1–4096 characters) and then not sent; it documents the intent in the workflow.
 */
export interface FallbackText {
	fallbackText?: string;
}

export function checkFallbackText(path: string, content: Record<string, unknown>): void {
	if (content.fallbackText !== undefined)
		messageText(at(path, 'fallbackText'), content.fallbackText);
}
