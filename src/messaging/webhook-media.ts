/**
 * The media a message carries, read from its content as a webhook delivers it, in one plain shape
 * so a workflow can forward an agent's image or file without knowing each content type (agents
 * send "text, images, and file attachments": seeds/messaging-escalation-connector.txt).
 */
export interface MessageMedia {
	/** Where the media is (`mediaUrl`). With private attachments on, fetching it needs an authorization header (spec imageMessage.mediaUrl). */
	url: string;
	/** `image` or `file` for an image or file message; `image` for the picture of a carousel or list item. */
	type: string;
	/** The MIME type (`mediaType`), when Zendesk gives one. */
	mediaType: string | null;
	/** The file name: the last part of the URL's path when it looks like one, else `altText` (which Zendesk fills with the file name by default). */
	name: string | null;
	/** The description for screen readers (`altText`). */
	altText: string | null;
	/** The size in bytes (`mediaSize`); null for item images, which the spec gives no size for. */
	size: number | null;
}

type Json = Record<string, unknown>;

/**
 * The media of a message's `content`: one entry for an image or file message (spec imageMessage,
 * fileMessage: mediaUrl, mediaType, mediaSize, altText), one per item image of a carousel or list
 * (spec item: mediaUrl, mediaType, altText; its `size` is a display size, compact or large, not
 * bytes). Anything else, or content that is not an object, has none. Never throws: the content is
 * Zendesk's, read loosely.
 */
export function mediaOf(content: unknown): MessageMedia[] {
	if (!isObject(content)) return [];
	const type = content.type;
	if (type === 'image' || type === 'file') {
		const one = entry(content, type, numberOf(content.mediaSize));
		return one ? [one] : [];
	}
	if ((type === 'carousel' || type === 'list') && Array.isArray(content.items)) {
		return content.items.flatMap((item) => {
			const one = isObject(item) ? entry(item, 'image', null) : undefined;
			return one ? [one] : [];
		});
	}
	return [];
}

function entry(source: Json, type: string, size: number | null): MessageMedia | undefined {
	const url = stringOf(source.mediaUrl);
	if (!url) return undefined;
	const altText = stringOf(source.altText);
	return {
		url,
		type,
		mediaType: stringOf(source.mediaType),
		name: fileNameOf(url) ?? altText,
		altText,
		size,
	};
}

/** "https://…/abc/invoice%20May.pdf?x=1" → "invoice May.pdf"; null when the last part has no dot. */
function fileNameOf(url: string): string | null {
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		return null;
	}
	const last = path.slice(path.lastIndexOf('/') + 1);
	if (!last.includes('.')) return null;
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | null {
	return typeof value === 'string' && value.length > 0 ? value : null;
}

function numberOf(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
