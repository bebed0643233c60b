/**
 * Sunshine Conversations state, as records (what the simulator stores). The API shapes are built
 * from these in present.ts, so a field the spec marks readOnly or writeOnly is handled in one place.
 */

/** Flat metadata: strings, numbers and booleans only, at most 4 KB (openapi.yaml `metadata`). */
export type Metadata = Record<string, string | number | boolean>;

/** Who made a request, from its key: app scope, or a custom integration's own key (integration scope). */
export interface Caller {
	scope: 'app' | 'integration';
	keyId: string;
	/** Set for integration scope: the custom integration the key belongs to. */
	integrationId?: string;
	method: 'basic' | 'jwt';
}

export interface ApiKeyRecord {
	id: string;
	secret: string;
	displayName: string;
	scope: 'app' | 'integration';
	integrationId?: string;
}

export interface ProfileRecord {
	givenName?: string | null;
	surname?: string | null;
	email?: string | null;
	avatarUrl?: string | null;
	locale?: string | null;
	/** Set by the simulator when it filled `locale` from the account (openapi.yaml createUser example). */
	localeOrigin?: string;
}

export interface IdentityRecord {
	type: string;
	value: string;
	verification?: string;
}

/** The Web Widget SDK client and device a widget user writes from (includeFullSource shows them). */
export interface WidgetClientRecord {
	clientId: string;
	deviceId: string;
	guid: string;
	linkedAt: string;
	lastSeen: string;
}

export interface UserRecord {
	id: string;
	externalId?: string;
	signedUpAt: string;
	toBeRetained?: boolean;
	profile: ProfileRecord;
	metadata: Metadata;
	identities: IdentityRecord[];
	widgetClient?: WidgetClientRecord;
}

export interface ParticipantRecord {
	id: string;
	userId: string;
	unreadCount: number;
	lastRead?: string;
}

export interface MessageAuthorRecord {
	type: 'business' | 'user';
	userId?: string;
	displayName?: string;
	avatarUrl?: string;
	subtypes?: string[];
}

export interface MessageSourceRecord {
	type: string;
	integrationId?: string;
	originalMessageId?: string;
	originalMessageTimestamp?: string;
}

export interface MessageRecord {
	id: string;
	received: string;
	author: MessageAuthorRecord;
	content: Record<string, unknown>;
	source: MessageSourceRecord;
	metadata?: Metadata | null;
	/** The widget client it came from, for includeFullSource. */
	fromWidget?: boolean;
	/**
	 * What it quotes, as shown (openapi.yaml `quotedMessage`, "currently only available for WhatsApp
	 * and Web Messenger `formResponse` messages"): `{type:'message', message}`.
	 */
	quotedMessage?: Record<string, unknown>;
}

/**
 * A conversation activity (openapi.yaml activityTypes: conversation:read, typing:start,
 * typing:stop), kept so tests can read what was posted even when no webhook carries it.
 */
export interface ActivityRecord {
	conversationId: string;
	type: 'conversation:read' | 'typing:start' | 'typing:stop';
	author: { type: 'business' | 'user'; userId?: string };
	source: MessageSourceRecord;
	/** When it was received, on the simulator's clock. */
	at: string;
	/** The webhook event it produced (conversation:read / conversation:typing); null when none. */
	eventId: string | null;
}

export interface ConversationRecord {
	id: string;
	type: 'personal' | 'sdkGroup';
	isDefault: boolean;
	displayName?: string | null;
	description?: string | null;
	iconUrl?: string | null;
	metadata?: Metadata | null;
	businessLastRead?: string;
	lastUpdatedAt: string;
	createdAt: string;
	participants: ParticipantRecord[];
	messages: MessageRecord[];
	/** Switchboard state: null when released (openapi.yaml ReleaseControl "nullifying its switchboard state"). */
	activeSwitchboardIntegrationId: string | null;
	pendingSwitchboardIntegrationId: string | null;
	/** Metadata given with offerControl, handed on when the pending integration accepts. */
	pendingMetadata?: Metadata | null;
}

export type IntegrationType = 'custom' | 'web' | 'zd:agentWorkspace';

export interface IntegrationRecord {
	id: string;
	type: IntegrationType;
	status: 'active' | 'inactive' | 'error';
	displayName: string | null;
	/** Configured in Admin Center: cannot be deleted with the API (openapi.yaml DeleteIntegration 400). */
	builtIn: boolean;
}

export interface WebhookRecord {
	id: string;
	integrationId: string;
	target: string;
	triggers: string[];
	secret: string;
	includeFullUser: boolean;
	includeFullSource: boolean;
}

export interface SwitchboardRecord {
	id: string;
	enabled: boolean;
	defaultSwitchboardIntegrationId: string | null;
}

export interface SwitchboardIntegrationRecord {
	id: string;
	name: string;
	integrationId: string;
	integrationType: string;
	deliverStandbyEvents: boolean;
	nextSwitchboardIntegrationId: string | null;
	messageHistoryCount: number | null;
}

/** The Zendesk ticket the agent workspace opens when it gets control of a conversation. */
export interface TicketRecord {
	id: number;
	conversationId: string;
	userId: string | null;
	status: 'open' | 'closed';
	createdAt: string;
	/** How zd-agentWorkspace got control. */
	via: 'passControl' | 'acceptControl';
	/** The whole metadata of that switchboard action. */
	metadata: Metadata;
	/** `dataCapture.systemField.tags`, split on commas. */
	tags: string[];
	/** `dataCapture.systemField.<name>` values (group_id, priority, requester.email, ...). */
	systemFields: Record<string, string | number | boolean>;
	/** `dataCapture.ticketField.<fieldId>` values. */
	ticketFields: Record<string, string | number | boolean>;
	firstMessageId: string | null;
	/** Ids of the conversation messages the ticket was opened with, oldest first. */
	messageIds: string[];
	endedAt?: string;
	endedReason?: 'ticketClosed' | 'transferToEmail';
}
