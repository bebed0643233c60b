import type { Clock } from '../clock';
import type { WebhookDelivery } from './delivery';
import { isoAt, newId } from './ids';
import type { SunshineStore } from './store';
import type { ConversationRecord, WebhookRecord } from './types';
import type { Json } from './validate';

/** Every webhook trigger (openapi.yaml tag Webhooks, "Webhook Triggers"; case sensitive). */
export const TRIGGERS = [
	'client:add',
	'client:remove',
	'client:update',
	'conversation:create',
	'conversation:join',
	'conversation:leave',
	'conversation:remove',
	'conversation:message',
	'conversation:message:delivery:channel',
	'conversation:message:delivery:failure',
	'conversation:message:delivery:user',
	'conversation:postback',
	'conversation:read',
	'conversation:referral',
	'passthrough:messaging',
	'conversation:typing',
	'switchboard:acceptControl',
	'switchboard:acceptControl:failure',
	'switchboard:offerControl',
	'switchboard:offerControl:failure',
	'switchboard:passControl',
	'switchboard:passControl:failure',
	'switchboard:releaseControl',
	'user:merge',
	'user:update',
	'user:remove',
] as const;

export type Trigger = (typeof TRIGGERS)[number];

/**
 * Conversation activity the switchboard routes: an integration linked to a switchboard integration
 * gets these only while it is active or pending, or when its deliverStandbyEvents is true
 * (openapi.yaml `deliverStandbyEvents`: "if webhooks should be sent when the switchboard
 * integration is not in control"). Switchboard, create and remove events go to every subscriber.
 * (unverified: which triggers the switchboard filters, and that pending integrations receive them,
 * as the Botpress HITL flow relies on, NOTES.md section 6)
 */
const ROUTED: ReadonlySet<string> = new Set([
	'conversation:message',
	'conversation:postback',
	'conversation:read',
	'conversation:typing',
]);

/** Builds an event once and sends it to every webhook subscribed to its trigger. */
export class EventBus {
	constructor(
		private readonly store: SunshineStore,
		private readonly delivery: WebhookDelivery,
		private readonly clock: Clock,
	) {}

	/**
	 * `payload` is built per webhook, because includeFullUser / includeFullSource change it.
	 * Returns the event id (also the id of each delivery of it).
	 */
	publish(
		type: Trigger,
		payload: (webhook: WebhookRecord) => Json,
		conversation?: ConversationRecord,
	): string {
		const id = newId();
		const createdAt = isoAt(this.clock.now());
		for (const webhook of this.store.webhooks.values()) {
			if (!webhook.triggers.includes(type)) continue;
			if (conversation && ROUTED.has(type) && !this.switchboardLetsThrough(webhook, conversation))
				continue;
			this.delivery.send(webhook, { id, createdAt, type, payload: payload(webhook) });
		}
		return id;
	}

	private switchboardLetsThrough(
		webhook: WebhookRecord,
		conversation: ConversationRecord,
	): boolean {
		// openapi.yaml `enabled`: "When a switchboard is disabled, integrations linked to the switchboard
		// will receive all events"; DeleteSwitchboard: they "will start receiving all conversation events".
		if (!this.store.switchboard?.enabled) return true;
		const linked = this.store.switchboardIntegrationOf(webhook.integrationId);
		// "The integration that was linked to the deleted switchboard integration will start receiving
		// all conversation events" (openapi.yaml DeleteSwitchboardIntegration): unlinked ones get all.
		if (!linked) return true;
		return (
			linked.deliverStandbyEvents ||
			linked.id === conversation.activeSwitchboardIntegrationId ||
			linked.id === conversation.pendingSwitchboardIntegrationId
		);
	}
}
