import type { SunshineStore } from './store';
import type {
	ApiKeyRecord,
	ConversationRecord,
	IntegrationRecord,
	MessageRecord,
	ParticipantRecord,
	SwitchboardIntegrationRecord,
	UserRecord,
	WebhookRecord,
} from './types';
import type { Json } from './validate';

/**
 * Records as the API shows them (openapi.yaml schemas and response examples). Optional fields are
 * left out when unset, as the examples do, rather than sent as null.
 */

/**
 * An API object as control operations hand it to tests: JSON as the API sends it, loosely typed
 * so a test can read any documented field and compare the whole shape with toEqual.
 */
export type ApiJson = any;

/** The business avatar of openapi.yaml example listMessages, used when a message names none. */
export const DEFAULT_BUSINESS_AVATAR =
	'https://www.gravatar.com/avatar/00000000000000000000000000000000.png?s=200&d=mm';

export function presentUser(user: UserRecord): Json {
	const out: Json = { id: user.id };
	if (user.externalId !== undefined) out.externalId = user.externalId;
	Object.assign(out, {
		// "Whether or not the user has authenticated, either via JWT or via the Help Center": API-made
		// users have not.
		authenticated: false,
		signedUpAt: user.signedUpAt,
		// Present in every user example of openapi.yaml.
		hasPaymentInfo: false,
		identities: user.identities.map((i) => ({ ...i })),
		profile: { ...user.profile },
		metadata: { ...user.metadata },
	});
	if (user.toBeRetained !== undefined) out.toBeRetained = user.toBeRetained;
	return out;
}

/** openapi.yaml `userTruncated`, as in the webhook examples: id, externalId, authenticated. */
export function presentUserTruncated(user: UserRecord): Json {
	const out: Json = { id: user.id };
	if (user.externalId !== undefined) out.externalId = user.externalId;
	out.authenticated = false;
	return out;
}

export function presentSwitchboardIntegrationRef(sbi: SwitchboardIntegrationRecord): Json {
	return {
		id: sbi.id,
		name: sbi.name,
		integrationId: sbi.integrationId,
		integrationType: sbi.integrationType,
	};
}

/**
 * openapi.yaml `conversationTruncated`: the switchboard fields are "omitted if no
 * activeSwitchboardIntegration exists" / "if no switchboard integration has been ... offered control".
 */
export function presentConversationTruncated(
	store: SunshineStore,
	conversation: ConversationRecord,
): Json {
	const out: Json = { id: conversation.id, type: conversation.type };
	if (conversation.metadata) out.metadata = { ...conversation.metadata };
	const active = conversation.activeSwitchboardIntegrationId
		? store.switchboardIntegrations.get(conversation.activeSwitchboardIntegrationId)
		: undefined;
	const pending = conversation.pendingSwitchboardIntegrationId
		? store.switchboardIntegrations.get(conversation.pendingSwitchboardIntegrationId)
		: undefined;
	if (active) out.activeSwitchboardIntegration = presentSwitchboardIntegrationRef(active);
	if (pending) out.pendingSwitchboardIntegration = presentSwitchboardIntegrationRef(pending);
	return out;
}

export function presentConversation(store: SunshineStore, conversation: ConversationRecord): Json {
	const out = presentConversationTruncated(store, conversation);
	out.isDefault = conversation.isDefault;
	for (const key of ['displayName', 'description', 'iconUrl'] as const) {
		if (conversation[key] !== undefined && conversation[key] !== null) out[key] = conversation[key];
	}
	if (conversation.businessLastRead) out.businessLastRead = conversation.businessLastRead;
	out.lastUpdatedAt = conversation.lastUpdatedAt;
	out.createdAt = conversation.createdAt;
	return out;
}

export function presentParticipant(store: SunshineStore, participant: ParticipantRecord): Json {
	const user = store.users.get(participant.userId);
	const out: Json = {
		id: participant.id,
		userId: participant.userId,
		unreadCount: participant.unreadCount,
		clientAssociations: user?.widgetClient
			? [{ type: 'sdk', clientId: user.widgetClient.clientId }]
			: [],
	};
	if (user?.externalId !== undefined) out.userExternalId = user.externalId;
	if (participant.lastRead) out.lastRead = participant.lastRead;
	return out;
}

export function presentMessage(message: MessageRecord): Json {
	const out: Json = {
		id: message.id,
		received: message.received,
		author: {
			...message.author,
			...(message.author.subtypes ? { subtypes: [...message.author.subtypes] } : {}),
		},
		content: structuredClone(message.content),
		source: { ...message.source },
	};
	if (message.metadata) out.metadata = { ...message.metadata };
	if (message.quotedMessage) out.quotedMessage = structuredClone(message.quotedMessage);
	return out;
}

export function presentWebhook(webhook: WebhookRecord): Json {
	return {
		id: webhook.id,
		version: 'v2',
		target: webhook.target,
		triggers: [...webhook.triggers],
		secret: webhook.secret,
		includeFullUser: webhook.includeFullUser,
		includeFullSource: webhook.includeFullSource,
	};
}

/** openapi.yaml `integration`; a `custom` one carries its webhooks (openapi.yaml `custom`). */
export function presentIntegration(store: SunshineStore, integration: IntegrationRecord): Json {
	const out: Json = {
		id: integration.id,
		type: integration.type,
		status: integration.status,
		displayName: integration.displayName,
	};
	if (integration.type === 'custom')
		out.webhooks = store.webhooksOf(integration.id).map(presentWebhook);
	return out;
}

export function presentKey(key: ApiKeyRecord): Json {
	return { id: key.id, displayName: key.displayName, secret: key.secret };
}

export function presentSwitchboardIntegration(sbi: SwitchboardIntegrationRecord): Json {
	const out: Json = {
		...presentSwitchboardIntegrationRef(sbi),
		deliverStandbyEvents: sbi.deliverStandbyEvents,
	};
	if (sbi.nextSwitchboardIntegrationId)
		out.nextSwitchboardIntegrationId = sbi.nextSwitchboardIntegrationId;
	if (sbi.messageHistoryCount !== null) out.messageHistoryCount = sbi.messageHistoryCount;
	return out;
}
