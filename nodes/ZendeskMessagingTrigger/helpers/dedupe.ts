import type { INode, Logger } from 'n8n-workflow';

import { EventDeduplicator } from '../../../src/messaging/event-dedupe';
import { RedisEventDeduplicator } from '../../../src/messaging/event-dedupe-redis';
import { queueModeRedis, sharedRedis } from '../../shared/queueMode';

/**
 * Zendesk retries a delivery it counts as failed (no 2xx within 20 s, up to 5 attempts over 15
 * minutes), so one event can arrive again after it started an execution. Each trigger node
 * remembers the event ids it let through for that window, in this process: one deduplicator per
 * workflow, node and mode (a test listener and the production webhook each get every event).
 *
 * Memory is bounded three times: each deduplicator keeps at most MAX_IDS_PER_TRIGGER ids, each
 * id at most MAX_EVENT_ID_LENGTH (128) characters (a longer one is a bad event, never stored), and
 * at most MAX_TRIGGERS deduplicators are kept (the least recently used one goes first): at most
 * 1.28 M id characters per trigger. Ids expire after the retry window; nothing else needs cleaning
 * up, so deactivation leaves this alone.
 */
export const MAX_TRIGGERS = 100;
export const MAX_IDS_PER_TRIGGER = 10_000;

const registry = new Map<string, EventDeduplicator>();

/** The deduplicator of one trigger node in one mode ('webhook' in production, 'manual' when testing). */
export function deduplicatorFor(
	workflowId: string | undefined,
	node: INode,
	mode: string,
): EventDeduplicator {
	const key = JSON.stringify([workflowId ?? '', node.id ?? node.name, mode]);
	let seen = registry.get(key);
	if (seen) {
		registry.delete(key);
	} else {
		// Date.now looked up on each call (not captured once), so a test can move the clock.
		seen = new EventDeduplicator({ maxEntries: MAX_IDS_PER_TRIGGER, now: () => Date.now() });
	}
	registry.set(key, seen);
	if (registry.size > MAX_TRIGGERS) registry.delete(registry.keys().next().value as string);
	return seen;
}

/** How many triggers are remembered (for tests of the bound). */
export function rememberedTriggers(): number {
	return registry.size;
}

/** How many ids all triggers remember, and their characters together (for tests of the bound). */
export function rememberedIds(): { ids: number; idChars: number } {
	let ids = 0;
	let idChars = 0;
	for (const seen of registry.values()) {
		ids += seen.size;
		idChars += seen.idChars;
	}
	return { ids, idChars };
}

/** What the webhook asks: is this event new? Synchronous in one process, a Redis round trip in queue mode. */
export interface SeenEvents {
	firstSeen(id: string): boolean | Promise<boolean>;
}

/**
 * The event ids of one trigger node in one mode. Without queue mode, the in-process deduplicator
 * above. In queue mode any main or webhook instance may receive a retried delivery, so the ids are
 * kept in n8n's Redis instead; when Redis cannot be asked, the event counts as new (a duplicate
 * execution is better than a lost event, and Zendesk's retries are rare) and the log says so.
 */
export function eventDeduplicatorFor(
	workflowId: string | undefined,
	node: INode,
	mode: string,
	logger?: Logger,
): SeenEvents {
	const redis = queueModeRedis();
	if (!redis) return deduplicatorFor(workflowId, node, mode);
	const seen = new RedisEventDeduplicator({
		redis: () => sharedRedis(redis),
		prefix: redis.prefix,
		scope: `${workflowId ?? ''}:${node.id ?? node.name}:${mode}`,
	});
	return {
		firstSeen: async (id) => {
			try {
				return await seen.firstSeen(id);
			} catch (error) {
				logger?.warn(
					`Zendesk Messaging Trigger: could not check event ${id} against n8n's Redis, so it is processed (${String(error)})`,
				);
				return true;
			}
		},
	};
}
