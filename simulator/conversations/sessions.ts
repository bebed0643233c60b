import { randomBytes } from 'node:crypto';

import type { Clock, ClockTimer } from '../clock';
import { retryAfterSeconds, SlidingWindowLimiter } from '../rate-window';
import type { ChatWorld } from '../world/chat-world';
import { ConversationsError, type ErrorName } from './errors';
import type { PreparedRequest } from './graphql-runner';

/** The getting-started doc: "generate an OAuth access token with read, write, and chat scopes". */
export const REQUIRED_SCOPES = ['read', 'write', 'chat'] as const;

/** EOS reasons. Only "concurrent session limit reached" (NOTES.md section 1) and the doc's example are attested. */
export const EOS_CONCURRENT = 'concurrent session limit reached';
export const EOS_UNEXPECTED_STATE = 'unexpected session state';
/** (unverified) the reason after stopAgentSession. */
export const EOS_STOPPED = 'agent session stopped';

export interface ActiveSubscription {
	id: string;
	field: 'message' | 'chatActivity';
	prepared: PreparedRequest;
	/** chatActivity's filter.chat_activity_types; null means every type. */
	activityTypes: ReadonlySet<string> | null;
}

/** What the registry needs from a connected socket. */
export interface SessionConnection {
	sendEos(reason: string): void;
	/** Closes the socket without EOS (another socket took the session over). */
	replace(): void;
	/** Ends the socket abruptly, as a network failure would (the client sees 1006). */
	terminate(): void;
	sendRaw(text: string): void;
	sendData(
		subscriptionId: string,
		result: { data?: unknown; errors?: unknown },
		errorCode?: number,
	): void;
}

export type SessionState = 'pending' | 'connected' | 'detached';

export class AgentSession {
	state: SessionState = 'pending';
	connection: SessionConnection | undefined;
	readonly subscriptions = new Map<string, ActiveSubscription>();
	/** listenVisitorChannel: chats whose messages this session keeps receiving after a handoff. */
	readonly listenedChats = new Set<string>();
	graceTimer: ClockTimer | undefined;

	constructor(
		readonly sessionId: string,
		readonly clientId: string,
		readonly agentId: number,
		readonly websocketUrl: string,
		readonly startedAt: number,
	) {}

	/** `{session_id}:{client_id}`, the last segment of websocket_url. */
	get key(): string {
		return `${this.sessionId}:${this.clientId}`;
	}
}

export interface SessionOptions {
	/** How long a session whose socket dropped (or never connected) stays resumable. */
	resumeGraceMs: number;
	/** Whether subscriptions outlive a dropped socket (default: they end with it). */
	subscriptionsSurviveDrop: boolean;
}

export interface StartCounters {
	/** Every startAgentSession call, whatever its outcome. */
	total: number;
	succeeded: number;
	/** By the REST agent id of the token, for calls whose token is known (even revoked). */
	byAgent: Record<string, number>;
	/** 'ok' or the error name. */
	byOutcome: Record<string, number>;
}

interface InjectedFailure {
	name: ErrorName;
	message?: string;
}

/**
 * Agent sessions: startAgentSession's limits and its one-session-per-agent rule, the socket a
 * session is attached to, and the grace period during which a dropped session can be resumed.
 */
export class SessionRegistry {
	private readonly sessions = new Map<string, AgentSession>();
	// seeds/chat-conversations-api-overview.txt "Rate limits": startAgentSession 1 request per second
	// or 50 requests per hour (whichever is reached first). Per agent (unverified key); only calls
	// with a valid token that has the scopes count (unverified), so UNAUTHORIZED/FORBIDDEN spend nothing.
	private readonly perSecond: SlidingWindowLimiter;
	private readonly perHour: SlidingWindowLimiter;
	private injected: InjectedFailure[] = [];
	readonly starts: StartCounters = { total: 0, succeeded: 0, byAgent: {}, byOutcome: {} };

	constructor(
		private readonly world: ChatWorld,
		private readonly clock: Clock,
		readonly options: SessionOptions,
		private readonly websocketBase: () => string,
	) {
		this.perSecond = new SlidingWindowLimiter(clock, 1, 1000);
		this.perHour = new SlidingWindowLimiter(clock, 50, 3_600_000);
	}

	/** The startAgentSession mutation; throws UNAUTHORIZED, FORBIDDEN or RATE_LIMITED. */
	start(accessToken: string): AgentSession {
		this.starts.total += 1;
		try {
			const session = this.tryStart(accessToken);
			this.starts.succeeded += 1;
			this.count('byOutcome', 'ok');
			return session;
		} catch (error) {
			this.count('byOutcome', error instanceof ConversationsError ? error.errorName : 'internal');
			throw error;
		}
	}

	private tryStart(accessToken: string): AgentSession {
		const known = this.world.tokens.get(accessToken);
		if (known) this.count('byAgent', String(known.agentId));
		const injected = this.injected.shift();
		if (injected)
			throw new ConversationsError(injected.name, injected.message ?? `injected ${injected.name}`);
		const token = this.world.authenticate(accessToken);
		if (!token) {
			// getting-started "Error Name": "invalid access token" or "the agent being disabled".
			throw new ConversationsError(
				'UNAUTHORIZED',
				'the access token is invalid, revoked or expired, or its agent is disabled',
			);
		}
		const missing = REQUIRED_SCOPES.filter((scope) => !token.scopes.includes(scope));
		if (missing.length > 0) {
			throw new ConversationsError(
				'FORBIDDEN',
				`the access token lacks the scope(s) ${missing.join(', ')}: the Conversations API needs read, write and chat`,
			);
		}
		const key = String(token.agentId);
		const second = this.perSecond.check(key);
		const hour = this.perHour.check(key);
		if (!second.allowed || !hour.allowed) {
			const waitMs = Math.max(second.retryAfterMs, hour.retryAfterMs);
			const which = hour.allowed ? '1 per second' : '50 per hour';
			throw new ConversationsError(
				'RATE_LIMITED',
				`startAgentSession is limited to ${which} per agent`,
				undefined,
				retryAfterSeconds(waitMs),
			);
		}
		this.perSecond.take(key);
		this.perHour.take(key);

		// Concurrent login ends the agent's other session (getting-started "End of service signal").
		for (const other of this.sessions.values()) {
			if (other.agentId === token.agentId) this.end(other, EOS_CONCURRENT);
		}
		const sessionId = this.uniqueSessionId();
		const clientId = String(1_000_000_000 + (randomBytes(4).readUInt32BE(0) % 9_000_000_000));
		const url = `${this.websocketBase()}/stream/0.1/graphql/${sessionId}:${clientId}`;
		const session = new AgentSession(sessionId, clientId, token.agentId, url, this.clock.now());
		this.sessions.set(session.key, session);
		// (unverified) a session nobody connects to expires like a dropped one.
		this.startGrace(session);
		return session;
	}

	/** A live session by `{session_id}:{client_id}`. */
	find(key: string): AgentSession | undefined {
		return this.sessions.get(key);
	}

	list(): AgentSession[] {
		return [...this.sessions.values()];
	}

	/** A socket connected to the session's URL; a socket already attached is closed (a resume wins). */
	attach(session: AgentSession, connection: SessionConnection): void {
		const previous = session.connection;
		if (previous && previous !== connection) {
			this.loseConnection(session);
			previous.replace();
		}
		this.clearGrace(session);
		session.connection = connection;
		session.state = 'connected';
	}

	/** The session's socket closed without stopAgentSession: resumable for the grace period. */
	detach(session: AgentSession, connection: SessionConnection): void {
		if (session.connection !== connection || !this.sessions.has(session.key)) return;
		session.connection = undefined;
		this.loseConnection(session);
		session.state = 'detached';
		this.startGrace(session);
	}

	/** Ends the session: its URL is dead from now on. With `eosReason`, a connected socket hears EOS first. */
	end(session: AgentSession, eosReason?: string): void {
		if (!this.sessions.delete(session.key)) return;
		this.clearGrace(session);
		session.subscriptions.clear();
		const connection = session.connection;
		session.connection = undefined;
		if (connection) {
			if (eosReason !== undefined) connection.sendEos(eosReason);
			else connection.terminate();
		}
	}

	endAll(eosReason?: string): void {
		for (const session of this.list()) this.end(session, eosReason);
	}

	injectStartFailures(count: number, failure: InjectedFailure): void {
		for (let i = 0; i < count; i++) this.injected.push(failure);
	}

	resetLimits(): void {
		this.perSecond.reset();
		this.perHour.reset();
	}

	resetCounters(): void {
		this.starts.total = 0;
		this.starts.succeeded = 0;
		this.starts.byAgent = {};
		this.starts.byOutcome = {};
		this.injected = [];
	}

	close(): void {
		for (const session of this.list()) {
			this.clearGrace(session);
			session.connection?.terminate();
		}
		this.sessions.clear();
	}

	private loseConnection(session: AgentSession): void {
		if (!this.options.subscriptionsSurviveDrop) session.subscriptions.clear();
	}

	private startGrace(session: AgentSession): void {
		this.clearGrace(session);
		session.graceTimer = this.clock.setTimeout(() => {
			session.graceTimer = undefined;
			if (session.connection === undefined) this.end(session);
		}, this.options.resumeGraceMs);
	}

	private clearGrace(session: AgentSession): void {
		if (session.graceTimer) this.clock.clearTimeout(session.graceTimer);
		session.graceTimer = undefined;
	}

	private uniqueSessionId(): string {
		for (;;) {
			// The doc's example session_id is "8b40lm": six lowercase base-36 characters.
			const id = (randomBytes(4).readUInt32BE(0) % 36 ** 6).toString(36).padStart(6, '0');
			if (![...this.sessions.values()].some((s) => s.sessionId === id)) return id;
		}
	}

	private count(group: 'byAgent' | 'byOutcome', key: string): void {
		this.starts[group][key] = (this.starts[group][key] ?? 0) + 1;
	}
}
