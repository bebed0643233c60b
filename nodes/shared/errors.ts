import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import {
	GraphqlError,
	HttpError,
	InvalidInputError,
	SessionEndedError,
	TimeoutError,
	ZendeskError,
} from '../../src/shared/errors';
import { clipText } from '../../src/shared/excerpt';

/**
 * The longest bad-input message or description kept with an execution. Messages quote at most an
 * excerpt of a value (src/shared/excerpt.ts); this bounds one that still carries a long value (a
 * field path naming a long key, say).
 */
const MAX_INPUT_ERROR_LENGTH = 500;

/** What the user can do about each documented Conversations API error name. */
const GRAPHQL_HINTS: Record<string, string> = {
	UNAUTHORIZED: 'The token was refused: reconnect the credential (or create a new access token).',
	FORBIDDEN:
		'The account or token may not use the Conversations API: it needs a Chat Enterprise plan and the scopes read, write and chat.',
	RATE_LIMITED:
		'Zendesk limits each session to 100 requests a second; this will pass if you retry a little later.',
	MAX_SUB:
		'An agent session can hold 10 subscriptions: use fewer Zendesk Chat Triggers on this credential.',
	GRAPHQL_EXEC_ERROR: 'Zendesk could not run the request: check the IDs and values given.',
	GRAPHQL_SUB_START_ERROR:
		'Zendesk could not start the subscription; it was retried. Activate the workflow again later.',
};

/**
 * Turns any error from src/ into the error n8n shows (the one place that maps them, like Airtable
 * v2's processAirtableError): bad input → NodeOperationError naming the field, upstream failures →
 * NodeApiError with the API's own code, its error id and whether a retry helps.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof InvalidInputError) {
		const input = error as InvalidInputError;
		return new NodeOperationError(node, clipText(input.message, MAX_INPUT_ERROR_LENGTH), {
			itemIndex,
			description: clipText(
				[`Field: ${input.field}.`, input.hint].filter(Boolean).join(' '),
				MAX_INPUT_ERROR_LENGTH,
			),
			level: 'warning',
		});
	}
	if (error instanceof HttpError) {
		const http = error as HttpError;
		const retry = http.retryable ? ' Retrying later may help.' : '';
		return new NodeApiError(node, asJson(http.body, http.message), {
			itemIndex,
			httpCode: String(http.statusCode),
			message: http.message,
			description: `Zendesk answered HTTP ${http.statusCode}.${retry}`,
		});
	}
	if (error instanceof GraphqlError) {
		const graphql = error as GraphqlError;
		const uuid = graphql.uuid ? ` Error id (for Zendesk support): ${graphql.uuid}.` : '';
		return new NodeApiError(
			node,
			{
				name: graphql.errorName,
				message: graphql.message,
				UUID: graphql.uuid ?? null,
			} as JsonObject,
			{
				itemIndex,
				message: `${graphql.errorName}: ${graphql.message}`,
				description: `${GRAPHQL_HINTS[graphql.errorName] ?? ''}${uuid}`.trim(),
			},
		);
	}
	if (error instanceof SessionEndedError) {
		return new NodeApiError(node, { reason: (error as SessionEndedError).reason } as JsonObject, {
			itemIndex,
			message: error.message,
			description:
				'Zendesk ended the agent session. The usual cause is the same agent signing in elsewhere (another n8n instance or a bot using this token): give each integration its own agent.',
		});
	}
	if (error instanceof TimeoutError) {
		const timeout = error as TimeoutError;
		return new NodeApiError(node, { code: timeout.code, message: timeout.message } as JsonObject, {
			itemIndex,
			message: timeout.message,
			description:
				'Zendesk did not answer in time; retrying later may help. In the Zendesk Chat and Zendesk Messaging nodes, Request Options › Timeout sets how long one request may take, its retries included.',
		});
	}
	if (error instanceof ZendeskError) {
		const zendesk = error as ZendeskError;
		return new NodeApiError(node, { code: zendesk.code, message: zendesk.message } as JsonObject, {
			itemIndex,
			message: zendesk.message,
			description: zendesk.retryable
				? 'A temporary problem talking to Zendesk; retrying later may help.'
				: undefined,
		});
	}
	return new NodeOperationError(node, error instanceof Error ? error : new Error(String(error)), {
		itemIndex,
	});
}

function asJson(body: unknown, fallback: string): JsonObject {
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as JsonObject;
	return { message: typeof body === 'string' && body ? body : fallback };
}
