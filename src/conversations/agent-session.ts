import {
	AbortedError,
	ClosedError,
	ConnectionError,
	credentialKey,
	exponentialBackoff,
	GraphqlError,
	HttpError,
	InvalidInputError,
	ProtocolError,
	RateLimiter,
	silentLogger,
	sleep,
	TimeoutError,
	type Backoff,
	type Logger,
	type TokenProvider,
	type ZendeskError,
} from '../shared';
import {
	DEFAULT_CLOSE_TIMEOUT_MS,
	DEFAULT_CONNECT_TIMEOUT_MS,
	DEFAULT_DEDUPE_WINDOW,
	DEFAULT_HTTP_URL,
	DEFAULT_MAX_BUDGET_WAIT_MS,
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
import { Emitter } from './emitter';
import { defaultShouldRetry, errorFromPayload, type ShouldRetry } from './errors';
import { encodePing, encodeRequest, encodeStopSubscription, parseFrame, type RequestPayload, type ServerFrame } from './frames';
import { Keepalive } from './keepalive';
import type { Operation, SubscriptionOperation } from './operation';
import { updateAgentStatus, type AgentStatus } from './operations/agent-status';
import { closeSocket, openSocket, UpgradeRejectedError, type OpenedSocket, type SessionSocket, type SocketData } from './socket';
import { acquireStartSlot, startBudgetFor } from './start-budget';
import { retryAfterHint, startAgentSessionOverHttp, type AgentSessionInfo } from './start-session';
import { SubscriptionGroup } from './subscription-group';
import type { ConversationsTransport, RequestOptions, SubscriptionHandle, SubscriptionSink } from './transport';

export type SessionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed' | 'failed';

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
}

export interface AgentSessionEvents extends Record<string, unknown> {
	state: SessionState;
	/** The server ended the session (EOS) with this reason; a new one is being started. */
	eos: string;
	/** Something went wrong that the session recovered from or ignored (a malformed frame, a failed reconnect). */
	warning: ZendeskError;
	/** The session failed for good; every request and subscription has ended with this error. */
	error: ZendeskError;
}

interface PendingRequest {
	socket: SessionSocket;
	settle(frame: ServerFrame): void;
	fail(error: ZendeskError): void;
}

interface OpenWaiter {
	resolve(ws: SessionSocket): void;
	reject(error: ZendeskError): void;
}

/** How a socket ended; `healthy` says whether the server answered anything on it. */
type SocketEnd = { kind: 'eos'; reason: string } | { kind: 'dropped'; why: string; healthy: boolean } | { kind: 'local' };

/** A socket that lived this long was a working connection, even if the server had nothing to say. */
const HEALTHY_AFTER_MS = 1_000;

const STOP_SESSION: RequestPayload = {
	query: 'mutation StopAgentSession { stopAgentSession { success } }',
	variables: {},
	operationName: 'StopAgentSession',
};

/**
 * One Conversations API agent session: startAgentSession over HTTP, then GraphQL over the
 * session's WebSocket. It correlates requests and answers, keeps the socket alive, reconnects to
 * the same websocket_url after an abnormal close (at once, then with backoff), starts a new session
 * after EOS within the startAgentSession budget, and re-establishes every subscription after
 * either, dropping events repeated across the switch. Normally borrowed from the session pool.
 */
export class AgentSession implements ConversationsTransport {
	private readonly tokens: TokenProvider;
	private readonly httpUrl: string;
	private key: string | undefined;
	private readonly logger: Logger;
	private readonly agentStatus: AgentStatus | undefined;
	private readonly requestTimeoutMs: number;
	private readonly startTimeoutMs: number;
	private readonly connectTimeoutMs: number;
	private readonly closeTimeoutMs: number;
	private readonly retryWait: Backoff;
	private readonly shouldRetry: ShouldRetry;
	private readonly requestRetries: number;
	private readonly requestRetryWait: Backoff;
	private readonly subscribeRetries: number;
	private readonly subscribeRetryWindowMs: number;
	private readonly subscribeRetryWait: Backoff;
	private readonly limiter: RateLimiter;
	private readonly startBudget: RateLimiter | undefined;
	private readonly maxBudgetWaitMs: number;
	private readonly dedupeWindow: number;
	private readonly stableAfterMs: number;
	private readonly maxSameUrlAttempts: number;
	private readonly keepalive: Keepalive;
	private readonly events = new Emitter<AgentSessionEvents>();

	private currentState: SessionState = 'idle';
	private info: AgentSessionInfo | undefined;
	private ws: SessionSocket | undefined;
	/** Ends the current socket's life as a drop (a missing PONG), or undefined when there is none. */
	private dropSocket: ((why: string) => void) | undefined;
	/** Ends the current socket's life because the session is closing. */
	private endSocket: (() => void) | undefined;
	private lastRequestId = 0;
	private readonly pending = new Map<number, PendingRequest>();
	private readonly openWaiters = new Set<OpenWaiter>();
	private readonly groups = new Map<string, SubscriptionGroup>();
	private readonly byServerId = new Map<string, SubscriptionGroup>();
	/** Server subscriptions given up while offline, stopped once the same session is reachable again. */
	private orphans: string[] = [];
	private statusAppliedTo: AgentSessionInfo | undefined;
	private running: Promise<void> | undefined;
	private closing: Promise<void> | undefined;
	private stopping = false;
	private readonly stopController = new AbortController();
	private connectedBefore = false;
	private terminalError: ZendeskError | undefined;
	private lastError: ZendeskError | undefined;
	private startCount = 0;
	private readonly firstOpen: Promise<void>;
	private resolveFirstOpen!: () => void;
	private rejectFirstOpen!: (error: ZendeskError) => void;

	constructor(options: AgentSessionOptions) {
		if (!options?.tokenProvider || typeof options.tokenProvider.getToken !== 'function') {
			throw new InvalidInputError('tokenProvider', 'AgentSession needs a tokenProvider with getToken()');
		}
		this.tokens = options.tokenProvider;
		this.httpUrl = options.httpUrl ?? DEFAULT_HTTP_URL;
		if (!/^https?:\/\//i.test(this.httpUrl)) {
			throw new InvalidInputError('httpUrl', `httpUrl must be an http(s) URL, got ${JSON.stringify(this.httpUrl)}`);
		}
		this.key = options.key;
		this.logger = options.logger ?? silentLogger;
		this.agentStatus = options.agentStatus;
		this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
		this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
		this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
		this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
		this.retryWait = options.retryWait ?? exponentialBackoff({ initialMs: 500, maxMs: 30_000 });
		this.shouldRetry = options.shouldRetry ?? defaultShouldRetry(options.startAttempts ?? 5);
		this.requestRetries = options.requestRetries ?? 5;
		this.requestRetryWait = options.requestRetryWait ?? exponentialBackoff({ initialMs: 250, maxMs: 5_000 });
		this.subscribeRetries = options.subscribeRetries ?? SUB_START_RETRIES;
		this.subscribeRetryWindowMs = options.subscribeRetryWindowMs ?? SUB_START_RETRY_WINDOW_MS;
		this.subscribeRetryWait = options.subscribeRetryWait ?? exponentialBackoff({ initialMs: 1_000, maxMs: 8_000 });
		this.limiter = new RateLimiter([{ limit: options.maxRequestsPerSecond ?? REQUESTS_PER_SECOND, windowMs: 1_000 }], 'conversations');
		this.startBudget = options.startBudget;
		this.maxBudgetWaitMs = options.maxBudgetWaitMs ?? DEFAULT_MAX_BUDGET_WAIT_MS;
		this.dedupeWindow = options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW;
		this.stableAfterMs = options.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS;
		this.maxSameUrlAttempts = options.maxSameUrlAttempts ?? DEFAULT_MAX_SAME_URL_ATTEMPTS;
		this.keepalive = new Keepalive(
			options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
			options.pongTimeoutMs ?? DEFAULT_PONG_TIMEOUT_MS,
			(payload) => this.ws?.send(encodePing(payload)),
			() => this.onPongTimeout(),
		);
		this.firstOpen = new Promise<void>((resolve, reject) => {
			this.resolveFirstOpen = resolve;
			this.rejectFirstOpen = reject;
		});
		this.firstOpen.catch(() => undefined);
	}

	get state(): SessionState {
		return this.currentState;
	}

	/** How many times this session called startAgentSession successfully (1, plus one per EOS recovered). */
	get sessionsStarted(): number {
		return this.startCount;
	}

	/** Subscribes to session events; returns the function that unsubscribes. */
	on<E extends keyof AgentSessionEvents>(event: E, listener: (value: AgentSessionEvents[E]) => void): () => void {
		return this.events.on(event, listener);
	}

	/**
	 * Starts the session if it is not started, and resolves once it has been connected (at once if
	 * it was connected before and is now reconnecting: requests wait for the connection themselves).
	 * @throws the error that made the session give up (e.g. GraphqlError UNAUTHORIZED or FORBIDDEN).
	 */
	connect(): Promise<void> {
		if (this.terminalError) return Promise.reject(this.terminalError);
		this.ensureRunning();
		return this.connectedBefore ? Promise.resolve() : this.firstOpen;
	}

	/**
	 * Runs a query or mutation, waiting for the connection if needed (within `timeoutMs`). RATE_LIMITED
	 * is retried with backoff; an idempotent operation is sent again after a dropped connection.
	 * @throws see ConversationsTransport.request
	 */
	async request<T>(operation: Operation<T>, options: RequestOptions = {}): Promise<T> {
		if (operation?.kind !== 'query' && operation?.kind !== 'mutation') {
			throw new InvalidInputError('operation', 'request() runs a query or a mutation; use subscribe() for a subscription');
		}
		this.ensureRunning();
		const { signal } = options;
		const deadline = Date.now() + (options.timeoutMs ?? this.requestTimeoutMs);
		const payload: RequestPayload = { query: operation.document, variables: operation.variables, operationName: operation.name };
		for (let attempt = 0; ; attempt++) {
			try {
				const ws = await this.sendSlot(deadline, signal);
				const data = await this.exchange(ws, (id) => encodeRequest(id, payload), deadline - Date.now(), signal);
				return operation.parse(data);
			} catch (error) {
				const err = asZendeskError(error);
				const wait = this.requestRetryDelay(err, operation, attempt);
				if (wait === undefined || Date.now() + wait >= deadline) throw err;
				if (wait > 0) await sleep(wait, signal, 'conversations');
			}
		}
	}

	/**
	 * Subscribes `sink`; identical subscriptions (same document and variables) share one server
	 * subscription. It is re-established after every reconnect and new session until unsubscribed.
	 */
	subscribe<T>(operation: SubscriptionOperation<T>, sink: SubscriptionSink<T>): SubscriptionHandle {
		if (operation?.kind !== 'subscription') {
			throw new InvalidInputError('operation', 'subscribe() takes a subscription operation; use request() for queries and mutations');
		}
		if (typeof sink?.next !== 'function') throw new InvalidInputError('sink', 'subscribe() needs a sink with a next(event) function');
		if (this.terminalError || this.stopping) {
			const error = this.terminalError ?? new ClosedError('conversations');
			const ready = Promise.reject(error);
			ready.catch(() => undefined);
			queueMicrotask(() => sink.end?.(error));
			return { ready, unsubscribe: async () => undefined };
		}
		const key = `${operation.document}\u0000${JSON.stringify(operation.variables)}`;
		let group = this.groups.get(key);
		if (!group) {
			group = new SubscriptionGroup(key, operation as SubscriptionOperation<unknown>, this.dedupeWindow, this.logger);
			this.groups.set(key, group);
			if (this.currentState === 'open') void this.establish(group);
		}
		group.sinks.add(sink as SubscriptionSink<unknown>);
		this.ensureRunning();
		const joined = group;
		let active = true;
		return {
			ready: joined.ready,
			unsubscribe: async () => {
				if (!active) return;
				active = false;
				await this.removeSink(joined, sink as SubscriptionSink<unknown>);
			},
		};
	}

	/**
	 * Ends the session: stopAgentSession, then the socket closes. Pending requests reject with
	 * ClosedError and every subscription's sink hears `end()`. Nothing (socket, timer) is left.
	 */
	close(): Promise<void> {
		this.closing ??= this.shutdown();
		return this.closing;
	}

	// ---- connection loop ------------------------------------------------------------------------

	private ensureRunning(): void {
		if (this.running || this.stopping || this.terminalError) return;
		this.running = this.run().catch((error) => this.fail(asZendeskError(error)));
	}

	private async run(): Promise<void> {
		let retries = 0;
		let sameUrlFailures = 0;
		let consecutiveEos = 0;
		while (!this.stopping) {
			try {
				this.setState(this.connectedBefore ? 'reconnecting' : 'connecting');
				if (!this.info) {
					this.info = await this.startSession();
					this.forgetServerIds();
					sameUrlFailures = 0;
				}
				const opened = await openSocket(this.info.websocket_url, { timeoutMs: this.connectTimeoutMs, signal: this.stopController.signal });
				if (this.stopping) {
					opened.ws.terminate();
					break;
				}
				const openedAt = Date.now();
				const end = await this.attach(opened);
				if (this.stopping) break;
				if (end.kind === 'dropped') {
					// An abnormal close: "reconnect to the same authenticated WebSocket URL immediately"
					// (overview). Only the first time, though: a socket that dies as soon as it opens, without
					// a word from the server, counts as a failure, so a URL that keeps doing that is backed off
					// from and finally given up for a new session.
					const healthy = end.healthy || Date.now() - openedAt >= HEALTHY_AFTER_MS;
					if (healthy) {
						retries = 0;
						sameUrlFailures = 0;
					} else if (++sameUrlFailures >= this.maxSameUrlAttempts) {
						this.info = undefined;
						sameUrlFailures = 0;
					}
					if (retries > 0) await sleep(this.retryWait(retries - 1), this.stopController.signal).catch(() => undefined);
					retries++;
					continue;
				}
				retries = 0;
				sameUrlFailures = 0;
				if (end.kind === 'eos') {
					// "If you want your application to resume its session after receiving an EOS signal, make a
					// startAgentSession request" (getting-started, "End of service signal"). Back-to-back EOSes
					// (another process logging in as this agent) back off instead of fighting over the session.
					this.info = undefined;
					if (Date.now() - openedAt >= this.stableAfterMs) consecutiveEos = 0;
					const wait = consecutiveEos === 0 ? 0 : this.retryWait(consecutiveEos - 1);
					consecutiveEos++;
					if (wait > 0) await sleep(wait, this.stopController.signal).catch(() => undefined);
				}
			} catch (error) {
				if (this.stopping) break;
				const err = asZendeskError(error);
				this.lastError = err;
				// A 4xx on the upgrade says the URL no longer leads to the session; other failures get a few
				// more tries at it. Either way, a new session is started once the URL is given up.
				const urlRefused = err instanceof UpgradeRejectedError && err.statusCode < 500 && err.statusCode !== 429;
				if (this.info && (urlRefused || ++sameUrlFailures >= this.maxSameUrlAttempts)) {
					this.info = undefined;
					sameUrlFailures = 0;
				}
				// The server's Retry-After, when it gave one, is a floor under the backoff.
				const wait = Math.max(this.retryWait(retries), retryAfterHint(err) ?? 0);
				const tooLong = !this.connectedBefore && wait > this.maxBudgetWaitMs;
				if (tooLong || !this.shouldRetry(err, { retries, connectedBefore: this.connectedBefore })) {
					this.fail(err);
					return;
				}
				retries++;
				this.logger.warn('Conversations API connection failed; retrying', { key: this.key, error: err.message, retryInMs: wait });
				this.events.emit('warning', err);
				await sleep(wait, this.stopController.signal).catch(() => undefined);
			}
		}
	}

	/** startAgentSession within the budget; on UNAUTHORIZED, one refreshed token and one more try. */
	private async startSession(): Promise<AgentSessionInfo> {
		let token = await this.tokens.getToken();
		this.key ??= credentialKey(this.httpUrl, token);
		const budget = this.startBudget ?? startBudgetFor(this.key);
		let refreshed = false;
		for (;;) {
			await acquireStartSlot(budget, this.maxBudgetWaitMs, this.stopController.signal);
			try {
				const info = await startAgentSessionOverHttp({
					httpUrl: this.httpUrl,
					token,
					timeoutMs: this.startTimeoutMs,
					signal: this.stopController.signal,
				});
				this.startCount++;
				this.logger.info('Conversations API agent session started', { key: this.key });
				return info;
			} catch (error) {
				const err = asZendeskError(error);
				if (isUnauthorized(err) && !refreshed && this.tokens.refresh) {
					refreshed = true;
					try {
						token = await this.tokens.refresh();
					} catch (refreshError) {
						this.logger.warn('the token provider could not refresh the token', { key: this.key, error: (refreshError as Error)?.message });
						throw err;
					}
					continue;
				}
				throw err;
			}
		}
	}

	/** Wires an open socket into the session; resolves when it ends, and how. */
	private attach(opened: OpenedSocket): Promise<SocketEnd> {
		const ws = opened.ws;
		return new Promise<SocketEnd>((resolve) => {
			let finished = false;
			let healthy = false;
			const finish = (end: SocketEnd) => {
				if (finished) return;
				finished = true;
				ws.off('message', onMessage);
				ws.off('close', onClose);
				this.detach(ws, end);
				resolve(end);
			};
			const onMessage = (data: SocketData) => {
				if (this.onMessage(data, finish)) healthy = true;
			};
			const onClose = (code: number, reason: Buffer) =>
				finish({ kind: 'dropped', why: `closed with code ${code} ${reason.toString()}`.trim(), healthy });
			this.dropSocket = (why) => finish({ kind: 'dropped', why, healthy });
			this.endSocket = () => finish({ kind: 'local' });
			ws.on('close', onClose);
			ws.on('error', (error) => this.logger.debug('Conversations API socket error', { key: this.key, error: error.message }));
			if (!opened.adopt(onMessage)) {
				finish({ kind: 'dropped', why: 'closed right after opening', healthy });
				return;
			}
			if (finished) return; // an EOS came with the handshake
			this.ws = ws;
			this.connectedBefore = true;
			this.lastError = undefined;
			this.keepalive.start();
			this.setState('open');
			this.resolveFirstOpen();
			for (const waiter of [...this.openWaiters]) waiter.resolve(ws);
			this.afterOpen();
		});
	}

	/** The set-up after (re)connecting: agent status for a new session, leftovers, then subscriptions. */
	private afterOpen(): void {
		if (this.agentStatus && this.statusAppliedTo !== this.info) {
			this.statusAppliedTo = this.info;
			this.request(updateAgentStatus({ status: this.agentStatus })).catch((error) => {
				this.logger.warn('could not set the agent status', { key: this.key, error: asZendeskError(error).message });
				this.events.emit('warning', asZendeskError(error));
			});
		}
		const orphans = this.orphans;
		this.orphans = [];
		for (const id of orphans) this.stopServerSubscription(id);
		for (const group of this.groups.values()) void this.establish(group);
	}

	private detach(ws: SessionSocket, end: SocketEnd): void {
		if (this.ws === ws) this.ws = undefined;
		this.dropSocket = undefined;
		this.endSocket = undefined;
		// "Clean up and call startAgentSession again" (NOTES.md): this socket's session is over.
		if (end.kind === 'eos') void closeSocket(ws, this.closeTimeoutMs, 'end of service');
		this.keepalive.stop();
		if (!this.stopping) this.setState('reconnecting');
		if (end.kind !== 'local') this.logger.info('Conversations API socket ended', { key: this.key, ...end });
		const dropped = new ConnectionError('conversations', 'the connection closed before the answer arrived; the request may or may not have been carried out');
		for (const [id, request] of this.pending) {
			if (request.socket !== ws) continue;
			this.pending.delete(id);
			request.fail(dropped);
		}
		for (const group of this.groups.values()) group.liveId = undefined;
		// After EOS the session is gone, and so are its subscription ids.
		if (end.kind === 'eos') this.forgetServerIds();
	}

	/**
	 * The per-frame path: one JSON.parse, then a Map lookup by subscription_id or request id.
	 * Returns whether the frame was one of the protocol's (the socket speaks to a live session).
	 */
	private onMessage(data: SocketData, finish: (end: SocketEnd) => void): boolean {
		const frame = parseFrame(data.toString());
		if (frame === undefined) {
			this.onMalformed(data);
			return false;
		}
		const sig = frame.sig;
		if (sig === 'DATA') {
			const group = this.byServerId.get(frame.subscription_id as string);
			if (group !== undefined) group.deliver(frame);
			return true;
		}
		if (sig === undefined && frame.id !== undefined) {
			const id = typeof frame.id === 'number' ? frame.id : Number(frame.id);
			const request = this.pending.get(id);
			if (request !== undefined) {
				this.pending.delete(id);
				request.settle(frame);
			}
			return true;
		}
		if (sig === 'PONG') {
			this.keepalive.pong(frame.payload);
			return true;
		}
		if (sig === 'PING') {
			// Not documented from the server's side, but answering the way the server does costs nothing.
			this.ws?.send(JSON.stringify({ sig: 'PONG', payload: frame.payload }));
			return true;
		}
		if (sig === 'EOS') {
			const reason = typeof frame.reason === 'string' ? frame.reason : 'unknown';
			this.logger.warn('the Conversations API ended the agent session (EOS)', { key: this.key, reason });
			this.events.emit('eos', reason);
			finish({ kind: 'eos', reason });
			return true;
		}
		this.onMalformed(data);
		return false;
	}

	private onMalformed(data: SocketData): void {
		const text = data.toString();
		const error = new ProtocolError('conversations', 'ignored a frame that is not a Conversations API message', text.length > 200 ? `${text.slice(0, 200)}…` : text);
		this.logger.warn(error.message, { key: this.key });
		this.events.emit('warning', error);
	}

	private onPongTimeout(): void {
		const ws = this.ws;
		if (!ws) return;
		this.logger.warn('no PONG from the Conversations API; the socket is half-open, reconnecting', { key: this.key });
		ws.terminate();
		this.dropSocket?.('no PONG within the timeout');
	}

	// ---- requests -----------------------------------------------------------------------------------

	/** An open socket and a slot under the per-session rate limit. */
	private async sendSlot(deadline: number, signal: AbortSignal | undefined): Promise<SessionSocket> {
		for (;;) {
			if (this.currentState !== 'open' || !this.ws) await this.whenOpen(deadline, signal);
			await this.limiter.acquire(signal);
			if (Date.now() >= deadline) throw new TimeoutError('conversations', 'the request could not be sent in time (rate limit or connection)');
			// The socket may have dropped while waiting for the slot; nothing was sent, so wait again.
			if (this.currentState === 'open' && this.ws) return this.ws;
		}
	}

	private whenOpen(deadline: number, signal: AbortSignal | undefined): Promise<SessionSocket> {
		if (this.terminalError) return Promise.reject(this.terminalError);
		if (this.currentState === 'open' && this.ws) return Promise.resolve(this.ws);
		return new Promise((resolve, reject) => {
			const cleanup = () => {
				clearTimeout(timer);
				this.openWaiters.delete(waiter);
				signal?.removeEventListener('abort', onAbort);
			};
			const waiter: OpenWaiter = {
				resolve: (ws) => {
					cleanup();
					resolve(ws);
				},
				reject: (error) => {
					cleanup();
					reject(error);
				},
			};
			const onAbort = () => waiter.reject(new AbortedError('conversations'));
			const timer = setTimeout(() => {
				const last = this.lastError ? ` (last error: ${this.lastError.message})` : '';
				waiter.reject(new TimeoutError('conversations', `the agent session is not connected${last}`));
			}, Math.max(0, deadline - Date.now()));
			timer.unref();
			if (signal?.aborted) return onAbort();
			signal?.addEventListener('abort', onAbort, { once: true });
			this.openWaiters.add(waiter);
		});
	}

	/**
	 * Sends one frame and waits for the answer with the same id. `onAnswer` runs synchronously when
	 * the answer is read, before any later frame: a subscription is registered before its first DATA.
	 */
	private exchange(
		ws: SessionSocket,
		encode: (id: number) => string,
		timeoutMs: number,
		signal?: AbortSignal,
		onAnswer?: (data: unknown) => void,
	): Promise<unknown> {
		return new Promise((resolve, reject) => {
			const id = ++this.lastRequestId;
			const cleanup = () => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
			};
			const request: PendingRequest = {
				socket: ws,
				settle: (frame) => {
					cleanup();
					const errorCode = frame.errorCode ?? frame.error_code;
					const error = errorFromPayload(frame.payload, errorCode);
					if (error) return reject(error);
					if (typeof errorCode === 'number' && errorCode >= 400) {
						return reject(new ProtocolError('conversations', `the request failed with errorCode ${errorCode}`, frame));
					}
					const data = (frame.payload as { data?: unknown } | null | undefined)?.data;
					try {
						onAnswer?.(data);
					} catch (answerError) {
						return reject(answerError);
					}
					resolve(data);
				},
				fail: (error) => {
					cleanup();
					reject(error);
				},
			};
			const onAbort = () => {
				this.pending.delete(id);
				request.fail(new AbortedError('conversations'));
			};
			const timer = setTimeout(() => {
				this.pending.delete(id);
				request.fail(new TimeoutError('conversations', `no answer from the Conversations API within ${Math.round(timeoutMs)} ms`));
			}, Math.max(0, timeoutMs));
			timer.unref();
			if (signal?.aborted) return onAbort();
			signal?.addEventListener('abort', onAbort, { once: true });
			this.pending.set(id, request);
			try {
				ws.send(encode(id));
			} catch (error) {
				this.pending.delete(id);
				request.fail(new ConnectionError('conversations', 'the request could not be sent', error));
			}
		});
	}

	/** How long to wait before retrying a failed request, or undefined to give up. */
	private requestRetryDelay(error: ZendeskError, operation: Operation<unknown>, attempt: number): number | undefined {
		if (attempt >= this.requestRetries) return undefined;
		// Sent, then the socket dropped: only an operation that is safe to repeat goes again (after the reconnect).
		if (error.code === 'ZCHAT_ERR_CONNECTION') return operation.idempotent ? 0 : undefined;
		if (error instanceof GraphqlError && error.errorName === 'RATE_LIMITED') return this.requestRetryWait(attempt);
		return undefined;
	}

	// ---- subscriptions ------------------------------------------------------------------------------

	/**
	 * Subscribes `group` on the current socket, retrying GRAPHQL_SUB_START_ERROR a few times within
	 * 30 s and RATE_LIMITED with backoff. A later call (a reconnect) supersedes an earlier one.
	 */
	private async establish(group: SubscriptionGroup): Promise<void> {
		const attemptToken = ++group.attempt;
		const firstTry = Date.now();
		let attempt = 0;
		const payload: RequestPayload = {
			query: group.operation.document,
			variables: group.operation.variables,
			operationName: group.operation.name,
		};
		const current = () => attemptToken === group.attempt && !group.ended && !this.terminalError && !this.stopping;
		while (current()) {
			const ws = this.ws;
			if (!ws || this.currentState !== 'open') return; // the next open establishes it
			try {
				await this.limiter.acquire(this.stopController.signal);
				if (!current()) return;
				if (this.ws !== ws) continue;
				await this.exchange(ws, (id) => encodeRequest(id, payload), this.requestTimeoutMs, undefined, (data) =>
					this.activate(group, data),
				);
				return;
			} catch (error) {
				if (!current()) return;
				const err = asZendeskError(error);
				if (err.code === 'ZCHAT_ERR_CONNECTION') continue;
				const wait = this.subscribeRetryDelay(err, attempt, firstTry);
				if (wait === undefined) {
					this.logger.warn('a subscription could not be started', { key: this.key, subscription: group.operation.name, error: err.message });
					this.dropGroup(group, err);
					return;
				}
				attempt++;
				await sleep(wait, this.stopController.signal).catch(() => undefined);
			}
		}
	}

	private subscribeRetryDelay(error: ZendeskError, attempt: number, firstTry: number): number | undefined {
		const name = error instanceof GraphqlError ? error.errorName : undefined;
		if (name === 'RATE_LIMITED') return attempt < this.requestRetries ? this.requestRetryWait(attempt) : undefined;
		// GRAPHQL_SUB_START_ERROR: "retry three to five times in 30 seconds with exponential backoff but not indefinitely".
		// A subscribe that got no answer is treated the same way.
		if (name === 'GRAPHQL_SUB_START_ERROR' || error.code === 'ZCHAT_ERR_TIMEOUT') {
			const wait = this.subscribeRetryWait(attempt);
			const inWindow = Date.now() + wait - firstTry <= this.subscribeRetryWindowMs;
			return attempt < this.subscribeRetries && inWindow ? wait : undefined;
		}
		return undefined;
	}

	/** The subscribe answer: registers the new server id before any DATA frame after it is read. */
	private activate(group: SubscriptionGroup, data: unknown): void {
		const id = (data as { subscription_id?: unknown } | null | undefined)?.subscription_id;
		if (typeof id !== 'string' || id === '') {
			throw new ProtocolError('conversations', 'the subscription was answered without a subscription_id', data);
		}
		if (group.ended) {
			this.stopServerSubscription(id);
			return;
		}
		// Ids from before a reconnect (the server may have kept them): replaced by this one, and stopped
		// so they do not hold on to one of the session's 10 subscriptions.
		for (const stale of group.serverIds) {
			if (stale === id) continue;
			this.byServerId.delete(stale);
			this.stopServerSubscription(stale);
		}
		group.serverIds.length = 0;
		group.serverIds.push(id);
		group.liveId = id;
		this.byServerId.set(id, group);
		group.markReady();
	}

	private async removeSink(group: SubscriptionGroup, sink: SubscriptionSink<unknown>): Promise<void> {
		if (!group.sinks.delete(sink)) return;
		try {
			sink.end?.();
		} catch {
			// The sink's own affair.
		}
		if (group.sinks.size > 0 || group.ended) return;
		this.groups.delete(group.key);
		group.end();
		const ids = [...group.serverIds];
		group.serverIds.length = 0;
		for (const id of ids) {
			this.byServerId.delete(id);
			if (this.currentState === 'open') await this.stopServerSubscription(id);
			else this.orphans.push(id);
		}
	}

	/** Ends a group that could not be (re)started, with the error, for every sink. */
	private dropGroup(group: SubscriptionGroup, error: ZendeskError): void {
		this.groups.delete(group.key);
		for (const id of group.serverIds) this.byServerId.delete(id);
		group.serverIds.length = 0;
		group.end(error);
	}

	/** stop_subscription, best effort: an unknown id (the server already dropped it) is no problem. */
	private async stopServerSubscription(id: string): Promise<void> {
		const ws = this.ws;
		if (!ws || this.currentState !== 'open') return;
		try {
			await this.limiter.acquire(this.stopController.signal);
			await this.exchange(ws, (requestId) => encodeStopSubscription(requestId, id), this.closeTimeoutMs);
		} catch (error) {
			this.logger.debug('stop_subscription failed', { key: this.key, error: asZendeskError(error).message });
		}
	}

	private forgetServerIds(): void {
		this.byServerId.clear();
		this.orphans = [];
		for (const group of this.groups.values()) {
			group.serverIds.length = 0;
			group.liveId = undefined;
		}
	}

	// ---- ending -------------------------------------------------------------------------------------

	private async shutdown(): Promise<void> {
		if (this.terminalError) return;
		this.stopping = true;
		this.setState('closing');
		this.stopController.abort();
		const ws = this.ws;
		if (ws && this.info) {
			// "a disconnection without you stopping the session by stopAgentSession mutation" is abnormal
			// (overview): stop it, so the server does not keep it for a resume.
			try {
				await this.exchange(ws, (id) => encodeRequest(id, STOP_SESSION), this.closeTimeoutMs);
			} catch (error) {
				this.logger.debug('stopAgentSession did not succeed', { key: this.key, error: asZendeskError(error).message });
			}
			await closeSocket(ws, this.closeTimeoutMs, 'stopAgentSession');
			this.endSocket?.();
		}
		await this.running;
		this.terminate(new ClosedError('conversations'), 'closed');
	}

	private fail(error: ZendeskError): void {
		if (this.terminalError) return;
		this.logger.error('the Conversations API session gave up', { key: this.key, error: error.message });
		this.terminate(error, 'failed');
		this.events.emit('error', error);
	}

	/** Releases everything: socket, timers, waiters, pending requests, subscriptions. */
	private terminate(error: ZendeskError, state: 'closed' | 'failed'): void {
		this.terminalError = error;
		this.stopping = true;
		this.stopController.abort();
		this.keepalive.stop();
		const ws = this.ws;
		if (ws) {
			this.endSocket?.();
			ws.terminate();
		}
		for (const [id, request] of this.pending) {
			this.pending.delete(id);
			request.fail(error);
		}
		for (const waiter of [...this.openWaiters]) waiter.reject(error);
		this.rejectFirstOpen(error);
		const groups = [...this.groups.values()];
		this.groups.clear();
		this.byServerId.clear();
		// A deliberate close ends subscriptions without an error; a failure passes it on.
		for (const group of groups) group.end(state === 'failed' ? error : undefined, error);
		this.setState(state);
		if (state === 'closed') this.events.clear();
	}

	private setState(state: SessionState): void {
		if (this.currentState === state) return;
		this.currentState = state;
		this.events.emit('state', state);
	}
}

function isUnauthorized(error: ZendeskError): boolean {
	return (error instanceof GraphqlError && error.errorName === 'UNAUTHORIZED') || (error instanceof HttpError && error.statusCode === 401);
}

/** Our errors pass through; anything else (a token provider's failure, say) becomes a retryable ConnectionError. */
export function asZendeskError(error: unknown): ZendeskError {
	if (error instanceof Error && typeof (error as ZendeskError).code === 'string' && (error as ZendeskError).code.startsWith('ZCHAT_ERR_')) {
		return error as ZendeskError;
	}
	return new ConnectionError('conversations', (error as Error)?.message ?? String(error), error);
}
