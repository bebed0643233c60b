import { DEFAULT_CALL_DEADLINE_MS } from '../shared/abort';
import { exponentialBackoff, type Backoff } from '../shared/backoff';
import { ClosedError, HttpError, InvalidInputError, ProtocolError } from '../shared/errors';
import { silentLogger, type Logger } from '../shared/logger';
import { createAuthorizer, type MessagingAuth } from './auth';
import {
	activityBody,
	controlBody,
	conversationCreateBody,
	conversationUpdateBody,
	dropUndefined,
	messageAuthor,
	messageContent,
	switchboardIntegrationBody,
	switchboardUpdateBody,
	userCreateBody,
	userRef,
	userUpdateBody,
	webhookBody,
} from './bodies';
import {
	AGENT_WORKSPACE_NAME,
	AGENT_WORKSPACE_TYPE,
	MAX_DISPLAY_NAME_LENGTH,
	MAX_EXTERNAL_ID_LENGTH,
	ORIGIN_METADATA_KEY,
} from './constants';
import { buildContent, type BusinessContent } from './content';
import { SunshineTransport } from './http';
import { fillPath, ROUTES, type Route } from './routes';
import type {
	Conversation,
	Integration,
	Message,
	Participant,
	Switchboard,
	SwitchboardIntegration,
	User,
	Webhook,
} from './schemas';
import type {
	ActivityInput,
	BusinessAuthorInput,
	BusinessMessageInput,
	CallOptions,
	ControlInput,
	CreateConversationInput,
	CreateCustomIntegrationInput,
	CreateSwitchboardIntegrationInput,
	CreateUserInput,
	CursorPage,
	ListConversationsInput,
	ListIntegrationsInput,
	ListParticipantsInput,
	MessageAuthor,
	PostMessageInput,
	UpdateConversationInput,
	UpdateSwitchboardInput,
	UpdateSwitchboardIntegrationInput,
	UpdateUserInput,
	UserMessageInput,
	UserRef,
	WebhookInput,
} from './types';
import {
	isPlainObject,
	optionalBoolean,
	optionalPageSize,
	optionalString,
	requireId,
	requireString,
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
	 * Time allowed for a whole call, its retries and their waits included; it then fails with
	 * TimeoutError, and a retry wait that would outlast it is not started (the call fails with its
	 * last error at once). @default 60_000
	 */
	deadlineMs?: number;
	/**
	 * Aborts every call of this client, as each call's own `signal` does (e.g. the execution's
	 * cancel signal, so that no call can be made without it). @default undefined
	 */
	signal?: AbortSignal;
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

/** Where control goes to create a Zendesk ticket. */
export interface AgentWorkspace {
	switchboard: Switchboard;
	switchboardIntegration: SwitchboardIntegration;
}

/** A switchboard integration as describeSwitchboard shows it: with its place in the handoff chain spelled out. */
export interface SwitchboardIntegrationDescription {
	id: string;
	name: string;
	integrationId: string | null;
	integrationType: string;
	deliverStandbyEvents: boolean | null;
	nextSwitchboardIntegrationId: string | null;
	/** It gets control of new conversations (the switchboard's defaultSwitchboardIntegrationId). */
	isDefault: boolean;
	/** The name of the next switchboard integration ("next" in passControl), or null. */
	next: string | null;
}

export interface SwitchboardDescription {
	switchboard: { id: string; enabled: boolean; defaultSwitchboardIntegrationId: string | null };
	integrations: SwitchboardIntegrationDescription[];
}

interface SendRequest {
	/** Values for the route's `{placeholders}`, already checked. */
	params?: Record<string, string>;
	query?: Record<string, string | number | undefined>;
	body?: unknown;
	/** Overrides the route's own idempotence for this call. */
	idempotent?: boolean;
}

/**
 * The Sunshine Conversations v2 (Zendesk Messaging) client: users, conversations, participants,
 * messages, activity, switchboard control, switchboards, integrations and webhooks. Every route
 * is described once in routes.ts; every input is checked before a request leaves; errors are
 * ZendeskErrors with api "messaging". Call `close()` when done.
 */
export class MessagingClient {
	readonly appId: string;
	private readonly transport: SunshineTransport;
	private readonly originTag: string | undefined;

	/** @throws InvalidInputError for a bad base URL, app id, key or option. */
	constructor(options: MessagingClientOptions) {
		if (!isPlainObject(options))
			throw new InvalidInputError('options', 'MessagingClient needs {baseUrl, appId, auth}');
		this.appId = requireId('appId', options.appId, 128);
		requireString('baseUrl', options.baseUrl, 2048);
		const maxRetries = options.maxRetries ?? 3;
		if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
			throw new InvalidInputError(
				'maxRetries',
				`maxRetries must be an integer from 0 to 10, got ${String(maxRetries)}`,
			);
		}
		const timeoutMs = options.timeoutMs ?? 30_000;
		if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
			throw new InvalidInputError(
				'timeoutMs',
				'timeoutMs must be a positive number of milliseconds',
			);
		const deadlineMs = options.deadlineMs ?? DEFAULT_CALL_DEADLINE_MS;
		if (!Number.isFinite(deadlineMs) || deadlineMs <= 0)
			throw new InvalidInputError(
				'deadlineMs',
				'deadlineMs must be a positive number of milliseconds',
			);
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
			deadlineMs,
			signal: options.signal,
			logger: options.logger ?? silentLogger,
		});
	}

	// ---- users ------------------------------------------------------------------------------

	/** POST /users. @throws HttpError 409 (code "conflict") when the externalId is taken. */
	async createUser(input: CreateUserInput, options: CallOptions = {}): Promise<User> {
		const body = userCreateBody(input);
		// With an externalId a repeat cannot create a second user (it answers 409), so it is safe to retry.
		return this.send(
			ROUTES.createUser,
			{ body, idempotent: body.externalId !== undefined },
			options,
		);
	}

	/** GET /users/{userIdOrExternalId}. @throws HttpError 404 (user_not_found). */
	async getUser(userIdOrExternalId: string, options: CallOptions = {}): Promise<User> {
		return this.send(ROUTES.getUser, { params: userParams(userIdOrExternalId) }, options);
	}

	/** PATCH /users/{userIdOrExternalId}: only the profile fields given change (null clears one); metadata is replaced (null clears it). */
	async updateUser(
		userIdOrExternalId: string,
		input: UpdateUserInput,
		options: CallOptions = {},
	): Promise<User> {
		const params = userParams(userIdOrExternalId);
		return this.send(ROUTES.updateUser, { params, body: userUpdateBody(input) }, options);
	}

	/**
	 * Creates the user, or fetches it when the externalId is already taken (409): one request for a
	 * new user, two for a known one, and two concurrent callers end up with the same user.
	 */
	async findOrCreateUser(
		input: CreateUserInput & { externalId: string },
		options: CallOptions = {},
	): Promise<{ user: User; created: boolean }> {
		requireString('externalId', input?.externalId, MAX_EXTERNAL_ID_LENGTH);
		const attempt = await this.createUser(input, options).then(
			(user) => ({ user }),
			(error: unknown) => ({ error }),
		);
		if ('user' in attempt) return { user: attempt.user, created: true };
		if (!(attempt.error instanceof HttpError) || attempt.error.statusCode !== 409)
			throw attempt.error;
		return { user: await this.getUser(input.externalId, options), created: false };
	}

	// ---- conversations ----------------------------------------------------------------------

	/** POST /conversations: a `personal` conversation with one participant. */
	async createConversation(
		input: CreateConversationInput,
		options: CallOptions = {},
	): Promise<Conversation> {
		return this.send(ROUTES.createConversation, { body: conversationCreateBody(input) }, options);
	}

	/** GET /conversations/{conversationId}. */
	async getConversation(conversationId: string, options: CallOptions = {}): Promise<Conversation> {
		return this.send(
			ROUTES.getConversation,
			{ params: conversationParams(conversationId) },
			options,
		);
	}

	/** PATCH /conversations/{conversationId}: only the fields given change; null clears one. */
	async updateConversation(
		conversationId: string,
		input: UpdateConversationInput,
		options: CallOptions = {},
	): Promise<Conversation> {
		const params = conversationParams(conversationId);
		return this.send(
			ROUTES.updateConversation,
			{ params, body: conversationUpdateBody(input) },
			options,
		);
	}

	/** GET /conversations?filter[userId|userExternalId]=…: one page of a user's conversations. */
	async listConversations(
		input: ListConversationsInput,
		options: CallOptions = {},
	): Promise<CursorPage<Conversation>> {
		if (!isPlainObject(input))
			throw new InvalidInputError('filter', 'listConversations needs {userId} or {userExternalId}');
		const ref = userRef(input);
		const query = {
			'filter[userId]': ref.userId,
			'filter[userExternalId]': ref.userExternalId,
			'page[size]': optionalPageSize('pageSize', input.pageSize),
			'page[after]': optionalCursor('after', input.after),
		};
		return this.send(ROUTES.listConversations, { query }, options);
	}

	/** The node's name for listConversations: one page of a user's conversations. */
	listUserConversations(
		input: ListConversationsInput,
		options: CallOptions = {},
	): Promise<CursorPage<Conversation>> {
		return this.listConversations(input, options);
	}

	/** Every conversation of a user, following `afterCursor` page by page. */
	async *conversations(
		input: UserRef & { pageSize?: number },
		options: CallOptions = {},
	): AsyncGenerator<Conversation> {
		let after: string | undefined;
		const seen = new Set<string>();
		for (;;) {
			const current = await this.listConversations(
				{ ...input, after } as ListConversationsInput,
				options,
			);
			yield* current.items;
			if (!current.hasMore) return;
			after = nextCursor(current.afterCursor, seen, 'GET /conversations');
		}
	}

	/**
	 * A user's conversations, at most `limit` (pages of 100 until then).
	 * @param limit @default 1000
	 */
	async allConversations(
		user: UserRef,
		limit = 1000,
		options: CallOptions = {},
	): Promise<Conversation[]> {
		requireLimit(limit);
		if (!isPlainObject(user))
			throw new InvalidInputError('user', 'allConversations needs {userId} or {userExternalId}');
		const all: Conversation[] = [];
		for await (const conversation of this.conversations(
			{ ...userRef(user), pageSize: 100 } as UserRef & { pageSize: number },
			options,
		)) {
			all.push(conversation);
			if (all.length >= limit) break;
		}
		return all;
	}

	/** GET /conversations/{conversationId}/participants: one page. */
	async listParticipants(
		conversationId: string,
		input: ListParticipantsInput = {},
		options: CallOptions = {},
	): Promise<CursorPage<Participant>> {
		const params = conversationParams(conversationId);
		if (!isPlainObject(input))
			throw new InvalidInputError('page', 'listParticipants takes {pageSize?, after?}');
		const query = {
			'page[size]': optionalPageSize('pageSize', input.pageSize),
			'page[after]': optionalCursor('after', input.after),
		};
		return this.send(ROUTES.listParticipants, { params, query }, options);
	}

	// ---- messages ---------------------------------------------------------------------------

	/** POST /conversations/{id}/messages; resolves with the created messages (usually one). */
	async postMessage(
		conversationId: string,
		input: PostMessageInput,
		options: CallOptions = {},
	): Promise<Message[]> {
		const params = conversationParams(conversationId);
		if (!isPlainObject(input))
			throw new InvalidInputError('message', 'postMessage needs {author, content}');
		const author = messageAuthor(input.author);
		const body = dropUndefined({
			author,
			content: messageContent(input.content),
			metadata: this.stamped(author.type, input.metadata),
		});
		return this.send(ROUTES.postMessage, { params, body }, options);
	}

	/**
	 * Posts any business content (text with actions, carousel, list, image, file, form, location
	 * request, location) as the business (the bot). The content is checked against the spec's
	 * limits before anything is sent (see content/).
	 */
	async postBusinessContent(
		conversationId: string,
		input: BusinessAuthorInput & { content: BusinessContent },
		options: CallOptions = {},
	): Promise<Message> {
		const params = conversationParams(conversationId);
		if (!isPlainObject(input))
			throw new InvalidInputError('message', 'postBusinessContent needs {content}');
		const author = messageAuthor(
			dropUndefined({
				type: 'business' as const,
				displayName: input.displayName,
				avatarUrl: input.avatarUrl,
				subtypes: optionalBoolean('ai', input.ai) ? (['AI'] as ['AI']) : undefined,
			}),
		);
		const body = dropUndefined({
			author,
			content: buildContent(input.content),
			metadata: this.stamped('business', input.metadata),
		});
		const [message] = await this.send(ROUTES.postMessage, { params, body }, options);
		return message;
	}

	/** Posts text as the business (the bot). */
	async postBusinessMessage(
		conversationId: string,
		input: BusinessMessageInput,
		options: CallOptions = {},
	): Promise<Message> {
		if (!isPlainObject(input))
			throw new InvalidInputError('message', 'postBusinessMessage needs {text}');
		const { text, ...author } = input;
		return this.postBusinessContent(
			conversationId,
			{ ...author, content: { type: 'text', text } },
			options,
		);
	}

	/** Posts text on behalf of the end user (e.g. forwarding what they typed in another channel). */
	async postUserMessage(
		conversationId: string,
		input: UserMessageInput,
		options: CallOptions = {},
	): Promise<Message> {
		if (!isPlainObject(input))
			throw new InvalidInputError(
				'message',
				'postUserMessage needs {userId or userExternalId, text}',
			);
		const author = { type: 'user' as const, ...userRef(input) } as MessageAuthor;
		const [message] = await this.postMessage(
			conversationId,
			{ author, content: { type: 'text', text: input.text }, metadata: input.metadata },
			options,
		);
		return message;
	}

	/**
	 * GET /conversations/{id}/messages: one page. Pages go backwards: the newest page comes first,
	 * and `beforeCursor` leads to older messages. Within a page, messages are oldest first.
	 */
	async listMessages(
		conversationId: string,
		input: { before?: string } = {},
		options: CallOptions = {},
	): Promise<CursorPage<Message>> {
		const params = conversationParams(conversationId);
		const query = { 'page[before]': optionalCursor('before', input.before) };
		return this.send(ROUTES.listMessages, { params, query }, options);
	}

	/** Pages of a conversation's history, newest page first. */
	async *messagePages(
		conversationId: string,
		options: CallOptions = {},
	): AsyncGenerator<CursorPage<Message>> {
		let before: string | undefined;
		const seen = new Set<string>();
		for (;;) {
			const current = await this.listMessages(conversationId, { before }, options);
			yield current;
			if (!current.hasMore) return;
			before = nextCursor(
				current.beforeCursor,
				seen,
				'GET /conversations/{conversationId}/messages',
			);
		}
	}

	/**
	 * The most recent `limit` messages, oldest first (a bounded transcript).
	 * @param limit @default 1000
	 */
	async recentMessages(
		conversationId: string,
		limit = 1000,
		options: CallOptions = {},
	): Promise<Message[]> {
		requireLimit(limit);
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

	/** DELETE /conversations/{conversationId}/messages/{messageId}. */
	async deleteMessage(
		conversationId: string,
		messageId: string,
		options: CallOptions = {},
	): Promise<void> {
		const params = {
			...conversationParams(conversationId),
			messageId: requireId('messageId', messageId),
		};
		return this.send(ROUTES.deleteMessage, { params }, options);
	}

	// ---- activity ---------------------------------------------------------------------------

	/** POST /conversations/{id}/activity: typing:start, typing:stop or conversation:read. */
	async postActivity(
		conversationId: string,
		input: ActivityInput,
		options: CallOptions = {},
	): Promise<void> {
		const params = conversationParams(conversationId);
		return this.send(ROUTES.postActivity, { params, body: activityBody(input) }, options);
	}

	// ---- switchboard actions ----------------------------------------------------------------

	/** Makes `switchboardIntegration` active (to zd-agentWorkspace: creates the ticket). */
	async passControl(
		conversationId: string,
		input: ControlInput,
		options: CallOptions = {},
	): Promise<void> {
		return this.send(
			ROUTES.passControl,
			{ params: conversationParams(conversationId), body: controlBody(input, true) },
			options,
		);
	}

	/** Offers control to `switchboardIntegration` (it becomes pending until it accepts). */
	async offerControl(
		conversationId: string,
		input: ControlInput,
		options: CallOptions = {},
	): Promise<void> {
		return this.send(
			ROUTES.offerControl,
			{ params: conversationParams(conversationId), body: controlBody(input, true) },
			options,
		);
	}

	/** Accepts control offered to the pending switchboard integration. */
	async acceptControl(
		conversationId: string,
		input: { metadata?: Metadata } = {},
		options: CallOptions = {},
	): Promise<void> {
		return this.send(
			ROUTES.acceptControl,
			{ params: conversationParams(conversationId), body: controlBody(input, false) },
			options,
		);
	}

	/** Releases control: the conversation has no active switchboard integration afterwards. */
	async releaseControl(
		conversationId: string,
		input: { metadata?: Metadata } = {},
		options: CallOptions = {},
	): Promise<void> {
		return this.send(
			ROUTES.releaseControl,
			{ params: conversationParams(conversationId), body: controlBody(input, false) },
			options,
		);
	}

	// ---- switchboards -----------------------------------------------------------------------

	/** POST /switchboards: an app has at most one; it starts disabled (spec example createSwitchboard). */
	async createSwitchboard(options: CallOptions = {}): Promise<Switchboard> {
		return this.send(ROUTES.createSwitchboard, {}, options);
	}

	/** GET /switchboards (an app has at most one). */
	async listSwitchboards(options: CallOptions = {}): Promise<Switchboard[]> {
		return this.send(ROUTES.listSwitchboards, {}, options);
	}

	/** PATCH /switchboards/{switchboardId}: enable or disable it, or choose the default responder. */
	async updateSwitchboard(
		switchboardId: string,
		input: UpdateSwitchboardInput,
		options: CallOptions = {},
	): Promise<Switchboard> {
		const params = { switchboardId: requireId('switchboardId', switchboardId) };
		return this.send(
			ROUTES.updateSwitchboard,
			{ params, body: switchboardUpdateBody(input) },
			options,
		);
	}

	/** DELETE /switchboards/{switchboardId}: with all its switchboard integrations (the integrations stay). */
	async deleteSwitchboard(switchboardId: string, options: CallOptions = {}): Promise<void> {
		return this.send(
			ROUTES.deleteSwitchboard,
			{ params: { switchboardId: requireId('switchboardId', switchboardId) } },
			options,
		);
	}

	/** GET /switchboards/{switchboardId}/switchboardIntegrations. */
	async listSwitchboardIntegrations(
		switchboardId: string,
		options: CallOptions = {},
	): Promise<SwitchboardIntegration[]> {
		return this.send(
			ROUTES.listSwitchboardIntegrations,
			{ params: { switchboardId: requireId('switchboardId', switchboardId) } },
			options,
		);
	}

	/** POST /switchboards/{switchboardId}/switchboardIntegrations (a switchboard holds at most 10). */
	async createSwitchboardIntegration(
		switchboardId: string,
		input: CreateSwitchboardIntegrationInput,
		options: CallOptions = {},
	): Promise<SwitchboardIntegration> {
		const params = { switchboardId: requireId('switchboardId', switchboardId) };
		return this.send(
			ROUTES.createSwitchboardIntegration,
			{ params, body: switchboardIntegrationBody(input, true) },
			options,
		);
	}

	/** PATCH …/switchboardIntegrations/{switchboardIntegrationId}: only the fields given change. */
	async updateSwitchboardIntegration(
		switchboardId: string,
		switchboardIntegrationId: string,
		input: UpdateSwitchboardIntegrationInput,
		options: CallOptions = {},
	): Promise<SwitchboardIntegration> {
		const params = switchboardIntegrationParams(switchboardId, switchboardIntegrationId);
		return this.send(
			ROUTES.updateSwitchboardIntegration,
			{ params, body: switchboardIntegrationBody(input, false) },
			options,
		);
	}

	/** DELETE …/switchboardIntegrations/{id}: refused for the default one and for one another names as next. */
	async deleteSwitchboardIntegration(
		switchboardId: string,
		switchboardIntegrationId: string,
		options: CallOptions = {},
	): Promise<void> {
		return this.send(
			ROUTES.deleteSwitchboardIntegration,
			{ params: switchboardIntegrationParams(switchboardId, switchboardIntegrationId) },
			options,
		);
	}

	/** The agent workspace's switchboard integration (name zd-agentWorkspace or type zd:agentWorkspace), if any. */
	async findAgentWorkspace(options: CallOptions = {}): Promise<AgentWorkspace | undefined> {
		for (const switchboard of await this.listSwitchboards(options)) {
			const integrations = await this.listSwitchboardIntegrations(switchboard.id, options);
			const match = findAgentWorkspaceIn(integrations);
			if (match) return { switchboard, switchboardIntegration: match };
		}
		return undefined;
	}

	/**
	 * The app's switchboard and its integrations, each with whether it is the default responder and
	 * the name of its next one; undefined when the app has no switchboard.
	 */
	async describeSwitchboard(
		options: CallOptions = {},
	): Promise<SwitchboardDescription | undefined> {
		const [switchboard] = await this.listSwitchboards(options);
		if (!switchboard) return undefined;
		const integrations = await this.listSwitchboardIntegrations(switchboard.id, options);
		const nameOf = new Map(integrations.map((i) => [i.id, i.name]));
		const defaultId = switchboard.defaultSwitchboardIntegrationId ?? null;
		return {
			switchboard: {
				id: switchboard.id,
				enabled: switchboard.enabled,
				defaultSwitchboardIntegrationId: defaultId,
			},
			integrations: integrations.map((i) => {
				const next = i.nextSwitchboardIntegrationId ?? null;
				return {
					id: i.id,
					name: i.name,
					integrationId: i.integrationId ?? null,
					integrationType: i.integrationType,
					deliverStandbyEvents: i.deliverStandbyEvents ?? null,
					nextSwitchboardIntegrationId: next,
					isDefault: i.id === defaultId,
					next: next === null ? null : (nameOf.get(next) ?? null),
				};
			}),
		};
	}

	// ---- integrations -----------------------------------------------------------------------

	/** POST /integrations: a custom integration with its one webhook; the webhook's `secret` is in the answer. */
	async createCustomIntegration(
		input: CreateCustomIntegrationInput,
		options: CallOptions = {},
	): Promise<Integration> {
		if (!isPlainObject(input))
			throw new InvalidInputError('integration', 'createCustomIntegration needs {webhook}');
		const body = dropUndefined({
			type: 'custom',
			displayName: optionalString('displayName', input.displayName, MAX_DISPLAY_NAME_LENGTH),
			webhooks: [webhookBody(input.webhook, true, 'webhook')],
		});
		return this.send(ROUTES.createIntegration, { body }, options);
	}

	/** GET /integrations: one page, optionally only some types. */
	async listIntegrations(
		input: ListIntegrationsInput = {},
		options: CallOptions = {},
	): Promise<CursorPage<Integration>> {
		let types: string | undefined;
		if (input.types !== undefined) {
			if (!Array.isArray(input.types) || input.types.length === 0)
				throw new InvalidInputError('types', 'types must be a non-empty list such as ["custom"]');
			types = input.types.map((t, i) => requireString(`types[${i}]`, t, 64)).join(',');
		}
		const query = {
			'filter[types]': types,
			'page[size]': optionalPageSize('pageSize', input.pageSize),
			'page[after]': optionalCursor('after', input.after),
		};
		return this.send(ROUTES.listIntegrations, { query }, options);
	}

	/** Every integration (of the given types), following `afterCursor` page by page. */
	async *integrations(
		input: { types?: string[] } = {},
		options: CallOptions = {},
	): AsyncGenerator<Integration> {
		let after: string | undefined;
		const seen = new Set<string>();
		for (;;) {
			const current = await this.listIntegrations({ ...input, pageSize: 100, after }, options);
			yield* current.items;
			if (!current.hasMore) return;
			after = nextCursor(current.afterCursor, seen, 'GET /integrations');
		}
	}

	/** GET /integrations/{integrationId}. */
	async getIntegration(integrationId: string, options: CallOptions = {}): Promise<Integration> {
		return this.send(ROUTES.getIntegration, { params: integrationParams(integrationId) }, options);
	}

	/** PATCH /integrations/{integrationId}: a custom integration can change its displayName (null unsets it). */
	async updateIntegration(
		integrationId: string,
		input: { displayName: string | null },
		options: CallOptions = {},
	): Promise<Integration> {
		const params = integrationParams(integrationId);
		const displayName =
			input?.displayName === null
				? null
				: requireString('displayName', input?.displayName, MAX_DISPLAY_NAME_LENGTH);
		return this.send(ROUTES.updateIntegration, { params, body: { displayName } }, options);
	}

	/** DELETE /integrations/{integrationId} (its webhook goes with it). */
	async deleteIntegration(integrationId: string, options: CallOptions = {}): Promise<void> {
		return this.send(
			ROUTES.deleteIntegration,
			{ params: integrationParams(integrationId) },
			options,
		);
	}

	// ---- webhooks ---------------------------------------------------------------------------

	/** POST /integrations/{integrationId}/webhooks ("me" for an OAuth integration token). The answer carries the secret. */
	async createWebhook(
		integrationId: string,
		input: WebhookInput,
		options: CallOptions = {},
	): Promise<Webhook> {
		const params = integrationParams(integrationId);
		return this.send(
			ROUTES.createWebhook,
			{ params, body: webhookBody(input, true, 'webhook') },
			options,
		);
	}

	/** GET /integrations/{integrationId}/webhooks. */
	async listWebhooks(integrationId: string, options: CallOptions = {}): Promise<Webhook[]> {
		return this.send(ROUTES.listWebhooks, { params: integrationParams(integrationId) }, options);
	}

	/** GET /integrations/{integrationId}/webhooks/{webhookId}. */
	async getWebhook(
		integrationId: string,
		webhookId: string,
		options: CallOptions = {},
	): Promise<Webhook> {
		return this.send(
			ROUTES.getWebhook,
			{ params: webhookParams(integrationId, webhookId) },
			options,
		);
	}

	/** PATCH …/webhooks/{webhookId}: only the fields given change. */
	async updateWebhook(
		integrationId: string,
		webhookId: string,
		input: Partial<WebhookInput>,
		options: CallOptions = {},
	): Promise<Webhook> {
		const params = webhookParams(integrationId, webhookId);
		const body = webhookBody(input, false, 'webhook');
		if (Object.keys(body).length === 0)
			throw new InvalidInputError(
				'webhook',
				'updateWebhook needs at least one of target, triggers, includeFullUser, includeFullSource',
			);
		return this.send(ROUTES.updateWebhook, { params, body }, options);
	}

	/** DELETE …/webhooks/{webhookId}. */
	async deleteWebhook(
		integrationId: string,
		webhookId: string,
		options: CallOptions = {},
	): Promise<void> {
		return this.send(
			ROUTES.deleteWebhook,
			{ params: webhookParams(integrationId, webhookId) },
			options,
		);
	}

	/** The integration's webhook whose target is exactly `target` (n8n's checkExists). */
	async findWebhookByTarget(
		integrationId: string,
		target: string,
		options: CallOptions = {},
	): Promise<Webhook | undefined> {
		requireString('target', target, 2048);
		return (await this.listWebhooks(integrationId, options)).find((w) => w.target === target);
	}

	/** Releases the connection pool (once no other client shares it). Later calls throw ClosedError. */
	close(): Promise<void> {
		return this.transport.close();
	}

	/** The business message metadata with this client's origin tag stamped on (for the echo filter). */
	private stamped(authorType: 'business' | 'user', metadata: unknown): Metadata | undefined {
		const checked = validateMetadata('metadata', metadata);
		if (authorType !== 'business' || this.originTag === undefined) return checked;
		return validateMetadata('metadata', { ...checked, [ORIGIN_METADATA_KEY]: this.originTag });
	}

	/** The one way out: fills the route's path, sends, and reads the answer as the route says. */
	private async send<R>(route: Route<R>, request: SendRequest, options: CallOptions): Promise<R> {
		if (this.transport.closed) throw new ClosedError('messaging');
		const body = await this.transport.request({
			method: route.method,
			path: fillPath(route.path, request.params),
			route: route.path,
			query: request.query,
			body: request.body,
			idempotent: request.idempotent ?? route.idempotent,
			signal: options.signal,
		});
		return route.read(body);
	}
}

/** The agent workspace among a switchboard's integrations: by its documented name, else by its type. */
export function findAgentWorkspaceIn<T extends { name: string; integrationType: string }>(
	integrations: T[],
): T | undefined {
	return (
		integrations.find((i) => i.name === AGENT_WORKSPACE_NAME) ??
		integrations.find((i) => i.integrationType === AGENT_WORKSPACE_TYPE)
	);
}

function userParams(userIdOrExternalId: string): Record<string, string> {
	return {
		userIdOrExternalId: requireId('userIdOrExternalId', userIdOrExternalId, MAX_EXTERNAL_ID_LENGTH),
	};
}

function conversationParams(conversationId: string): Record<string, string> {
	return { conversationId: requireId('conversationId', conversationId) };
}

function integrationParams(integrationId: string): Record<string, string> {
	return { integrationId: requireId('integrationId', integrationId) };
}

function webhookParams(integrationId: string, webhookId: string): Record<string, string> {
	return { ...integrationParams(integrationId), webhookId: requireId('webhookId', webhookId) };
}

function switchboardIntegrationParams(
	switchboardId: string,
	switchboardIntegrationId: string,
): Record<string, string> {
	return {
		switchboardId: requireId('switchboardId', switchboardId),
		switchboardIntegrationId: requireId('switchboardIntegrationId', switchboardIntegrationId),
	};
}

function optionalCursor(field: string, value: unknown): string | undefined {
	return value === undefined ? undefined : requireString(field, value, 256);
}

function requireLimit(limit: unknown): void {
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)
		throw new InvalidInputError('limit', `limit must be a positive integer, got ${String(limit)}`);
}

/** The next cursor, refusing a missing or repeated one so a faulty server cannot loop us forever. */
function nextCursor(cursor: string | undefined, seen: Set<string>, route: string): string {
	if (cursor === undefined || seen.has(cursor)) {
		throw new ProtocolError(
			'messaging',
			`Sunshine Conversations ${route} said hasMore but gave ${cursor === undefined ? 'no' : 'a repeated'} cursor`,
		);
	}
	seen.add(cursor);
	return cursor;
}
