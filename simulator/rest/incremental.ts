import type { ChatRecord } from '../world/types';
import { badRequest } from './errors';
import { integerParam } from './params';
import { EXPORT_FIELDS, renderExportedChat } from './render';
import type { RestEnv, RestReply, RestRequest } from './types';

/** NOTES.md section 3 and the Chat incremental export doc: "limit ... Default and max 1000". */
export const EXPORT_LIMIT = 1000;
/** NOTES.md section 3: "start_time must be at least 5 min in the past". */
export const EXPORT_MIN_AGE_SECONDS = 5 * 60;

/**
 * GET /incremental/chats?start_time=<unix s>&start_id=&limit=&fields= (NOTES.md section 3):
 * `{chats, count, end_id, end_time, next_page}`, chats ordered by update_timestamp (whole seconds)
 * then id. A chat is in the page when its (update second, id) comes after (start_time, start_id);
 * with no start_id, every chat updated at or after start_time. Continue with
 * start_time=end_time&start_id=end_id (next_page is that URL, given on every page); stop when
 * count < limit. With no chats, end_time and end_id echo the request's (unverified).
 *
 * Refused with 400 (fail loudly; the exact real answers are unverified):
 * - start_time in the future or less than 5 minutes ago (NOTES: "at least 5 min in the past").
 *   A client that has caught up must therefore wait until its end_time is 5 minutes old.
 * - start_time or limit that is not a non-negative integer, limit 0; limit above 1000 is clamped.
 * - fields other than `chats(*)` or `chats(field,…)` of top-level chat fields.
 * start_time defaults to 0 and start_id to "" (Chat incremental export doc, query parameters).
 */
export function exportChats(env: RestEnv, req: RestRequest): RestReply {
	const startTime = integerParam(req.url, 'start_time', { min: 0 }) ?? 0;
	const nowSeconds = Math.floor(env.world.clock.now() / 1000);
	if (startTime > nowSeconds) throw badRequest(`start_time ${startTime} is in the future`);
	if (startTime > nowSeconds - EXPORT_MIN_AGE_SECONDS) {
		throw badRequest(
			`start_time must be at least 5 minutes in the past (at most ${nowSeconds - EXPORT_MIN_AGE_SECONDS} now)`,
		);
	}
	const startId = req.url.searchParams.get('start_id') ?? '';
	const limit = integerParam(req.url, 'limit', { min: 1, max: EXPORT_LIMIT }) ?? EXPORT_LIMIT;
	const fieldsParam = req.url.searchParams.get('fields');
	const fields = parseFields(fieldsParam);

	const page = [...env.world.chats.values()]
		.map((chat) => ({ chat, second: updateSecond(chat) }))
		.filter(({ chat, second }) => second > startTime || (second === startTime && chat.id > startId))
		.sort((a, b) => a.second - b.second || compare(a.chat.id, b.chat.id))
		.slice(0, limit);
	const last = page[page.length - 1];
	const endTime = last ? last.second : startTime;
	const endId = last ? last.chat.id : startId;
	const next = new URLSearchParams({
		start_time: String(endTime),
		start_id: endId,
		limit: String(limit),
	});
	if (fieldsParam !== null) next.set('fields', fieldsParam);
	return {
		status: 200,
		body: {
			chats: page.map(({ chat }) => pick(renderExportedChat(env.world, chat), fields)),
			count: page.length,
			end_id: endId,
			end_time: endTime,
			next_page: `${env.restBase()}/incremental/chats?${next.toString()}`,
		},
	};
}

function updateSecond(chat: ChatRecord): number {
	return Math.floor(chat.updatedAt / 1000);
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** `chats(*)` or absent: everything; `chats(id,timestamp)`: those fields (Resource Expansion). */
function parseFields(raw: string | null): string[] | null {
	if (raw === null || raw.trim() === 'chats(*)') return null;
	const m = /^chats\(([^()]*)\)$/.exec(raw.trim());
	if (!m) throw badRequest(`fields must be chats(*) or chats(field,…), not "${raw}"`);
	const names = m[1].split(',').map((f) => f.trim());
	const unknown = names.filter((f) => !EXPORT_FIELDS.includes(f));
	if (unknown.length > 0 || names.length === 0) {
		throw badRequest(`fields: unknown chat field(s) ${unknown.map((f) => `"${f}"`).join(', ')}`);
	}
	return names;
}

function pick(chat: Record<string, unknown>, fields: string[] | null): Record<string, unknown> {
	if (!fields) return chat;
	return Object.fromEntries(fields.filter((f) => f in chat).map((f) => [f, chat[f]]));
}
