import {
	AbortedError,
	ClosedError,
	ConnectionError,
	GraphqlError,
	HttpError,
	InvalidInputError,
	ProtocolError,
	SessionEndedError,
	TimeoutError,
	ZendeskError,
	type ZendeskApi,
	type ZendeskErrorCode,
} from '../../shared/errors';
import type { Operation, SubscriptionOperation } from '../operation';

/**
 * What crosses Redis between a process that needs the agent session and the one holding it. An
 * Operation is data plus functions (parse, explain, delivery.result); only the data travels. The
 * holder runs it with a parser that keeps `payload.data` as it came, and the requester reads the
 * answer with its own Operation: so parsing, rewording an error and the lost-answer-but-delivered
 * result all happen where the Operation was built, exactly as in a local call.
 */
export interface WireOperation {
	kind: 'query' | 'mutation';
	name: string;
	document: string;
	variables: Record<string, unknown>;
	idempotent: boolean;
	/** Operation.delivery.msgId, so the holder can tell a send it has seen delivered. */
	msgId?: string;
}

export function toWireOperation(operation: Operation<unknown>): WireOperation {
	const wire: WireOperation = {
		kind: operation.kind,
		name: operation.name,
		document: operation.document,
		variables: operation.variables,
		idempotent: operation.idempotent,
	};
	if (operation.delivery) wire.msgId = operation.delivery.msgId;
	return wire;
}

/** What the holder's session returns for a relayed operation: the raw data, or word that the send was seen delivered. */
export type RawResult = { data: unknown } | { delivered: true };

/** The holder's side: the wire operation as an Operation whose result is the unparsed answer. */
export function fromWireOperation(wire: WireOperation): Operation<RawResult> {
	return {
		kind: wire.kind,
		name: wire.name,
		document: wire.document,
		variables: wire.variables ?? {},
		idempotent: wire.idempotent === true,
		delivery:
			typeof wire.msgId === 'string'
				? { msgId: wire.msgId, result: () => ({ delivered: true }) }
				: undefined,
		parse: (data) => ({ data }),
	};
}

/** The requester's side: the answer read with the caller's own Operation. */
export function readRawResult<T>(operation: Operation<T>, raw: RawResult): T {
	if ('delivered' in raw && raw.delivered && operation.delivery) return operation.delivery.result();
	return operation.parse((raw as { data: unknown }).data);
}

/** A subscription as it crosses Redis (RelaySubscribe): the data of a SubscriptionOperation, without its readers. */
export interface WireSubscription {
	name: string;
	document: string;
	variables: Record<string, unknown>;
	confirmed?: { document: string; dropped: string[] };
}

export function toWireSubscription(operation: SubscriptionOperation<unknown>): WireSubscription {
	const wire: WireSubscription = {
		name: operation.name,
		document: operation.document,
		variables: operation.variables,
	};
	if (operation.confirmed)
		wire.confirmed = {
			document: operation.confirmed.document,
			dropped: [...operation.confirmed.dropped],
		};
	return wire;
}

/**
 * The holder's side of a relayed subscription: every event is `payload.data` as it came (the
 * requester reads it with its own operation). Events are told apart by the Relay node id that every
 * subscription payload of the Conversations API carries (`{ <field>: { node: { id } } }`), so the
 * session's de-duplication and its delivered-send check work as for a local subscription.
 */
export function fromWireSubscription(wire: WireSubscription): SubscriptionOperation<unknown> {
	return {
		kind: 'subscription',
		name: wire.name,
		document: wire.document,
		variables: wire.variables ?? {},
		confirmed: wire.confirmed,
		select: (data) => (data !== null && typeof data === 'object' ? data : undefined),
		eventId: (data) => {
			const id = relayNode(data)?.id;
			return typeof id === 'string' ? id : undefined;
		},
		agentMsgId: (data) => {
			const node = relayNode(data) as
				| { msg_id?: unknown; from?: { __typename?: unknown } | null }
				| undefined;
			return node?.from?.__typename === 'Agent' && typeof node.msg_id === 'string'
				? node.msg_id
				: undefined;
		},
	};
}

/** The node of a one-field Relay payload, `{ message: { node: {...} } }`, if it is one. */
function relayNode(data: unknown): Record<string, unknown> | undefined {
	if (data === null || typeof data !== 'object') return undefined;
	const fields = Object.values(data as Record<string, unknown>);
	const payload = fields.length === 1 ? fields[0] : undefined;
	const node =
		payload !== null && typeof payload === 'object'
			? (payload as { node?: unknown }).node
			: undefined;
	return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

/** A ZendeskError as JSON: its code picks the class, and the fields each class carries go along. */
export interface WireError {
	code: ZendeskErrorCode | string;
	message: string;
	api?: ZendeskApi;
	retryable?: boolean;
	fields?: Record<string, unknown>;
}

const CARRIED_FIELDS = [
	'field',
	'hint',
	'statusCode',
	'body',
	'headers',
	'retryAfterMs',
	'errorName',
	'uuid',
	'errorCode',
	'raw',
	'reason',
];

export function toWireError(error: unknown): WireError {
	if (!(error instanceof ZendeskError)) {
		return {
			code: 'ZCHAT_ERR_CONNECTION',
			message: error instanceof Error ? error.message : String(error),
			api: 'conversations',
			retryable: true,
		};
	}
	const fields: Record<string, unknown> = {};
	for (const name of CARRIED_FIELDS) {
		const value = (error as unknown as Record<string, unknown>)[name];
		if (value !== undefined) fields[name] = value;
	}
	return {
		code: error.code,
		message: error.message,
		api: error.api,
		retryable: error.retryable,
		fields,
	};
}

/** Rebuilds the error as the class a local call would have thrown, so callers (and the node layer's mapping) cannot tell. */
export function fromWireError(wire: WireError): ZendeskError {
	const f = wire.fields ?? {};
	const api = wire.api ?? 'conversations';
	const str = (name: string) => (typeof f[name] === 'string' ? (f[name] as string) : undefined);
	const num = (name: string) => (typeof f[name] === 'number' ? (f[name] as number) : undefined);
	switch (wire.code) {
		case 'ZCHAT_ERR_INVALID_INPUT':
			return new InvalidInputError(str('field') ?? 'operation', wire.message, str('hint'));
		case 'ZCHAT_ERR_HTTP':
			return new HttpError(
				api,
				num('statusCode') ?? 0,
				wire.message,
				f.body,
				(f.headers ?? {}) as Record<string, string>,
				num('retryAfterMs'),
			);
		case 'ZCHAT_ERR_GRAPHQL':
			return new GraphqlError(
				str('errorName') ?? 'GRAPHQL_EXEC_ERROR',
				wire.message,
				str('uuid'),
				num('errorCode'),
			);
		case 'ZCHAT_ERR_PROTOCOL':
			return new ProtocolError(api, wire.message, f.raw);
		case 'ZCHAT_ERR_TIMEOUT':
			return new TimeoutError(api, wire.message);
		case 'ZCHAT_ERR_CONNECTION':
			return new ConnectionError(api, wire.message);
		case 'ZCHAT_ERR_SESSION_ENDED':
			return new SessionEndedError(str('reason') ?? 'ended', wire.message);
		case 'ZCHAT_ERR_ABORTED':
			return new AbortedError(api);
		case 'ZCHAT_ERR_CLOSED':
			return new ClosedError(api);
		default:
			return new ZendeskError(wire.code as ZendeskErrorCode, wire.message, {
				api,
				retryable: wire.retryable,
			});
	}
}
