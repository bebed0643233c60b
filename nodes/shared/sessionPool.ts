import { InProcessSessionPool, type SessionPool } from '../../src/conversations/session-pool';

/**
 * The process-wide Conversations API session pool: the Zendesk Chat Trigger and every Zendesk Chat
 * action lease the agent's one session from here (ARCHITECTURE.md, "one agent session per agent").
 * Kept on globalThis under a registered symbol, so that even two copies of this module (n8n can
 * load a package's files through different paths) share one pool.
 */
const kPool = Symbol.for('n8n-nodes-zendesk-chat.sessionPool');

/**
 * How long a session nobody leases stays open, so bursts of executions reuse it instead of spending
 * the 50-starts-an-hour budget. N8N_ZENDESK_CHAT_SESSION_IDLE_SECONDS overrides the 5 minutes.
 */
function idleMs(): number | undefined {
	const seconds = Number(process.env.N8N_ZENDESK_CHAT_SESSION_IDLE_SECONDS);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function sharedSessionPool(): SessionPool {
	const holder = globalThis as typeof globalThis & { [kPool]?: SessionPool };
	holder[kPool] ??= new InProcessSessionPool({ idleMs: idleMs() });
	return holder[kPool];
}
