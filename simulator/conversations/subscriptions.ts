import { randomBytes } from 'node:crypto';

import {
	execute,
	getArgumentValues,
	getVariableValues,
	GraphQLError,
	type ExecutionResult,
} from 'graphql';

import type { ChatWorld } from '../world/chat-world';
import type { ChatRecord, HistoryEntry } from '../world/types';
import { errorEntry, failure, type ApiFailure } from './errors';
import type { PreparedRequest } from './graphql-runner';
import { canSeeChat } from './operations';
import type { ActiveSubscription, AgentSession, SessionRegistry } from './sessions';
import { activityView, messageView } from './views';

/**
 * Turns a validated subscription document into an ActiveSubscription: its variables must coerce,
 * and chatActivity's filter is read now so events can be filtered without executing the document.
 */
export function createSubscription(prepared: PreparedRequest): ActiveSubscription | ApiFailure {
	const { schema } = prepared;
	const coerced = getVariableValues(
		schema,
		prepared.operation.variableDefinitions ?? [],
		prepared.variables,
	);
	if (coerced.errors)
		return {
			status: 400,
			errors: coerced.errors.map((e) => errorEntry('GRAPHQL_EXEC_ERROR', e.message)),
		};
	// Validation (SingleFieldSubscriptionsRule) leaves exactly one root field.
	const fieldNode = prepared.rootFieldNodes[0];
	const fieldName = fieldNode.name.value;
	const fieldDef = schema.getSubscriptionType()?.getFields()[fieldName];
	if (!fieldDef || (fieldName !== 'message' && fieldName !== 'chatActivity')) {
		return failure('GRAPHQL_SUB_START_ERROR', `cannot subscribe to ${fieldName}`);
	}
	let args: Record<string, unknown>;
	try {
		args = getArgumentValues(fieldDef, fieldNode, coerced.coerced);
	} catch (error) {
		if (error instanceof GraphQLError) return failure('GRAPHQL_EXEC_ERROR', error.message);
		throw error;
	}
	const types = (args.filter as { chat_activity_types?: string[] | null } | null | undefined)
		?.chat_activity_types;
	return {
		// The doc's example subscription_id is "a1gf13bjz13": eleven lowercase base-36 characters.
		id: BigInt(`0x${randomBytes(8).toString('hex')}`)
			.toString(36)
			.padStart(11, '0')
			.slice(-11),
		field: fieldName,
		prepared,
		activityTypes: types ? new Set(types) : null,
	};
}

/**
 * Publishes world events to the subscriptions of connected sessions, executing each subscription's
 * own document against the event so a DATA payload holds exactly the fields it selected
 * (getting-started "Subscription data": `{payload: graphqlResponse, sig: "DATA", subscription_id}`).
 * World events are synchronous and each socket's frames are queued in order, so delivery is in order.
 */
export class SubscriptionPublisher {
	private readonly onMessage = (chat: ChatRecord, entry: HistoryEntry) =>
		this.publishMessage(chat, entry);
	private readonly onActivity = (chat: ChatRecord, entry: HistoryEntry) =>
		this.publishActivity(chat, entry);

	constructor(
		private readonly world: ChatWorld,
		private readonly registry: SessionRegistry,
	) {
		world.on('message', this.onMessage);
		world.on('activity', this.onActivity);
	}

	close(): void {
		this.world.off('message', this.onMessage);
		this.world.off('activity', this.onActivity);
	}

	/** Messages of unserved chats and of chats the session's agent serves (getting-started "Subscribe to incoming messages"). */
	private publishMessage(chat: ChatRecord, entry: HistoryEntry): void {
		const rootValue = { message: { node: messageView(this.world, chat, entry) } };
		for (const session of this.connectedSessions()) {
			if (!canSeeChat(session, chat)) continue;
			for (const subscription of session.subscriptions.values()) {
				if (subscription.field === 'message') this.deliver(session, subscription, rootValue);
			}
		}
	}

	/** MemberJoinLog / MemberLeaveLog of a chat the session could see before or after the change. */
	private publishActivity(chat: ChatRecord, entry: HistoryEntry): void {
		const type =
			entry.type === 'chat.memberjoin'
				? 'MEMBER_JOIN'
				: entry.type === 'chat.memberleave'
					? 'MEMBER_LEAVE'
					: undefined;
		if (!type) return;
		const before = agentsBefore(chat, entry);
		const rootValue = { chatActivity: { node: activityView(this.world, chat, entry) } };
		for (const session of this.connectedSessions()) {
			const visible =
				canSeeChat(session, chat) ||
				canSeeChat(session, chat, before) ||
				entry.agentId === session.agentId;
			if (!visible) continue;
			for (const subscription of session.subscriptions.values()) {
				if (subscription.field !== 'chatActivity') continue;
				if (subscription.activityTypes && !subscription.activityTypes.has(type)) continue;
				this.deliver(session, subscription, rootValue);
			}
		}
	}

	private *connectedSessions(): Generator<AgentSession> {
		for (const session of this.registry.list()) if (session.connection) yield session;
	}

	private deliver(
		session: AgentSession,
		subscription: ActiveSubscription,
		rootValue: unknown,
	): void {
		const { prepared } = subscription;
		// The schema the subscription was validated against, even if the served one changed since.
		const result = execute({
			schema: prepared.schema,
			document: prepared.document,
			operationName: prepared.operationName,
			variableValues: prepared.variables,
			rootValue,
		}) as ExecutionResult;
		const connection = session.connection;
		if (!connection) return;
		if (result.errors?.length) {
			// getting-started "Subscription data", error response: {error_code, payload, sig: "DATA", subscription_id}.
			connection.sendData(
				subscription.id,
				{ errors: result.errors.map((e) => errorEntry('GRAPHQL_EXEC_ERROR', e.message)) },
				500,
			);
		} else {
			connection.sendData(subscription.id, { data: result.data });
		}
	}
}

/** The chat's active agents just before a join or leave entry. */
function agentsBefore(chat: ChatRecord, entry: HistoryEntry): number[] {
	if (entry.agentId === undefined) return chat.activeAgentIds;
	if (entry.type === 'chat.memberjoin')
		return chat.activeAgentIds.filter((id) => id !== entry.agentId);
	return [...chat.activeAgentIds, entry.agentId];
}
