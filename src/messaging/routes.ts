import type { z } from 'zod';

import { ProtocolError } from '../shared/errors';
import type { HttpMethod } from './http';
import { parseResponse, responses } from './schemas';
import type { CursorPage } from './types';

/**
 * Every Sunshine Conversations route the client calls, once: method, path template (below
 * /v2/apps/{appId}, as the spec writes it), the response schema, what the caller gets out of the
 * answer, and whether the request is safe to repeat after a 5xx or a dropped connection.
 */
export interface Route<R> {
	method: HttpMethod;
	/** The spec's path template, e.g. `/users/{userIdOrExternalId}`; also the name in errors and logs. */
	path: string;
	/** Repeating it leaves the same state (see retry-policy.ts). A call may override it. */
	idempotent: boolean;
	/** Checks the body against the response schema and picks the result. */
	read(body: unknown): R;
}

function route<S extends z.ZodTypeAny, R>(
	method: HttpMethod,
	path: string,
	schema: S,
	pick: (body: z.infer<S>, raw: unknown) => R,
	idempotent: boolean,
): Route<R> {
	const label = `${method} ${path}`;
	return {
		method,
		path,
		idempotent,
		read: (body) => pick(parseResponse(schema, body, label), body),
	};
}

/** A route whose answer is the empty object (deletes, activity, switchboard actions). */
function emptyRoute(method: HttpMethod, path: string, idempotent: boolean): Route<void> {
	return { method, path, idempotent, read: () => undefined };
}

function page<T>(
	items: T[],
	meta: { hasMore?: boolean; afterCursor?: string; beforeCursor?: string } | undefined,
): CursorPage<T> {
	const result: CursorPage<T> = { items, hasMore: meta?.hasMore ?? false };
	if (meta?.afterCursor !== undefined) result.afterCursor = meta.afterCursor;
	if (meta?.beforeCursor !== undefined) result.beforeCursor = meta.beforeCursor;
	return result;
}

const CONVERSATION = '/conversations/{conversationId}';
const SWITCHBOARD_INTEGRATIONS = '/switchboards/{switchboardId}/switchboardIntegrations';
const WEBHOOKS = '/integrations/{integrationId}/webhooks';

// GET, PATCH (same body, same result) and DELETE can always be repeated; a POST only where noted.
export const ROUTES = {
	createUser: route('POST', '/users', responses.user, (r) => r.user, false),
	getUser: route('GET', '/users/{userIdOrExternalId}', responses.user, (r) => r.user, true),
	updateUser: route('PATCH', '/users/{userIdOrExternalId}', responses.user, (r) => r.user, true),

	createConversation: route(
		'POST',
		'/conversations',
		responses.conversation,
		(r) => r.conversation,
		false,
	),
	getConversation: route('GET', CONVERSATION, responses.conversation, (r) => r.conversation, true),
	updateConversation: route(
		'PATCH',
		CONVERSATION,
		responses.conversation,
		(r) => r.conversation,
		true,
	),
	listConversations: route(
		'GET',
		'/conversations',
		responses.conversationList,
		(r) => page(r.conversations, r.meta),
		true,
	),
	listParticipants: route(
		'GET',
		`${CONVERSATION}/participants`,
		responses.participantList,
		(r) => page(r.participants, r.meta),
		true,
	),

	// Not repeated after a 5xx: the message may be stored already, and a duplicate reaches the customer.
	postMessage: route(
		'POST',
		`${CONVERSATION}/messages`,
		responses.messages,
		(r, raw) => {
			if (r.messages.length === 0)
				throw new ProtocolError(
					'messaging',
					`Sunshine Conversations POST ${CONVERSATION}/messages created no message`,
					raw,
				);
			return r.messages;
		},
		false,
	),
	listMessages: route(
		'GET',
		`${CONVERSATION}/messages`,
		responses.messages,
		(r) => page(r.messages, r.meta),
		true,
	),
	deleteMessage: emptyRoute('DELETE', `${CONVERSATION}/messages/{messageId}`, true),
	// Typing indicators and read receipts are states: sending one twice shows the same thing.
	postActivity: emptyRoute('POST', `${CONVERSATION}/activity`, true),

	// Repeating a switchboard action leaves the same state (spec: passControl "idempotency").
	passControl: emptyRoute('POST', `${CONVERSATION}/passControl`, true),
	offerControl: emptyRoute('POST', `${CONVERSATION}/offerControl`, true),
	acceptControl: emptyRoute('POST', `${CONVERSATION}/acceptControl`, true),
	releaseControl: emptyRoute('POST', `${CONVERSATION}/releaseControl`, true),

	// Not repeated: a repeat of a create whose answer was lost would be refused ("Only one switchboard
	// can be created per app", spec CreateSwitchboard 400) instead of answering the switchboard.
	createSwitchboard: route(
		'POST',
		'/switchboards',
		responses.switchboard,
		(r) => r.switchboard,
		false,
	),
	listSwitchboards: route(
		'GET',
		'/switchboards',
		responses.switchboards,
		(r) => r.switchboards,
		true,
	),
	updateSwitchboard: route(
		'PATCH',
		'/switchboards/{switchboardId}',
		responses.switchboard,
		(r) => r.switchboard,
		true,
	),
	deleteSwitchboard: emptyRoute('DELETE', '/switchboards/{switchboardId}', true),
	createSwitchboardIntegration: route(
		'POST',
		SWITCHBOARD_INTEGRATIONS,
		responses.switchboardIntegration,
		(r) => r.switchboardIntegration,
		false,
	),
	listSwitchboardIntegrations: route(
		'GET',
		SWITCHBOARD_INTEGRATIONS,
		responses.switchboardIntegrations,
		(r) => r.switchboardIntegrations,
		true,
	),
	updateSwitchboardIntegration: route(
		'PATCH',
		`${SWITCHBOARD_INTEGRATIONS}/{switchboardIntegrationId}`,
		responses.switchboardIntegration,
		(r) => r.switchboardIntegration,
		true,
	),
	deleteSwitchboardIntegration: emptyRoute(
		'DELETE',
		`${SWITCHBOARD_INTEGRATIONS}/{switchboardIntegrationId}`,
		true,
	),

	createIntegration: route(
		'POST',
		'/integrations',
		responses.integration,
		(r) => r.integration,
		false,
	),
	listIntegrations: route(
		'GET',
		'/integrations',
		responses.integrationList,
		(r) => page(r.integrations, r.meta),
		true,
	),
	getIntegration: route(
		'GET',
		'/integrations/{integrationId}',
		responses.integration,
		(r) => r.integration,
		true,
	),
	updateIntegration: route(
		'PATCH',
		'/integrations/{integrationId}',
		responses.integration,
		(r) => r.integration,
		true,
	),
	deleteIntegration: emptyRoute('DELETE', '/integrations/{integrationId}', true),

	createWebhook: route('POST', WEBHOOKS, responses.webhook, (r) => r.webhook, false),
	listWebhooks: route('GET', WEBHOOKS, responses.webhooks, (r) => r.webhooks, true),
	getWebhook: route('GET', `${WEBHOOKS}/{webhookId}`, responses.webhook, (r) => r.webhook, true),
	updateWebhook: route(
		'PATCH',
		`${WEBHOOKS}/{webhookId}`,
		responses.webhook,
		(r) => r.webhook,
		true,
	),
	deleteWebhook: emptyRoute('DELETE', `${WEBHOOKS}/{webhookId}`, true),
} as const;

/**
 * The path with each `{name}` replaced by its value as one percent-encoded segment. A placeholder
 * without a value is a bug in the client, not bad input.
 */
export function fillPath(template: string, params: Record<string, string> = {}): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) => {
		const value = params[name];
		if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
		return encodeURIComponent(value);
	});
}
