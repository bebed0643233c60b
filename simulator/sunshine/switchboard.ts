import { SunshineError, badRequest, forbidden } from './errors';
import type { EventBus } from './events';
import { presentConversationTruncated } from './present';
import type { SunshineStore } from './store';
import type {
	Caller,
	ConversationRecord,
	Metadata,
	SwitchboardIntegrationRecord,
	TicketRecord,
} from './types';
import type { Json } from './validate';

/** openapi.yaml ListSwitchboardIntegrations example / NOTES.md section 5: the agent workspace's type. */
export const AGENT_WORKSPACE_TYPE = 'zd:agentWorkspace';
/** NOTES.md section 5 (Zendesk article 4419179022874): a ticket carries the last 10 messages by default. */
export const TICKET_DEFAULT_MESSAGES = 10;

/**
 * A refused switchboard action: the 400 its caller gets, and the `error` of the
 * `switchboard:<action>:failure` webhook (openapi.yaml switchboard*ControlFailure events: `{code,
 * message}`; the codes and messages of their examples). The spec documents no 400 for the actions
 * themselves; the failure events show they can fail, and the general rule answers a refused
 * request with a 400. (unverified: whether Zendesk answers 400 or 200 and only sends the webhook)
 */
export class SwitchboardFailure extends SunshineError {
	constructor(
		title: string,
		readonly failure: {
			code: 'switchboard_invalid_target' | 'switchboard_invalid_action';
			message: string;
		},
	) {
		super(400, 'bad_request', title);
	}
}

/** openapi.yaml switchboardPassControlFailureEvent example: `switchboard_invalid_target`, "Switchboard invalid target". */
const invalidTarget = (title: string, message = title) =>
	new SwitchboardFailure(title, { code: 'switchboard_invalid_target', message });

type ControlAction = 'passControl' | 'offerControl' | 'acceptControl';

/**
 * Switchboard actions (openapi.yaml tag "Switchboard Actions"): which switchboard integration is
 * active or pending in a conversation, the switchboard:* webhooks, and the Zendesk ticket the agent
 * workspace opens when it gets control (NOTES.md section 5 "Zendesk handoff specifics").
 */
export class SwitchboardService {
	private nextTicketId = 1;

	constructor(
		private readonly store: SunshineStore,
		private readonly events: EventBus,
		private readonly now: () => string,
	) {}

	/**
	 * "May be referenced by its id, name, or integrationType, in that order of precedence. In case of
	 * ambiguity ... an error will be raised. The `next` keyword ..." (openapi.yaml passControlBody).
	 */
	resolve(reference: string, conversation: ConversationRecord): SwitchboardIntegrationRecord {
		const all = [...this.store.switchboardIntegrations.values()];
		if (reference === 'next') {
			const active = this.activeOf(conversation);
			const next = active?.nextSwitchboardIntegrationId
				? this.store.switchboardIntegrations.get(active.nextSwitchboardIntegrationId)
				: undefined;
			if (!next)
				throw invalidTarget(
					'The active switchboard integration has no nextSwitchboardIntegrationId',
				);
			return next;
		}
		const byId = this.store.switchboardIntegrations.get(reference);
		if (byId) return byId;
		const byName = all.find((s) => s.name === reference);
		if (byName) return byName;
		const byType = all.filter((s) => s.integrationType === reference);
		if (byType.length > 1)
			throw invalidTarget(
				`Switchboard integration ${reference} is ambiguous: several have that integrationType`,
			);
		if (byType.length === 1) return byType[0];
		throw invalidTarget(
			`Switchboard integration ${reference} not found`,
			'Switchboard invalid target',
		);
	}

	activeOf(conversation: ConversationRecord): SwitchboardIntegrationRecord | undefined {
		const id = conversation.activeSwitchboardIntegrationId;
		return id ? this.store.switchboardIntegrations.get(id) : undefined;
	}

	/**
	 * Default integration assignment: a released conversation (or one whose active switchboard
	 * integration was deleted) goes back to the default "next time the conversation has activity"
	 * (openapi.yaml DeleteSwitchboardIntegration).
	 */
	assignDefaultIfNone(conversation: ConversationRecord): void {
		const switchboard = this.store.switchboard;
		if (!switchboard?.enabled) return;
		if (conversation.activeSwitchboardIntegrationId && this.activeOf(conversation)) return;
		conversation.activeSwitchboardIntegrationId = switchboard.defaultSwitchboardIntegrationId;
	}

	passControl(
		conversation: ConversationRecord,
		reference: string,
		metadata: Metadata | null | undefined,
	): void {
		this.reportingFailure('passControl', conversation, metadata, () =>
			this.pass(conversation, reference, metadata),
		);
	}

	offerControl(
		conversation: ConversationRecord,
		reference: string,
		metadata: Metadata | null | undefined,
	): void {
		this.reportingFailure('offerControl', conversation, metadata, () =>
			this.offer(conversation, reference, metadata),
		);
	}

	acceptControl(
		conversation: ConversationRecord,
		metadata: Metadata | null | undefined,
		caller: Caller,
	): void {
		this.reportingFailure('acceptControl', conversation, metadata, () =>
			this.accept(conversation, metadata, caller),
		);
	}

	/**
	 * Runs an action; a SwitchboardFailure also goes to the `switchboard:<action>:failure` webhooks as
	 * `{conversation, error:{code, message}, metadata}` (openapi.yaml switchboard*ControlFailure:
	 * "The metadata object will be included in the ... :failure webhooks", offerControlBody).
	 */
	private reportingFailure(
		action: ControlAction,
		conversation: ConversationRecord,
		metadata: Metadata | null | undefined,
		run: () => void,
	): void {
		try {
			run();
		} catch (error) {
			if (error instanceof SwitchboardFailure) {
				const snapshot = presentConversationTruncated(this.store, conversation);
				this.events.publish(`switchboard:${action}:failure`, () => {
					const payload: Json = {
						conversation: structuredClone(snapshot),
						error: { ...error.failure },
					};
					if (metadata) payload.metadata = { ...metadata };
					return payload;
				});
			}
			throw error;
		}
	}

	private pass(
		conversation: ConversationRecord,
		reference: string,
		metadata: Metadata | null | undefined,
	): void {
		this.assignDefaultIfNone(conversation);
		const target = this.resolve(reference, conversation);
		const ticket = this.ticketDraftIfHandedToAgents(conversation, target, metadata, 'passControl');
		// "marks the selected switchboard integration as active and transitions all the other
		// switchboard integrations to standby status" (openapi.yaml PassControl).
		conversation.activeSwitchboardIntegrationId = target.id;
		conversation.pendingSwitchboardIntegrationId = null;
		conversation.pendingMetadata = undefined;
		if (ticket) this.openTicket(ticket);
		this.publishControl('switchboard:passControl', conversation, metadata);
	}

	private offer(
		conversation: ConversationRecord,
		reference: string,
		metadata: Metadata | null | undefined,
	): void {
		this.assignDefaultIfNone(conversation);
		const target = this.resolve(reference, conversation);
		// openapi.yaml offerControlBody: "This cannot match the active switchboard integration."; the
		// code and message of switchboardOfferControlFailureEvent.
		if (target.id === conversation.activeSwitchboardIntegrationId) {
			throw invalidTarget('Cannot offer control to the active switchboard integration.');
		}
		conversation.pendingSwitchboardIntegrationId = target.id;
		conversation.pendingMetadata = metadata ?? undefined;
		this.publishControl('switchboard:offerControl', conversation, metadata);
	}

	private accept(
		conversation: ConversationRecord,
		metadata: Metadata | null | undefined,
		caller: Caller,
	): void {
		const pending = conversation.pendingSwitchboardIntegrationId
			? this.store.switchboardIntegrations.get(conversation.pendingSwitchboardIntegrationId)
			: undefined;
		// openapi.yaml AcceptControl: "a 403 is returned if the pending switchboard integration is not
		// the authenticated integration".
		if (caller.scope === 'integration' && pending?.integrationId !== caller.integrationId)
			throw forbidden();
		// The code and message of openapi.yaml example switchboardAcceptControlFailureEvent.
		if (!pending) {
			throw new SwitchboardFailure('There is no pendingSwitchboardIntegration', {
				code: 'switchboard_invalid_action',
				message: 'There is no pendingSwitchboardIntegration',
			});
		}
		const ticketMetadata = { ...(conversation.pendingMetadata ?? {}), ...(metadata ?? {}) };
		const ticket = this.ticketDraftIfHandedToAgents(
			conversation,
			pending,
			ticketMetadata,
			'acceptControl',
		);
		conversation.activeSwitchboardIntegrationId = pending.id;
		conversation.pendingSwitchboardIntegrationId = null;
		conversation.pendingMetadata = undefined;
		if (ticket) this.openTicket(ticket);
		this.publishControl('switchboard:acceptControl', conversation, metadata);
	}

	/** "releases the control of the conversation by nullifying its switchboard state" (openapi.yaml ReleaseControl). */
	releaseControl(
		conversation: ConversationRecord,
		metadata: Metadata | null | undefined,
		caller: Caller,
	): void {
		// "When using integration auth scope, a 403 is returned if the authenticated integration is
		// not currently active in the switchboard."
		if (
			caller.scope === 'integration' &&
			this.activeOf(conversation)?.integrationId !== caller.integrationId
		) {
			throw forbidden();
		}
		this.release(conversation, metadata);
	}

	/**
	 * An agent ends the messaging session: the ticket is solved (or moved to email) and the agent
	 * workspace releases control with that reason (NOTES.md section 5: `switchboard:releaseControl`
	 * with payload.reason ticketClosed or transferToEmail).
	 */
	agentReleases(
		conversation: ConversationRecord,
		reason: 'ticketClosed' | 'transferToEmail',
	): TicketRecord | undefined {
		const ticket = this.openTicketOf(conversation.id);
		if (ticket) {
			ticket.endedAt = this.now();
			ticket.endedReason = reason;
			// Moved to email, the ticket goes on there. (unverified)
			if (reason === 'ticketClosed') ticket.status = 'closed';
		}
		this.release(conversation, undefined, reason);
		return ticket;
	}

	openTicketOf(conversationId: string): TicketRecord | undefined {
		return [...this.store.tickets]
			.reverse()
			.find((t) => t.conversationId === conversationId && t.status === 'open' && !t.endedAt);
	}

	private release(
		conversation: ConversationRecord,
		metadata: Metadata | null | undefined,
		reason?: string,
	): void {
		conversation.activeSwitchboardIntegrationId = null;
		conversation.pendingSwitchboardIntegrationId = null;
		conversation.pendingMetadata = undefined;
		this.events.publish('switchboard:releaseControl', () => {
			const payload: Json = {
				conversation: presentConversationTruncated(this.store, conversation),
			};
			if (metadata) payload.metadata = { ...metadata };
			if (reason) payload.reason = reason;
			return payload;
		});
	}

	private publishControl(
		type: 'switchboard:passControl' | 'switchboard:offerControl' | 'switchboard:acceptControl',
		conversation: ConversationRecord,
		metadata: Metadata | null | undefined,
	): void {
		const snapshot = presentConversationTruncated(this.store, conversation);
		this.events.publish(type, () => {
			const payload: Json = { conversation: structuredClone(snapshot) };
			if (metadata) payload.metadata = { ...metadata };
			return payload;
		});
	}

	/**
	 * The ticket Zendesk opens when the agent workspace gets control (and did not have it): the last
	 * 10 messages, or every message from `metadata.first_message_id` on (NOTES.md section 5, Zendesk
	 * article 4419179022874). Checked before any state changes, so a refused handoff changes nothing.
	 */
	private ticketDraftIfHandedToAgents(
		conversation: ConversationRecord,
		target: SwitchboardIntegrationRecord,
		metadata: Metadata | null | undefined,
		via: TicketRecord['via'],
	): TicketRecord | undefined {
		if (target.integrationType !== AGENT_WORKSPACE_TYPE) return undefined;
		if (conversation.activeSwitchboardIntegrationId === target.id) return undefined;
		// Botpress: handing an empty conversation to the agent workspace fails for want of a reason
		// (NOTES.md section 5), so it sends a message first. (unverified: status and wording)
		if (conversation.messages.length === 0) {
			throw new SunshineError(
				400,
				'bad_request',
				'Cannot hand the conversation to zd-agentWorkspace: it has no messages, so the ticket has no reason. Post a message first.',
			);
		}
		const meta = metadata ?? {};
		const firstMessageId = meta.first_message_id;
		let messages = conversation.messages.slice(
			-(target.messageHistoryCount ?? TICKET_DEFAULT_MESSAGES),
		);
		if (firstMessageId !== undefined) {
			const index = conversation.messages.findIndex((m) => m.id === firstMessageId);
			// (unverified: an unknown first_message_id might be ignored by Zendesk; refusing it is louder)
			if (index < 0)
				throw badRequest(
					`metadata.first_message_id ${String(firstMessageId)} is not a message of this conversation`,
				);
			messages = conversation.messages.slice(index);
		}
		const ticket: TicketRecord = {
			id: 0,
			conversationId: conversation.id,
			userId: conversation.participants[0]?.userId ?? null,
			status: 'open',
			createdAt: this.now(),
			via,
			metadata: { ...meta },
			tags: [],
			systemFields: {},
			ticketFields: {},
			firstMessageId: typeof firstMessageId === 'string' ? firstMessageId : null,
			messageIds: messages.map((m) => m.id),
		};
		// NOTES.md section 5: dataCapture.systemField.<name> and dataCapture.ticketField.<id>; tags
		// are one comma-separated string. Bare keys (priority, group_id ... as Botpress sends them)
		// stay in `metadata` only: they are not known to set ticket fields.
		for (const [key, value] of Object.entries(meta)) {
			if (key === 'dataCapture.systemField.tags') {
				ticket.tags = String(value)
					.split(',')
					.map((tag) => tag.trim())
					.filter(Boolean);
			} else if (key.startsWith('dataCapture.systemField.')) {
				ticket.systemFields[key.slice('dataCapture.systemField.'.length)] = value;
			} else if (key.startsWith('dataCapture.ticketField.')) {
				ticket.ticketFields[key.slice('dataCapture.ticketField.'.length)] = value;
			}
		}
		return ticket;
	}

	private openTicket(ticket: TicketRecord): void {
		ticket.id = this.nextTicketId++;
		this.store.tickets.push(ticket);
	}
}
