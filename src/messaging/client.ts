import { exponentialBackoff, type Backoff } from '../shared/backoff';
import { ClosedError, HttpError, InvalidInputError, ProtocolError } from '../shared/errors';
import { silentLogger, type Logger } from '../shared/logger';
import { createAuthorizer, type MessagingAuth } from './auth';
import {
	AGENT_WORKSPACE_NAME,
	AGENT_WORKSPACE_TYPE,
	MAX_DISPLAY_NAME_LENGTH,
	MAX_EXTERNAL_ID_LENGTH,
	MAX_SWITCHBOARD_INTEGRATION_NAME_LENGTH,
	ORIGIN_METADATA_KEY,
	WEBHOOK_TRIGGERS,
} from './constants';
import { escalate, type EscalationOptions, type EscalationResult } from './escalate';
import { SunshineTransport, type HttpMethod } from './http';
import {
	parseResponse,
	responses,
	type Conversation,
	type Integration,
	type Message,
	type Switchboard,
	type SwitchboardIntegration,
	type User,
	type Webhook,
} from './schemas';
import {
	isPlainObject,
	optionalBoolean,
	optionalEnum,
	optionalPageSize,
	optionalString,
	requireHttpUrl,
	requireId,
	requireString,
	requireText,
	validateMetadata,
	type Metadata,
} from './validate';

export interface MessagingClientOptions {
	/** `https://{subdomain}.zendesk.com/sc` (or a legacy smooch.io host); see `messagingBaseUrl` in src/shared. */
	baseUrl: string;
	/** The Conversations API app id. */
	appId: string;
	auth: MessagingAuth;
	/** Retries after a 429/503 (any request) or a 5xx/timeout/dropped connection (requests safe to repeat). @default 3 */
	maxRetries?: number;
	/** Wait before retry n; Retry-After wins when longer. @default exponentialBackoff({initialMs: 500, maxMs: 30_000}) */
	backoff?: Backoff;
	/** A Retry-After longer than this is not waited for; the 429 is thrown instead. @default 60_000 */
	maxRetryDelayMs?: number;
	/**
	 * Per attempt: the time to get the headers, then the body (undici's timers, which tick about
	 * every half second, so this is not precise below a second). @default 30_000
	 */
	timeoutMs?: number;
	/**
	 * Stamped as `metadata["n8n.origin"]` on every business message this client posts, so that the
	 * webhook echo filter can recognise the bot's own messages. @default undefined (no stamp)
	 */
	originTag?: string;
	/** @default silentLogger */
	logger?: Logger;
	/** Clock for JWT expiry (tests). @default Date.now */
	now?: () => number;
}

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

/** Exactly one of `userId` / `userExternalId`. */
export type UserRef = { userId: string; userExternalId?: undefined } | { userExternalId: string; userId?: undefined };

export type CreateConversationInput = UserRef & {
	displayName?: string;
	description?: string;
	iconUrl?: string;
	metadata?: Metadata;
	/** Subscribe the user's SDK client to push notifications at once. @default false */
	subscribeSDKClient?: boolean;
};

export type ListConversationsInput = UserRef & { pageSize?: number; after?: string };

/** A message author: the business (the bot or an agent) or the end user. */
export type MessageAuthor =
	| { type: 'business'; displayName?: string; avatarUrl?: string; subtypes?: ['AI'] }
	| ({ type: 'user'; displayName?: string; avatarUrl?: string } & UserRef);

/** Message content: text is validated here; other types (`image`, `carousel`, …) pass through as given. */
export type MessageContent =
	| { type: 'text'; text: string; markdownText?: string; htmlText?: string; blockChatInput?: boolean; actions?: unknown[] }
	| ({ type: string } & Record<string, unknown>);

export interface PostMessageInput {
	author: MessageAuthor;
	content: MessageContent;
	metadata?: Metadata;
}

export interface BusinessMessageInput {
	text: string;
	displayName?: string;
	avatarUrl?: string;
	/** Marks the message as AI-generated (author.subtypes ["AI"]); Zendesk adds a disclaimer. @default false */
	ai?: boolean;
	metadata?: Metadata;
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

/** Where control goes to create a Zendesk ticket. */
export interface AgentWorkspace {
	switchboard: Switchboard;
	switchboardIntegration: SwitchboardIntegration;
}

const seg = encodeURIComponent;

/**
 * The Sunshine Conversations v2 (Zendesk Messaging) client: users, conversations, messages,
 * activity, switchboard control, switchboards, integrations and webhooks, plus `escalate`.
 * Every input is checked before a request leaves; errors are ZendeskErrors with api "messaging".
 * Call `close()` when done.
 */
export class MessagingClient {
	readonly appId: string;
	private readonly transport: SunshineTransport;
	private readonly originTag: string | undefined;

	/** @throws InvalidInputError for a bad base URL, app id, key or option. */
	constructor(options: MessagingClientOptions) {
		if (!isPlainObject(options)) throw new InvalidInputError('options', 'MessagingClient needs {baseUrl, appId, auth}');
		this.appId = requireId('appId', options.appId, 128);
		requireString('baseUrl', options.baseUrl, 2048);
		const maxRetries = options.maxRetries ?? 3;
		if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
			throw new InvalidInputError('maxRetries', `maxRetries must be an integer from 0 to 10, got ${String(maxRetries)}`);
		}
		const timeoutMs = options.timeoutMs ?? 30_000;
		if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InvalidInputError('timeoutMs', 'timeoutMs must be a positive number of milliseconds');
		this.originTag = optionalString('originTag', options.originTag, 256);
		const authorizer = createAuthorizer(options.auth, options.now);
		this.transport = new SunshineTransport({
			baseUrl: options.baseUrl,
			appId: this.appId,
			authorizer,
			retry: {
				maxRetries,
				backoff: options.backoff ?? exponentialBackoff({ initialMs: 500, maxMs: 30_000 }),
				maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
			},
			timeoutMs,
			logger: options.logger ?? silentLogger,
		});
	}

	// ---- users ------------------------------------------------------------------------------

	/** POST /users. @throws HttpError 409 (code "conflict") when the externalId is taken. */
	async createUser(input: CreateUserInput, options: CallOptions = {}): Promise<User> {
		const body = userCreateBody(input);
		// With an externalId a repeat cannot create a second user (it answers 409), so it is safe to retry.
		const res = await this.call('POST', '/users', '/users', { body, idempotent: body.externalId !== undefined, ...options });
		return parseResponse(responses.user, res, 'POST /users').user;
	}

	/** GET /users/{userIdOrExternalId}. @throws HttpError 404 (user_not_found). */
	async getUser(userIdOrExternalId: string, options: CallOptions = {}): Promise<User> {
		const id = requireId('userIdOrExternalId', userIdOrExternalId, MAX_EXTERNAL_ID_LENGTH);
		const res = await this.call('GET', `/users/${seg(id)}`, '/users/{userIdOrExternalId}', options);
		return parseResponse(responses.user, res, 'GET /users/{userIdOrExternalId}').user;
	}

	/**
	 * Creates the user, or fetches it when the externalId is already taken (409): one request for a
	 * new user, two for a known one, and two concurrent callers end up with the same user.
	 */
	async findOrCreateUser(input: CreateUserInput & { externalId: string }, options: CallOptions = {}): Promise<{ user: User; created: boolean }> {
		requireString('externalId', input?.externalId, MAX_EXTERNAL_ID_LENGTH);
		const attempt = await this.createUser(input, options).then(
			(user) => ({ user }),
			(error: unknown) => ({ error }),
		);
		if ('user' in attempt) return { user: attempt.user, created: true };
		if (!(attempt.error instanceof HttpError) || attempt.error.statusCode !== 409) throw attempt.error;
		return { user: await this.getUser(input.externalId, options), created: false };
	}

	// ---- conversations ----------------------------------------------------------------------

	/** POST /conversations: a `personal` conversation with one participant. */
	async createConversation(input: CreateConversationInput, options: CallOptions = {}): Promise<Conversation> {
		if (!isPlainObject(input)) throw new InvalidInputError('conversation', 'createConversation needs {userId} or {userExternalId}');
		const participant: Record<string, unknown> = { ...userRef(input), subscribeSDKClient: optionalBoolean('subscribeSDKClient', input.subscribeSDKClient) ?? false };
		const body = dropUndefined({
			type: 'personal',
			participants: [participant],
			displayName: optionalString('displayName', input.displayName, MAX_DISPLAY_NAME_LENGTH),
			description: optionalString('description', input.description, 100),
			iconUrl: input.iconUrl === undefined ? undefined : requireHttpUrl('iconUrl', input.iconUrl),
			metadata: validateMetadata('metadata', input.metadata),
		});
		const res = await this.call('POST', '/conversations', '/conversations', { body, idempotent: false, ...options });
		return parseResponse(responses.conversation, res, 'POST /conversations').conversation;
	}

	/** GET /conversations/{conversationId}. */
	async getConversation(conversationId: string, options: CallOptions = {}): Promise<Conversation> {
		const id = requireId('conversationId', conversationId);
		const res = await this.call('GET', `/conversations/${seg(id)}`, '/conversations/{conversationId}', options);
		return parseResponse(responses.conversation, res, 'GET /conversations/{conversationId}').conversation;
	}

	/** GET /conversations?filter[userId|userExternalId]=…: one page. */
	async listConversations(input: ListConversationsInput, options: CallOptions = {}): Promise<CursorPage<Conversation>> {
		if (!isPlainObject(input)) throw new InvalidInputError('filter', 'listConversations needs {userId} or {userExternalId}');
		const ref = userRef(input);
		const query = {
			'filter[userId]': ref.userId,
			'filter[userExternalId]': ref.userExternalId,
			'page[size]': optionalPageSize('pageSize', input.pageSize),
			'page[after]': input.after === undefined ? undefined : requireString('after', input.after, 256),
		};
		const route = 'GET /conversations';
		const res = parseResponse(responses.conversationList, await this.call('GET', '/conversations', '/conversations', { query, ...options }), route);
		return page(res.conversations, res.meta);
	}

	/** Every conversation of a user, following `afterCursor` page by page. */
	async *conversations(input: UserRef & { pageSize?: number }, options: CallOptions = {}): AsyncGenerator<Conversation> {
		let after: string | undefined;
		const seen = new Set<string>();
		for (;;) {
			const current = await this.listConversations({ ...input, after } as ListConversationsInput, options);
			yield* current.items;
			if (!current.hasMore) return;
			after = nextCursor(current.afterCursor, seen, 'GET /conversations');
		}
	}

	// ---- messages ---------------------------------------------------------------------------

	/** POST /conversations/{id}/messages; resolves with the created messages (usually one). */
	async postMessage(conversationId: string, input: PostMessageInput, options: CallOptions = {}): Promise<Message[]> {
		const id = requireId('conversationId', conversationId);
		if (!isPlainObject(input)) throw new InvalidInputError('message', 'postMessage needs {author, content}');
		const author = messageAuthor(input.author);
		let metadata = validateMetadata('metadata', input.metadata);
		if (author.type === 'business' && this.originTag !== undefined) {
			metadata = validateMetadata('metadata', { ...metadata, [ORIGIN_METADATA_KEY]: this.originTag });
		}
		const body = dropUndefined({ author, content: messageContent(input.content), metadata });
		const route = '/conversations/{conversationId}/messages';
		// Not retried after a 5xx: the message may be stored already, and a duplicate reaches the customer.
		const res = await this.call('POST', `/conversations/${seg(id)}/messages`, route, { body, idempotent: false, ...options });
		const { messages } = parseResponse(responses.messages, res, `POST ${route}`);
		if (messages.length === 0) throw new ProtocolError('messaging', `Sunshine Conversations POST ${route} created no message`, res);
		return messages;
	}

	/** Posts text as the business (the bot). */
	async postBusinessMessage(conversationId: string, input: BusinessMessageInput, options: CallOptions = {}): Promise<Message> {
		if (!isPlainObject(input)) throw new InvalidInputError('message', 'postBusinessMessage needs {text}');
		const author: MessageAuthor = dropUndefined({
			type: 'business' as const,
			displayName: input.displayName,
			avatarUrl: input.avatarUrl,
			subtypes: optionalBoolean('ai', input.ai) ? (['AI'] as ['AI']) : undefined,
		});
		const [message] = await this.postMessage(conversationId, { author, content: { type: 'text', text: input.text }, metadata: input.metadata }, options);
		return message;
	}

	/** Posts text on behalf of the end user (e.g. forwarding what they typed in another channel). */
	async postUserMessage(conversationId: string, input: UserMessageInput, options: CallOptions = {}): Promise<Message> {
		if (!isPlainObject(input)) throw new InvalidInputError('message', 'postUserMessage needs {userId or userExternalId, text}');
		const author = { type: 'user' as const, ...userRef(input) } as MessageAuthor;
		const [message] = await this.postMessage(conversationId, { author, content: { type: 'text', text: input.text }, metadata: input.metadata }, options);
		return message;
	}

	/**
	 * GET /conversations/{id}/messages: one page. Pages go backwards: the newest page comes first,
	 * and `beforeCursor` leads to older messages. Within a page, messages are oldest first.
	 */
	async listMessages(conversationId: string, input: { before?: string } = {}, options: CallOptions = {}): Promise<CursorPage<Message>> {
		const id = requireId('conversationId', conversationId);
		const query = { 'page[before]': input.before === undefined ? undefined : requireString('before', input.before, 256) };
		const route = '/conversations/{conversationId}/messages';
		const res = parseResponse(responses.messages, await this.call('GET', `/conversations/${seg(id)}/messages`, route, { query, ...options }), `GET ${route}`);
		return page(res.messages, res.meta);
	}

	/** Pages of a conversation's history, newest page first. */
	async *messagePages(conversationId: string, options: CallOptions = {}): AsyncGenerator<CursorPage<Message>> {
		let before: string | undefined;
		const seen = new Set<string>();
		for (;;) {
			const current = await this.listMessages(conversationId, { before }, options);
			yield current;
			if (!current.hasMore) return;
			before = nextCursor(current.beforeCursor, seen, 'GET /conversations/{conversationId}/messages');
		}
	}

	/**
	 * The most recent `limit` messages, oldest first (a bounded transcript).
	 * @param limit @default 1000
	 */
	async recentMessages(conversationId: string, limit = 1000, options: CallOptions = {}): Promise<Message[]> {
		if (!Number.isInteger(limit) || limit < 1) throw new InvalidInputError('limit', `limit must be a positive integer, got ${String(limit)}`);
		const pages: Message[][] = [];
		let count = 0;
		for await (const current of this.messagePages(conversationId, options)) {
			pages.unshift(current.items);
			count += current.items.length;
			if (count >= limit) break;
		}
		const all = pages.flat();
		return all.slice(Math.max(0, all.length - limit));
	}

	// ---- activity ---------------------------------------------------------------------------

	/** POST /conversations/{id}/activity: typing:start, typing:stop or conversation:read. */
	async postActivity(conversationId: string, input: ActivityInput, options: CallOptions = {}): Promise<void> {
		const id = requireId('conversationId', conversationId);
		if (!isPlainObject(input)) throw new InvalidInputError('activity', 'postActivity needs {type}');
		const type = optionalEnum('type', input.type, ACTIVITY_TYPES);
		if (!type) throw new InvalidInputError('type', `type must be one of ${ACTIVITY_TYPES.join(', ')}`);
		const rawAuthor = input.author ?? { type: 'business' as const };
		let author: Record<string, unknown>;
		if (rawAuthor.type === 'business') author = { type: 'business' };
		else if (rawAuthor.type === 'user') {
			// Spec, activityTypes: "If the author type is `user`, only `conversation:read` is supported."
			if (type !== 'conversation:read') throw new InvalidInputError('type', 'a user author can only send conversation:read');
			author = { type: 'user', ...userRef(rawAuthor) };
		} else throw new InvalidInputError('author.type', 'author.type must be "business" or "user"');
		await this.call('POST', `/conversations/${seg(id)}/activity`, '/conversations/{conversationId}/activity', { body: { author, type }, idempotent: true, ...options });
	}

	// ---- switchboard actions ----------------------------------------------------------------

	/** Makes `switchboardIntegration` active (to zd-agentWorkspace: creates the ticket). */
	async passControl(conversationId: string, input: ControlInput, options: CallOptions = {}): Promise<void> {
		return this.control('passControl', conversationId, controlBody(input, true), options);
	}

	/** Offers control to `switchboardIntegration` (it becomes pending until it accepts). */
	async offerControl(conversationId: string, input: ControlInput, options: CallOptions = {}): Promise<void> {
		return this.control('offerControl', conversationId, controlBody(input, true), options);
	}

	/** Accepts control offered to the pending switchboard integration. */
	async acceptControl(conversationId: string, input: { metadata?: Metadata } = {}, options: CallOptions = {}): Promise<void> {
		return this.control('acceptControl', conversationId, controlBody(input, false), options);
	}

	/** Releases control: the conversation has no active switchboard integration afterwards. */
	async releaseControl(conversationId: string, input: { metadata?: Metadata } = {}, options: CallOptions = {}): Promise<void> {
		return this.control('releaseControl', conversationId, controlBody(input, false), options);
	}

	private async control(action: string, conversationId: string, body: Record<string, unknown>, options: CallOptions): Promise<void> {
		const id = requireId('conversationId', conversationId);
		// Repeating a switchboard action leaves the same state, so it is retried after a 5xx.
		await this.call('POST', `/conversations/${seg(id)}/${action}`, `/conversations/{conversationId}/${action}`, { body, idempotent: true, ...options });
	}

	// ---- switchboards -----------------------------------------------------------------------

	/** GET /switchboards (an app has at most one). */
	async listSwitchboards(options: CallOptions = {}): Promise<Switchboard[]> {
		const res = await this.call('GET', '/switchboards', '/switchboards', options);
		return parseResponse(responses.switchboards, res, 'GET /switchboards').switchboards;
	}

	/** GET /switchboards/{switchboardId}/switchboardIntegrations. */
	async listSwitchboardIntegrations(switchboardId: string, options: CallOptions = {}): Promise<SwitchboardIntegration[]> {
		const id = requireId('switchboardId', switchboardId);
		const route = '/switchboards/{switchboardId}/switchboardIntegrations';
		const res = await this.call('GET', `/switchboards/${seg(id)}/switchboardIntegrations`, route, options);
		return parseResponse(responses.switchboardIntegrations, res, `GET ${route}`).switchboardIntegrations;
	}

	/** The agent workspace's switchboard integration (name zd-agentWorkspace or type zd:agentWorkspace), if any. */
	async findAgentWorkspace(options: CallOptions = {}): Promise<AgentWorkspace | undefined> {
		for (const switchboard of await this.listSwitchboards(options)) {
			const integrations = await this.listSwitchboardIntegrations(switchboard.id, options);
			const match =
				integrations.find((i) => i.name === AGENT_WORKSPACE_NAME) ?? integrations.find((i) => i.integrationType === AGENT_WORKSPACE_TYPE);
			if (match) return { switchboard, switchboardIntegration: match };
		}
		return undefined;
	}

	// ---- integrations -----------------------------------------------------------------------

	/** POST /integrations: a custom integration with its one webhook; the webhook's `secret` is in the answer. */
	async createCustomIntegration(input: CreateCustomIntegrationInput, options: CallOptions = {}): Promise<Integration> {
		if (!isPlainObject(input)) throw new InvalidInputError('integration', 'createCustomIntegration needs {webhook}');
		const body = dropUndefined({
			type: 'custom',
			displayName: optionalString('displayName', input.displayName, MAX_DISPLAY_NAME_LENGTH),
			webhooks: [webhookBody(input.webhook, true, 'webhook')],
		});
		const res = await this.call('POST', '/integrations', '/integrations', { body, idempotent: false, ...options });
		return parseResponse(responses.integration, res, 'POST /integrations').integration;
	}

	/** GET /integrations: one page, optionally only some types. */
	async listIntegrations(input: ListIntegrationsInput = {}, options: CallOptions = {}): Promise<CursorPage<Integration>> {
		let types: string | undefined;
		if (input.types !== undefined) {
			if (!Array.isArray(input.types) || input.types.length === 0) throw new InvalidInputError('types', 'types must be a non-empty list such as ["custom"]');
			types = input.types.map((t, i) => requireString(`types[${i}]`, t, 64)).join(',');
		}
		const query = {
			'filter[types]': types,
			'page[size]': optionalPageSize('pageSize', input.pageSize),
			'page[after]': input.after === undefined ? undefined : requireString('after', input.after, 256),
		};
		const res = parseResponse(responses.integrationList, await this.call('GET', '/integrations', '/integrations', { query, ...options }), 'GET /integrations');
		return page(res.integrations, res.meta);
	}

	/** GET /integrations/{integrationId}. */
	async getIntegration(integrationId: string, options: CallOptions = {}): Promise<Integration> {
		const id = requireId('integrationId', integrationId);
		const res = await this.call('GET', `/integrations/${seg(id)}`, '/integrations/{integrationId}', options);
		return parseResponse(responses.integration, res, 'GET /integrations/{integrationId}').integration;
	}

	/** PATCH /integrations/{integrationId}: a custom integration can change its displayName (null unsets it). */
	async updateIntegration(integrationId: string, input: { displayName: string | null }, options: CallOptions = {}): Promise<Integration> {
		const id = requireId('integrationId', integrationId);
		const displayName = input?.displayName === null ? null : requireString('displayName', input?.displayName, MAX_DISPLAY_NAME_LENGTH);
		const res = await this.call('PATCH', `/integrations/${seg(id)}`, '/integrations/{integrationId}', { body: { displayName }, idempotent: true, ...options });
		return parseResponse(responses.integration, res, 'PATCH /integrations/{integrationId}').integration;
	}

	/** DELETE /integrations/{integrationId} (its webhook goes with it). */
	async deleteIntegration(integrationId: string, options: CallOptions = {}): Promise<void> {
		const id = requireId('integrationId', integrationId);
		await this.call('DELETE', `/integrations/${seg(id)}`, '/integrations/{integrationId}', options);
	}

	// ---- webhooks ---------------------------------------------------------------------------

	/** POST /integrations/{integrationId}/webhooks ("me" for an OAuth integration token). The answer carries the secret. */
	async createWebhook(integrationId: string, input: WebhookInput, options: CallOptions = {}): Promise<Webhook> {
		const id = requireId('integrationId', integrationId);
		const route = '/integrations/{integrationId}/webhooks';
		const res = await this.call('POST', `/integrations/${seg(id)}/webhooks`, route, { body: webhookBody(input, true, 'webhook'), idempotent: false, ...options });
		return parseResponse(responses.webhook, res, `POST ${route}`).webhook;
	}

	/** GET /integrations/{integrationId}/webhooks. */
	async listWebhooks(integrationId: string, options: CallOptions = {}): Promise<Webhook[]> {
		const id = requireId('integrationId', integrationId);
		const route = '/integrations/{integrationId}/webhooks';
		const res = await this.call('GET', `/integrations/${seg(id)}/webhooks`, route, options);
		return parseResponse(responses.webhooks, res, `GET ${route}`).webhooks;
	}

	/** GET /integrations/{integrationId}/webhooks/{webhookId}. */
	async getWebhook(integrationId: string, webhookId: string, options: CallOptions = {}): Promise<Webhook> {
		const route = '/integrations/{integrationId}/webhooks/{webhookId}';
		const res = await this.call('GET', webhookPath(integrationId, webhookId), route, options);
		return parseResponse(responses.webhook, res, `GET ${route}`).webhook;
	}

	/** PATCH …/webhooks/{webhookId}: only the fields given change. */
	async updateWebhook(integrationId: string, webhookId: string, input: Partial<WebhookInput>, options: CallOptions = {}): Promise<Webhook> {
		const path = webhookPath(integrationId, webhookId);
		const body = webhookBody(input, false, 'webhook');
		if (Object.keys(body).length === 0) throw new InvalidInputError('webhook', 'updateWebhook needs at least one of target, triggers, includeFullUser, includeFullSource');
		const route = '/integrations/{integrationId}/webhooks/{webhookId}';
		const res = await this.call('PATCH', path, route, { body, idempotent: true, ...options });
		return parseResponse(responses.webhook, res, `PATCH ${route}`).webhook;
	}

	/** DELETE …/webhooks/{webhookId}. */
	async deleteWebhook(integrationId: string, webhookId: string, options: CallOptions = {}): Promise<void> {
		await this.call('DELETE', webhookPath(integrationId, webhookId), '/integrations/{integrationId}/webhooks/{webhookId}', options);
	}

	/** The integration's webhook whose target is exactly `target` (n8n's checkExists). */
	async findWebhookByTarget(integrationId: string, target: string, options: CallOptions = {}): Promise<Webhook | undefined> {
		requireString('target', target, 2048);
		return (await this.listWebhooks(integrationId, options)).find((w) => w.target === target);
	}

	// ---- escalation -------------------------------------------------------------------------

	/** The documented handoff to a Zendesk agent; see escalate.ts. */
	async escalate(input: EscalationOptions, options: CallOptions = {}): Promise<EscalationResult> {
		return escalate(this, input, options);
	}

	/** Releases the connection pool (once no other client shares it). Later calls throw ClosedError. */
	close(): Promise<void> {
		return this.transport.close();
	}

	private call(
		method: HttpMethod,
		path: string,
		route: string,
		options: CallOptions & { query?: Record<string, string | number | undefined>; body?: unknown; idempotent?: boolean },
	): Promise<unknown> {
		if (this.transport.closed) return Promise.reject(new ClosedError('messaging'));
		return this.transport.request({
			method,
			path,
			route,
			query: options.query,
			body: options.body,
			// GET, PATCH (same body, same result) and DELETE can always be repeated.
			idempotent: options.idempotent ?? method !== 'POST',
			signal: options.signal,
		});
	}
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function page<T>(items: T[], meta: { hasMore?: boolean; afterCursor?: string; beforeCursor?: string } | undefined): CursorPage<T> {
	return dropUndefined({ items, hasMore: meta?.hasMore ?? false, afterCursor: meta?.afterCursor, beforeCursor: meta?.beforeCursor });
}

/** The next cursor, refusing a missing or repeated one so a faulty server cannot loop us forever. */
function nextCursor(cursor: string | undefined, seen: Set<string>, route: string): string {
	if (cursor === undefined || seen.has(cursor)) {
		throw new ProtocolError('messaging', `Sunshine Conversations ${route} said hasMore but gave ${cursor === undefined ? 'no' : 'a repeated'} cursor`);
	}
	seen.add(cursor);
	return cursor;
}

function userRef(input: { userId?: unknown; userExternalId?: unknown }): { userId?: string; userExternalId?: string } {
	const hasId = input.userId !== undefined;
	const hasExternal = input.userExternalId !== undefined;
	if (hasId === hasExternal) {
		throw new InvalidInputError(hasId ? 'userExternalId' : 'userId', 'give exactly one of userId or userExternalId');
	}
	return hasId ? { userId: requireString('userId', input.userId, 256) } : { userExternalId: requireString('userExternalId', input.userExternalId, MAX_EXTERNAL_ID_LENGTH) };
}

function userCreateBody(input: CreateUserInput): Record<string, unknown> & { externalId?: string } {
	if (!isPlainObject(input)) throw new InvalidInputError('user', 'createUser needs an object such as {externalId}');
	let signedUpAt: string | undefined;
	if (input.signedUpAt instanceof Date) {
		if (Number.isNaN(input.signedUpAt.getTime())) throw new InvalidInputError('signedUpAt', 'signedUpAt is an invalid Date');
		signedUpAt = input.signedUpAt.toISOString();
	} else if (input.signedUpAt !== undefined) {
		signedUpAt = requireString('signedUpAt', input.signedUpAt, 64);
		if (Number.isNaN(Date.parse(signedUpAt))) throw new InvalidInputError('signedUpAt', 'signedUpAt must be an ISO 8601 time such as 2020-05-21T15:53:30.197Z');
	}
	let profile: Record<string, unknown> | undefined;
	if (input.profile !== undefined) {
		if (!isPlainObject(input.profile)) throw new InvalidInputError('profile', 'profile must be an object');
		const p = input.profile;
		profile = dropUndefined({
			givenName: optionalString('profile.givenName', p.givenName, 128),
			surname: optionalString('profile.surname', p.surname, 128),
			email: optionalString('profile.email', p.email, 128),
			avatarUrl: p.avatarUrl === undefined ? undefined : requireHttpUrl('profile.avatarUrl', p.avatarUrl),
			locale: optionalString('profile.locale', p.locale, 64),
		});
		if (profile.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(profile.email as string)) {
			throw new InvalidInputError('profile.email', 'profile.email is not an email address');
		}
	}
	return dropUndefined({
		externalId: optionalString('externalId', input.externalId, MAX_EXTERNAL_ID_LENGTH),
		signedUpAt,
		profile,
		metadata: validateMetadata('metadata', input.metadata),
	});
}

function messageAuthor(author: unknown): Record<string, unknown> & { type: 'business' | 'user' } {
	if (!isPlainObject(author)) throw new InvalidInputError('author', 'author must be {type: "business"} or {type: "user", userId}');
	const common = {
		displayName: optionalString('author.displayName', author.displayName, 255),
		avatarUrl: author.avatarUrl === undefined ? undefined : requireHttpUrl('author.avatarUrl', author.avatarUrl),
	};
	if (author.type === 'business') {
		let subtypes: string[] | undefined;
		if (author.subtypes !== undefined) {
			// Spec: "AI" is the only subtype a request may set (activity, agent and bot appear in responses only).
			if (!Array.isArray(author.subtypes) || author.subtypes.length !== 1 || author.subtypes[0] !== 'AI') {
				throw new InvalidInputError('author.subtypes', 'author.subtypes can only be ["AI"]');
			}
			subtypes = ['AI'];
		}
		return dropUndefined({ type: 'business' as const, ...common, subtypes });
	}
	if (author.type === 'user') return dropUndefined({ type: 'user' as const, ...userRef(author), ...common });
	throw new InvalidInputError('author.type', `author.type must be "business" or "user", got ${JSON.stringify(author.type)}`);
}

function messageContent(content: unknown): Record<string, unknown> {
	if (!isPlainObject(content)) throw new InvalidInputError('content', 'content must be an object such as {type: "text", text: "Hello"}');
	requireString('content.type', content.type, 64);
	if (content.type === 'text') {
		// Text is required unless actions, htmlText or markdownText carry the message (spec: textMessage).
		const carried = content.actions !== undefined || content.htmlText !== undefined || content.markdownText !== undefined;
		if (content.text !== undefined || !carried) requireText('content.text', content.text);
		if (content.markdownText !== undefined) requireText('content.markdownText', content.markdownText);
		if (content.htmlText !== undefined) requireText('content.htmlText', content.htmlText);
		optionalBoolean('content.blockChatInput', content.blockChatInput);
		if (content.actions !== undefined && !Array.isArray(content.actions)) throw new InvalidInputError('content.actions', 'content.actions must be a list');
	}
	return content;
}

function controlBody(input: { switchboardIntegration?: unknown; metadata?: unknown }, needsTarget: boolean): Record<string, unknown> {
	if (!isPlainObject(input)) throw new InvalidInputError('control', needsTarget ? 'pass {switchboardIntegration, metadata?}' : 'pass {metadata?}');
	const metadata = validateMetadata('metadata', input.metadata);
	if (!needsTarget) return dropUndefined({ metadata });
	const target = requireString('switchboardIntegration', input.switchboardIntegration, MAX_SWITCHBOARD_INTEGRATION_NAME_LENGTH);
	return dropUndefined({ switchboardIntegration: target, metadata });
}

const KNOWN_TRIGGERS = new Set<string>(WEBHOOK_TRIGGERS);

function webhookBody(input: Partial<WebhookInput> | undefined, create: boolean, field: string): Record<string, unknown> {
	if (!isPlainObject(input)) throw new InvalidInputError(field, `${field} must be {target, triggers}`);
	let triggers: string[] | undefined;
	if (input.triggers !== undefined || create) {
		if (!Array.isArray(input.triggers) || input.triggers.length === 0) {
			throw new InvalidInputError(`${field}.triggers`, `${field}.triggers must be a non-empty list`, 'e.g. ["conversation:message", "switchboard:releaseControl"].');
		}
		input.triggers.forEach((t, i) => {
			if (typeof t !== 'string' || !KNOWN_TRIGGERS.has(t)) {
				// Triggers are case sensitive; a typo would silently never fire.
				throw new InvalidInputError(`${field}.triggers[${i}]`, `${JSON.stringify(t)} is not a Sunshine Conversations webhook trigger`, `Use one of ${WEBHOOK_TRIGGERS.join(', ')}.`);
			}
		});
		triggers = [...new Set(input.triggers)];
	}
	return dropUndefined({
		target: input.target !== undefined || create ? requireHttpUrl(`${field}.target`, input.target) : undefined,
		triggers,
		includeFullUser: optionalBoolean(`${field}.includeFullUser`, input.includeFullUser),
		includeFullSource: optionalBoolean(`${field}.includeFullSource`, input.includeFullSource),
	});
}

function webhookPath(integrationId: string, webhookId: string): string {
	return `/integrations/${seg(requireId('integrationId', integrationId))}/webhooks/${seg(requireId('webhookId', webhookId))}`;
}
