/**
 * A chat transcript for people to read: one line per message, as plain text or Markdown, shortened
 * from the start when it must fit a length. Framework-free and API-free: Zendesk Chat history and
 * Zendesk Messaging messages are turned into lines by their own modules (src/rest/chat-transcript.ts,
 * src/messaging/transcript.ts), so both read the same way.
 */

/** Who a line comes from. `system` lines are events (joins, leaves, transfers, attachments…), not words someone typed. */
export type TranscriptRole = 'visitor' | 'agent' | 'bot' | 'system';

export type TranscriptFormat = 'text' | 'markdown';

export const TRANSCRIPT_FORMATS: readonly TranscriptFormat[] = ['text', 'markdown'];

/** One message or event. */
export interface TranscriptLine {
	/** When it happened, as the API gave it (ISO 8601); empty when unknown. */
	time: string;
	/** Display name of who wrote it or did it. */
	speaker: string;
	role: TranscriptRole;
	/** What was said; for an event, what happened ("joined the chat"). */
	text: string;
}

export interface TranscriptOptions {
	/** @default 'text' */
	format?: TranscriptFormat;
	/**
	 * At most this many characters (UTF-16 units, as JavaScript counts them). The latest lines are
	 * kept, and a first line says how many earlier ones were left out. @default undefined (no limit)
	 */
	maxLength?: number;
}

export interface Transcript {
	transcript: string;
	/** The lines in `transcript`: all of them, or the latest ones that fit. */
	lines: TranscriptLine[];
	/** Whether earlier lines (or the start of the only line) were left out to fit `maxLength`. */
	truncated: boolean;
}

/**
 * Formats `lines` (oldest first). Line breaks inside a message become spaces so that each message
 * stays one line; in Markdown, names and texts are escaped so that a visitor's `**`, `[link](…)` or
 * `<script>` shows as typed instead of changing the document.
 * @throws RangeError when `maxLength` is not a positive integer (callers check their input first).
 */
export function formatTranscript(
	lines: readonly TranscriptLine[],
	options: TranscriptOptions = {},
): Transcript {
	const format = options.format ?? 'text';
	const { maxLength } = options;
	if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength > 0)) {
		throw new RangeError(`maxLength must be a positive integer, got ${String(maxLength)}`);
	}
	const rendered = lines.map((line) => renderLine(line, format));
	const kept =
		maxLength === undefined ? rendered.length : latestThatFit(rendered, maxLength, format);
	if (kept === rendered.length)
		return { transcript: rendered.join('\n'), lines: [...lines], truncated: false };

	const omitted = rendered.length - kept;
	const notice = omissionNotice(omitted, format);
	if (kept > 0) {
		return {
			transcript: [notice, ...rendered.slice(omitted)].join('\n'),
			lines: lines.slice(omitted),
			truncated: true,
		};
	}
	// Not even the latest line fits whole: its end is the freshest part, so keep that.
	const latest = rendered[rendered.length - 1];
	const earlier = omissionNotice(omitted - 1, format);
	const head = omitted > 1 ? `${earlier}\n` : '';
	const room = (maxLength as number) - head.length - 1;
	if (room <= 0) return { transcript: notice.slice(0, maxLength), lines: [], truncated: true };
	return {
		transcript: `${head}…${latest.slice(latest.length - room)}`,
		lines: lines.slice(-1),
		truncated: true,
	};
}

/** How many of the latest rendered lines fit in `maxLength` together with the notice for the rest. */
function latestThatFit(rendered: string[], maxLength: number, format: TranscriptFormat): number {
	let best = 0;
	let body = -1; // lengths of the kept lines plus the line breaks between them
	for (let k = 1; k <= rendered.length; k++) {
		body += rendered[rendered.length - k].length + 1;
		const omitted = rendered.length - k;
		const total = omitted === 0 ? body : omissionNotice(omitted, format).length + 1 + body;
		if (total <= maxLength) best = k;
		else if (body > maxLength) break;
	}
	return best;
}

function omissionNotice(omitted: number, format: TranscriptFormat): string {
	const text = `[${omitted} earlier ${omitted === 1 ? 'line' : 'lines'} left out]`;
	return format === 'markdown' ? `_${escapeMarkdown(text)}_` : text;
}

function renderLine(line: TranscriptLine, format: TranscriptFormat): string {
	const time = displayTime(line.time);
	const speaker = oneLine(line.speaker) || 'Unknown';
	const text = oneLine(line.text);
	if (format === 'text') {
		const stamp = time === '' ? '' : `[${time}] `;
		return line.role === 'system'
			? `${stamp}* ${speaker} ${text}`
			: `${stamp}${speaker} (${line.role}): ${text}`;
	}
	const stamp = time === '' ? '' : `${escapeMarkdown(time)} `;
	return line.role === 'system'
		? `- ${stamp}_${escapeMarkdown(speaker)} ${escapeMarkdown(text)}_`
		: `- ${stamp}**${escapeMarkdown(speaker)}** (${line.role}): ${escapeMarkdown(text)}`;
}

/** "2024-05-01 09:00:00 UTC" from an ISO time; anything unreadable is shown as given. */
function displayTime(time: string): string {
	const ms = Date.parse(time);
	if (time === '' || !Number.isFinite(ms)) return oneLine(time);
	return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Line breaks and other control characters become single spaces: one message, one line. */
function oneLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/**
 * Backslash-escapes the characters that start Markdown inline syntax: emphasis, code, links and
 * images, raw HTML and entities, tables, strikethrough (CommonMark allows a backslash before any
 * ASCII punctuation). Texts never start a line here (a stamp or "- " comes first), so block syntax
 * such as "# " or "1. " cannot start, and "(" only matters after an (escaped) "]".
 */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}
