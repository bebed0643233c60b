import { channelMatches } from './channels';
import { authorKindOf, type AuthorKind, type EventView } from './items';

/** The Filters collection, read once. Empty values filter nothing. */
export interface FilterSettings {
	authors: AuthorKind[];
	channels: string[];
	firstMessageOnly: boolean;
	textContains: string;
	textPattern: string;
	metadataKey: string;
	metadataValue: string;
}

export const NO_FILTERS: FilterSettings = {
	authors: [],
	channels: [],
	firstMessageOnly: false,
	textContains: '',
	textPattern: '',
	metadataKey: '',
	metadataValue: '',
};

/** How the editor names the fields, for error messages. */
export const FILTER_LABELS = {
	textPattern: 'Filters › Text Matches Regex',
	metadataKey: 'Filters › Conversation Metadata Key',
	metadataValue: 'Filters › Conversation Metadata Value',
	firstMessageOnly: 'Filters › First Customer Message Only',
} as const;

/**
 * A JavaScript regular expression as n8n's own fields take one: `/pattern/flags`, or a bare pattern
 * (no flags).
 * @throws SyntaxError when it is not a valid expression.
 */
export function parseRegex(text: string): RegExp {
	const literal = /^\/(.*)\/([a-z]*)$/s.exec(text);
	return literal ? new RegExp(literal[1], literal[2]) : new RegExp(text);
}

/**
 * Whether an event passes the filters that need no request (all but First Customer Message Only).
 * The conversation metadata filter looks at every event about a conversation (webhook payloads
 * carry the conversation's metadata: openapi.yaml conversationTruncated), so the end of a session
 * of a conversation the workflow does not own is left out like its messages. The other filters look
 * at messages only; every other event passes them, so an Author or Text filter never hides the end
 * of a session (switchboard:releaseControl). `pattern` is the compiled Text Matches Regex, or null
 * when there is none.
 */
export function passesFilters(
	filters: FilterSettings,
	pattern: RegExp | null,
	view: EventView,
): boolean {
	if (
		filters.metadataKey &&
		view.conversationId !== null &&
		!metadataMatches(filters, view.metadata)
	)
		return false;
	const message = view.message;
	if (!message) return true;
	if (filters.authors.length > 0) {
		const kind = authorKindOf(message);
		if (kind === null || !filters.authors.includes(kind)) return false;
	}
	if (filters.channels.length > 0 && !channelMatches(view.channel, filters.channels)) return false;
	// A message without text (an image without a caption) passes no text filter.
	if (
		filters.textContains &&
		!(message.text ?? '').toLowerCase().includes(filters.textContains.toLowerCase())
	)
		return false;
	if (pattern) {
		if (message.text === null) return false;
		// A global or sticky expression keeps state between calls: start each test afresh.
		pattern.lastIndex = 0;
		if (!pattern.test(message.text)) return false;
	}
	// Only a customer's message can be their first; the check itself needs the history (lookups.ts).
	if (filters.firstMessageOnly && message.authorType !== 'user') return false;
	return true;
}

function metadataMatches(filters: FilterSettings, metadata: EventView['metadata']): boolean {
	const value = metadata?.[filters.metadataKey];
	if (value === undefined || value === null) return false;
	return !filters.metadataValue || String(value) === filters.metadataValue;
}
