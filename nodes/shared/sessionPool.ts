import type { Logger as N8nLogger } from 'n8n-workflow';

import { RedisSessionPool } from '../../src/conversations/cluster';
import {
	sharedSessionPool as corePool,
	type SessionLease,
	type SessionPool,
} from '../../src/conversations/session-pool';
import { ChatRestClient } from '../../src/rest';
import { credentialKey } from '../../src/shared/credentials';
import type { Logger } from '../../src/shared/logger';
import type { ChatConnection } from './connection';
import { queueModeRedis } from './queueMode';

/**
 * How long a session nobody leases stays open, so bursts of executions reuse it instead of spending
 * the 50-starts-an-hour budget. N8N_ZENDESK_CHAT_SESSION_IDLE_SECONDS overrides the core's 5 minutes.
 */
function idleMs(): number | undefined {
	const raw = process.env.N8N_ZENDESK_CHAT_SESSION_IDLE_SECONDS;
	const seconds = raw === undefined || raw === '' ? Number.NaN : Number(raw);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Like the core's in-process pool, on globalThis, so two copies of this module share one pool (and one session per agent). */
const kClusterPool = Symbol.for('n8n-nodes-zendesk-chat.sharedClusterSessionPool');
const holder = globalThis as typeof globalThis & { [kClusterPool]?: RedisSessionPool };

/**
 * The process-wide Conversations API session pool: the Zendesk Chat Trigger and every Zendesk Chat
 * action lease the agent's one session from it (ARCHITECTURE.md, "one agent session per agent").
 *
 * In n8n's queue mode (EXECUTIONS_MODE=queue) the trigger runs on the main instance and actions on
 * workers, so the pool is a RedisSessionPool over n8n's own Redis: one process holds each agent's
 * session and the others relay to it. ioredis is loaded only then.
 */
export function sharedSessionPool(): SessionPool {
	const redis = queueModeRedis();
	if (!redis) return corePool({ idleMs: idleMs() });
	holder[kClusterPool] ??= new RedisSessionPool({ redis, idleMs: idleMs() });
	return holder[kClusterPool];
}

/** Who a credential signs in as. */
export interface AgentIdentity {
	/** The pool key: of the agent when known, else of the credential. */
	key: string;
	/** The agent's Chat REST API id, when it could be asked. */
	agentId: number | null;
}

/** Agents of credentials already asked about, by credential key (a process keeps a few dozen at most). */
const identities = new Map<string, Promise<AgentIdentity>>();
const IDENTITIES_MAX = 256;

/**
 * The agent a credential signs in as. Two credentials for one agent (two tokens, or a token and an
 * OAuth2 connection) must share one session, or each start ends the other's with EOS; so the pool is
 * keyed by the agent the Chat REST API names for the token (`GET /agents/me`), asked once per
 * credential and process. When that cannot be asked, the credential's own key is used (and the
 * question is asked again next time).
 */
export function agentIdentity(connection: ChatConnection, logger?: Logger): Promise<AgentIdentity> {
	let identity = identities.get(connection.credentialKey);
	if (!identity) {
		identity = lookUpAgent(connection).catch((error: unknown) => {
			identities.delete(connection.credentialKey);
			logger?.warn(
				`Zendesk Chat: could not ask which agent the credential signs in as (${String(error)}); its session is keyed by the credential`,
			);
			return { key: connection.credentialKey, agentId: null };
		});
		identities.set(connection.credentialKey, identity);
		if (identities.size > IDENTITIES_MAX)
			identities.delete(identities.keys().next().value as string);
	}
	return identity;
}

async function lookUpAgent({
	endpoints,
	tokens,
	credentialKey: key,
}: ChatConnection): Promise<AgentIdentity> {
	const rest = new ChatRestClient({
		baseUrl: endpoints.restBaseUrl,
		token: tokens,
		credentialKey: key,
	});
	try {
		const agent = await rest.getCurrentAgent();
		return {
			key: credentialKey('zendeskChatAgent', endpoints.restBaseUrl, String(agent.id)),
			agentId: agent.id,
		};
	} finally {
		await rest.close();
	}
}

/**
 * Leases the agent's pooled session for a node: keyed by the agent, logging through the node's
 * logger (n8n's), so drops, EOS and refused starts show in n8n's log.
 */
export async function leaseChatSession(
	connection: ChatConnection,
	options: { signal?: AbortSignal; logger?: N8nLogger } = {},
): Promise<SessionLease> {
	const logger = options.logger as Logger | undefined;
	const { key } = await agentIdentity(connection, logger);
	return sharedSessionPool().lease(
		{ key, tokenProvider: connection.tokens, httpUrl: connection.endpoints.conversationsHttpUrl },
		{ signal: options.signal, logger },
	);
}
