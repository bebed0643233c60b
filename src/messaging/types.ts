import type { Metadata } from './validate';

/**
 * What callers pass to the MessagingClient. Response shapes live in schemas.ts (zod), message
 * content in content/ (BusinessContent).
 */

/** Per-call options. */
export interface CallOptions {
	signal?: AbortSignal;
}

/** One page of a cursor-paginated list (spec: "API Pagination and Records Limits"). */
export interface CursorPage<T> {
	items: T[];
	hasMore: boolean;
	/** Pass as `after` for the next page; absent on the last page. */
	afterCursor?: string;
	/** Pass as `before` for the previous page (List Messages pages backwards). */
	beforeCursor?: string;
}

export interface UserProfile {
	givenName?: string;
	surname?: string;
	email?: string;
	avatarUrl?: string;
	/** BCP 47, e.g. fr-CA. */
	locale?: string;
}

export interface CreateUserInput {
	/** Your own id for the user (1–1024 characters); the key for find-or-create. */
	externalId?: string;
	/** ISO 8601 or a Date. */
	signedUpAt?: string | Date;
	profile?: UserProfile;
	metadata?: Metadata;
}

/** Spec userUpdateBody: every profile field is nullable, so null clears it. */
export type UserProfileUpdate = { [K in keyof UserProfile]?: UserProfile[K] | null };

export interface UpdateUserInput {
	/** Only the fields given change; null clears one. */
	profile?: UserProfileUpdate;
	/** Replaces the user's metadata; null clears it. */
	metadata?: Metadata | null;
	/** ISO 8601 or a Date. */
	signedUpAt?: string | Date;
}

/** Exactly one of `userId` / `userExternalId`. */
export type UserRef =
	| { userId: string; userExternalId?: undefined }
	| { userExternalId: string; userId?: undefined };

export type CreateConversationInput = UserRef & {
	displayName?: string;
	description?: string;
	iconUrl?: string;
	metadata?: Metadata;
	/** Subscribe the user's SDK client to push notifications at once. @default false */
	subscribeSDKClient?: boolean;
};

/** Spec conversationUpdateBody: displayName, description and iconUrl are nullable (null clears). */
export interface UpdateConversationInput {
	displayName?: string | null;
	description?: string | null;
	iconUrl?: string | null;
	/** Replaces the conversation's metadata; null clears it. */
	metadata?: Metadata | null;
}

export type ListConversationsInput = UserRef & { pageSize?: number; after?: string };

export interface ListParticipantsInput {
	/** 1–100. @default 25 (the server's) */
	pageSize?: number;
	after?: string;
}

/** A message author: the business (the bot or an agent) or the end user. */
export type MessageAuthor =
	| { type: 'business'; displayName?: string; avatarUrl?: string; subtypes?: ['AI'] }
	| ({ type: 'user'; displayName?: string; avatarUrl?: string } & UserRef);

/**
 * Raw message content for postMessage: text is checked here; other types pass through as given.
 * For checked rich content, use postBusinessContent with a BusinessContent (content/).
 */
export type MessageContent =
	| {
			type: 'text';
			text: string;
			markdownText?: string;
			htmlText?: string;
			blockChatInput?: boolean;
			actions?: unknown[];
	  }
	| ({ type: string } & Record<string, unknown>);

export interface PostMessageInput {
	author: MessageAuthor;
	content: MessageContent;
	metadata?: Metadata;
}

/** How the business appears on a message it posts. */
export interface BusinessAuthorInput {
	displayName?: string;
	avatarUrl?: string;
	/** Marks the message as AI-generated (author.subtypes ["AI"]); Zendesk adds a disclaimer. @default false */
	ai?: boolean;
	metadata?: Metadata;
}

export interface BusinessMessageInput extends BusinessAuthorInput {
	text: string;
}

export type UserMessageInput = UserRef & { text: string; metadata?: Metadata };

export const ACTIVITY_TYPES = ['typing:start', 'typing:stop', 'conversation:read'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface ActivityInput {
	type: ActivityType;
	/** @default {type: 'business'}; a user author may only send conversation:read. */
	author?: { type: 'business' } | ({ type: 'user' } & UserRef);
}

export interface ControlInput {
	/** A switchboard integration id, name or integrationType, or "next". */
	switchboardIntegration: string;
	metadata?: Metadata;
}

export interface WebhookInput {
	/** The URL Zendesk POSTs events to. */
	target: string;
	triggers: string[];
	/** @default false */
	includeFullUser?: boolean;
	/** @default false */
	includeFullSource?: boolean;
}

export interface CreateCustomIntegrationInput {
	displayName?: string;
	/** A custom integration has exactly one webhook (spec: `webhooks` minItems 1, maxItems 1). */
	webhook: WebhookInput;
}

export interface ListIntegrationsInput {
	/** e.g. ['custom', 'web']. */
	types?: string[];
	pageSize?: number;
	after?: string;
}

/** Spec switchboardUpdateBody. */
export interface UpdateSwitchboardInput {
	enabled?: boolean;
	defaultSwitchboardIntegrationId?: string;
}

/**
 * Spec switchboardIntegrationCreateBody: a custom integration is linked by `integrationId`, an
 * OAuth or Zendesk one (e.g. zd:agentWorkspace) by `integrationType`; exactly one of the two.
 */
export interface CreateSwitchboardIntegrationInput {
	/** Letters, digits, `-` and `_`; at most 128. */
	name: string;
	integrationId?: string;
	integrationType?: string;
	/** @default true (the server's) */
	deliverStandbyEvents?: boolean;
	nextSwitchboardIntegrationId?: string | null;
	/** 1–10, or null. */
	messageHistoryCount?: number | null;
}

/** Spec switchboardIntegrationUpdateBody: only the fields given change. */
export type UpdateSwitchboardIntegrationInput = Partial<CreateSwitchboardIntegrationInput>;
