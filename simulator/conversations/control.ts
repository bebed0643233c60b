import type { SlidingWindowLimiter } from '../rate-window';
import {
	ERROR_NAMES,
	failure,
	HTTP_STATUS,
	isErrorName,
	type ApiFailure,
	type ErrorName,
} from './errors';
import type { TypingIndicator } from './operations';
import type { ServedSchema } from './served-schema';
import { EOS_UNEXPECTED_STATE, type AgentSession, type SessionRegistry } from './sessions';
import type { InjectedFailures } from './socket';

/** A half-written frame: what a client sees when the server's frame is cut or garbled. */
export const DEFAULT_MALFORMED_FRAME = '{"sig":"DATA","payload":{"data":';

class ControlError extends Error {
	constructor(
		readonly code: 'invalid' | 'not_found',
		message: string,
	) {
		super(message);
	}
}

export interface SessionSelector {
	/** A session_id (or the `{session_id}:{client_id}` key). */
	sessionId?: string;
	/** The REST agent id of the session's agent. */
	agentId?: number;
}

/** Queues of failures for the next request frames and subscription starts. */
export class InjectedFailureQueues implements InjectedFailures {
	requests: ApiFailure[] = [];
	subscriptionStarts: ApiFailure[] = [];

	takeRequestFailure(): ApiFailure | undefined {
		return this.requests.shift();
	}

	takeSubscriptionStartFailure(): ApiFailure | undefined {
		return this.subscriptionStarts.shift();
	}

	clear(): void {
		this.requests = [];
		this.subscriptionStarts = [];
	}
}

export interface ControlDeps {
	registry: SessionRegistry;
	injected: InjectedFailureQueues;
	requestLimiter: SlidingWindowLimiter;
	typing: TypingIndicator[];
	counters: { httpRequests: number };
	defaults: { resumeGraceMs: number; subscriptionsSurviveDrop: boolean };
	schema: ServedSchema;
}

/** Control operations of the Conversations API (POST /_sim/conversations/<operation>). */
export function createConversationsControl(deps: ControlDeps) {
	const { registry, injected } = deps;

	const select = (selector: SessionSelector = {}): AgentSession[] => {
		const { sessionId, agentId } = selector;
		const sessions = registry
			.list()
			.filter((s) => sessionId === undefined || s.sessionId === sessionId || s.key === sessionId)
			.filter((s) => agentId === undefined || s.agentId === Number(agentId));
		if ((sessionId !== undefined || agentId !== undefined) && sessions.length === 0) {
			throw new ControlError('not_found', `no live session matches ${JSON.stringify(selector)}`);
		}
		return sessions;
	};

	return {
		/** Every startAgentSession call (HTTP), success or not: total, succeeded, byAgent, byOutcome. */
		sessionStarts: () => ({
			...registry.starts,
			byAgent: { ...registry.starts.byAgent },
			byOutcome: { ...registry.starts.byOutcome },
			httpRequests: deps.counters.httpRequests,
		}),
		/** Live sessions (ended ones are gone: their URLs answer EOS). */
		sessions: () =>
			registry.list().map((s) => ({
				sessionId: s.sessionId,
				clientId: s.clientId,
				agentId: s.agentId,
				websocketUrl: s.websocketUrl,
				state: s.state,
				connected: s.connection !== undefined,
				startedAt: s.startedAt,
				subscriptions: [...s.subscriptions.values()].map((sub) => ({
					id: sub.id,
					field: sub.field,
				})),
				listenedChats: [...s.listenedChats],
			})),
		/** Sends EOS (default reason "unexpected session state") to the selected sessions, or all, and ends them. */
		sendEos: (a: SessionSelector & { reason?: string } = {}) => {
			const sessions = select(a);
			for (const session of sessions) registry.end(session, a.reason ?? EOS_UNEXPECTED_STATE);
			return { ended: sessions.map((s) => s.sessionId) };
		},
		/** Drops the selected (or all) sessions' sockets abruptly: the sessions stay resumable for the grace period. */
		dropSockets: (a: SessionSelector = {}) => {
			const sessions = select(a).filter((s) => s.connection);
			// Answer the control request first when it came over this same server, then drop.
			for (const session of sessions) session.connection?.terminate();
			return { dropped: sessions.map((s) => s.sessionId) };
		},
		/** Sends a frame that is not valid JSON (or `text`) to the selected (or all) connected sessions. */
		sendMalformedFrame: (a: SessionSelector & { text?: string } = {}) => {
			const sessions = select(a).filter((s) => s.connection);
			for (const session of sessions)
				session.connection?.sendRaw(a.text ?? DEFAULT_MALFORMED_FRAME);
			return { sent: sessions.map((s) => s.sessionId) };
		},
		/** The next `count` subscription requests fail with GRAPHQL_SUB_START_ERROR. */
		failNextSubscriptionStarts: (a: { count?: number; message?: string } = {}) => {
			const count = positiveCount(a.count);
			for (let i = 0; i < count; i++) {
				injected.subscriptionStarts.push(
					failure(
						'GRAPHQL_SUB_START_ERROR',
						a.message ?? 'injected GRAPHQL_SUB_START_ERROR: the subscription could not start',
					),
				);
			}
			return { queued: injected.subscriptionStarts.length };
		},
		/** The next `count` WebSocket request frames (query, mutation, subscription) fail with error `name`. */
		failNextRequests: (
			a: { count?: number; name?: string; message?: string; errorCode?: number } = {},
		) => {
			const count = positiveCount(a.count);
			const name = errorName(a.name ?? 'GRAPHQL_EXEC_ERROR');
			for (let i = 0; i < count; i++) {
				injected.requests.push(
					failure(name, a.message ?? `injected ${name}`, a.errorCode ?? HTTP_STATUS[name]),
				);
			}
			return { queued: injected.requests.length };
		},
		/** The next `count` startAgentSession calls fail with error `name` (counted like any call). */
		failNextSessionStarts: (a: { count?: number; name?: string; message?: string } = {}) => {
			const count = positiveCount(a.count);
			registry.injectStartFailures(count, {
				name: errorName(a.name ?? 'RATE_LIMITED'),
				message: a.message,
			});
			return { queued: count };
		},
		/** How long a dropped (or never connected) session stays resumable; 60000 ms by default. */
		setResumeGraceMs: (a: { ms: number }) => {
			if (!Number.isFinite(a?.ms) || a.ms < 0)
				throw new ControlError('invalid', 'ms must be a non-negative number');
			registry.options.resumeGraceMs = a.ms;
			return { resumeGraceMs: a.ms };
		},
		/** Whether subscriptions survive a dropped socket (default false: they end with it). */
		setSubscriptionsSurviveDrop: (a: { survive: boolean }) => {
			if (typeof a?.survive !== 'boolean')
				throw new ControlError('invalid', 'survive must be a boolean');
			registry.options.subscriptionsSurviveDrop = a.survive;
			return { subscriptionsSurviveDrop: a.survive };
		},
		/** Forgets the startAgentSession budgets (1/s, 50/h) and the sessions' 100/s budgets. */
		resetLimits: () => {
			registry.resetLimits();
			deps.requestLimiter.reset();
			return { reset: true };
		},
		/** The schema variant served now (schema.ts SchemaVariant, defaults filled in). */
		schemaVariant: () => deps.schema.current(),
		/**
		 * From now on the server refuses exactly `fields` ("Type.field", e.g. "Visitor.id"; [] refuses
		 * none): documents selecting them fail validation. Subscriptions already started keep running.
		 */
		refuseFields: (a: { fields?: unknown } = {}) => {
			if (!Array.isArray(a.fields) || !a.fields.every((f) => typeof f === 'string')) {
				throw new ControlError(
					'invalid',
					'fields must be a list of "Type.field" strings, e.g. ["Visitor.id"]',
				);
			}
			try {
				return deps.schema.refuseFields(a.fields as string[]);
			} catch (error) {
				throw new ControlError('invalid', (error as Error).message);
			}
		},
		/** setTypingIndicator calls, in order (optionally of one REST chat id). */
		typingIndicators: (a: { chatId?: string } = {}) =>
			deps.typing.filter((t) => a.chatId === undefined || t.chatId === a.chatId),
		/** Ends every session silently, forgets counters, queued failures, limits and options (refused fields: the starting ones). */
		reset: () => {
			registry.endAll();
			registry.resetCounters();
			registry.resetLimits();
			deps.requestLimiter.reset();
			injected.clear();
			deps.typing.length = 0;
			deps.counters.httpRequests = 0;
			Object.assign(registry.options, deps.defaults);
			deps.schema.reset();
			return { reset: true };
		},
	};
}

function positiveCount(count: number | undefined): number {
	const n = count ?? 1;
	if (!Number.isInteger(n) || n < 1)
		throw new ControlError('invalid', 'count must be a positive integer');
	return n;
}

function errorName(name: string): ErrorName {
	if (!isErrorName(name))
		throw new ControlError('invalid', `name must be one of ${ERROR_NAMES.join(', ')}`);
	return name;
}
