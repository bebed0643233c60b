import {
	agents,
	AGENT_STATUSES,
	updateAgentStatus,
	type AgentStatus,
	type ConversationsTransport,
} from '../../../src/conversations';
import type { SourceHooks } from './source';

/** How long deactivation waits for the status to be put back (it must fit in CLOSE_TIMEOUT_MS). */
const RESTORE_TIMEOUT_MS = 2_000;

/** What activation changed, and how to put it back. */
export interface PresenceChange {
	readonly from: string | null;
	readonly to: AgentStatus;
	restore(): Promise<void>;
}

/**
 * Sets the agent's status for the trigger's life, remembering the status it had. A test run
 * ("Listen for test event") changes nothing: it would leave the bot online after the test, and
 * Zendesk would route real visitors to an agent nobody listens to.
 * @returns what changed, or undefined when nothing did.
 */
export async function applyPresence(
	session: ConversationsTransport,
	presence: AgentStatus | null,
	agentId: number | null,
	hooks: Pick<SourceHooks, 'logger' | 'manual' | 'node'>,
	signal: AbortSignal,
): Promise<PresenceChange | undefined> {
	if (presence === null) return undefined;
	if (hooks.manual) {
		hooks.logger.info(
			`Zendesk Chat Trigger: a test run leaves the agent's status as it is (the trigger sets it to ${presence} once the workflow is active)`,
			{
				node: hooks.node.name,
			},
		);
		return undefined;
	}
	const from = await currentStatus(session, agentId, signal);
	// The documented order: start the session, set the status, then subscribe.
	await session.request(updateAgentStatus({ status: presence }), { signal });
	if (from === presence) return undefined;
	return { from, to: presence, restore: () => restore(session, from, presence, hooks) };
}

/** The agent's status before the trigger changed it: its entry in the `agents` query, matched by REST id (`raw_id`). */
async function currentStatus(
	session: ConversationsTransport,
	agentId: number | null,
	signal: AbortSignal,
): Promise<string | null> {
	if (agentId === null) return null;
	try {
		const list = await session.request(agents(), { signal });
		return list.find((agent) => agent.raw_id === String(agentId))?.status ?? null;
	} catch {
		return null;
	}
}

/**
 * Puts back the status the agent had; OFFLINE (no session before) or an unknown status cannot be set,
 * so the agent goes INVISIBLE: no longer routed chats that nobody will answer.
 */
async function restore(
	session: ConversationsTransport,
	from: string | null,
	to: AgentStatus,
	hooks: Pick<SourceHooks, 'logger' | 'node'>,
): Promise<void> {
	const target: AgentStatus = (AGENT_STATUSES as readonly string[]).includes(from ?? '')
		? (from as AgentStatus)
		: 'INVISIBLE';
	if (target === to) return;
	try {
		await session.request(updateAgentStatus({ status: target }), { timeoutMs: RESTORE_TIMEOUT_MS });
	} catch (error) {
		hooks.logger.warn(
			`Zendesk Chat Trigger: could not put the agent's status back to ${target} after deactivation (${error instanceof Error ? error.message : String(error)}); it stays ${to} until the session ends`,
			{ node: hooks.node.name },
		);
	}
}
