import type { ChatRecord } from '../world/types';
import { badRequest, notFound } from './errors';
import { idList, integerParam } from './params';
import { renderChat } from './render';
import type { RestEnv, RestReply, RestRequest } from './types';

/** seeds/chat-rest-api-chats.txt "List Chats": "a comma-separated list of up to 50 chat ids". */
export const MAX_IDS = 50;
/** Page size of GET /chats (unverified: the doc gives none). */
export const CHAT_PAGE_SIZE = 100;

/**
 * GET /chats: every chat and offline message, oldest first (by timestamp, then id), in pages of
 * `limit` (default and max 100, unverified) chosen by `page` (from 1). Oldest first keeps the pages
 * a client has read stable while new chats arrive (they land on the last page). `count` is the
 * number of chats in this page. On the first and last page prev_url / next_url are the *string*
 * "null", exactly as the doc's List Chats example shows ("next_url": "null", "prev_url": "null").
 * GET /chats?ids=a,b,c answers `{count, docs: {<id>: chat}}` instead; an empty `ids=` (as in the
 * doc's code samples) lists as without it.
 */
export function listChats(env: RestEnv, req: RestRequest): RestReply {
	const ids = req.url.searchParams.get('ids');
	if (ids !== null && ids.trim() !== '') return chatsByIds(env, ids);
	const limit = integerParam(req.url, 'limit', { min: 1, max: CHAT_PAGE_SIZE }) ?? CHAT_PAGE_SIZE;
	const page = integerParam(req.url, 'page', { min: 1 }) ?? 1;
	const all = env.world.listChats();
	const chats = all.slice((page - 1) * limit, page * limit);
	const pageUrl = (n: number) => `${env.restBase()}/chats?page=${n}&limit=${limit}`;
	return {
		status: 200,
		body: {
			chats: chats.map((chat) => renderChat(env.world, chat)),
			count: chats.length,
			next_url: page * limit < all.length ? pageUrl(page + 1) : 'null',
			prev_url: page > 1 ? pageUrl(page - 1) : 'null',
		},
	};
}

/** Unknown ids are simply absent from `docs`; `count` is the number of docs (unverified). */
function chatsByIds(env: RestEnv, raw: string): RestReply {
	const ids = idList(raw);
	if (ids.length > MAX_IDS)
		throw badRequest(`ids accepts up to ${MAX_IDS} chat ids, got ${ids.length}`);
	const docs: Record<string, unknown> = {};
	for (const id of ids) {
		const chat = env.world.chats.get(id);
		if (chat) docs[id] = renderChat(env.world, chat);
	}
	return { status: 200, body: { count: Object.keys(docs).length, docs } };
}

export function showChat(env: RestEnv, req: RestRequest): RestReply {
	return { status: 200, body: renderChat(env.world, requireChat(env, req.segments[1])) };
}

/**
 * PUT /chats/{id}: the fields whose "Read-only" column says no in seeds/chat-rest-api-chats.txt:
 * tags, comment, rating and unread for a chat; only unread for an offline message. Any other field
 * is refused with 400 naming it, read-only or unknown, rather than silently ignored (unverified:
 * the doc does not say which). Answers 200 with the updated chat (unverified).
 */
export async function updateChat(env: RestEnv, req: RestRequest): Promise<RestReply> {
	const chat = requireChat(env, req.segments[1]);
	const body = await req.readBody();
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw badRequest('the body must be a JSON object of the fields to change');
	}
	const writable = chat.type === 'chat' ? ['tags', 'comment', 'rating', 'unread'] : ['unread'];
	const patch: Parameters<RestEnv['world']['updateChat']>[1] = {};
	for (const [field, value] of Object.entries(body)) {
		if (!writable.includes(field)) {
			const readOnly = Object.prototype.hasOwnProperty.call(renderChat(env.world, chat), field);
			throw badRequest(
				readOnly
					? `${field} is read-only; writable fields of ${chat.type === 'chat' ? 'a chat' : 'an offline message'}: ${writable.join(', ')}`
					: `${field} is not a field of the chat object`,
			);
		}
		Object.assign(patch, validateField(field, value));
	}
	if (Object.keys(patch).length === 0)
		throw badRequest(`nothing to update; writable fields: ${writable.join(', ')}`);
	env.world.updateChat(chat.id, patch);
	return { status: 200, body: renderChat(env.world, chat) };
}

function validateField(field: string, value: unknown): Record<string, unknown> {
	switch (field) {
		case 'tags': {
			if (!Array.isArray(value) || value.some((t) => typeof t !== 'string' || t.trim() === '')) {
				throw badRequest('tags must be an array of non-empty strings');
			}
			// ARCHITECTURE.md "Protocol facts": tags hold only letters, digits, - and _.
			const bad = (value as string[]).find((t) => !/^[\p{L}\p{N}_-]+$/u.test(t));
			if (bad !== undefined)
				throw badRequest(`tag "${bad}" may hold only letters, digits, - and _`);
			return { tags: [...new Set(value as string[])] };
		}
		case 'comment':
			if (value !== null && typeof value !== 'string')
				throw badRequest('comment must be a string or null');
			return { comment: value };
		case 'rating':
			if (value !== null && value !== 'good' && value !== 'bad')
				throw badRequest('rating must be "good", "bad" or null');
			return { rating: value };
		default:
			if (typeof value !== 'boolean') throw badRequest('unread must be true or false');
			return { unread: value };
	}
}

/** DELETE /chats/{id}: 204 with no body (unverified), 404 when unknown. */
export function deleteChat(env: RestEnv, req: RestRequest): RestReply {
	env.world.deleteChat(requireChat(env, req.segments[1]).id);
	return { status: 204 };
}

/**
 * DELETE /chats?ids=a,b (docs TOC; NOTES.md section 3 says bodies are unverified): deletes the
 * known ids, ignores unknown ones, 204. Without ids it is refused: it must never mean "all".
 */
export function deleteChats(env: RestEnv, req: RestRequest): RestReply {
	const ids = idList(req.url.searchParams.get('ids') ?? '');
	if (ids.length === 0)
		throw badRequest('ids is required: a comma-separated list of chat ids to delete');
	if (ids.length > MAX_IDS)
		throw badRequest(`ids accepts up to ${MAX_IDS} chat ids, got ${ids.length}`);
	for (const id of ids) if (env.world.chats.has(id)) env.world.deleteChat(id);
	return { status: 204 };
}

function requireChat(env: RestEnv, id: string): ChatRecord {
	const chat = env.world.chats.get(id);
	if (!chat) throw notFound(`chat ${id} not found`);
	return chat;
}
