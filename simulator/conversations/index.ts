import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import WebSocket, { WebSocketServer } from 'ws';

import type { SimContext, SimModule } from '../module';
import { SlidingWindowLimiter } from '../rate-window';
import { createConversationsControl, InjectedFailureQueues } from './control';
import { handleGraphqlHttp } from './http-endpoint';
import type { TypingIndicator } from './operations';
import { errorEntry, errorNameForStatus } from './errors';
import { DelayTimers } from './outbox';
import { SessionRegistry } from './sessions';
import type { SchemaVariant } from './schema';
import { ServedSchema } from './served-schema';
import { refuseSocket, SessionSocket } from './socket';
import { SubscriptionPublisher } from './subscriptions';

export {
	buildConversationsSchema,
	conversationsSdl,
	CONVERSATIONS_SDL,
	type SchemaVariant,
} from './schema';
export { decodeRelayId, encodeRelayId } from './relay-id';

/** NOTES.md section 1: wss://chat-api.zopim.com/stream/0.1/graphql/{session_id}:{client_id}. */
const WS_PREFIX = '/stream/0.1/graphql/';

/** (unverified) how long a dropped session can be resumed at the same URL (overview, "Managing WebSocket"). */
const DEFAULT_RESUME_GRACE_MS = 60_000;

export interface ConversationsOptions {
	/** The reading of the schema's unseen parts this instance serves (schema.ts); the default reading when absent. */
	schemaVariant?: SchemaVariant;
}

/**
 * The Chat Conversations API: startAgentSession over HTTP (POST /graphql/request), then GraphQL over
 * the session's WebSocket, on the shared world. See schema.ts for the schema and its sources.
 */
export function createConversationsModule(ctx: SimContext, options: ConversationsOptions = {}) {
	const served = new ServedSchema(options.schemaVariant);
	const defaults = { resumeGraceMs: DEFAULT_RESUME_GRACE_MS, subscriptionsSurviveDrop: false };
	const registry = new SessionRegistry(ctx.world, ctx.clock, { ...defaults }, () =>
		ctx.wsBaseUrl(),
	);
	// Overview "Rate limits": 100 requests per second (per session).
	const requestLimiter = new SlidingWindowLimiter(ctx.clock, 100, 1000);
	const injected = new InjectedFailureQueues();
	const typing: TypingIndicator[] = [];
	const counters = { httpRequests: 0 };
	const timers = new DelayTimers();
	const publisher = new SubscriptionPublisher(ctx.world, registry);
	const sockets = new Set<WebSocket>();
	const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });

	const onSocket = (ws: WebSocket, url: URL): void => {
		sockets.add(ws);
		ws.once('close', () => sockets.delete(ws));
		let key: string;
		try {
			key = decodeURIComponent(url.pathname.slice(WS_PREFIX.length));
		} catch {
			key = '';
		}
		const session = registry.find(key);
		if (!session) return refuseSocket(ws, timers);
		const connection = new SessionSocket(ws, session, {
			registry,
			operations: { world: ctx.world, registry, typing },
			faults: ctx.faults,
			injected,
			requestLimiter,
			timers,
			schema: served,
			log: ctx.log,
		});
		registry.attach(session, connection);
	};

	const module = {
		api: 'conversations' as const,
		// seeds/chat-conversations-api-getting-started.txt "Error response": a server that is down
		// answers a protocolErrorPayload {body}; any other failure a graphQLErrorPayload.
		faultBody: (status: number) =>
			status >= 500
				? {
						body: `injected fault: the Conversations API GraphQL server is unavailable (HTTP ${status})`,
					}
				: { errors: [errorEntry(errorNameForStatus(status), `injected fault: HTTP ${status}`)] },
		handles: (url: URL) => url.pathname === '/graphql/request',
		handleRequest: (req: IncomingMessage, res: Parameters<SimModule['handleRequest']>[1]) =>
			handleGraphqlHttp(req, res, registry, counters, served),
		handlesUpgrade: (url: URL) => url.pathname.startsWith(WS_PREFIX),
		handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
			wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, url));
		},
		control: createConversationsControl({
			registry,
			injected,
			requestLimiter,
			typing,
			counters,
			defaults,
			schema: served,
		}),
		close: async () => {
			publisher.close();
			registry.close();
			timers.cancelAll();
			for (const ws of sockets) ws.terminate();
			sockets.clear();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		},
	} satisfies SimModule;
	return module;
}
