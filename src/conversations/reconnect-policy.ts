import { GraphqlError, SessionEndedError, type Backoff, type ZendeskError } from '../shared';
import type { ShouldRetry } from './errors';
import { UpgradeRejectedError } from './socket';

/** How a socket ended; `healthy` says whether the server answered anything on it. */
export type SocketEnd =
	| { kind: 'eos'; reason: string }
	| { kind: 'dropped'; why: string; healthy: boolean }
	| { kind: 'local' };

/** A socket that lived this long was a working connection, even if the server had nothing to say. */
export const HEALTHY_AFTER_MS = 1_000;

/** NOTES.md section 1: the EOS reason when another login of the same agent took the session. */
const CONCURRENT_LOGIN = /concurrent session/i;

export interface ReconnectLimits {
	retryWait: Backoff;
	shouldRetry: ShouldRetry;
	maxSameUrlAttempts: number;
	maxBudgetWaitMs: number;
	stableAfterMs: number;
	maxEosInARow: number;
}

/** The loop's counters, carried from one decision to the next. */
export interface ReconnectState {
	/** Consecutive failures, reset by a healthy socket. */
	retries: number;
	/** Failed attempts at the current websocket_url. */
	sameUrlFailures: number;
	/** Sessions in a row that ended with EOS before they were stable. */
	eosInARow: number;
}

export const INITIAL_RECONNECT_STATE: ReconnectState = {
	retries: 0,
	sameUrlFailures: 0,
	eosInARow: 0,
};

export type ReconnectDecision =
	| {
			action: 'reconnect';
			state: ReconnectState;
			waitMs: number;
			/** Give up the websocket_url and start a new session. */
			newSession: boolean;
			/** Log it as an error, not a warning: the agent is unreachable until then (a refused start). */
			loud: boolean;
	  }
	| { action: 'fail'; error: ZendeskError };

/**
 * After a socket that had opened ended by itself. An abnormal close: "reconnect to the same
 * authenticated WebSocket URL immediately" (overview), only the first time: a socket that dies as
 * soon as it opens, without a word from the server, counts as a failure, so a URL that keeps doing
 * that is backed off from and finally given up. EOS: "make a startAgentSession request"
 * (getting-started, "End of service signal"), except when another login of this agent caused it:
 * restarting would only end that one's session in turn (NOTES.md section 1), so the session fails.
 */
export function afterSocketEnd(
	end: SocketEnd,
	openedForMs: number,
	state: ReconnectState,
	limits: ReconnectLimits,
): ReconnectDecision {
	if (end.kind === 'dropped') {
		let { retries, sameUrlFailures } = state;
		let newSession = false;
		if (end.healthy || openedForMs >= HEALTHY_AFTER_MS) {
			retries = 0;
			sameUrlFailures = 0;
		} else if (++sameUrlFailures >= limits.maxSameUrlAttempts) {
			newSession = true;
			sameUrlFailures = 0;
		}
		const waitMs = retries > 0 ? limits.retryWait(retries - 1) : 0;
		return {
			action: 'reconnect',
			state: { ...state, retries: retries + 1, sameUrlFailures },
			waitMs,
			newSession,
			loud: false,
		};
	}
	const reason = end.kind === 'eos' ? end.reason : 'closed';
	if (CONCURRENT_LOGIN.test(reason)) return { action: 'fail', error: concurrentLoginError(reason) };
	const eosInARow = openedForMs >= limits.stableAfterMs ? 1 : state.eosInARow + 1;
	if (eosInARow > limits.maxEosInARow) {
		return { action: 'fail', error: concurrentLoginError(reason, eosInARow) };
	}
	// Back-to-back EOSes back off instead of fighting over the session.
	const waitMs = eosInARow === 1 ? 0 : limits.retryWait(eosInARow - 2);
	return {
		action: 'reconnect',
		state: { retries: 0, sameUrlFailures: 0, eosInARow },
		waitMs,
		newSession: true,
		loud: false,
	};
}

export interface FailedAttempt {
	error: ZendeskError;
	/** Failed while starting a session (startAgentSession), not while opening its socket. */
	starting: boolean;
	/** A websocket_url is held (the attempt was at it). */
	hasUrl: boolean;
	connectedBefore: boolean;
	/** Retry-After (or the start budget's next slot), when known. */
	retryAfterMs: number | undefined;
}

/**
 * After an attempt to start or open failed. A 4xx on the upgrade says the URL no longer leads to the
 * session; other failures get a few more tries at it. The server's Retry-After (or the start
 * budget's next slot) is a floor under the backoff. Before the first connection, a wait longer than
 * maxBudgetWaitMs fails at once (an action must not hang for up to an hour); after it, the session
 * waits and says so loudly each time a start is refused.
 */
export function afterFailure(
	attempt: FailedAttempt,
	state: ReconnectState,
	limits: ReconnectLimits,
): ReconnectDecision {
	const { error } = attempt;
	let { sameUrlFailures } = state;
	let newSession = false;
	const urlRefused =
		error instanceof UpgradeRejectedError && error.statusCode < 500 && error.statusCode !== 429;
	if (attempt.hasUrl && (urlRefused || ++sameUrlFailures >= limits.maxSameUrlAttempts)) {
		newSession = true;
		sameUrlFailures = 0;
	}
	const waitMs = Math.max(limits.retryWait(state.retries), attempt.retryAfterMs ?? 0);
	const tooLong = !attempt.connectedBefore && waitMs > limits.maxBudgetWaitMs;
	if (
		tooLong ||
		!limits.shouldRetry(error, { retries: state.retries, connectedBefore: attempt.connectedBefore })
	) {
		return { action: 'fail', error };
	}
	const refusedStart =
		attempt.starting && error instanceof GraphqlError && error.errorName === 'RATE_LIMITED';
	return {
		action: 'reconnect',
		state: { ...state, retries: state.retries + 1, sameUrlFailures },
		waitMs,
		newSession,
		loud: refusedStart,
	};
}

function concurrentLoginError(reason: string, inARow?: number): SessionEndedError {
	const what =
		inARow === undefined
			? `Zendesk ended the agent session because another app or n8n instance logged in as the same agent (EOS "${reason}")`
			: `Zendesk ended the agent session ${inARow} times in a row within minutes (last EOS "${reason}"): another app or n8n instance is logged in as the same agent, and each login ends the other's session`;
	return new SessionEndedError(
		reason,
		`${what}. The Conversations API allows one session per agent, so this session stopped instead of taking it back. ` +
			'Stop the other app or n8n instance that uses this agent (or give it an agent of its own: another agent seat and token), then activate the workflow again.',
	);
}
