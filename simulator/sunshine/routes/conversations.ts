import type { SunshineApp } from '../app';
import { badRequest, notFound, userNotFound } from '../errors';
import { newId } from '../ids';
import { pageBody, pageLinkBuilder, pageOf, readPage } from '../pagination';
import {
	presentConversation,
	presentConversationTruncated,
	presentParticipant,
	presentUserTruncated,
} from '../present';
import { ANY_SCOPE, created, ok, type Route } from '../router';
import type { Caller, ConversationRecord, UserRecord } from '../types';
import {
	Issues,
	isObject,
	metadataField,
	objectBody,
	stringField,
	uriField,
	type Json,
} from '../validate';

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
				const type = stringField(input, 'type', '', issues, {
					required: true,
					oneOf: ['personal', 'sdkGroup'],
				});
				const fields = conversationFields(input, issues);
				const refs = participantRefs(input.participants, type, issues);
				issues.throwIfAny();
				// "It will return `404` if the user can't be found" (openapi.yaml participantSubSchema).
				const users = refs.map((ref) => {
					const user = ref.userId
						? store.users.get(ref.userId)
						: store.userByExternalId(ref.userExternalId ?? '');
					if (!user) throw userNotFound();
					return user;
				});
				if (new Set(users.map((u) => u.id)).size !== users.length)
					throw badRequest('participants must be distinct users');
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
				if (!userId === !userExternalId)
					throw badRequest('Exactly one of filter[userId] or filter[userExternalId] is required');
				const page = readPage(query);
				const user: UserRecord | undefined = userId
					? store.users.get(userId)
					: store.userByExternalId(userExternalId ?? '');
				if (!user) throw userNotFound();
				const result = pageOf(
					store.conversationsOf(user.id),
					page,
					pageLinkBuilder(`${app.appBase()}/conversations`, query, page),
				);
				return ok({
					conversations: result.items.map((c) => presentConversation(store, c)),
					...pageBody(result),
				});
			},
		},
		{
			method: 'GET',
			path: 'conversations/:conversation',
			scopes: ANY_SCOPE,
			handle: ({ params }) =>
				ok({
					conversation: presentConversation(store, store.requireConversation(params.conversation)),
				}),
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
				return ok({
					participants: result.items.map((p) => presentParticipant(store, p)),
					...pageBody(result),
				});
			},
		},
		{
			method: 'POST',
			path: 'conversations/:conversation/join',
			scopes: ANY_SCOPE,
			handle: ({ params, body }) => {
				const conversation = store.requireConversation(params.conversation);
				const input = objectBody(body);
				const issues = new Issues();
				// openapi.yaml participantJoinBody (= participantSubSchema): userId or userExternalId, not both;
				// subscribeSDKClient "is required if the conversation is of type `sdkGroup`", the only type one joins.
				const [ref] = participantRefs([input], 'sdkGroup', issues, '');
				issues.throwIfAny();
				// openapi.yaml JoinConversation: "only supports adding a participant to a sdkGroup conversation". (unverified: the title)
				if (conversation.type !== 'sdkGroup')
					throw badRequest('Only sdkGroup conversations can be joined');
				const user = ref.userId
					? store.users.get(ref.userId)
					: store.userByExternalId(ref.userExternalId ?? '');
				if (!user) throw userNotFound();
				// (unverified: Zendesk's answer for a user who is already a participant)
				if (conversation.participants.some((p) => p.userId === user.id))
					throw badRequest('User is already a participant of the conversation');
				// openapi.yaml JoinConversation 400 example; conversationCreateBody: sdkGroup "less than or equal to 10".
				if (conversation.participants.length >= 10) throw badRequest('Too many participants');
				const participant = { id: newId(), userId: user.id, unreadCount: 0 };
				conversation.participants.push(participant);
				// openapi.yaml conversationJoinEvent: `user` is a userTruncated.
				app.events.publish('conversation:join', () => ({
					conversation: presentConversationTruncated(store, conversation),
					user: presentUserTruncated(user),
				}));
				return created({ participant: presentParticipant(store, participant) });
			},
		},
		{
			method: 'POST',
			path: 'conversations/:conversation/leave',
			scopes: ANY_SCOPE,
			handle: ({ params, body }) => {
				const conversation = store.requireConversation(params.conversation);
				const input = objectBody(body);
				const issues = new Issues();
				// openapi.yaml participantLeaveBody: oneOf userId, userExternalId, participantId.
				const userId = stringField(input, 'userId', '', issues, { min: 1 });
				const userExternalId = stringField(input, 'userExternalId', '', issues, { min: 1 });
				const participantId = stringField(input, 'participantId', '', issues, { min: 1 });
				const given = [userId, userExternalId, participantId].filter((v) => typeof v === 'string');
				if (given.length !== 1)
					issues.add('Exactly one of userId, userExternalId or participantId is required');
				issues.throwIfAny();
				// "It will return 404 if the user can't be found"; LeaveConversation 404 example for a non-member.
				const notMember = () => notFound('not_found', 'User is not a member of the conversation');
				let index: number;
				if (typeof participantId === 'string') {
					index = conversation.participants.findIndex((p) => p.id === participantId);
				} else {
					const user = userId
						? store.users.get(userId)
						: store.userByExternalId(userExternalId ?? '');
					if (!user) throw userNotFound();
					index = conversation.participants.findIndex((p) => p.userId === user.id);
				}
				if (index < 0) throw notMember();
				const [participant] = conversation.participants.splice(index, 1);
				const user = store.users.get(participant.userId);
				app.events.publish('conversation:leave', () => {
					const payload: Json = { conversation: presentConversationTruncated(store, conversation) };
					if (user) payload.user = presentUserTruncated(user);
					return payload;
				});
				return ok({});
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
				else
					authorType = stringField(author, 'type', 'author', issues, {
						required: true,
						oneOf: ['business', 'user'],
					});
				// openapi.yaml activityTypes: "If the author type is `user`, only `conversation:read` is supported."
				if (authorType === 'user' && type !== undefined && type !== 'conversation:read') {
					issues.add('author type user only supports the conversation:read activity');
				}
				// openapi.yaml `author.userId` / `userExternalId`: "Only supported when `type` is user".
				if (
					authorType === 'business' &&
					isObject(author) &&
					(author.userId !== undefined || author.userExternalId !== undefined)
				) {
					issues.add(
						'author.userId and author.userExternalId are only supported when author.type is user',
					);
				}
				issues.throwIfAny();
				const activityType = type as 'conversation:read' | 'typing:start' | 'typing:stop';
				const user =
					authorType === 'user' ? activityUser(app, author as Json, conversation) : undefined;
				app.recordActivity(conversation, { type: activityType, user, source: apiSource(caller) });
				return ok({});
			},
		},
	];
}

/** Where an API call comes from (openapi.yaml examples: `api:conversations`), and which integration made it. */
export function apiSource(caller: Caller): { type: string; integrationId?: string } {
	return caller.integrationId
		? { type: 'api:conversations', integrationId: caller.integrationId }
		: { type: 'api:conversations' };
}

function conversationFields(input: Json, issues: Issues): Partial<ConversationRecord> {
	const out: Partial<ConversationRecord> = {};
	const displayName = stringField(input, 'displayName', '', issues, {
		min: 1,
		max: 100,
		nullable: true,
	});
	const description = stringField(input, 'description', '', issues, {
		min: 1,
		max: 100,
		nullable: true,
	});
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
function participantRefs(
	value: unknown,
	type: string | null | undefined,
	issues: Issues,
	listPath = 'participants',
): ParticipantRef[] {
	if (value === undefined) {
		if (type === 'personal')
			issues.add(
				'participants is required for a personal conversation, with exactly 1 participant',
			);
		return [];
	}
	if (!Array.isArray(value)) {
		issues.add('participants must be an array');
		return [];
	}
	if (type === 'personal' && value.length !== 1)
		issues.add('A personal conversation must have exactly 1 participant');
	if (value.length > 10) issues.add('participants may hold at most 10 users');
	return value.map((item, i) => {
		const path = listPath ? `${listPath}[${i}]` : '';
		if (!isObject(item)) {
			issues.add(`${path} must be an object`);
			return {};
		}
		const userId = stringField(item, 'userId', path, issues, { min: 1 });
		const userExternalId = stringField(item, 'userExternalId', path, issues, { min: 1 });
		if ((typeof userId === 'string') === (typeof userExternalId === 'string')) {
			issues.add(
				`${path ? `${path}: o` : 'O'}ne of userId or userExternalId is required, but not both`,
			);
		}
		const subscribe = item.subscribeSDKClient;
		const field = path ? `${path}.subscribeSDKClient` : 'subscribeSDKClient';
		if (subscribe !== undefined && typeof subscribe !== 'boolean')
			issues.add(`${field} must be a boolean`);
		if (type === 'sdkGroup' && subscribe === undefined)
			issues.add(`${field} is required in an sdkGroup conversation`);
		return { userId: userId ?? undefined, userExternalId: userExternalId ?? undefined };
	});
}

function activityUser(
	app: SunshineApp,
	author: Json,
	conversation: ConversationRecord,
): UserRecord {
	const issues = new Issues();
	const userId = stringField(author, 'userId', 'author', issues);
	const userExternalId = stringField(author, 'userExternalId', 'author', issues);
	if ((typeof userId === 'string') === (typeof userExternalId === 'string')) {
		issues.add('author: one of userId or userExternalId is required for a user, but not both');
	}
	issues.throwIfAny();
	const user = userId
		? app.store.users.get(userId)
		: app.store.userByExternalId(userExternalId ?? '');
	if (!user) throw userNotFound();
	if (!conversation.participants.some((p) => p.userId === user.id)) {
		throw badRequest('The author is not a participant of the conversation');
	}
	return user;
}
