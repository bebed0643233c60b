import type WebSocket from 'ws';

import type { Faults } from '../faults';
import type { SlidingWindowLimiter } from '../rate-window';
import { failure, type ApiFailure } from './errors';
import { isFailure, prepareRequest, runPrepared, type PreparedRequest } from './graphql-runner';
import { createRootValue, type OperationDeps, type RequestContext } from './operations';
import type { ServedSchema } from './served-schema';
import type { AgentSession, SessionConnection, SessionRegistry } from './sessions';
import { createSubscription } from './subscriptions';
import { DelayTimers, Outbox } from './outbox';

/** seeds/chat-conversations-api-overview.txt "Rate limits": at most 10 GraphQL subscriptions at a time. */
export const MAX_SUBSCRIPTIONS = 10;

/** Failures a test queued for the next request frames or subscription starts. */
export interface InjectedFailures {
	takeRequestFailure(): ApiFailure | undefined;
	takeSubscriptionStartFailure(): ApiFailure | undefined;
}

export interface SocketDeps {
	registry: SessionRegistry;
	operations: OperationDeps;
	faults: Faults;
	injected: InjectedFailures;
	/** 100 requests per second per session (key: the session). */
	requestLimiter: SlidingWindowLimiter;
	timers: DelayTimers;
	/** The schema this instance serves (its variant, its refused fields). */
	schema: ServedSchema;
	log(message: string): void;
}

type FrameId = number | string;

/** The close code after EOS and after a takeover; the references name none (unverified). */
const CLOSE_NORMAL = 1000;
const CLOSE_REPLACED = 4000;

/**
 * One agent session's WebSocket, speaking the frames of the getting-started doc's "WebSocket request
 * and response body structure". Frames are handled one at a time, in arrival order.
 */
export class SessionSocket implements SessionConnection {
	private readonly outbox: Outbox;
	private processing: Promise<void> = Promise.resolve();

	constructor(
		private readonly ws: WebSocket,
		private readonly session: AgentSession,
		private readonly deps: SocketDeps,
	) {
		this.outbox = new Outbox(ws, deps.timers);
		ws.on('message', (data: WebSocket.RawData) => {
			const text = Array.isArray(data)
				? Buffer.concat(data).toString('utf8')
				: Buffer.from(data as ArrayBuffer).toString('utf8');
			this.processing = this.processing
				.then(() => this.handle(text))
				.catch((error) => {
					deps.log(`conversations: frame failed: ${(error as Error).stack ?? String(error)}`);
					this.respond({ errorCode: 500, payload: { body: 'internal error' } });
				});
		});
		ws.on('close', () => deps.registry.detach(session, this));
		ws.on('error', () => undefined);
	}

	// ---- SessionConnection ----

	sendEos(reason: string): void {
		// getting-started "End of service signal": {"reason": "...", "sig": "EOS"}.
		this.outbox.send({ reason, sig: 'EOS' });
		this.outbox.close(CLOSE_NORMAL);
	}

	replace(): void {
		this.outbox.close(CLOSE_REPLACED, 'session resumed on another connection');
	}

	terminate(): void {
		this.ws.terminate();
	}

	sendRaw(text: string): void {
		this.outbox.sendText(text);
	}

	sendData(
		subscriptionId: string,
		result: { data?: unknown; errors?: unknown },
		errorCode?: number,
	): void {
		if (errorCode === undefined)
			this.outbox.send({ payload: result, sig: 'DATA', subscription_id: subscriptionId });
		else
			this.outbox.send({
				error_code: errorCode,
				payload: result,
				sig: 'DATA',
				subscription_id: subscriptionId,
			});
	}

	// ---- frames ----

	private async handle(text: string): Promise<void> {
		// After EOS (or a takeover) the socket is closing: whatever it still sends is not served.
		if (this.session.connection !== this) return;
		let frame: unknown;
		try {
			frame = JSON.parse(text);
		} catch {
			return this.protocolError(undefined, 'the frame is not valid JSON');
		}
		if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
			return this.protocolError(undefined, 'the frame must be a JSON object');
		}
		const { sig, type, id, payload } = frame as Record<string, unknown>;
		const frameId = isFrameId(id) ? id : undefined;
		if (sig !== undefined) {
			// seeds/chat-conversations-api-overview.txt "Managing WebSocket": PING echoes its payload in a PONG.
			if (sig !== 'PING')
				return this.protocolError(
					frameId,
					`unknown sig ${JSON.stringify(sig)}: only "PING" is sent by clients`,
				);
			if (!this.deps.faults.isPingSilenced('conversations')) this.respond({ sig: 'PONG', payload });
			return;
		}
		if (type !== 'request' && type !== 'stop_subscription') {
			return this.protocolError(
				frameId,
				`unknown frame type ${JSON.stringify(type)}: expected "request" or "stop_subscription"`,
			);
		}
		if (frameId === undefined)
			return this.protocolError(undefined, `a "${type}" frame needs an "id" (number or string)`);

		// Overview "Rate limits": 100 requests per second; queries, mutations, subscriptions and stop subscription count.
		if (!this.deps.requestLimiter.take(this.session.key).allowed) {
			return this.fail(
				frameId,
				failure('RATE_LIMITED', 'more than 100 requests per second in this session'),
			);
		}
		if (type === 'stop_subscription') return this.stopSubscription(frameId, payload);

		const injected = this.deps.injected.takeRequestFailure();
		if (injected) return this.fail(frameId, injected);
		const prepared = prepareRequest(payload, this.deps.schema.schema);
		if (isFailure(prepared)) return this.fail(frameId, prepared);
		if (prepared.operation.operation === 'subscription')
			return this.startSubscription(frameId, prepared);
		if (prepared.rootFields.includes('startAgentSession')) {
			// getting-started: "HTTP requests are mainly for authentication" (unverified that the socket refuses it).
			return this.fail(
				frameId,
				failure('GRAPHQL_EXEC_ERROR', 'startAgentSession runs over HTTP: POST /graphql/request'),
			);
		}
		const context: RequestContext = { session: this.session, afterResponse: [] };
		const result = await runPrepared(
			prepared,
			createRootValue(this.deps.operations, context),
			context,
		);
		if (isFailure(result)) this.fail(frameId, result);
		else this.respond({ payload: result, id: frameId });
		for (const after of context.afterResponse) after();
	}

	private startSubscription(id: FrameId, prepared: PreparedRequest): void {
		const subscription = createSubscription(prepared);
		if (isFailure(subscription)) return this.fail(id, subscription);
		if (this.session.subscriptions.size >= MAX_SUBSCRIPTIONS) {
			return this.fail(
				id,
				failure(
					'MAX_SUB',
					`this session already has ${MAX_SUBSCRIPTIONS} subscriptions, the maximum`,
				),
			);
		}
		const injected = this.deps.injected.takeSubscriptionStartFailure();
		if (injected) return this.fail(id, injected);
		this.session.subscriptions.set(subscription.id, subscription);
		// getting-started "Start subscription": {payload: {data: {subscription_id}}, id}.
		this.respond({ payload: { data: { subscription_id: subscription.id } }, id });
	}

	private stopSubscription(id: FrameId, payload: unknown): void {
		const subscriptionId = (payload as { subscription_id?: unknown } | null | undefined)
			?.subscription_id;
		if (typeof subscriptionId !== 'string') {
			return this.fail(
				id,
				failure('GRAPHQL_EXEC_ERROR', 'stop_subscription needs payload.subscription_id (a string)'),
			);
		}
		if (!this.session.subscriptions.delete(subscriptionId)) {
			// (unverified) an unknown or already stopped subscription.
			return this.fail(
				id,
				failure('GRAPHQL_EXEC_ERROR', `no subscription ${subscriptionId} in this session`),
			);
		}
		// getting-started "Stop subscription": {payload: {data: {success: true}}, id}.
		this.respond({ payload: { data: { success: true } }, id });
	}

	/** getting-started "Error response": {errorCode: httpStatusCode, payload: graphQLErrorPayload, id}. */
	private fail(id: FrameId, apiFailure: ApiFailure): void {
		this.respond({ errorCode: apiFailure.status, payload: { errors: apiFailure.errors }, id });
	}

	/** The same envelope with a protocolErrorPayload `{body: string}`; no id when the frame had none. */
	private protocolError(id: FrameId | undefined, body: string): void {
		this.respond(
			id === undefined
				? { errorCode: 400, payload: { body } }
				: { errorCode: 400, payload: { body }, id },
		);
	}

	private respond(frame: unknown): void {
		this.outbox.send(frame, this.deps.faults.delayFor('conversations'));
	}
}

function isFrameId(value: unknown): value is FrameId {
	return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string';
}

/** A socket on a URL that is not (or no longer) an authenticated session: EOS, then close. */
export function refuseSocket(ws: WebSocket, timers: DelayTimers): void {
	const outbox = new Outbox(ws, timers);
	ws.on('error', () => undefined);
	// getting-started "End of service signal": sent when connecting to an unauthenticated WebSocket URL.
	outbox.send({ reason: 'unexpected session state', sig: 'EOS' });
	outbox.close(CLOSE_NORMAL);
}
