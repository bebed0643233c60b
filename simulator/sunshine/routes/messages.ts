import type { SunshineApp } from '../app';
import { checkContent } from '../content';
import { badRequest, notFound, resourceNotFound, userNotFound } from '../errors';
import { MESSAGE_PAGE_SIZE, pageBody, pageLinkBuilder, pageOf, readPage } from '../pagination';
import { displayNameOf } from '../payloads';
import { DEFAULT_BUSINESS_AVATAR, presentMessage } from '../present';
import { ANY_SCOPE, created, ok, type Route } from '../router';
import type { ConversationRecord, MessageAuthorRecord } from '../types';
import {
	Issues,
	isObject,
	metadataField,
	objectBody,
	stringField,
	uriField,
	type Json,
} from '../validate';
import { apiSource } from './conversations';

/** Messages (openapi.yaml tag Messages): post, list (backwards cursor pages), delete. */
export function messageRoutes(app: SunshineApp): Route[] {
	const { store } = app;
	return [
		{
			method: 'POST',
			path: 'conversations/:conversation/messages',
			scopes: ANY_SCOPE,
			handle: ({ params, body, caller }) => {
				const conversation = store.requireConversation(params.conversation);
				const input = objectBody(body);
				const issues = new Issues();
				const schema = stringField(input, 'schema', '', issues) ?? undefined;
				const author = checkAuthor(input.author, issues);
				const content = checkContent(input.content, issues, schema);
				const metadata = metadataField(input, 'metadata', '', issues);
				checkDestination(input.destination, author?.type, conversation, issues);
				checkOverride(input.override, issues);
				issues.throwIfAny();
				const messageAuthor = resolveAuthor(app, author as CheckedAuthor, conversation);
				const message = app.postMessage(conversation, {
					author: messageAuthor,
					content: content as Json,
					source: apiSource(caller),
					metadata: metadata ?? undefined,
				});
				// openapi.yaml messagePostResponse: `{messages:[…]}`.
				return created({ messages: [presentMessage(message)] });
			},
		},
		{
			method: 'GET',
			path: 'conversations/:conversation/messages',
			scopes: ANY_SCOPE,
			handle: ({ params, query }) => {
				const conversation = store.conversations.get(params.conversation);
				// openapi.yaml ListMessages 404 example: the generic not_found.
				if (!conversation) throw resourceNotFound();
				// "The page size limit is fixed at 100 messages per page", most recent page first.
				const page = { ...readPage(query), size: MESSAGE_PAGE_SIZE, sizeGiven: false };
				const base = `${app.appBase()}/conversations/${conversation.id}/messages`;
				const result = pageOf(
					conversation.messages,
					page,
					pageLinkBuilder(base, query, page),
					true,
				);
				return ok({ messages: result.items.map(presentMessage), ...pageBody(result) });
			},
		},
		{
			method: 'DELETE',
			path: 'conversations/:conversation/messages',
			scopes: ANY_SCOPE,
			handle: ({ params }) => {
				store.requireConversation(params.conversation).messages = [];
				return ok({});
			},
		},
		{
			method: 'DELETE',
			path: 'conversations/:conversation/messages/:message',
			scopes: ANY_SCOPE,
			handle: ({ params }) => {
				const conversation = store.requireConversation(params.conversation);
				const index = conversation.messages.findIndex((m) => m.id === params.message);
				// openapi.yaml DeleteMessage documents only conversation_not_found for its 404; an
				// unknown message of a known conversation is a 404 too. (unverified: its code and title)
				if (index < 0) throw notFound('message_not_found', 'Message not found');
				conversation.messages.splice(index, 1);
				return ok({});
			},
		},
	];
}

interface CheckedAuthor {
	type: 'business' | 'user';
	userId?: string;
	userExternalId?: string;
	displayName?: string;
	avatarUrl?: string;
	subtypes?: string[];
}

/** openapi.yaml `author`: type business or user; userId / userExternalId "Only supported when `type` is user". */
function checkAuthor(value: unknown, issues: Issues): CheckedAuthor | undefined {
	if (!isObject(value)) {
		issues.add('author is required and must be an object');
		return undefined;
	}
	const type = stringField(value, 'type', 'author', issues, {
		required: true,
		oneOf: ['business', 'user'],
	});
	const userId = stringField(value, 'userId', 'author', issues, { min: 1 });
	const userExternalId = stringField(value, 'userExternalId', 'author', issues, { min: 1 });
	const displayName = stringField(value, 'displayName', 'author', issues);
	const avatarUrl = uriField(value, 'avatarUrl', 'author', issues, { min: 1, max: 2048 });
	// openapi.yaml `author.brandId`: writeOnly, nullable, 1–24 characters (brand-separated users,
	// which the simulator does not model: checked, then not kept).
	stringField(value, 'brandId', 'author', issues, { min: 1, max: 24, nullable: true });
	const author: CheckedAuthor = { type: type === 'user' ? 'user' : 'business' };
	if (type === 'business' && (userId || userExternalId)) {
		issues.add(
			'author.userId and author.userExternalId are only supported when author.type is user',
		);
	}
	if (type === 'user' && (typeof userId === 'string') === (typeof userExternalId === 'string')) {
		issues.add(
			'author: one of userId or userExternalId is required when author.type is user, but not both',
		);
	}
	if (value.subtypes !== undefined) {
		// "AI" is the one subtype a request may set; activity, agent and bot are "available in
		// responses only" or system-made. minItems 1, maxItems 1.
		const subtypes = value.subtypes;
		if (!Array.isArray(subtypes) || subtypes.length !== 1 || subtypes[0] !== 'AI') {
			issues.add('author.subtypes must be ["AI"]: the other subtypes are set by Zendesk only');
		} else author.subtypes = ['AI'];
	}
	if (typeof userId === 'string') author.userId = userId;
	if (typeof userExternalId === 'string') author.userExternalId = userExternalId;
	if (typeof displayName === 'string') author.displayName = displayName;
	if (typeof avatarUrl === 'string') author.avatarUrl = avatarUrl;
	return author;
}

/** openapi.yaml `destination`: integrationId or integrationType, "Only applicable if the author role is business and the conversation is of type personal". */
function checkDestination(
	value: unknown,
	authorType: string | undefined,
	conversation: ConversationRecord,
	issues: Issues,
): void {
	if (value === undefined) return;
	if (
		!isObject(value) ||
		(typeof value.integrationId !== 'string' && typeof value.integrationType !== 'string')
	) {
		issues.add('destination must be an object with integrationId or integrationType');
		return;
	}
	if (authorType !== 'business' || conversation.type !== 'personal') {
		issues.add('destination only applies to business messages in personal conversations');
	}
}

/** openapi.yaml `messageOverride`: per channel (apple, line, messenger, whatsapp) `{payload: object}`; apple adds withCapabilities. */
function checkOverride(value: unknown, issues: Issues): void {
	if (value === undefined) return;
	if (!isObject(value)) {
		issues.add('override must be an object');
		return;
	}
	for (const channel of ['apple', 'line', 'messenger', 'whatsapp']) {
		const entry = value[channel];
		if (entry === undefined) continue;
		const where = `override.${channel}`;
		if (!isObject(entry)) {
			issues.add(`${where} must be an object`);
			continue;
		}
		if (entry.payload !== undefined && !isObject(entry.payload))
			issues.add(`${where}.payload must be an object`);
		if (channel === 'apple' && entry.withCapabilities !== undefined) {
			const capabilities = entry.withCapabilities;
			const known = ['LIST', 'TIME', 'FORM', 'QUICK', 'AUTH2'];
			if (
				!Array.isArray(capabilities) ||
				capabilities.some((c) => typeof c !== 'string' || !known.includes(c))
			) {
				issues.add(`${where}.withCapabilities must be an array of ${known.join(', ')}`);
			}
		}
	}
}

function resolveAuthor(
	app: SunshineApp,
	author: CheckedAuthor,
	conversation: ConversationRecord,
): MessageAuthorRecord {
	if (author.type === 'business') {
		const out: MessageAuthorRecord = {
			type: 'business',
			avatarUrl: author.avatarUrl ?? DEFAULT_BUSINESS_AVATAR,
		};
		if (author.displayName !== undefined) out.displayName = author.displayName;
		if (author.subtypes) out.subtypes = author.subtypes;
		return out;
	}
	const user = author.userId
		? app.store.users.get(author.userId)
		: app.store.userByExternalId(author.userExternalId ?? '');
	if (!user) throw userNotFound();
	// (unverified: the status a non-participant author gets)
	if (!conversation.participants.some((p) => p.userId === user.id)) {
		throw badRequest('The author is not a participant of the conversation');
	}
	const out: MessageAuthorRecord = { type: 'user', userId: user.id };
	const displayName = author.displayName ?? displayNameOf(user);
	const avatarUrl = author.avatarUrl ?? user.profile.avatarUrl ?? undefined;
	if (displayName) out.displayName = displayName;
	if (avatarUrl) out.avatarUrl = avatarUrl;
	if (author.subtypes) out.subtypes = author.subtypes;
	return out;
}
