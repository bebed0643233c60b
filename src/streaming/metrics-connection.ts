import { sleep } from '../shared/abort';
import type { Backoff } from '../shared/backoff';
import type { TokenProvider } from '../shared/credentials';
import {
	AbortedError,
	ClosedError,
	ConnectionError,
	ProtocolError,
	toZendeskError,
	type ZendeskError,
} from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { RateLimiter } from '../shared/rate-limiter';
import { StreamingStatusError } from './errors';
import { Keepalive } from './keepalive';
import {
	metricTopicId,
	subscribeFrame,
	unsubscribeFrame,
	type MetricTopic,
} from './metric-request';
import { decideReconnect, isTokenRefused } from './reconnect-policy';
import { readServerMessage, type MetricValueUpdate } from './server-message';
import { MetricSnapshot, type MetricReading } from './snapshot';
import { openMetricsSocket, type MetricsSocket } from './transport';

/**
 * - `connecting`: the first connection is being opened.
 * - `open`: subscribed topics are live.
 * - `reconnecting`: the socket dropped (or was refused for a retryable reason); backing off.
 * - `failed`: a fatal error (token refused after a refresh, 403…); nothing more will happen.
 * - `closed`: closed by its last user.
 */
export type StreamingStatus = 'connecting' | 'open' | 'reconnecting' | 'failed' | 'closed';

/** Receives one topic's updates and the errors that concern it (or everybody). */
export interface MetricListener {
	onUpdate?(reading: MetricReading): void;
	onError?(error: ZendeskError): void;
}

export interface MetricsConnectionOptions {
	credentialKey: string;
	tokens: TokenProvider;
	url: string;
	logger: Logger;
	backoff: Backoff;
	pingIntervalMs: number;
	pongTimeoutMs: number;
	connectTimeoutMs: number;
	closeTimeoutMs: number;
	/** Each new connection counts as one request of the REST API's 200 per minute. */
	connectBudget: RateLimiter;
}

/** One listener registration; its own object so that the same listener can hold two references. */
interface ListenerRef {
	listener: MetricListener;
}

interface TopicEntry {
	topic: MetricTopic;
	refs: Set<ListenerRef>;
}

/**
 * One Streaming API socket for one credential, shared by everybody who follows its metrics
 * (NOTES.md pitfall 8: "only 10 sockets per agent; multiplex every subscription over one socket per
 * credential"). Topics are reference-counted: the server hears one subscribe for the first listener
 * and one unsubscribe when the last leaves. The socket reconnects with backoff and subscribes every
 * topic again; the snapshot keeps the last value of each.
 */
export class MetricsConnection {
	readonly snapshot = new MetricSnapshot();
	private currentStatus: StreamingStatus = 'connecting';
	private socket: MetricsSocket | undefined;
	private readonly topics = new Map<string, TopicEntry>();
	private readonly errorListeners = new Set<(error: ZendeskError) => void>();
	private readonly statusListeners = new Set<(status: StreamingStatus) => void>();
	private readonly stopping = new AbortController();
	private readonly keepalive: Keepalive;
	private fatal: ZendeskError | undefined;
	/** Why the current socket is being dropped by us (a 401 frame, a missing pong). */
	private dropReason: ZendeskError | undefined;
	/** The current socket answered a pong or sent data: the token and the network work. */
	private healthy = false;
	private readonly running: Promise<void>;

	constructor(private readonly options: MetricsConnectionOptions) {
		this.keepalive = new Keepalive(
			() => this.socket?.ping(),
			() =>
				this.drop(
					new ConnectionError(
						'streaming',
						`no pong within ${options.pongTimeoutMs} ms: the connection is half-open`,
					),
				),
			options.pingIntervalMs,
			options.pongTimeoutMs,
		);
		this.running = this.run();
	}

	get status(): StreamingStatus {
		return this.currentStatus;
	}

	/**
	 * Adds a listener to a topic; the first one subscribes on the server. Returns the function that
	 * removes it again (idempotent).
	 * @throws the fatal error once the connection failed; ClosedError once closed.
	 */
	subscribe(topic: MetricTopic, listener: MetricListener): () => void {
		this.throwIfUnusable();
		let entry = this.topics.get(topic.id);
		if (!entry) {
			entry = { topic, refs: new Set() };
			this.topics.set(topic.id, entry);
			this.snapshot.track(topic);
			// Not open yet: every topic is subscribed as soon as it is.
			this.socket?.send(subscribeFrame(topic));
		}
		const ref: ListenerRef = { listener };
		entry.refs.add(ref);
		return () => this.unsubscribe(topic.id, ref);
	}

	/** Listens for errors that concern the connection rather than one topic. Returns a disposer. */
	onError(listener: (error: ZendeskError) => void): () => void {
		this.errorListeners.add(listener);
		return () => this.errorListeners.delete(listener);
	}

	onStatus(listener: (status: StreamingStatus) => void): () => void {
		this.statusListeners.add(listener);
		return () => this.statusListeners.delete(listener);
	}

	/** How many server subscriptions are held (one per distinct topic, window and department). */
	get topicCount(): number {
		return this.topics.size;
	}

	/**
	 * Resolves once the socket is open.
	 * @throws the fatal error, ClosedError, or AbortedError when `signal` aborts first.
	 */
	ready(signal?: AbortSignal): Promise<void> {
		return new Promise((resolve, reject) => {
			const check = (): boolean => {
				if (this.currentStatus === 'open') resolve();
				else if (this.fatal) reject(this.fatal);
				else if (this.currentStatus === 'closed') reject(new ClosedError('streaming'));
				else if (signal?.aborted) reject(new AbortedError('streaming'));
				else return false;
				return true;
			};
			if (check()) return;
			const onAbort = () => {
				dispose();
				check();
			};
			const dispose = this.onStatus(() => {
				if (!check()) return;
				dispose();
				signal?.removeEventListener('abort', onAbort);
			});
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	}

	/** Closes the socket and stops reconnecting; resolves once nothing is left open. */
	async close(): Promise<void> {
		if (this.currentStatus !== 'closed') {
			this.setStatus('closed');
			this.stopping.abort();
			this.keepalive.stop();
			await this.socket?.close(1000, 'client closed');
		}
		await this.running;
		this.topics.clear();
		this.snapshot.clear();
		this.errorListeners.clear();
		this.statusListeners.clear();
	}

	// ---- connection loop ---------------------------------------------------------------------------

	private async run(): Promise<void> {
		const { tokens, backoff, connectBudget } = this.options;
		const signal = this.stopping.signal;
		let attempt = 0;
		let canRefresh = typeof tokens.refresh === 'function';
		let refreshedToken: string | undefined;
		while (!signal.aborted) {
			let failure: unknown;
			this.healthy = false;
			try {
				await connectBudget.acquire(signal);
				const token = refreshedToken ?? (await tokens.getToken());
				refreshedToken = undefined;
				failure = await this.serve(token);
			} catch (error) {
				failure = error;
			}
			if (signal.aborted) return;
			if (this.healthy) {
				attempt = 0;
				canRefresh = typeof tokens.refresh === 'function';
			}
			const decision = decideReconnect(failure, { attempt, canRefresh, backoff });
			if (decision.action === 'fatal') return this.fail(asZendeskError(failure));
			this.setStatus(this.currentStatus === 'connecting' ? 'connecting' : 'reconnecting');
			attempt++;
			if (decision.action === 'refresh') {
				canRefresh = false;
				this.options.logger.info('Streaming API refused the token; refreshing it once', {
					credential: this.options.credentialKey,
				});
				try {
					refreshedToken = await tokens.refresh!();
				} catch (error) {
					return this.fail(asZendeskError(failure), error);
				}
				continue;
			}
			this.options.logger.warn(`Streaming API not connected; retrying in ${decision.delayMs} ms`, {
				credential: this.options.credentialKey,
				error: describe(failure),
			});
			this.emitToAll(asZendeskError(failure));
			try {
				await sleep(decision.delayMs, signal, 'streaming');
			} catch {
				return;
			}
		}
	}

	/** Opens one socket and serves it until it closes; returns why it closed. */
	private async serve(token: string): Promise<ZendeskError> {
		const { url, connectTimeoutMs, closeTimeoutMs } = this.options;
		this.dropReason = undefined;
		let onClosed!: (info: { code: number; reason: string }) => void;
		const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
		const socket = await openMetricsSocket(
			{ url, token, connectTimeoutMs, closeTimeoutMs, signal: this.stopping.signal },
			{
				message: (text) => this.onMessage(text),
				pong: () => {
					this.healthy = true;
					this.keepalive.pong();
				},
				close: (code, reason) => onClosed({ code, reason }),
			},
		);
		this.socket = socket;
		if (this.stopping.signal.aborted) {
			// close() ran while the socket was opening.
			await socket.close(1000, 'client closed');
		} else {
			this.options.logger.debug('Streaming API connected', {
				credential: this.options.credentialKey,
				topics: this.topics.size,
			});
			this.keepalive.start();
			for (const entry of this.topics.values()) socket.send(subscribeFrame(entry.topic));
			this.setStatus('open');
		}
		const { code, reason } = await closed;
		this.keepalive.stop();
		this.socket = undefined;
		return (
			this.dropReason ??
			new ConnectionError(
				'streaming',
				`the Streaming API closed the connection (code ${code}${reason ? `: ${reason}` : ''})`,
			)
		);
	}

	/** Drops the current socket for `reason`; the loop reconnects (or gives up) from there. */
	private drop(reason: ZendeskError): void {
		this.dropReason ??= reason;
		this.keepalive.stop();
		this.socket?.terminate();
	}

	private fail(error: ZendeskError, refreshFailure?: unknown): void {
		this.fatal = error;
		this.options.logger.error('Streaming API connection failed for good', {
			credential: this.options.credentialKey,
			error: error.message,
			...(refreshFailure === undefined ? {} : { refreshError: describe(refreshFailure) }),
		});
		this.setStatus('failed');
		this.emitToAll(error);
	}

	// ---- incoming frames ---------------------------------------------------------------------------

	private onMessage(text: string): void {
		const message = readServerMessage(text);
		switch (message.kind) {
			case 'update':
				this.healthy = true;
				for (const update of message.values) this.deliver(update);
				return;
			case 'error': {
				const error = new StreamingStatusError(
					message.statusCode,
					message.message,
					message.topic,
					message.raw,
				);
				// "unauthenticated": this socket is done; reconnecting refreshes the token (NOTES.md pitfall 7).
				if (isTokenRefused(error)) return this.drop(error);
				return this.emitToTopic(error, message.topic);
			}
			case 'malformed':
				this.options.logger.warn(
					`Streaming API sent a frame that could not be read: ${message.reason}`,
					{
						credential: this.options.credentialKey,
					},
				);
				return this.emitToAll(
					new ProtocolError(
						'streaming',
						`the Streaming API sent a frame that could not be read: ${message.reason}`,
						message.text,
					),
				);
			case 'other':
				this.options.logger.debug('Streaming API sent a frame that is not an update; ignored', {
					credential: this.options.credentialKey,
				});
		}
	}

	private deliver(update: MetricValueUpdate): void {
		const id = metricTopicId(update.metric, update.window, update.departmentId);
		const entry = this.topics.get(id);
		if (!entry) return;
		const reading = this.snapshot.record(id, update.value, new Date());
		if (!reading) return;
		for (const { listener } of [...entry.refs]) {
			if (listener.onUpdate) this.call(() => listener.onUpdate?.({ ...reading }));
		}
	}

	// ---- outgoing ----------------------------------------------------------------------------------

	private unsubscribe(id: string, ref: ListenerRef): void {
		const entry = this.topics.get(id);
		if (!entry || !entry.refs.delete(ref) || entry.refs.size > 0) return;
		this.topics.delete(id);
		this.snapshot.untrack(id);
		if (!this.socket) return;
		const gone = entry.topic;
		this.socket.send(unsubscribeFrame(gone));
		// The documented unsubscribe names only the topic; a server that stops every window and
		// department of it would silently starve the remaining listeners, so subscribe those again.
		for (const other of this.topics.values()) {
			const t = other.topic;
			const covered =
				t.topic === gone.topic &&
				(gone.window === null || t.window === gone.window) &&
				(gone.departmentId === null || t.departmentId === gone.departmentId);
			if (covered) this.socket.send(subscribeFrame(t));
		}
	}

	// ---- listeners ---------------------------------------------------------------------------------

	private emitToTopic(error: ZendeskError, topic: string | undefined): void {
		const entries =
			topic === undefined
				? []
				: [...this.topics.values()].filter(
						(e) => e.topic.topic === topic || e.topic.category === topic,
					);
		if (entries.length === 0) return this.emitToAll(error);
		for (const listener of uniqueListeners(entries)) {
			if (listener.onError) this.call(() => listener.onError?.(error));
		}
	}

	private emitToAll(error: ZendeskError): void {
		for (const listener of uniqueListeners(this.topics.values())) {
			if (listener.onError) this.call(() => listener.onError?.(error));
		}
		for (const listener of [...this.errorListeners]) this.call(() => listener(error));
	}

	private setStatus(status: StreamingStatus): void {
		if (this.currentStatus === status || this.currentStatus === 'closed') return;
		this.currentStatus = status;
		for (const listener of [...this.statusListeners]) this.call(() => listener(status));
	}

	/** A listener that throws must not break the socket or the other listeners. */
	private call(fn: () => void): void {
		try {
			fn();
		} catch (error) {
			this.options.logger.error('a Streaming API listener threw', {
				credential: this.options.credentialKey,
				error: describe(error),
			});
		}
	}

	private throwIfUnusable(): void {
		if (this.fatal) throw this.fatal;
		if (this.currentStatus === 'closed') throw new ClosedError('streaming');
	}
}

function uniqueListeners(entries: Iterable<TopicEntry>): Set<MetricListener> {
	const listeners = new Set<MetricListener>();
	for (const entry of entries) for (const { listener } of entry.refs) listeners.add(listener);
	return listeners;
}

/** Listeners only ever see ZendeskErrors: a failure of the token provider is wrapped, keeping its cause. */
function asZendeskError(error: unknown): ZendeskError {
	return toZendeskError(error, 'streaming', { what: 'could not connect to the Streaming API' });
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
