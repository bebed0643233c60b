import { sharedSessionPool as corePool, type SessionPool } from '../../src/conversations/session-pool';

/**
 * How long a session nobody leases stays open, so bursts of executions reuse it instead of spending
 * the 50-starts-an-hour budget. N8N_ZENDESK_CHAT_SESSION_IDLE_SECONDS overrides the core's 5 minutes.
 */
function idleMs(): number | undefined {
	const raw = process.env.N8N_ZENDESK_CHAT_SESSION_IDLE_SECONDS;
	const seconds = raw === undefined || raw === '' ? Number.NaN : Number(raw);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * The process-wide Conversations API session pool: the Zendesk Chat Trigger and every Zendesk Chat
 * action lease the agent's one session from it (ARCHITECTURE.md, "one agent session per agent").
 */
export function sharedSessionPool(): SessionPool {
	return corePool({ idleMs: idleMs() });
}
