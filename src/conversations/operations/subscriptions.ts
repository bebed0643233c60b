import { z } from 'zod';

import { enumLiteral } from '../literals';
import type { SubscriptionOperation } from '../operation';
import { parseInput } from './validate';

/**
 * The two subscriptions the trigger uses. Their DATA frames are the hot path, so `select` only
 * checks that the event has an id (what de-duplication needs) and hands the node on as it came:
 * the types below describe what the document selects, not a parse.
 */

export interface ChatVisitor {
	id?: string;
	display_name?: string | null;
	email?: string | null;
	external_id?: string | null;
	current_country?: string | null;
	current_region?: string | null;
	current_tags?: string[] | null;
}

export interface ChatMessageEvent {
	/** Relay id of the message: what events are de-duplicated by. */
	id: string;
	/** The client-chosen id the sender gave (changelog 9 Sept 2020). */
	msg_id?: string | null;
	content: string | null;
	/** Discrete answers offered with the message (schema page of `Message`: `options: [String!]`). */
	options?: string[] | null;
	timestamp?: number | string | null;
	sender_name?: string | null;
	channel: {
		id: string;
		/** The REST API's chat id (changelog: raw_id of VisitorChannel), for Chat REST calls about this chat. */
		raw_id?: string | null;
		ip?: string | null;
		user_agent?: string | null;
		visitor?: ChatVisitor | null;
	} | null;
	/** `__typename` is "Visitor" for a visitor's message, "Agent" for an agent's. */
	from: {
		__typename: string;
		id?: string;
		display_name?: string | null;
		current_tags?: string[] | null;
	} | null;
}

export interface ChatActivityEvent {
	/** MemberJoinLog or MemberLeaveLog. */
	__typename: string;
	id: string;
	user_name?: string | null;
	/** `__typename` is "Visitor" or "Agent". */
	user?: { __typename?: string; id?: string; display_name?: string | null } | null;
	channel?: { id: string } | null;
}

/** Reads `data[field].node` if it is an object with a string id; anything else is not an event. */
function nodeWithId<T>(data: unknown, field: string): T | undefined {
	if (data === null || typeof data !== 'object') return undefined;
	const payload = (data as Record<string, unknown>)[field];
	if (payload === null || typeof payload !== 'object') return undefined;
	const node = (payload as Record<string, unknown>).node;
	if (
		node === null ||
		typeof node !== 'object' ||
		typeof (node as { id?: unknown }).id !== 'string'
	)
		return undefined;
	return node as T;
}

/**
 * The `message` selection. Every field is confirmed by the schema page of `Message`
 * (conversations-api-schema.md) or by public code (NOTES.md section 1), except `visitor { id }`:
 * a server that refuses it costs only that field (SubscriptionOperation.confirmed).
 */
function messageDocument(visitorId: boolean): string {
	return (
		'subscription Message { message { node { id msg_id content timestamp sender_name options ' +
		'channel { id ... on VisitorChannel { raw_id ip user_agent visitor { ' +
		(visitorId ? 'id ' : '') +
		'display_name email external_id current_country current_region current_tags } } } ' +
		'from { __typename id display_name ... on Visitor { current_tags } } } } }'
	);
}

const MESSAGE_DOCUMENT = messageDocument(true);
const MESSAGE_CONFIRMED = { document: messageDocument(false), dropped: ['Visitor.id'] } as const;

/**
 * `message`: every chat message the agent can see (unserved visitors and chats it serves), from
 * visitors and agents alike; filter on `from.__typename === "Visitor"` for the visitor's words.
 */
export function messageSubscription(): SubscriptionOperation<ChatMessageEvent> {
	return {
		kind: 'subscription',
		name: 'Message',
		document: MESSAGE_DOCUMENT,
		variables: {},
		confirmed: MESSAGE_CONFIRMED,
		select: (data) => nodeWithId<ChatMessageEvent>(data, 'message'),
		eventId: (event) => event.id,
		agentMsgId: (event) =>
			event.from?.__typename === 'Agent' && typeof event.msg_id === 'string'
				? event.msg_id
				: undefined,
	};
}

export const CHAT_ACTIVITY_TYPES = ['MEMBER_JOIN', 'MEMBER_LEAVE'] as const;
export type ChatActivityType = (typeof CHAT_ACTIVITY_TYPES)[number];

const activityInput = z
	.object({
		types: z
			.array(
				z.enum(CHAT_ACTIVITY_TYPES, {
					errorMap: () => ({ message: `types may only hold ${CHAT_ACTIVITY_TYPES.join(', ')}` }),
				}),
			)
			.min(1, 'types must name at least one activity type')
			.optional(),
	})
	.strict();

/** `id user_name user { id display_name }` is in public code (NOTES.md section 1); `channel { id }` on the logs is not. */
const LOG_SELECTION = 'id user_name user { __typename id display_name }';
const LOG_CHANNEL = ' channel { id }';

function activityDocument(types: readonly ChatActivityType[], withChannel: boolean): string {
	const log = LOG_SELECTION + (withChannel ? LOG_CHANNEL : '');
	return (
		`subscription ChatActivity { chatActivity(filter: {chat_activity_types: [${types.map(enumLiteral).join(', ')}]}) { node { __typename ` +
		`... on MemberJoinLog { ${log} } ... on MemberLeaveLog { ${log} } } } }`
	);
}

/**
 * `chatActivity(filter: {chat_activity_types: [...]})`: members joining and leaving chats. The
 * types are enum values from a fixed list, written as literals.
 */
export function chatActivitySubscription(
	input: { types?: ChatActivityType[] } = {},
): SubscriptionOperation<ChatActivityEvent> {
	const valid = parseInput('chatActivity', activityInput, input);
	const types = [...new Set(valid.types ?? CHAT_ACTIVITY_TYPES)];
	return {
		kind: 'subscription',
		name: 'ChatActivity',
		document: activityDocument(types, true),
		variables: {},
		confirmed: {
			document: activityDocument(types, false),
			dropped: ['MemberJoinLog.channel', 'MemberLeaveLog.channel'],
		},
		select: (data) => nodeWithId<ChatActivityEvent>(data, 'chatActivity'),
		eventId: (event) => event.id,
	};
}
