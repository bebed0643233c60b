/**
 * What the client checks in Chat REST API answers. Only the fields that the client or the node
 * layer relies on (ids, cursors, next_url) are checked; everything else passes through untouched,
 * because the documents themselves disagree on types (the List Chats example has `"unread": 0`
 * where the table says boolean) and Zendesk adds fields over time.
 */
import { z } from 'zod';

/** A chat or offline message (seeds/chat-rest-api-chats.txt). `id` is a string ("idstring"). */
export const chatSchema = z.object({ id: z.string().min(1) }).passthrough();

/**
 * A chat as returned by the API: `id` is checked, the documented fields are typed loosely, and
 * every other field is kept as sent.
 */
export interface Chat {
	id: string;
	/** "offline_msg" or "chat". */
	type?: string;
	/** ISO 8601, e.g. "2014-10-09T05:28:35Z". */
	timestamp?: string;
	[field: string]: unknown;
}

/**
 * `next_url`: the List Chats example sends the *string* "null" on the last page, the Search
 * example a JSON null; both (and an absent or empty value) mean "no more pages".
 */
const nextUrlSchema = z
	.string()
	.nullable()
	.optional()
	.transform((value) =>
		value === undefined || value === null || value === '' || value === 'null' ? undefined : value,
	);

/** GET /chats */
export const chatListPageSchema = z
	.object({ chats: z.array(chatSchema), next_url: nextUrlSchema, count: z.number().optional() })
	.passthrough();

/**
 * GET /chats?ids=a,b: `docs` maps each id found to its chat; ids not found are absent. The key is
 * the documented id; a chat body without its own `id` gets the key.
 */
export const chatsByIdSchema = z
	.object({
		docs: z
			.record(
				z.string(),
				z
					.object({ id: z.string().min(1).optional() })
					.passthrough()
					.nullable(),
			)
			.optional(),
		count: z.number().optional(),
	})
	.passthrough();

/** One search hit: `{id, type, timestamp, preview, url}` (seeds, Search Chats example). */
export const searchResultSchema = z.object({ id: z.string().min(1) }).passthrough();

export interface SearchResult {
	id: string;
	type?: string;
	timestamp?: string;
	preview?: string;
	url?: string;
	[field: string]: unknown;
}

/** GET /chats/search: `count` is the total number of matches, which decides slicing. */
export const searchPageSchema = z
	.object({
		results: z.array(searchResultSchema),
		next_url: nextUrlSchema,
		count: z.number().int().nonnegative().optional(),
	})
	.passthrough();

/**
 * GET /incremental/chats: `{chats, count, end_id, end_time, next_page}` (NOTES.md section 3). The
 * cursor fields may be null on an empty page; an end_id is a chat id, sent as a string.
 */
export const exportPageSchema = z
	.object({
		chats: z.array(chatSchema),
		count: z.number().int().nonnegative(),
		end_id: z
			.union([z.string(), z.number()])
			.nullable()
			.optional()
			.transform((id) => (id === null || id === undefined || id === '' ? undefined : String(id))),
		end_time: z.number().nonnegative().nullable().optional(),
		next_page: z.string().nullable().optional(),
	})
	.passthrough();

/** A department; `id` is numeric in the Chat REST API. */
export const departmentSchema = z.object({ id: z.number().int() }).passthrough();

export interface Department {
	id: number;
	name?: string;
	[field: string]: unknown;
}

/** An agent; its numeric `id` drives `since_id` paging. */
export const agentSchema = z.object({ id: z.number().int() }).passthrough();

export interface Agent {
	id: number;
	email?: string;
	display_name?: string;
	[field: string]: unknown;
}

/**
 * Lists of departments and agents: the references name the endpoints but show no list body
 * (NOTES.md section 3), so both a bare array and `{departments|agents: [...]}` are accepted.
 */
export const departmentListSchema = z.union([
	z.array(departmentSchema),
	z.object({ departments: z.array(departmentSchema) }).transform((body) => body.departments),
]);
export const agentListSchema = z.union([
	z.array(agentSchema),
	z.object({ agents: z.array(agentSchema) }).transform((body) => body.agents),
]);

/** Answers the client does not read (DELETE bodies are unverified, NOTES.md section 3). */
export const anyBodySchema = z.unknown();
