/**
 * Documented facts of the Chat Conversations API (seeds/chat-conversations-api-overview.txt,
 * "Rate limits"; seeds/chat-conversations-api-getting-started.txt) and the client's defaults.
 * Every default is an option of AgentSession; these are only the starting points.
 */

/** Where startAgentSession is called over HTTP ("Make HTTP requests to https://chat-api.zopim.com/graphql/request"). */
export const DEFAULT_HTTP_URL = 'https://chat-api.zopim.com/graphql/request';

/** "Requests: 100 requests per second" per session (queries, mutations, subscriptions, stop subscription). */
export const REQUESTS_PER_SECOND = 100;

/** "startAgentSession requests: 1 request per second or 50 requests per hour (whichever is reached first)". */
export const START_SESSION_LIMITS = [
	// A little over a second: the client counts when it sends, the server when it receives, and a
	// start that arrives a few milliseconds early is refused with RATE_LIMITED.
	{ limit: 1, windowMs: 1_200 },
	{ limit: 50, windowMs: 3_600_000 },
] as const;

/** "An agent session can only have a maximum of 10 GraphQL subscriptions at a time". */
export const MAX_SUBSCRIPTIONS_PER_SESSION = 10;

/** GRAPHQL_SUB_START_ERROR: "you can retry three to five times in 30 seconds with exponential backoff". */
export const SUB_START_RETRIES = 4;
export const SUB_START_RETRY_WINDOW_MS = 30_000;

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_START_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** The public samples ping every 5 to 60 s; 15 s finds a half-open socket well before idle proxies drop it. */
export const DEFAULT_PING_INTERVAL_MS = 15_000;
export const DEFAULT_PONG_TIMEOUT_MS = 5_000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;
/** How long the pool keeps a session nobody leases, so bursts of executions reuse one session. */
export const DEFAULT_IDLE_MS = 5 * 60_000;
/** Ids remembered per subscription to drop events repeated across a reconnect. */
export const DEFAULT_DEDUPE_WINDOW = 1_024;
/** Longest wait for a startAgentSession slot before failing instead (the hourly budget can be far off). */
export const DEFAULT_MAX_BUDGET_WAIT_MS = 60_000;
/** A session that stayed up this long counts as healthy: the next EOS restarts without backoff. */
export const DEFAULT_STABLE_AFTER_MS = 60_000;
/** Failed reconnects to one websocket_url before it is given up for a new session. */
export const DEFAULT_MAX_SAME_URL_ATTEMPTS = 3;
/**
 * Sessions in a row ended by EOS before they were stable, beyond which another login of the agent
 * is taking the session each time (NOTES.md section 1: two processes that both restart on EOS evict
 * each other and burn the 50-an-hour budget; BFlynn's sample stops instead).
 */
export const DEFAULT_MAX_EOS_IN_A_ROW = 3;

/** How long a transient subscription lives at most (SubscribeOptions.maxMs): the longest reply wait, an hour, and room for the send. */
export const DEFAULT_TRANSIENT_MAX_MS = 65 * 60_000;
