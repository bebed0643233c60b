import type { TranscriptLine, TranscriptRole } from '../shared/transcript';
import { isAgentMessage } from './agent-author';
import type { MessagingClient } from './client';
import type { Message } from './schemas';
import type { CallOptions } from './types';

/**
 * Transcript lines of Sunshine Conversations messages (oldest first). Text messages are lines of
 * their author; everything else (images, files, locations, carousels, forms, and messages of the
 * `activity` author subtype) is an event line with a short description such as "[image] url", kept
 * only with `includeEvents`.
 */
export function messageTranscriptLines(
	messages: readonly Message[],
	options: { includeEvents?: boolean } = {},
): TranscriptLine[] {
	const lines: TranscriptLine[] = [];
	for (const message of messages) {
		const line = messageLine(message);
		if (line.role === 'system' && !options.includeEvents) continue;
		lines.push(line);
	}
	return lines;
}

function messageLine(message: Message): TranscriptLine {
	const role = authorRole(message);
	const speaker = message.author.displayName?.trim() || DEFAULT_NAMES[role];
	const content = message.content as Record<string, unknown>;
	const time = message.received ?? '';
	const activity = (message.author.subtypes ?? []).includes('activity');
	if (content.type === 'text' && !activity) return { time, speaker, role, text: str(content.text) };
	return { time, speaker, role: 'system', text: describeContent(content) };
}

const DEFAULT_NAMES: Record<TranscriptRole, string> = {
	visitor: 'Customer',
	agent: 'Agent',
	bot: 'Bot',
	system: 'System',
};

/** The customer (a user message), a human agent (agent-author.ts), or the bot. */
function authorRole(message: Message): TranscriptRole {
	if (message.author.type === 'user') return 'visitor';
	return isAgentMessage(message) ? 'agent' : 'bot';
}

/** A short description of non-text content: what it is, then what identifies it. */
function describeContent(content: Record<string, unknown>): string {
	const type = str(content.type) || 'unknown';
	const caption = str(content.text);
	switch (type) {
		case 'text':
			return caption;
		case 'image':
			return joined('[image]', str(content.mediaUrl), caption);
		case 'file':
			return joined('[file]', str(content.altText) || fileName(str(content.mediaUrl)), caption);
		case 'location': {
			const place = (content.location ?? {}) as Record<string, unknown>;
			const at = (content.coordinates ?? {}) as Record<string, unknown>;
			const where =
				str(place.name) ||
				str(place.address) ||
				(at.lat !== undefined ? `${str(at.lat)}, ${str(at.long)}` : '');
			return joined('[location]', where);
		}
		case 'carousel':
		case 'list': {
			const items = Array.isArray(content.items)
				? (content.items as Record<string, unknown>[])
				: [];
			return joined(
				`[${type}]`,
				items
					.map((item) => str(item?.title))
					.filter((t) => t !== '')
					.join(', '),
			);
		}
		case 'formResponse':
			return joined('[form response]', str(content.textFallback));
		default:
			return joined(`[${type}]`, caption);
	}
}

function fileName(url: string): string {
	const path = url.split(/[?#]/)[0];
	const name = path.slice(path.lastIndexOf('/') + 1);
	try {
		return decodeURIComponent(name) || url;
	} catch {
		return name || url;
	}
}

function joined(...parts: string[]): string {
	return parts.filter((part) => part !== '').join(' ');
}

function str(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/**
 * Every message of a conversation, oldest first, through every page: pages come newest first and
 * each page is oldest first (client.messagePages).
 */
export async function allMessages(
	client: MessagingClient,
	conversationId: string,
	options: CallOptions = {},
): Promise<Message[]> {
	const pages: Message[][] = [];
	for await (const page of client.messagePages(conversationId, options)) pages.unshift(page.items);
	return pages.flat();
}
