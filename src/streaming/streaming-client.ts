import { exponentialBackoff, type Backoff } from '../shared/backoff';
import type { TokenProvider } from '../shared/credentials';
import { ClosedError, InvalidInputError, type ZendeskError } from '../shared/errors';
import { silentLogger, type Logger } from '../shared/logger';
import { RateLimiter } from '../shared/rate-limiter';
import { MetricsConnection, type MetricListener, type StreamingStatus } from './metrics-connection';
import { parseMetricRequest, type MetricRequest, type MetricTopic } from './metric-request';
import type { MetricReading } from './snapshot';

/** wss://rtm.zopim.com/stream (NOTES.md section 4). */
export const DEFAULT_STREAMING_URL = 'wss://rtm.zopim.com/stream';
export const DEFAULT_PING_INTERVAL_MS = 15_000;
export const DEFAULT_PONG_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;
/** "Authenticating and establishing one web socket connection … counts as one request in the 200 requests per minute." */
export const STREAMING_CONNECTS_PER_MINUTE = 200;

export interface StreamingClientOptions {
	/**
	 * Identifies the credential (see `credentialKey()` in src/shared): clients with the same key share
	 * one socket. It must cover the host too, since the token only ever goes to the URL of the client
	 * that opened the socket.
	 */
	credentialKey: string;
	/** The first client of a credential provides the token; on a 401 it is asked once to `refresh()`. */
	tokens: TokenProvider;
	/** @default 'wss://rtm.zopim.com/stream' */
	url?: string;
	/** @default silentLogger */
	logger?: Logger;
	/** Delay before reconnect attempt n (0-based). @default exponentialBackoff({ initialMs: 1000, maxMs: 60_000 }) */
	backoff?: Backoff;
	/** A ws ping is sent this long after the last pong; 0 turns keepalive off. @default 15_000 */
	pingIntervalMs?: number;
	/** Without a pong this long after a ping, the socket is taken as half-open and replaced. @default 10_000 */
	pongTimeoutMs?: number;
	/** @default 15_000 */
	connectTimeoutMs?: number;
	/** How long a close handshake may take before the socket is dropped. @default 2_000 */
	closeTimeoutMs?: number;
	/**
	 * Where connects are counted against the REST API's 200 requests per minute; pass the REST
	 * client's limiter for this credential so that both share it.
	 * @default a limiter of 200 per minute for this socket alone
	 */
	connectBudget?: RateLimiter;
}

/** One listener's hold on a metric. */
export interface MetricSubscription {
	readonly topic: MetricTopic;
	/** The metric's current reading (value null until the server computed it). */
	reading(): MetricReading | undefined;
	/** Stops this listener; the last one of a topic unsubscribes on the server. Idempotent. */
	unsubscribe(): void;
}

interface PoolSlot {
	readonly key: string;
	readonly url: string;
	readonly connection: MetricsConnection;
	leases: number;
}

/** Process-wide: one socket per credential (the Streaming API allows 10 per agent). */
const pool = new Map<string, PoolSlot>();

/**
 * A handle on the shared metrics socket of a credential. Several handles (a trigger, another
 * workflow) share one socket and one server subscription per topic; closing the last handle closes
 * the socket.
 */
export class StreamingClient {
	private readonly subscriptions = new Set<MetricSubscription>();
	private readonly disposers = new Set<() => void>();
	private closed = false;

	/** @internal use acquireStreamingClient */
	constructor(private readonly slot: PoolSlot) {}

	get status(): StreamingStatus {
		return this.closed ? 'closed' : this.slot.connection.status;
	}

	/**
	 * Follows a metric. Two listeners of the same metric, window and department share one server
	 * subscription. Without a listener the metric is still kept in `snapshot()`.
	 * @throws InvalidInputError naming `metric`, `window` or `departmentId`, before anything is sent;
	 *   ClosedError after close; the connection's fatal error once it failed.
	 */
	subscribe(request: MetricRequest, listener: MetricListener = {}): MetricSubscription {
		const topic = parseMetricRequest(request);
		if (this.closed) throw new ClosedError('streaming');
		const connection = this.slot.connection;
		const release = connection.subscribe(topic, listener);
		let active = true;
		const subscription: MetricSubscription = {
			topic,
			reading: () => (active ? connection.snapshot.get(topic.id) : undefined),
			unsubscribe: () => {
				if (!active) return;
				active = false;
				this.subscriptions.delete(subscription);
				release();
			},
		};
		this.subscriptions.add(subscription);
		return subscription;
	}

	/** The current reading of every metric this client follows (one per topic, window and department). */
	snapshot(): MetricReading[] {
		const ids = new Set([...this.subscriptions].map((s) => s.topic.id));
		return this.slot.connection.snapshot.list(ids);
	}

	/**
	 * Resolves once the socket is open (at once when it is).
	 * @throws the fatal error (e.g. HttpError 401 after a refresh), ClosedError, AbortedError.
	 */
	ready(signal?: AbortSignal): Promise<void> {
		if (this.closed) return Promise.reject(new ClosedError('streaming'));
		return this.slot.connection.ready(signal);
	}

	/**
	 * Errors that concern the whole connection: a drop or a refused connect (retryable, the client
	 * reconnects), a malformed frame, an error frame for no topic, the fatal error. Returns a disposer.
	 */
	onError(listener: (error: ZendeskError) => void): () => void {
		return this.track(this.slot.connection.onError(listener));
	}

	onStatus(listener: (status: StreamingStatus) => void): () => void {
		return this.track(this.slot.connection.onStatus(listener));
	}

	/** Releases this client's subscriptions and listeners; the last client of the credential closes the socket. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const subscription of [...this.subscriptions]) subscription.unsubscribe();
		for (const dispose of [...this.disposers]) dispose();
		this.disposers.clear();
		await releaseSlot(this.slot);
	}

	private track(dispose: () => void): () => void {
		if (this.closed) {
			dispose();
			return () => undefined;
		}
		const once = () => {
			this.disposers.delete(once);
			dispose();
		};
		this.disposers.add(once);
		return once;
	}
}

/**
 * A client on the credential's shared socket, opening the socket if this is the first one.
 * @throws InvalidInputError for a bad option, or when the credential's socket is open on another URL.
 */
export function acquireStreamingClient(options: StreamingClientOptions): StreamingClient {
	const url = options.url ?? DEFAULT_STREAMING_URL;
	validateOptions(options, url);
	let slot = pool.get(options.credentialKey);
	if (slot && slot.url !== url) {
		throw new InvalidInputError(
			'url',
			'this credential already streams from another URL; give each host its own credential key',
		);
	}
	if (!slot) {
		const created: PoolSlot = {
			key: options.credentialKey,
			url,
			connection: createConnection(options, url),
			leases: 0,
		};
		// A failed socket stays with the clients that hold it (they see its error); a new client tries afresh.
		created.connection.onStatus((status) => {
			if (status === 'failed' && pool.get(created.key) === created) pool.delete(created.key);
		});
		pool.set(created.key, created);
		slot = created;
	}
	slot.leases++;
	return new StreamingClient(slot);
}

/** How many credentials have a socket (open or reconnecting) in this process. */
export function streamingSocketCount(): number {
	return pool.size;
}

async function releaseSlot(slot: PoolSlot): Promise<void> {
	slot.leases--;
	if (slot.leases > 0) return;
	if (pool.get(slot.key) === slot) pool.delete(slot.key);
	await slot.connection.close();
}

function createConnection(options: StreamingClientOptions, url: string): MetricsConnection {
	return new MetricsConnection({
		credentialKey: options.credentialKey,
		tokens: options.tokens,
		url,
		logger: options.logger ?? silentLogger,
		backoff: options.backoff ?? exponentialBackoff({ initialMs: 1000, maxMs: 60_000 }),
		pingIntervalMs: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
		pongTimeoutMs: options.pongTimeoutMs ?? DEFAULT_PONG_TIMEOUT_MS,
		connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
		closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
		connectBudget:
			options.connectBudget ??
			new RateLimiter([{ limit: STREAMING_CONNECTS_PER_MINUTE, windowMs: 60_000 }], 'streaming'),
	});
}

function validateOptions(options: StreamingClientOptions, url: string): void {
	if (typeof options.credentialKey !== 'string' || options.credentialKey === '') {
		throw new InvalidInputError(
			'credentialKey',
			'credentialKey is missing; derive it with credentialKey(...) from the credential',
		);
	}
	if (typeof options.tokens?.getToken !== 'function') {
		throw new InvalidInputError(
			'tokens',
			'tokens must be a TokenProvider with getToken(); use staticToken(token) for a fixed token',
		);
	}
	if (!URL.canParse(url))
		throw new InvalidInputError(
			'url',
			`"${url}" is not a URL; the Streaming API is ${DEFAULT_STREAMING_URL}`,
		);
	const parsed = new URL(url);
	if (parsed.protocol !== 'wss:' && parsed.protocol !== 'ws:') {
		throw new InvalidInputError(
			'url',
			`the Streaming API URL must start with wss:// (got ${parsed.protocol}//)`,
		);
	}
	for (const field of [
		'pingIntervalMs',
		'pongTimeoutMs',
		'connectTimeoutMs',
		'closeTimeoutMs',
	] as const) {
		const value = options[field];
		const allowZero = field === 'pingIntervalMs';
		if (
			value !== undefined &&
			(!Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
		) {
			throw new InvalidInputError(
				field,
				`${field} must be a positive number of milliseconds${allowZero ? ' (0 turns keepalive off)' : ''}`,
			);
		}
	}
}
