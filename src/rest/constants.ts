import type { RateLimit } from '../shared';

/**
 * Documented limits of the Chat REST API. Each one cites where it comes from, so a change in
 * Zendesk's documentation can be traced to the number that must change.
 */

/** "200 requests per minute" (NOTES.md section 3; seeds/chat-streaming-api.txt, "Rate Limits"). */
export const REST_RATE_LIMIT: RateLimit = { limit: 200, windowMs: 60_000 };

/** "250 pages with 40 results per page" (seeds/chat-rest-api-chats.txt, Search Chats). */
export const SEARCH_PAGE_SIZE = 40;
export const SEARCH_MAX_PAGES = 250;
/** "a limit of 10,000 results per query"; page 251 answers 400. */
export const SEARCH_RESULT_CAP = SEARCH_PAGE_SIZE * SEARCH_MAX_PAGES;

/** `GET /chats?ids=` "Accepts a comma-separated list of up to 50 chat ids" (seeds, List Chats). */
export const IDS_PER_REQUEST = 50;

/** Incremental export: "Default and maximum `limit` is 1000" (NOTES.md section 3). */
export const EXPORT_MAX_LIMIT = 1000;
/** Incremental export: "`start_time` must be at least 5 min in the past" (NOTES.md section 3). */
export const EXPORT_MIN_AGE_MS = 5 * 60_000;
/** What the public connectors ask for (`fields=chats(*)`, NOTES.md section 3): every chat field. */
export const EXPORT_DEFAULT_FIELDS = 'chats(*)';

/** `GET /agents` pages with `since_id` and `limit` (100) (NOTES.md section 3). */
export const AGENTS_MAX_LIMIT = 100;

export const USER_AGENT = 'n8n-nodes-zendesk-chat';
