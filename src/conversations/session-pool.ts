import {
	ClosedError,
	InvalidInputError,
	SwitchableLogger,
	raceAbort,
	type Logger,
	type TokenProvider,
} from '../shared';
import { AgentSession, type AgentSessionOptions } from './agent-session';
import { DEFAULT_IDLE_MS } from './constants';
import { leaseOver } from './leased-transport';
import type { ConversationsTransport } from './transport';

/**
 * The one hard rule of the Conversations API: one agent session per agent. A second
 * startAgentSession for the same agent ends the first with EOS, and starts are limited to 1/s and
 * 50/h. So the trigger and every action borrow the same session from a pool keyed by credential.
 *
 * `SessionPool` is the small interface the nodes see (lease, then request / subscribe on the lease,
 * then release); `InProcessSessionPool` implements it for one process. A cross-process version
 * (n8n queue mode: workers relaying to the session holder) can implement the same interface.
 */

/** Which agent a session is for. */
export interface SessionCredential {
	/**
	 * A stable, non-secret key of the agent, e.g. `credentialKey(restBaseUrl, agentId)` (or of the
	 * credential, when the agent is not known): never the token itself. Leases with the same key share
	 * one session, so two credentials of one agent must give the same key.
	 */
	key: string;
	tokenProvider: TokenProvider;
	/** @default 'https://chat-api.zopim.com/graphql/request' */
	httpUrl?: string;
}

export interface SessionLease {
	/** The shared session, for requests and subscriptions; unusable after `release()`. */
	readonly session: ConversationsTransport;
	/** Gives the session back and stops this lease's subscriptions. Calling it again does nothing. */
	release(): Promise<void>;
}

export interface SessionPool {
	/**
	 * Borrows the credential's session, starting (and connecting) it if nobody holds it.
	 * @throws the start error (e.g. GraphqlError UNAUTHORIZED), or AbortedError when `signal` aborts first.
	 */
	lease(credential: SessionCredential, options?: LeaseOptions): Promise<SessionLease>;
	/** Closes every session; later leases fail with ClosedError. */
	close(): Promise<void>;
}

export interface LeaseOptions {
	signal?: AbortSignal;
	/**
	 * Where the session logs while this lease is the newest one holding it (n8n's logger of the node
	 * that leased it); once every lease is gone, the last one's logger is kept.
	 */
	logger?: Logger;
}

export interface InProcessSessionPoolOptions {
	/** How long a session nobody leases stays open, so bursts of executions reuse it. @default 300_000 */
	idleMs?: number;
	/** Options for every session the pool starts (timeouts, logger, agentStatus, ...). */
	sessionOptions?: Omit<AgentSessionOptions, 'tokenProvider' | 'httpUrl' | 'key' | 'logger'> & {
		logger?: Logger;
	};
}

interface PoolEntry {
	readonly key: string;
	readonly session: AgentSession;
	readonly logger: SwitchableLogger;
	refs: number;
	idleTimer: NodeJS.Timeout | undefined;
}

export class InProcessSessionPool implements SessionPool {
	private readonly idleMs: number;
	private readonly sessionOptions: InProcessSessionPoolOptions['sessionOptions'];
	private readonly entries = new Map<string, PoolEntry>();
	/** Sessions being closed, per key: a new session for the key waits, so two never overlap (EOS). */
	private readonly retiring = new Map<string, Promise<void>>();
	private closed = false;

	constructor(options: InProcessSessionPoolOptions = {}) {
		this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
		this.sessionOptions = options.sessionOptions;
	}

	async lease(credential: SessionCredential, options: LeaseOptions = {}): Promise<SessionLease> {
		if (typeof credential?.key !== 'string' || credential.key === '') {
			throw new InvalidInputError(
				'key',
				'a session lease needs the credential key (credentialKey(...)), never the token itself',
			);
		}
		if (typeof credential.tokenProvider?.getToken !== 'function') {
			throw new InvalidInputError(
				'tokenProvider',
				'a session lease needs a tokenProvider with getToken()',
			);
		}
		const entry = await this.entryFor(credential);
		entry.refs++;
		clearTimeout(entry.idleTimer);
		entry.idleTimer = undefined;
		const stopLogging = options.logger ? entry.logger.use(options.logger) : () => undefined;
		try {
			await raceAbort(entry.session.connect(), options.signal);
		} catch (error) {
			stopLogging();
			this.unref(entry);
			throw error;
		}
		return this.makeLease(entry, stopLogging);
	}

	/** The session currently pooled under `key`, if any (for diagnostics and tests). */
	sessionFor(key: string): AgentSession | undefined {
		return this.entries.get(key)?.session;
	}

	/** How many leases hold the session of `key`. */
	leases(key: string): number {
		return this.entries.get(key)?.refs ?? 0;
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const entry of [...this.entries.values()]) this.retire(entry);
		await Promise.all([...this.retiring.values()]);
	}

	private async entryFor(credential: SessionCredential): Promise<PoolEntry> {
		for (;;) {
			if (this.closed) throw new ClosedError('conversations');
			const existing = this.entries.get(credential.key);
			if (existing && !isEnded(existing.session)) return existing;
			if (existing) this.retire(existing);
			const retiring = this.retiring.get(credential.key);
			if (retiring) {
				await retiring;
				continue;
			}
			const logger = new SwitchableLogger(this.sessionOptions?.logger);
			const entry: PoolEntry = {
				key: credential.key,
				session: new AgentSession({
					...this.sessionOptions,
					logger,
					tokenProvider: credential.tokenProvider,
					httpUrl: credential.httpUrl,
					key: credential.key,
				}),
				logger,
				refs: 0,
				idleTimer: undefined,
			};
			this.entries.set(credential.key, entry);
			return entry;
		}
	}

	private makeLease(entry: PoolEntry, stopLogging: () => void): SessionLease {
		return leaseOver(entry.session, () => {
			stopLogging();
			this.unref(entry);
		});
	}

	private unref(entry: PoolEntry): void {
		entry.refs = Math.max(0, entry.refs - 1);
		if (entry.refs > 0 || this.entries.get(entry.key) !== entry) return;
		if (isEnded(entry.session)) {
			this.retire(entry);
			return;
		}
		entry.idleTimer = setTimeout(() => {
			if (entry.refs === 0) this.retire(entry);
		}, this.idleMs);
		entry.idleTimer.unref();
	}

	private retire(entry: PoolEntry): void {
		clearTimeout(entry.idleTimer);
		entry.idleTimer = undefined;
		if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
		const closing = entry.session.close().finally(() => {
			if (this.retiring.get(entry.key) === closing) this.retiring.delete(entry.key);
		});
		this.retiring.set(entry.key, closing);
	}
}

function isEnded(session: AgentSession): boolean {
	return session.state === 'closing' || session.state === 'closed' || session.state === 'failed';
}

/**
 * The process-wide pool lives on globalThis under a registered symbol, so that even two copies of
 * this module (n8n may load a package's files through different paths) share one pool, and so one
 * session per agent.
 */
const kSharedPool = Symbol.for('n8n-nodes-zendesk-chat.sharedSessionPool');
const holder = globalThis as typeof globalThis & { [kSharedPool]?: InProcessSessionPool };

/**
 * The process-wide pool the nodes lease from. `options` apply when this call creates it (the first
 * call in the process, or the first after `closeSharedSessionPool()`).
 */
export function sharedSessionPool(options?: InProcessSessionPoolOptions): InProcessSessionPool {
	holder[kSharedPool] ??= new InProcessSessionPool(options);
	return holder[kSharedPool];
}

/** Closes the process-wide pool (process shutdown, tests); the next `sharedSessionPool()` is a new one. */
export async function closeSharedSessionPool(): Promise<void> {
	const pool = holder[kSharedPool];
	holder[kSharedPool] = undefined;
	await pool?.close();
}
