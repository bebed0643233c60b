import {
	AbortedError,
	ClosedError,
	ConnectionError,
	credentialKey,
	GraphqlError,
	HttpError,
	InvalidInputError,
	ProtocolError,
	RateLimiter,
	sleep,
	TimeoutError,
	toZendeskError,
	type ZendeskError,
} from '../shared';
import { Emitter } from './emitter';
import { encodePing, encodeRequest, parseFrame, type RequestPayload } from './frames';
import { Keepalive } from './keepalive';
import type { Operation, SubscriptionOperation } from './operation';
import { updateAgentStatus } from './operations/agent-status';
import {
	afterFailure,
	afterSocketEnd,
	INITIAL_RECONNECT_STATE,
	type ReconnectDecision,
	type ReconnectLimits,
	type ReconnectState,
	type SocketEnd,
} from './reconnect-policy';
import { RequestTable } from './request-table';
import {
	resolveSessionOptions,
	type AgentSessionOptions,
	type ResolvedSessionOptions,
} from './session-options';
import {
	closeSocket,
	openSocket,
	type OpenedSocket,
	type SessionSocket,
	type SocketData,
} from './socket';
import { acquireStartSlot, startBudgetFor } from './start-budget';
import { retryAfterHint, startAgentSessionOverHttp, type AgentSessionInfo } from './start-session';
import { SubscriptionRegistry } from './subscription-registry';
import type {
	ConversationsTransport,
	RequestOptions,
	SubscribeOptions,
	SubscriptionHandle,
	SubscriptionSink,
} from './transport';

export type { AgentSessionOptions } from './session-options';

export type SessionState =
	| 'idle'
	| 'connecting'
	| 'open'
	| 'reconnecting'
	| 'closing'
	| 'closed'
	| 'failed';

export interface AgentSessionEvents extends Record<string, unknown> {
	state: SessionState;
	/** The server ended the session (EOS) with this reason; a new one is being started. */
	eos: string;
	/** Something went wrong that the session recovered from or ignored (a malformed frame, a failed reconnect). */
	warning: ZendeskError;
	/** The session failed for good; every request and subscription has ended with this error. */
	error: ZendeskError;
}

interface OpenWaiter {
	resolve(ws: SessionSocket): void;
	reject(error: ZendeskError): void;
}

/** The one mutation the session sends on its own when it ends (schema page: "End the current agent session"). */
export const STOP_SESSION_DOCUMENT = 'mutation StopAgentSession { stopAgentSession { success } }';
const STOP_SESSION: RequestPayload = {
	query: STOP_SESSION_DOCUMENT,
	variables: {},
	operationName: 'StopAgentSession',
};

/**
 * One Conversations API agent session: startAgentSession over HTTP, then GraphQL over the
 * session's WebSocket. It correlates requests and answers (RequestTable), keeps the socket alive
 * (Keepalive), re-establishes every subscription after a reconnect or a new session, dropping events
 * repeated across the switch (SubscriptionRegistry), and decides after each end or failure whether
 * and when to go on (reconnect-policy). What remains here is the loop. Normally borrowed from the
 * session pool.
 */
export class AgentSession implements ConversationsTransport {
	private readonly options: ResolvedSessionOptions;
	private key: string | undefined;
	private readonly limiter: RateLimiter;
	private readonly requests = new RequestTable();
	private readonly subscriptions: SubscriptionRegistry;
	private readonly keepalive: Keepalive;
	private readonly events = new Emitter<AgentSessionEvents>();
	private readonly stopController = new AbortController();

	private currentState: SessionState = 'idle';
	private info: AgentSessionInfo | undefined;
	private ws: SessionSocket | undefined;
	/** Ends the current socket's life as a drop (a missing PONG), or undefined when there is none. */
	private dropSocket: ((why: string) => void) | undefined;
	/** Ends the current socket's life because the session is closing. */
	private endSocket: (() => void) | undefined;
	private readonly openWaiters = new Set<OpenWaiter>();
	private statusAppliedTo: AgentSessionInfo | undefined;
	private running: Promise<void> | undefined;
	private closing: Promise<void> | undefined;
	private stopping = false;
	private connectedBefore = false;
	private terminalError: ZendeskError | undefined;
	private lastError: ZendeskError | undefined;
	private startCount = 0;
	private readonly firstOpen: Promise<void>;
	private resolveFirstOpen!: () => void;
	private rejectFirstOpen!: (error: ZendeskError) => void;

	constructor(options: AgentSessionOptions) {
		this.options = resolveSessionOptions(options);
		this.key = this.options.key;
		this.limiter = new RateLimiter(
			[{ limit: this.options.maxRequestsPerSecond, windowMs: 1_000 }],
			'conversations',
		);
		this.keepalive = new Keepalive(
			this.options.pingIntervalMs,
			this.options.pongTimeoutMs,
			(payload) => this.ws?.send(encodePing(payload)),
			() => this.onPongTimeout(),
		);
		this.subscriptions = new SubscriptionRegistry({
			options: this.options,
			requests: this.requests,
			limiter: this.limiter,
			signal: this.stopController.signal,
			openSocket: () => (this.currentState === 'open' ? this.ws : undefined),
			unusable: () =>
				this.terminalError ?? (this.stopping ? new ClosedError('conversations') : undefined),
			ensureRunning: () => this.ensureRunning(),
			logMeta: () => this.logMeta(),
		});
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
	on<E extends keyof AgentSessionEvents>(
		event: E,
		listener: (value: AgentSessionEvents[E]) => void,
	): () => void {
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
	 * is retried with backoff; an idempotent operation is sent again after a dropped connection,
	 * unless the `message` subscription already showed the message it sends (Operation.delivery).
	 * @throws see ConversationsTransport.request
	 */
	request<T>(operation: Operation<T>, options: RequestOptions = {}): Promise<T> {
		if (operation?.kind !== 'query' && operation?.kind !== 'mutation') {
			return Promise.reject(
				new InvalidInputError(
					'operation',
					'request() runs a query or a mutation; use subscribe() for a subscription',
				),
			);
		}
		this.ensureRunning();
		const { signal } = options;
		const deadline = Date.now() + (options.timeoutMs ?? this.options.requestTimeoutMs);
		const payload: RequestPayload = {
			query: operation.document,
			variables: operation.variables,
			operationName: operation.name,
		};
		const ws = this.ws;
		// The warm case, open with room under the limit and nobody queued: sent at once, and the answer
		// read in the table's callback, so the caller is resolved without the hops of an async loop.
		// A failure goes on in that loop as its first attempt's.
		if (this.currentState === 'open' && ws && !signal?.aborted && this.limiter.tryAcquire()) {
			return new Promise<T>((resolve, reject) => {
				this.requests.send(
					ws,
					(id) => encodeRequest(id, payload),
					deadline - Date.now(),
					signal,
					undefined,
					(error, data) => {
						let failure = error;
						if (failure === undefined) {
							try {
								return resolve(operation.parse(data));
							} catch (parseError) {
								failure = parseError;
							}
						}
						this.requestLoop(operation, payload, deadline, signal, { error: failure }).then(
							resolve,
							reject,
						);
					},
				);
			});
		}
		return this.requestLoop(operation, payload, deadline, signal, undefined);
	}

	/** Attempts until one succeeds or the failure is final; `failed`: the first attempt was made and failed so. */
	private async requestLoop<T>(
		operation: Operation<T>,
		payload: RequestPayload,
		deadline: number,
		signal: AbortSignal | undefined,
		failed: { error: unknown } | undefined,
	): Promise<T> {
		for (let attempt = 0; ; attempt++) {
			let failure: unknown;
			if (attempt === 0 && failed) {
				failure = failed.error;
			} else {
				try {
					const ws = await this.sendSlot(deadline, signal);
					const data = await this.requests.exchange(
						ws,
						(id) => encodeRequest(id, payload),
						deadline - Date.now(),
						signal,
					);
					return operation.parse(data);
				} catch (error) {
					failure = error;
				}
			}
			const err = toZendeskError(failure, 'conversations');
			const delivery = operation.delivery;
			if (
				err.code === 'ZCHAT_ERR_CONNECTION' &&
				delivery &&
				this.subscriptions.agentMsgIds.has(delivery.msgId)
			) {
				this.options.logger.info(
					'a send lost its answer in a dropped connection, but the message was delivered: not sent again',
					this.logMeta(),
				);
				return delivery.result();
			}
			const wait = this.requestRetryDelay(err, operation, attempt);
			if (wait === undefined || Date.now() + wait >= deadline)
				throw operation.explain?.(err) ?? err;
			if (wait > 0) await sleep(wait, signal, 'conversations');
		}
	}

	/**
	 * Subscribes `sink`; identical subscriptions (same document and variables) share one server
	 * subscription. It is re-established after every reconnect and new session until unsubscribed.
	 * A session is one process's: a transient subscription (SubscribeOptions) is an ordinary one here.
	 */
	subscribe<T>(
		operation: SubscriptionOperation<T>,
		sink: SubscriptionSink<T>,
		_options?: SubscribeOptions,
	): SubscriptionHandle {
		return this.subscriptions.subscribe(operation, sink);
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
		this.running = this.run().catch((error) => this.fail(toZendeskError(error, 'conversations')));
	}

	/** Start (when there is no session), open, serve until the socket ends; then ask the policy. */
	private async run(): Promise<void> {
		let state: ReconnectState = INITIAL_RECONNECT_STATE;
		while (!this.stopping) {
			let starting = false;
			let decision: ReconnectDecision;
			try {
				this.setState(this.connectedBefore ? 'reconnecting' : 'connecting');
				if (!this.info) {
					starting = true;
					this.info = await this.startSession();
					this.subscriptions.forgetServerIds();
					state = { ...state, sameUrlFailures: 0 };
					starting = false;
				}
				const opened = await openSocket(this.info.websocket_url, {
					timeoutMs: this.options.connectTimeoutMs,
					signal: this.stopController.signal,
				});
				if (this.stopping) {
					opened.ws.terminate();
					break;
				}
				const openedAt = Date.now();
				const end = await this.attach(opened);
				if (this.stopping || end.kind === 'local') break;
				decision = afterSocketEnd(end, Date.now() - openedAt, state, this.limits());
			} catch (error) {
				if (this.stopping) break;
				const err = toZendeskError(error, 'conversations');
				this.lastError = err;
				decision = afterFailure(
					{
						error: err,
						starting,
						hasUrl: this.info !== undefined,
						connectedBefore: this.connectedBefore,
						retryAfterMs: retryAfterHint(err),
					},
					state,
					this.limits(),
				);
				if (decision.action === 'reconnect') this.reportRetry(err, decision);
			}
			if (decision.action === 'fail') {
				this.fail(decision.error);
				return;
			}
			state = decision.state;
			if (decision.newSession) this.info = undefined;
			if (decision.waitMs > 0)
				await sleep(decision.waitMs, this.stopController.signal).catch(() => undefined);
		}
	}

	private limits(): ReconnectLimits {
		return this.options;
	}

	/** A failed attempt that will be tried again: a warning, or an error when a start was refused. */
	private reportRetry(
		error: ZendeskError,
		decision: Extract<ReconnectDecision, { action: 'reconnect' }>,
	): void {
		const retryAt = new Date(Date.now() + decision.waitMs).toISOString();
		const meta = { ...this.logMeta(), error: error.message, retryInMs: decision.waitMs, retryAt };
		if (decision.loud) {
			this.options.logger.error(
				`Zendesk Chat: startAgentSession was refused (${error.message}); the agent session is down and events are not received until it starts again. Next try at ${retryAt}`,
				meta,
			);
		} else {
			this.options.logger.warn('Conversations API connection failed; retrying', meta);
		}
		this.events.emit('warning', error);
	}

	/** startAgentSession within the budget; on UNAUTHORIZED, one refreshed token and one more try. */
	private async startSession(): Promise<AgentSessionInfo> {
		const { tokens } = this.options;
		let token = await tokens.getToken();
		this.key ??= credentialKey(this.options.httpUrl, token);
		const budget = this.options.startBudget ?? startBudgetFor(this.key);
		let refreshed = false;
		for (;;) {
			await acquireStartSlot(budget, this.options.maxBudgetWaitMs, this.stopController.signal);
			try {
				const info = await startAgentSessionOverHttp({
					httpUrl: this.options.httpUrl,
					token,
					timeoutMs: this.options.startTimeoutMs,
					signal: this.stopController.signal,
				});
				this.startCount++;
				this.options.logger.info('Conversations API agent session started', this.logMeta());
				return info;
			} catch (error) {
				const err = toZendeskError(error, 'conversations');
				if (isUnauthorized(err) && !refreshed && tokens.refresh) {
					refreshed = true;
					try {
						token = await tokens.refresh();
					} catch (refreshError) {
						this.options.logger.warn('the token provider could not refresh the token', {
							...this.logMeta(),
							error: (refreshError as Error)?.message,
						});
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
				finish({
					kind: 'dropped',
					why: `closed with code ${code} ${reason.toString()}`.trim(),
					healthy,
				});
			this.dropSocket = (why) => finish({ kind: 'dropped', why, healthy });
			this.endSocket = () => finish({ kind: 'local' });
			ws.on('close', onClose);
			ws.on('error', (error) =>
				this.options.logger.debug('Conversations API socket error', {
					...this.logMeta(),
					error: error.message,
				}),
			);
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

	/** The set-up after (re)connecting: agent status for a new session, then subscriptions. */
	private afterOpen(): void {
		const status = this.options.agentStatus;
		if (status && this.statusAppliedTo !== this.info) {
			this.statusAppliedTo = this.info;
			this.request(updateAgentStatus({ status })).catch((error) => {
				const err = toZendeskError(error, 'conversations');
				this.options.logger.warn('could not set the agent status', {
					...this.logMeta(),
					error: err.message,
				});
				this.events.emit('warning', err);
			});
		}
		this.subscriptions.onOpen();
	}

	private detach(ws: SessionSocket, end: SocketEnd): void {
		if (this.ws === ws) this.ws = undefined;
		this.dropSocket = undefined;
		this.endSocket = undefined;
		// "Clean up and call startAgentSession again" (NOTES.md): this socket's session is over.
		if (end.kind === 'eos') void closeSocket(ws, this.options.closeTimeoutMs, 'end of service');
		this.keepalive.stop();
		if (!this.stopping) this.setState('reconnecting');
		if (end.kind === 'dropped')
			this.options.logger.warn('the Conversations API socket dropped; reconnecting', {
				...this.logMeta(),
				why: end.why,
			});
		this.requests.failSocket(
			ws,
			new ConnectionError(
				'conversations',
				'the connection closed before the answer arrived; the request may or may not have been carried out',
			),
		);
		this.subscriptions.onSocketEnd(end.kind === 'eos');
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
			this.subscriptions.deliver(frame);
			return true;
		}
		if (sig === undefined && frame.id !== undefined) {
			this.requests.settle(frame);
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
			this.options.logger.warn('the Conversations API ended the agent session (EOS)', {
				...this.logMeta(),
				reason,
			});
			this.events.emit('eos', reason);
			finish({ kind: 'eos', reason });
			return true;
		}
		this.onMalformed(data);
		return false;
	}

	private onMalformed(data: SocketData): void {
		const text = data.toString();
		const error = new ProtocolError(
			'conversations',
			'ignored a frame that is not a Conversations API message',
			text.length > 200 ? `${text.slice(0, 200)}…` : text,
		);
		this.options.logger.warn(error.message, this.logMeta());
		this.events.emit('warning', error);
	}

	private onPongTimeout(): void {
		const ws = this.ws;
		if (!ws) return;
		this.options.logger.warn(
			'no PONG from the Conversations API; the socket is half-open, reconnecting',
			this.logMeta(),
		);
		ws.terminate();
		this.dropSocket?.('no PONG within the timeout');
	}

	// ---- requests -----------------------------------------------------------------------------------

	/** An open socket and a slot under the per-session rate limit. */
	private async sendSlot(
		deadline: number,
		signal: AbortSignal | undefined,
	): Promise<SessionSocket> {
		for (;;) {
			if (this.currentState !== 'open' || !this.ws) await this.whenOpen(deadline, signal);
			await this.limiter.acquire(signal);
			if (Date.now() >= deadline)
				throw new TimeoutError(
					'conversations',
					'the request could not be sent in time (rate limit or connection)',
				);
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
			const timer = setTimeout(
				() => {
					const last = this.lastError ? ` (last error: ${this.lastError.message})` : '';
					waiter.reject(
						new TimeoutError('conversations', `the agent session is not connected${last}`),
					);
				},
				Math.max(0, deadline - Date.now()),
			);
			timer.unref();
			if (signal?.aborted) return onAbort();
			signal?.addEventListener('abort', onAbort, { once: true });
			this.openWaiters.add(waiter);
		});
	}

	/** How long to wait before retrying a failed request, or undefined to give up. */
	private requestRetryDelay(
		error: ZendeskError,
		operation: Operation<unknown>,
		attempt: number,
	): number | undefined {
		if (attempt >= this.options.requestRetries) return undefined;
		// Sent, then the socket dropped: only an operation that is safe to repeat goes again (after the reconnect).
		if (error.code === 'ZCHAT_ERR_CONNECTION') return operation.idempotent ? 0 : undefined;
		if (error instanceof GraphqlError && error.errorName === 'RATE_LIMITED')
			return this.options.requestRetryWait(attempt);
		return undefined;
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
				await this.requests.exchange(
					ws,
					(id) => encodeRequest(id, STOP_SESSION),
					this.options.closeTimeoutMs,
				);
			} catch (error) {
				this.options.logger.debug('stopAgentSession did not succeed', {
					...this.logMeta(),
					error: toZendeskError(error, 'conversations').message,
				});
			}
			await closeSocket(ws, this.options.closeTimeoutMs, 'stopAgentSession');
			this.endSocket?.();
		}
		await this.running;
		this.terminate(new ClosedError('conversations'), 'closed');
	}

	private fail(error: ZendeskError): void {
		if (this.terminalError) return;
		this.options.logger.error(
			`Zendesk Chat: the Conversations API session gave up: ${error.message}`,
			this.logMeta(),
		);
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
		this.requests.failAll(error);
		for (const waiter of [...this.openWaiters]) waiter.reject(error);
		this.rejectFirstOpen(error);
		this.subscriptions.endAll(error, state === 'failed');
		this.setState(state);
		if (state === 'closed') this.events.clear();
	}

	private setState(state: SessionState): void {
		if (this.currentState === state) return;
		this.currentState = state;
		this.events.emit('state', state);
	}

	/** What every log line carries: the credential's key (a hash), never a token or the websocket_url. */
	private logMeta(): Record<string, unknown> {
		return { key: this.key };
	}
}

function isUnauthorized(error: ZendeskError): boolean {
	return (
		(error instanceof GraphqlError && error.errorName === 'UNAUTHORIZED') ||
		(error instanceof HttpError && error.statusCode === 401)
	);
}
