import {
	exponentialBackoff,
	InvalidInputError,
	RateLimiter,
	silentLogger,
	type Backoff,
	type Logger,
	type TokenProvider,
} from '../shared';
import {
	DEFAULT_CLOSE_TIMEOUT_MS,
	DEFAULT_CONNECT_TIMEOUT_MS,
	DEFAULT_DEDUPE_WINDOW,
	DEFAULT_HTTP_URL,
	DEFAULT_MAX_BUDGET_WAIT_MS,
	DEFAULT_MAX_EOS_IN_A_ROW,
	DEFAULT_MAX_SAME_URL_ATTEMPTS,
	DEFAULT_PING_INTERVAL_MS,
	DEFAULT_PONG_TIMEOUT_MS,
	DEFAULT_REQUEST_TIMEOUT_MS,
	DEFAULT_STABLE_AFTER_MS,
	DEFAULT_START_TIMEOUT_MS,
	REQUESTS_PER_SECOND,
	SUB_START_RETRIES,
	SUB_START_RETRY_WINDOW_MS,
} from './constants';
import { defaultShouldRetry, type ShouldRetry } from './errors';
import type { AgentStatus } from './operations/agent-status';

export interface AgentSessionOptions {
	/** Where the access token comes from; `refresh()` is asked once when startAgentSession says UNAUTHORIZED. */
	tokenProvider: TokenProvider;
	/** startAgentSession's HTTP endpoint (a credential's host override). @default 'https://chat-api.zopim.com/graphql/request' */
	httpUrl?: string;
	/**
	 * The credential's key (a hash from `credentialKey`), which the startAgentSession budget is
	 * counted under. @default credentialKey(httpUrl, the first token)
	 */
	key?: string;
	/** @default silentLogger */
	logger?: Logger;
	/** Put the agent in this status after every startAgentSession (the doc's set-up order). @default unchanged */
	agentStatus?: AgentStatus;
	/** Default budget of one `request()`: waiting for the connection, retries and the answer. @default 10_000 */
	requestTimeoutMs?: number;
	/** @default 10_000 */
	startTimeoutMs?: number;
	/** WebSocket opening handshake. @default 10_000 */
	connectTimeoutMs?: number;
	/** Time between a PONG and the next PING; 0 turns keepalive off. @default 15_000 */
	pingIntervalMs?: number;
	/** A PING not echoed within this time means a half-open socket: close and reconnect. @default 5_000 */
	pongTimeoutMs?: number;
	/** How long `close()` waits for stopAgentSession's answer, then for the socket to close. @default 2_000 */
	closeTimeoutMs?: number;
	/** Wait before the n-th consecutive retry of a connection (0-based). @default exponentialBackoff({ initialMs: 500, maxMs: 30_000 }) */
	retryWait?: Backoff;
	/** The one retry decision for starting and reconnecting. @default defaultShouldRetry(startAttempts) */
	shouldRetry?: ShouldRetry;
	/** Tries to open the first connection before `connect()` fails (used by the default shouldRetry). @default 5 */
	startAttempts?: number;
	/** Retries of one request answered RATE_LIMITED (or dropped, when idempotent). @default 5 */
	requestRetries?: number;
	/** @default exponentialBackoff({ initialMs: 250, maxMs: 5_000 }) */
	requestRetryWait?: Backoff;
	/** Retries of a subscription answered GRAPHQL_SUB_START_ERROR ("three to five times in 30 seconds"). @default 4 */
	subscribeRetries?: number;
	/** @default 30_000 */
	subscribeRetryWindowMs?: number;
	/** @default exponentialBackoff({ initialMs: 1_000, maxMs: 8_000 }) */
	subscribeRetryWait?: Backoff;
	/** Client-side limit, below the documented 100 requests per second per session. @default 100 */
	maxRequestsPerSecond?: number;
	/** The startAgentSession budget (1/s, 50/h). @default the process-wide budget of `key` */
	startBudget?: RateLimiter;
	/** Fail a start instead of waiting longer than this for a budget slot. @default 60_000 */
	maxBudgetWaitMs?: number;
	/** Event ids remembered per subscription for de-duplication. @default 1_024 */
	dedupeWindow?: number;
	/** A session up this long is healthy: its EOS restarts at once rather than after backoff. @default 60_000 */
	stableAfterMs?: number;
	/** Failed reconnects to one websocket_url before a new session is started instead. @default 3 */
	maxSameUrlAttempts?: number;
	/**
	 * Sessions in a row that end with EOS before they were stable: beyond this, two logins of the
	 * agent are taking the session from each other, and the session fails instead of fighting. @default 3
	 */
	maxEosInARow?: number;
}

/** Every option with its default applied, checked once when the session is made. */
export interface ResolvedSessionOptions {
	readonly tokens: TokenProvider;
	readonly httpUrl: string;
	readonly key: string | undefined;
	readonly logger: Logger;
	readonly agentStatus: AgentStatus | undefined;
	readonly requestTimeoutMs: number;
	readonly startTimeoutMs: number;
	readonly connectTimeoutMs: number;
	readonly pingIntervalMs: number;
	readonly pongTimeoutMs: number;
	readonly closeTimeoutMs: number;
	readonly retryWait: Backoff;
	readonly shouldRetry: ShouldRetry;
	readonly requestRetries: number;
	readonly requestRetryWait: Backoff;
	readonly subscribeRetries: number;
	readonly subscribeRetryWindowMs: number;
	readonly subscribeRetryWait: Backoff;
	readonly maxRequestsPerSecond: number;
	readonly startBudget: RateLimiter | undefined;
	readonly maxBudgetWaitMs: number;
	readonly dedupeWindow: number;
	readonly stableAfterMs: number;
	readonly maxSameUrlAttempts: number;
	readonly maxEosInARow: number;
}

/** @throws InvalidInputError for a missing token provider or a malformed httpUrl. */
export function resolveSessionOptions(options: AgentSessionOptions): ResolvedSessionOptions {
	if (!options?.tokenProvider || typeof options.tokenProvider.getToken !== 'function') {
		throw new InvalidInputError(
			'tokenProvider',
			'AgentSession needs a tokenProvider with getToken()',
		);
	}
	const httpUrl = options.httpUrl ?? DEFAULT_HTTP_URL;
	if (!/^https?:\/\//i.test(httpUrl)) {
		throw new InvalidInputError(
			'httpUrl',
			`httpUrl must be an http(s) URL, got ${JSON.stringify(httpUrl)}`,
		);
	}
	return {
		tokens: options.tokenProvider,
		httpUrl,
		key: options.key,
		logger: options.logger ?? silentLogger,
		agentStatus: options.agentStatus,
		requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
		startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
		connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
		pingIntervalMs: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
		pongTimeoutMs: options.pongTimeoutMs ?? DEFAULT_PONG_TIMEOUT_MS,
		closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
		retryWait: options.retryWait ?? exponentialBackoff({ initialMs: 500, maxMs: 30_000 }),
		shouldRetry: options.shouldRetry ?? defaultShouldRetry(options.startAttempts ?? 5),
		requestRetries: options.requestRetries ?? 5,
		requestRetryWait:
			options.requestRetryWait ?? exponentialBackoff({ initialMs: 250, maxMs: 5_000 }),
		subscribeRetries: options.subscribeRetries ?? SUB_START_RETRIES,
		subscribeRetryWindowMs: options.subscribeRetryWindowMs ?? SUB_START_RETRY_WINDOW_MS,
		subscribeRetryWait:
			options.subscribeRetryWait ?? exponentialBackoff({ initialMs: 1_000, maxMs: 8_000 }),
		maxRequestsPerSecond: options.maxRequestsPerSecond ?? REQUESTS_PER_SECOND,
		startBudget: options.startBudget,
		maxBudgetWaitMs: options.maxBudgetWaitMs ?? DEFAULT_MAX_BUDGET_WAIT_MS,
		dedupeWindow: options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW,
		stableAfterMs: options.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS,
		maxSameUrlAttempts: options.maxSameUrlAttempts ?? DEFAULT_MAX_SAME_URL_ATTEMPTS,
		maxEosInARow: options.maxEosInARow ?? DEFAULT_MAX_EOS_IN_A_ROW,
	};
}
