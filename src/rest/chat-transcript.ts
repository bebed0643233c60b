import type { TranscriptLine, TranscriptRole } from '../shared/transcript';
import type { Chat } from './schemas';

/**
 * The transcript lines of a chat from the Chat REST API (`GET /chats/{id}`): its `history`, oldest
 * first (seeds/chat-rest-api-chats.txt: "Chronological list of messages in the chat"). `chat.msg`
 * entries are messages; every other entry (chat.memberjoin, chat.memberleave, chat.transfer,
 * chat.tag, chat.rating, chat.comment, chat.conversion, …) is an event, kept only with
 * `includeEvents`. Entries that are not objects are skipped: one odd entry should not cost the rest.
 */
export function chatTranscriptLines(
	chat: Chat,
	options: { includeEvents?: boolean } = {},
): TranscriptLine[] {
	const history = (chat as { history?: unknown }).history;
	if (!Array.isArray(history)) return [];
	const lines: TranscriptLine[] = [];
	for (const entry of history) {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
		const line = historyLine(entry as Record<string, unknown>);
		if (line.role === 'system' && !options.includeEvents) continue;
		lines.push(line);
	}
	return lines;
}

function historyLine(entry: Record<string, unknown>): TranscriptLine {
	const type = text(entry.type);
	const time = text(entry.timestamp);
	const speaker = text(entry.name) || nickRole(entry) || 'Unknown';
	if (type === 'chat.msg') {
		const options = text(entry.options);
		const said = text(entry.msg);
		// `options` are the answers an agent offered, joined by "/" (the doc's example sends "").
		return {
			time,
			speaker,
			role: speakerRole(entry),
			text: options === '' ? said : `${said} [options: ${options}]`,
		};
	}
	return { time, speaker, role: 'system', text: eventText(type, entry) };
}

/**
 * Visitor or agent: `sender_type` where the entry has it (NOTES.md section 3), else the nick's
 * prefix ("visitor:1-12345", "agent:123"); a message from neither is taken as the visitor's, the
 * only speaker the documented examples show without one.
 */
function speakerRole(entry: Record<string, unknown>): TranscriptRole {
	const sender = text(entry.sender_type).toLowerCase();
	if (sender === 'agent') return 'agent';
	if (sender === 'visitor') return 'visitor';
	return nickRole(entry) === 'agent' ? 'agent' : 'visitor';
}

function nickRole(entry: Record<string, unknown>): '' | 'agent' | 'visitor' {
	const nick = text(entry.nick);
	if (nick.startsWith('agent:')) return 'agent';
	if (nick.startsWith('visitor:')) return 'visitor';
	return '';
}

/** What an event did, in words; unknown types are named by their type. */
function eventText(type: string, entry: Record<string, unknown>): string {
	switch (type) {
		case 'chat.memberjoin':
			return 'joined the chat';
		case 'chat.memberleave':
			return 'left the chat';
		case 'chat.transfer': {
			const department = text(entry.department_name) || text(entry.department_id);
			return department === '' ? 'transferred the chat' : `transferred the chat to ${department}`;
		}
		case 'chat.tag':
			return tagChange(entry);
		case 'chat.rating':
			return text(entry.new_rating) === ''
				? 'changed the rating'
				: `rated the chat ${text(entry.new_rating)}`;
		case 'chat.comment':
			return text(entry.new_comment) === ''
				? 'left a comment'
				: `commented: ${text(entry.new_comment)}`;
		case 'chat.conversion': {
			const goal = text((entry.conversion as Record<string, unknown> | undefined)?.goal_name);
			return goal === '' ? 'reached a goal' : `reached the goal ${goal}`;
		}
		case 'chat.file': {
			const attachment = (entry.attachment ?? {}) as Record<string, unknown>;
			const name = text(attachment.name) || text(attachment.url);
			return name === '' ? 'sent a file' : `sent a file: ${name}`;
		}
		default:
			return type === '' ? 'did something' : `(${type.replace(/^chat\./, '')})`;
	}
}

/** zenpy chat.json: a chat.tag entry has the tags before (`tags`) and after (`new_tags`). */
function tagChange(entry: Record<string, unknown>): string {
	const before = strings(entry.tags);
	const after = strings(entry.new_tags);
	const added = after.filter((tag) => !before.includes(tag));
	const removed = before.filter((tag) => !after.includes(tag));
	const parts = [
		...(added.length > 0 ? [`added tags ${added.join(', ')}`] : []),
		...(removed.length > 0 ? [`removed tags ${removed.join(', ')}`] : []),
	];
	return parts.length > 0 ? parts.join('; ') : 'changed the tags';
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
