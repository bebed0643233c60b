import type { INode } from 'n8n-workflow';

import { EventDeduplicator } from '../../../src/messaging/event-dedupe';

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
export function deduplicatorFor(workflowId: string | undefined, node: INode, mode: string): EventDeduplicator {
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
