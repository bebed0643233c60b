import type { IncomingMessage, ServerResponse } from 'node:http';

import { BodyTooLargeError, MalformedJsonError, readJson, sendJson } from '../http';
import { failure, type ApiFailure } from './errors';
import { isFailure, prepareRequest, runPrepared } from './graphql-runner';
import type { ServedSchema } from './served-schema';
import type { SessionRegistry } from './sessions';

/**
 * POST /graphql/request (NOTES.md section 1; getting-started "Start agent session"), where the only
 * operation that works is startAgentSession, plus introspection of the instance's schema without a
 * token: the getting-started tip points ChromiQL and GraphQL IDEs at this URL "to help you construct
 * your GraphQL queries with autocompletion and error detection", noting "you can't use them to make
 * actual requests since they don't have your authentication information".
 *
 * The answer (unverified, the references only show the success body): a success is 200 with the GraphQL
 * response `{data: {startAgentSession: {websocket_url, session_id, client_id}}}`; a failure is the
 * graphQLErrorPayload `{errors: [{name, message, UUID}]}` with the error's httpStatusCode as the
 * HTTP status (401 UNAUTHORIZED, 403 FORBIDDEN, 429 RATE_LIMITED with Retry-After, 400
 * GRAPHQL_EXEC_ERROR); the status plays the part the WebSocket envelope's `errorCode` plays.
 */
export async function handleGraphqlHttp(
	req: IncomingMessage,
	res: ServerResponse,
	registry: SessionRegistry,
	counters: { httpRequests: number },
	served: ServedSchema,
): Promise<void> {
	counters.httpRequests += 1;
	if (req.method !== 'POST') {
		return sendFailure(
			res,
			failure(
				'GRAPHQL_EXEC_ERROR',
				'use POST with a JSON body {query, variables, operationName}',
				405,
			),
		);
	}
	let body: unknown;
	try {
		body = await readJson(req);
	} catch (error) {
		if (error instanceof MalformedJsonError)
			return sendFailure(res, failure('GRAPHQL_EXEC_ERROR', 'the request body is not valid JSON'));
		if (error instanceof BodyTooLargeError)
			return sendFailure(res, failure('GRAPHQL_EXEC_ERROR', error.message, 413));
		throw error;
	}
	const prepared = prepareRequest(body, served.schema);
	if (isFailure(prepared)) return sendFailure(res, prepared);
	if (prepared.operation.operation === 'subscription') {
		return sendFailure(
			res,
			failure(
				'GRAPHQL_EXEC_ERROR',
				'subscriptions run over the WebSocket at websocket_url, not over HTTP',
			),
		);
	}
	// Introspection root fields (__schema, __type, __typename) need no session: graphql answers them.
	const needsSession = prepared.rootFields.find(
		(field) => field !== 'startAgentSession' && !field.startsWith('__'),
	);
	if (needsSession) {
		// getting-started: over HTTP the IDEs "don't have your authentication information"; only the socket does.
		return sendFailure(
			res,
			failure(
				'UNAUTHORIZED',
				`${needsSession} needs an agent session: call startAgentSession here, then send ${needsSession} over the WebSocket at websocket_url`,
			),
		);
	}
	const result = await runPrepared(prepared, {
		startAgentSession: ({ access_token }: { access_token: string }) => {
			const session = registry.start(access_token);
			return {
				websocket_url: session.websocketUrl,
				session_id: session.sessionId,
				client_id: session.clientId,
			};
		},
	});
	if (isFailure(result)) return sendFailure(res, result);
	sendJson(res, 200, result);
}

function sendFailure(res: ServerResponse, apiFailure: ApiFailure): void {
	const headers: Record<string, string> = {};
	if (apiFailure.retryAfter !== undefined) headers['retry-after'] = String(apiFailure.retryAfter);
	sendJson(res, apiFailure.status, { errors: apiFailure.errors }, headers);
}
