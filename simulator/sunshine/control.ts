import { SIM_HUMAN_AGENT_ID, SIM_SUNSHINE } from '../defaults';
import type { SunshineApp } from './app';
import { checkContent, formResponseContent } from './content';
import type { DeliveryAttempt } from './delivery';
import { ControlError, SunshineError } from './errors';
import { isoAt, newId } from './ids';
import { displayNameOf } from './payloads';
import {
	DEFAULT_BUSINESS_AVATAR,
	presentConversation,
	presentMessage,
	presentParticipant,
	presentUser,
	type ApiJson,
} from './present';
import { SUNSHINE_SEED } from './store';
import { AGENT_WORKSPACE_TYPE } from './switchboard';
import type { ConversationRecord, MessageRecord, TicketRecord, UserRecord } from './types';
import { Issues, isObject, type Json } from './validate';

/**
 * Control operations: the other side of Zendesk Messaging, scripted. A messaging user writes in the
 * Web Widget, an agent answers from the agent workspace and ends the session; tests read back the
 * tickets, the conversations and every webhook delivery.
 */
export function createSunshineControl(app: SunshineApp) {
	const { store, switchboard } = app;

	const conversationOf = (id: unknown): ConversationRecord => {
		if (typeof id !== 'string' || !id)
			throw new ControlError('invalid', 'conversationId is required');
		const conversation = store.conversations.get(id);
		if (!conversation) throw new ControlError('not_found', `no conversation ${id}`);
		return conversation;
	};

	const agentWorkspaceInControl = (conversation: ConversationRecord) => {
		const active = switchboard.activeOf(conversation);
		if (active?.integrationType !== AGENT_WORKSPACE_TYPE) {
			throw new ControlError(
				'invalid',
				`zd-agentWorkspace does not have control of conversation ${conversation.id} (active: ${active?.name ?? 'none'}): pass control to it first`,
			);
		}
		return active;
	};

	/** The participant a widget action comes from: the named one, or the conversation's first. */
	const widgetParticipant = (
		conversation: ConversationRecord,
		userExternalId?: string,
	): UserRecord => {
		const userId = userExternalId
			? store.userByExternalId(userExternalId)?.id
			: conversation.participants[0]?.userId;
		const user = userId ? store.users.get(userId) : undefined;
		if (!user || !conversation.participants.some((p) => p.userId === user.id)) {
			throw new ControlError('invalid', 'that user is not a participant of the conversation');
		}
		ensureWidgetClient(app, user);
		return user;
	};

	const presentTicket = (ticket: TicketRecord): TicketRecord & { messages: ApiJson[] } => {
		const conversation = store.conversations.get(ticket.conversationId);
		const messages = ticket.messageIds
			.map((id) => conversation?.messages.find((m) => m.id === id))
			.filter((m): m is MessageRecord => m !== undefined);
		return { ...structuredClone(ticket), messages: messages.map(presentMessage) };
	};

	return {
		/** The app, its key and the ids of the seeded integrations and switchboard. */
		defaults: () => ({
			appId: store.appId,
			keyId: SIM_SUNSHINE.keyId,
			keySecret: SIM_SUNSHINE.keySecret,
			...SUNSHINE_SEED,
			botIntegrationName: SIM_SUNSHINE.botIntegrationName,
			agentWorkspaceName: SIM_SUNSHINE.agentWorkspaceName,
		}),

		/**
		 * A messaging user writes in the Web Widget: `conversation:message` with author user and source
		 * web. Given only a userExternalId the user (and a personal conversation) is created if needed,
		 * as the widget does for a new visitor.
		 */
		userSays: guard(
			(args: {
				conversationId?: string;
				userExternalId?: string;
				text?: string;
				content?: Json;
				displayName?: string;
			}) => {
				const content = widgetContent(args);
				let conversation: ConversationRecord | undefined;
				let user: UserRecord | undefined;
				if (args.conversationId) {
					conversation = conversationOf(args.conversationId);
					const userId = args.userExternalId
						? store.userByExternalId(args.userExternalId)?.id
						: conversation.participants[0]?.userId;
					user = userId ? store.users.get(userId) : undefined;
					if (!user || !conversation.participants.some((p) => p.userId === user?.id)) {
						throw new ControlError('invalid', 'that user is not a participant of the conversation');
					}
				} else if (args.userExternalId) {
					user =
						store.userByExternalId(args.userExternalId) ??
						widgetUser(app, args.userExternalId, args.displayName);
					const latest = store
						.conversationsOf(user.id)
						.filter((c) => c.type === 'personal')
						.sort((a, b) => b.lastUpdatedAt.localeCompare(a.lastUpdatedAt))[0];
					conversation =
						latest ??
						app.createConversation({ type: 'personal' }, [user], {
							reason: 'message',
							source: { type: 'web', integrationId: SUNSHINE_SEED.webIntegrationId },
						});
				} else {
					throw new ControlError('invalid', 'conversationId or userExternalId is required');
				}
				ensureWidgetClient(app, user);
				const author: MessageRecord['author'] = { type: 'user', userId: user.id };
				const name = args.displayName ?? displayNameOf(user);
				if (name) author.displayName = name;
				if (user.profile.avatarUrl) author.avatarUrl = user.profile.avatarUrl;
				const message = app.postMessage(conversation, {
					author,
					content,
					source: { type: 'web', integrationId: SUNSHINE_SEED.webIntegrationId },
					fromWidget: true,
				});
				return {
					conversationId: conversation.id,
					userId: user.id,
					message: presentMessage(message) as ApiJson,
				};
			},
		),

		/**
		 * A messaging user starts or stops typing in the Web Widget: `conversation:typing` (openapi.yaml
		 * conversationTypingEvent, source web as in its example). The API cannot do this: a user author
		 * may only post conversation:read (openapi.yaml activityTypes).
		 */
		userTyping: guard(
			(args: { conversationId: string; userExternalId?: string; typing?: 'start' | 'stop' }) => {
				const conversation = conversationOf(args.conversationId);
				const typing = args.typing ?? 'start';
				if (typing !== 'start' && typing !== 'stop')
					throw new ControlError('invalid', 'typing must be start or stop');
				const user = widgetParticipant(conversation, args.userExternalId);
				const record = app.recordActivity(conversation, {
					type: `typing:${typing}`,
					user,
					source: widgetSourceRecord(),
					fromWidget: true,
				});
				return { ...record };
			},
		),

		/** A messaging user reads the conversation in the Web Widget: `conversation:read` with source web (openapi.yaml conversationReadEvent example). */
		userReads: guard((args: { conversationId: string; userExternalId?: string }) => {
			const conversation = conversationOf(args.conversationId);
			const user = widgetParticipant(conversation, args.userExternalId);
			const record = app.recordActivity(conversation, {
				type: 'conversation:read',
				user,
				source: widgetSourceRecord(),
				fromWidget: true,
			});
			return { ...record };
		}),

		/**
		 * A messaging user taps a quick reply of a business message in the Web Widget: a text message
		 * with the reply's text and its payload (openapi.yaml `reply` action: the payload is "Used when
		 * posting the reply"; textMessage.payload: "The payload of a reply button response message").
		 * `text` picks the quick reply by its label.
		 */
		userTapsReply: guard(
			(args: {
				conversationId: string;
				messageId: string;
				text: string;
				userExternalId?: string;
			}) => {
				const conversation = conversationOf(args.conversationId);
				const offer = conversation.messages.find((m) => m.id === args.messageId);
				if (!offer)
					throw new ControlError(
						'not_found',
						`no message ${String(args.messageId)} in conversation ${conversation.id}`,
					);
				const actions = Array.isArray(offer.content.actions)
					? (offer.content.actions as Json[])
					: [];
				const reply = actions.find((a) => a.type === 'reply' && a.text === args.text);
				if (!reply)
					throw new ControlError(
						'invalid',
						`message ${offer.id} has no quick reply labelled ${JSON.stringify(args.text)}`,
					);
				const user = widgetParticipant(conversation, args.userExternalId);
				const author: MessageRecord['author'] = { type: 'user', userId: user.id };
				const name = displayNameOf(user);
				if (name) author.displayName = name;
				if (user.profile.avatarUrl) author.avatarUrl = user.profile.avatarUrl;
				const message = app.postMessage(conversation, {
					author,
					content: { type: 'text', text: reply.text, payload: reply.payload },
					source: widgetSourceRecord(),
					fromWidget: true,
				});
				return presentMessage(message) as ApiJson;
			},
		),

		/**
		 * A messaging user fills in a form in the Web Widget: a `formResponse` message quoting the form
		 * (openapi.yaml formResponseMessage, `quotedMessage` {type:'message', message}), and the form
		 * becomes `submitted` (openapi.yaml formMessage.submitted). `values` maps field names to the
		 * answer: a string, or option names for a select field.
		 */
		userSubmitsForm: guard(
			(args: {
				conversationId: string;
				messageId: string;
				values: Record<string, unknown>;
				userExternalId?: string;
			}) => {
				const conversation = conversationOf(args.conversationId);
				const form = conversation.messages.find((m) => m.id === args.messageId);
				if (!form)
					throw new ControlError(
						'not_found',
						`no message ${String(args.messageId)} in conversation ${conversation.id}`,
					);
				if (form.content.type !== 'form')
					throw new ControlError(
						'invalid',
						`message ${form.id} is a ${String(form.content.type)} message, not a form`,
					);
				if (form.content.submitted === true)
					throw new ControlError('invalid', `form ${form.id} was already submitted`);
				if (!isObject(args.values))
					throw new ControlError('invalid', 'values must be an object of field name to answer');
				const issues = new Issues();
				const content = formResponseContent(form.content, args.values, issues);
				if (issues.list.length > 0) throw new ControlError('invalid', issues.list.join('; '));
				const user = widgetParticipant(conversation, args.userExternalId);
				form.content.submitted = true;
				const author: MessageRecord['author'] = { type: 'user', userId: user.id };
				const name = displayNameOf(user);
				if (name) author.displayName = name;
				if (user.profile.avatarUrl) author.avatarUrl = user.profile.avatarUrl;
				const message = app.postMessage(conversation, {
					author,
					content,
					source: widgetSourceRecord(),
					fromWidget: true,
					quotedMessage: { type: 'message', message: presentMessage(form) },
				});
				return presentMessage(message) as ApiJson;
			},
		),

		/** Every activity so far (API and widget, business and user), oldest first, optionally of one conversation. */
		activities: (args: { conversationId?: string } = {}) =>
			store.activities
				.filter((a) => !args.conversationId || a.conversationId === args.conversationId)
				.map((a) => structuredClone(a)),

		/**
		 * A Zendesk agent answers in the agent workspace: a business message with the agent's id in
		 * `metadata["__zendesk_msg.agent.id"]` (NOTES.md section 5; a string, as Botpress reads it).
		 * `content` instead of `text` sends an image or a file: agents send "text, images, and file
		 * attachments" (seeds/messaging-escalation-connector.txt).
		 */
		agentReplies: guard(
			(args: {
				conversationId: string;
				text?: string;
				content?: Json;
				agentName?: string;
				agentId?: number | string;
			}) => {
				const conversation = conversationOf(args.conversationId);
				const workspace = agentWorkspaceInControl(conversation);
				const content = widgetContent(args);
				const agentId = args.agentId ?? SIM_HUMAN_AGENT_ID;
				const agentName =
					args.agentName ??
					app.ctx.world.agents.get(Number(agentId))?.displayName ??
					'Zendesk Agent';
				const message = app.postMessage(conversation, {
					// openapi.yaml `author.subtypes`: "agent" marks messages "generated by human agents".
					author: {
						type: 'business',
						displayName: agentName,
						avatarUrl: DEFAULT_BUSINESS_AVATAR,
						subtypes: ['agent'],
					},
					content,
					// (unverified: the source type of agent workspace messages)
					source: { type: AGENT_WORKSPACE_TYPE, integrationId: workspace.integrationId },
					metadata: { '__zendesk_msg.agent.id': String(agentId) },
				});
				return presentMessage(message) as ApiJson;
			},
		),

		/** The agent ends the session (solves the ticket, or moves it to email): switchboard:releaseControl with that reason. */
		agentReleasesControl: guard(
			(args: { conversationId: string; reason?: 'ticketClosed' | 'transferToEmail' }) => {
				const conversation = conversationOf(args.conversationId);
				agentWorkspaceInControl(conversation);
				const reason = args.reason ?? 'ticketClosed';
				if (reason !== 'ticketClosed' && reason !== 'transferToEmail') {
					throw new ControlError('invalid', 'reason must be ticketClosed or transferToEmail');
				}
				const ticket = switchboard.agentReleases(conversation, reason);
				return {
					conversation: presentConversation(store, conversation) as ApiJson,
					ticket: ticket ? presentTicket(ticket) : null,
				};
			},
		),

		/** Tickets the agent workspace opened, with the messages each one was opened with. */
		tickets: (args: { conversationId?: string } = {}) =>
			store.tickets
				.filter((t) => !args.conversationId || t.conversationId === args.conversationId)
				.map(presentTicket),

		/** Every webhook POST so far (one entry per attempt), optionally only one event type, event or webhook. */
		deliveries: (
			args: { type?: string; eventId?: string; webhookId?: string } = {},
		): DeliveryAttempt[] =>
			app.delivery.attempts.filter(
				(a) =>
					(!args.type || a.type === args.type) &&
					(!args.eventId || a.eventId === args.eventId) &&
					(!args.webhookId || a.webhookId === args.webhookId),
			),

		/** Waits until no webhook POST is in flight (scheduled retries excepted). */
		settleDeliveries: async () => {
			await app.delivery.settled();
			return { pendingRetries: app.delivery.pendingRetries };
		},

		/** How long a webhook target may take to answer before the attempt fails (20 s by default). */
		setDeliveryTimeout: guard((args: { ms: number }) => {
			const ms = Number(args.ms);
			if (!Number.isInteger(ms) || ms < 1)
				throw new ControlError('invalid', 'ms must be a positive integer');
			app.delivery.timeoutMs = ms;
			return { timeoutMs: ms };
		}),

		/** A conversation with its participants, switchboard state and tickets. */
		conversation: guard((args: { id: string }) => {
			const conversation = conversationOf(args.id);
			return {
				conversation: presentConversation(store, conversation) as ApiJson,
				participants: conversation.participants.map((p): ApiJson => presentParticipant(store, p)),
				switchboard: {
					active: switchboard.activeOf(conversation)?.name ?? null,
					pending: conversation.pendingSwitchboardIntegrationId
						? (store.switchboardIntegrations.get(conversation.pendingSwitchboardIntegrationId)
								?.name ?? null)
						: null,
				},
				messageCount: conversation.messages.length,
				tickets: store.tickets.filter((t) => t.conversationId === conversation.id).map((t) => t.id),
			};
		}),

		messages: guard((args: { conversationId: string }) =>
			conversationOf(args.conversationId).messages.map((m): ApiJson => presentMessage(m)),
		),

		/**
		 * Adds `count` user messages (or, with `author: 'business'`, bot messages) at once, without
		 * webhooks: to reach the 30,000-message limit or page through history quickly.
		 */
		fillMessages: guard(
			(args: {
				conversationId: string;
				count: number;
				text?: string;
				author?: 'user' | 'business';
			}) => {
				const conversation = conversationOf(args.conversationId);
				const count = Number(args.count);
				if (
					!Number.isInteger(count) ||
					count < 1 ||
					conversation.messages.length + count > 30_000
				) {
					throw new ControlError(
						'invalid',
						'count must be a positive integer that keeps the conversation within 30,000 messages',
					);
				}
				if (args.author !== undefined && args.author !== 'user' && args.author !== 'business')
					throw new ControlError('invalid', 'author must be user or business');
				const userId =
					args.author === 'business' ? undefined : conversation.participants[0]?.userId;
				const received = isoAt(app.ctx.clock.now());
				for (let i = 0; i < count; i++) {
					conversation.messages.push({
						id: newId(),
						received,
						author: userId
							? { type: 'user', userId }
							: { type: 'business', avatarUrl: DEFAULT_BUSINESS_AVATAR },
						content: { type: 'text', text: `${args.text ?? 'Filler message'} ${i + 1}` },
						source: { type: 'api:conversations' },
					});
				}
				return { messageCount: conversation.messages.length };
			},
		),

		/** Adds a connected identity (an email) to a user, which is what GET /users?filter[identities.email] matches. */
		addUserIdentity: guard(
			(args: { user: string; value: string; type?: string; verification?: string }) => {
				const user = store.findUser(args.user);
				if (!user) throw new ControlError('not_found', `no user ${args.user}`);
				if (typeof args.value !== 'string' || !args.value)
					throw new ControlError('invalid', 'value is required');
				user.identities.push({
					type: args.type ?? 'email',
					value: args.value,
					verification: args.verification ?? 'embed',
				});
				return presentUser(user) as ApiJson;
			},
		),
	};
}

/** Control errors with the code the server maps to a status (API errors become 404 or 400). */
function guard<A, R>(operation: (args: A) => R): (args: A) => R {
	return (args: A) => {
		try {
			return operation(args ?? ({} as A));
		} catch (error) {
			if (error instanceof SunshineError) {
				throw new ControlError(
					error.status === 404 ? 'not_found' : 'invalid',
					error.errors.map((e) => e.title).join('; '),
				);
			}
			throw error;
		}
	};
}

function widgetContent(args: { text?: string; content?: Json }): Json {
	if (args.content !== undefined) {
		const issues = new Issues();
		const content = checkContent(args.content, issues);
		if (issues.list.length > 0) throw new ControlError('invalid', issues.list.join('; '));
		return content as Json;
	}
	if (typeof args.text !== 'string' || !args.text)
		throw new ControlError('invalid', 'text (or content) is required');
	if (args.text.length > 4096)
		throw new ControlError('invalid', 'text must be at most 4096 characters long');
	return { type: 'text', text: args.text };
}

/** Where widget messages and activities come from: the seeded Web Widget integration. */
function widgetSourceRecord(): { type: string; integrationId: string } {
	return { type: 'web', integrationId: SUNSHINE_SEED.webIntegrationId };
}

function widgetUser(app: SunshineApp, externalId: string, displayName?: string): UserRecord {
	const user: UserRecord = {
		id: newId(),
		externalId,
		signedUpAt: app.now(),
		profile: {
			locale: 'en',
			localeOrigin: 'zendeskAccount',
			...(displayName ? { givenName: displayName } : {}),
		},
		metadata: {},
		identities: [],
	};
	app.store.users.set(user.id, user);
	return user;
}

function ensureWidgetClient(app: SunshineApp, user: UserRecord): void {
	if (user.widgetClient) return;
	const now = app.now();
	user.widgetClient = {
		clientId: newId(),
		deviceId: newId(),
		guid: newId() + newId().slice(0, 8),
		linkedAt: now,
		lastSeen: now,
	};
}
