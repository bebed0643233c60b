import type { SunshineApp } from '../app';
import { badRequest, userNotFound } from '../errors';
import { pageBody, pageLinkBuilder, pageOf, readPage } from '../pagination';
import { userFor } from '../payloads';
import { presentConversation, presentConversationTruncated, presentParticipant } from '../present';
import { ANY_SCOPE, created, ok, type Route } from '../router';
import type { Caller, ConversationRecord, UserRecord } from '../types';
import { Issues, isObject, metadataField, objectBody, stringField, uriField, type Json } from '../validate';

/** Conversations, participants and activities (openapi.yaml tags Conversations, Participants, Activities). */
export function conversationRoutes(app: SunshineApp): Route[] {
	const { store } = app;
	return [
		{
			method: 'POST',
			path: 'conversations',
			scopes: ANY_SCOPE,
			handle: ({ body, caller }) => {
				const input = objectBody(body);
				const issues = new Issues();
				const type = stringField(input, 'type', '', issues, { required: true, oneOf: ['personal', 'sdkGroup'] });
				const fields = conversationFields(input, issues);
				const refs = participantRefs(input.participants, type, issues);
				issues.throwIfAny();
				// "It will return `404` if the user can't be found" (openapi.yaml participantSubSchema).
				const users = refs.map((ref) => {
					const user = ref.userId ? store.users.get(ref.userId) : store.userByExternalId(ref.userExternalId ?? '');
					if (!user) throw userNotFound();
					return user;
				});
				if (new Set(users.map((u) => u.id)).size !== users.length) throw badRequest('participants must be distinct users');
				const conversation = app.createConversation(
					{ type: type as ConversationRecord['type'], ...fields },
					users,
					{ reason: 'none', source: apiSource(caller) },
				);
				return created({ conversation: presentConversation(store, conversation) });
			},
		},
		{
			method: 'GET',
			path: 'conversations',
			scopes: ANY_SCOPE,
			handle: ({ query }) => {
				// openapi.yaml conversationFilterQuery: "One of `userId` or `userExternalId` is required, but not both."
				const userId = query.get('filter[userId]');
				const userExternalId = query.get('filter[userExternalId]');
				if (!userId === !userExternalId) throw badRequest('Exactly one of filter[userId] or filter[userExternalId] is required');
				const page = readPage(query);
				const user: UserRecord | undefined = userId ? store.users.get(userId) : store.userByExternalId(userExternalId ?? '');
				if (!user) throw userNotFound();
				const result = pageOf(store.conversationsOf(user.id), page, pageLinkBuilder(`${app.appBase()}/conversations`, query, page));
				return ok({ conversations: result.items.map((c) => presentConversation(store, c)), ...pageBody(result) });
			},
		},
		{
			method: 'GET',
			path: 'conversations/:conversation',
			scopes: ANY_SCOPE,
			handle: ({ params }) => ok({ conversation: presentConversation(store, store.requireConversation(params.conversation)) }),
		},
		{
			method: 'PATCH',
			path: 'conversations/:conversation',
			scopes: ANY_SCOPE,
			handle: ({ params, body }) => {
				const conversation = store.requireConversation(params.conversation);
				const issues = new Issues();
				const fields = conversationFields(objectBody(body), issues);
				issues.throwIfAny();
				// Given fields replace the stored ones, metadata as a whole. (unverified: merge rules)
				Object.assign(conversation, fields);
				return ok({ conversation: presentConversation(store, conversation) });
			},
		},
		{
			method: 'DELETE',
			path: 'conversations/:conversation',
			scopes: ANY_SCOPE,
			handle: ({ params }) => {
				app.deleteConversation(store.requireConversation(params.conversation));
				return ok({});
			},
		},
		{
			method: 'GET',
			path: 'conversations/:conversation/participants',
			scopes: ANY_SCOPE,
			handle: ({ params, query }) => {
				const conversation = store.requireConversation(params.conversation);
				const page = readPage(query);
				const base = `${app.appBase()}/conversations/${conversation.id}/participants`;
				const result = pageOf(conversation.participants, page, pageLinkBuilder(base, query, page));
				return ok({ participants: result.items.map((p) => presentParticipant(store, p)), ...pageBody(result) });
			},
		},
		{
			method: 'POST',
			path: 'conversations/:conversation/activity',
			scopes: ANY_SCOPE,
			handle: ({ params, body, caller }) => {
				const conversation = store.requireConversation(params.conversation);
				const input = objectBody(body);
				const issues = new Issues();
				const type = stringField(input, 'type', '', issues, {
					required: true,
					oneOf: ['conversation:read', 'typing:start', 'typing:stop'],
				});
				const author = input.author;
				let authorType: string | null | undefined;
				if (!isObject(author)) issues.add('author is required and must be an object');
				else authorType = stringField(author, 'type', 'author', issues, { required: true, oneOf: ['business', 'user'] });
				// openapi.yaml activityTypes: "If the author type is `user`, only `conversation:read` is supported."
				if (authorType === 'user' && type !== undefined && type !== 'conversation:read') {
					issues.add('author type user only supports the conversation:read activity');
				}
				issues.throwIfAny();
				const now = app.now();
				if (authorType === 'business') {
					// Typing and read receipts of the business go to the user's device, not to webhooks.
					if (type === 'conversation:read') conversation.businessLastRead = now;
					return ok({});
				}
				const user = activityUser(app, author as Json, conversation);
				const participant = conversation.participants.find((p) => p.userId === user.id);
				if (participant) {
					participant.lastRead = now;
					participant.unreadCount = 0;
				}
				// openapi.yaml conversationReadEvent.
				app.events.publish(
					'conversation:read',
					(webhook) => ({
						conversation: presentConversationTruncated(store, conversation),
						activity: {
							type: 'conversation:read',
							author: { type: 'user', userId: user.id, user: userFor(webhook, user) },
							source: apiSource(caller),
						},
					}),
					conversation,
				);
				return ok({});
			},
		},
	];
}

/** Where an API call comes from (openapi.yaml examples: `api:conversations`), and which integration made it. */
export function apiSource(caller: Caller): { type: string; integrationId?: string } {
	return caller.integrationId ? { type: 'api:conversations', integrationId: caller.integrationId } : { type: 'api:conversations' };
}

function conversationFields(input: Json, issues: Issues): Partial<ConversationRecord> {
	const out: Partial<ConversationRecord> = {};
	const displayName = stringField(input, 'displayName', '', issues, { min: 1, max: 100, nullable: true });
	const description = stringField(input, 'description', '', issues, { min: 1, max: 100, nullable: true });
	const iconUrl = uriField(input, 'iconUrl', '', issues, { min: 1, max: 2048, nullable: true });
	const metadata = metadataField(input, 'metadata', '', issues);
	if (displayName !== undefined) out.displayName = displayName;
	if (description !== undefined) out.description = description;
	if (iconUrl !== undefined) out.iconUrl = iconUrl;
	if (metadata !== undefined) out.metadata = metadata;
	return out;
}

interface ParticipantRef {
	userId?: string;
	userExternalId?: string;
}

/**
 * openapi.yaml conversationCreateBody.participants: exactly 1 for `personal`, at most 10 for
 * `sdkGroup`; each names its user by userId or userExternalId, not both; `subscribeSDKClient` "is
 * required if the conversation is of type `sdkGroup`".
 */
function participantRefs(value: unknown, type: string | null | undefined, issues: Issues): ParticipantRef[] {
	if (value === undefined) {
		if (type === 'personal') issues.add('participants is required for a personal conversation, with exactly 1 participant');
		return [];
	}
	if (!Array.isArray(value)) {
		issues.add('participants must be an array');
		return [];
	}
	if (type === 'personal' && value.length !== 1) issues.add('A personal conversation must have exactly 1 participant');
	if (value.length > 10) issues.add('participants may hold at most 10 users');
	return value.map((item, i) => {
		const path = `participants[${i}]`;
		if (!isObject(item)) {
			issues.add(`${path} must be an object`);
			return {};
		}
		const userId = stringField(item, 'userId', path, issues, { min: 1 });
		const userExternalId = stringField(item, 'userExternalId', path, issues, { min: 1 });
		if ((typeof userId === 'string') === (typeof userExternalId === 'string')) {
			issues.add(`${path}: one of userId or userExternalId is required, but not both`);
		}
		const subscribe = item.subscribeSDKClient;
		if (subscribe !== undefined && typeof subscribe !== 'boolean') issues.add(`${path}.subscribeSDKClient must be a boolean`);
		if (type === 'sdkGroup' && subscribe === undefined) issues.add(`${path}.subscribeSDKClient is required in an sdkGroup conversation`);
		return { userId: userId ?? undefined, userExternalId: userExternalId ?? undefined };
	});
}

function activityUser(app: SunshineApp, author: Json, conversation: ConversationRecord): UserRecord {
	const issues = new Issues();
	const userId = stringField(author, 'userId', 'author', issues);
	const userExternalId = stringField(author, 'userExternalId', 'author', issues);
	if ((typeof userId === 'string') === (typeof userExternalId === 'string')) {
		issues.add('author: one of userId or userExternalId is required for a user, but not both');
	}
	issues.throwIfAny();
	const user = userId ? app.store.users.get(userId) : app.store.userByExternalId(userExternalId ?? '');
	if (!user) throw userNotFound();
	if (!conversation.participants.some((p) => p.userId === user.id)) {
		throw badRequest('The author is not a participant of the conversation');
	}
	return user;
}
