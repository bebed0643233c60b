import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type RawData, type WebSocket } from 'ws';

import type { ClockTimer } from '../clock';
import { bearerToken, sendJson } from '../http';
import type { SimContext, SimModule } from '../module';
import { retryAfterSeconds } from '../rate-window';
import { rejectUpgrade } from '../server';
import { WorldError } from '../world/chat-world';
import type { ChatRecord, TokenRecord } from '../world/types';
import { StreamConnection, subscriptionKey, type Subscription } from './connection';
import {
	parseClientMessage,
	statusMessage,
	updateMessage,
	UNSUPPORTED_MESSAGE_STATUS,
} from './messages';
import {
	isMetricKey,
	isMetricWindow,
	isWindowed,
	parseTopic,
	type MetricId,
	type MetricValue,
	type MetricWindow,
} from './metric-keys';
import { StreamingMetrics } from './metrics';
import { handleRestTwin, isRestTwinPath, restBudgetKey, topicData } from './rest-twin';

/**
 * seeds/chat-streaming-api.txt "Rate Limits": "each account is expected to be able to have at most
 * 1000 concurrent connections and each agent to have at most 10 concurrent connections".
 */
export const STREAMING_LIMITS = { perAgent: 10, perAccount: 1000 } as const;

/** Largest client frame we read (unverified; subscribe messages are tiny). ws closes with 1009 above it. */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/** Closing a socket whose token stopped being valid (unverified code; NOTES.md pitfall 7: reconnect after a 401). */
const UNAUTHENTICATED_CLOSE = { code: 1008, reason: 'unauthenticated' } as const;

export interface SetMetricArgs {
	/** "incoming_chats", or with its topic: "chats.incoming_chats". */
	key: string;
	value: MetricValue;
	window?: MetricWindow | null;
	departmentId?: number | null;
}

/**
 * The Chat Streaming (real-time metrics) API: a WebSocket at /stream (wss://rtm.zopim.com/stream,
 * NOTES.md section 4) where a client subscribes to chat and agent metrics and receives an update
 * whenever a subscribed value changes; plus its REST twin under /stream/chats and /stream/agents.
 */
export function createStreamingModule(ctx: SimContext) {
	const { world, clock, faults } = ctx;
	const metrics = new StreamingMetrics(world, clock);
	const wss = new WebSocketServer({
		noServer: true,
		clientTracking: false,
		maxPayload: MAX_CLIENT_FRAME_BYTES,
		// Pongs are sent by hand, so that faults.setPingSilenced can leave PINGs unanswered.
		autoPong: false,
	});
	// The Chat REST module's key for the same budget: one account, one 200-a-minute window.
	const budgetKey = restBudgetKey(ctx);
	const connections = new Map<number, StreamConnection>();
	let nextConnectionId = 1;
	let windowTimer: ClockTimer | undefined;

	// ---- the world changes -------------------------------------------------------------------------

	const hasSubscriptions = () => [...connections.values()].some((c) => c.subscriptions.size > 0);

	function guarded(what: string, fn: () => void): void {
		try {
			fn();
		} catch (error) {
			ctx.log(
				`streaming: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
			);
		}
	}

	/** Recomputes derived metrics and pushes what changed, but only while someone listens. */
	function onWorldChanged(): void {
		metrics.markStale();
		if (!hasSubscriptions()) return;
		metrics.refresh();
		publish();
		scheduleWindowExpiry();
	}

	const onChatUpdated = (chat: ChatRecord) =>
		guarded('chatUpdated', () => {
			metrics.observeChat(chat);
			onWorldChanged();
		});
	const onChatDeleted = (chat: ChatRecord) =>
		guarded('chatDeleted', () => {
			metrics.forgetChat(chat);
			onWorldChanged();
		});
	const onAgentOrDepartment = () => guarded('agent/department update', onWorldChanged);
	world.on('chatUpdated', onChatUpdated);
	world.on('chatDeleted', onChatDeleted);
	world.on('agentUpdated', onAgentOrDepartment);
	world.on('departmentUpdated', onAgentOrDepartment);

	/** missed_chats and satisfaction_* drop a chat when it leaves the window: recompute then. */
	function scheduleWindowExpiry(): void {
		if (windowTimer) clock.clearTimeout(windowTimer);
		windowTimer = undefined;
		if (!hasSubscriptions()) return;
		const at = metrics.nextWindowExpiry();
		if (at === undefined) return;
		windowTimer = clock.setTimeout(
			() =>
				guarded('window expiry', () => {
					windowTimer = undefined;
					metrics.refresh(true);
					publish();
					scheduleWindowExpiry();
				}),
			at - clock.now(),
		);
	}

	/**
	 * Sends each subscription its value if it differs from what that connection was last sent
	 * (NOTES.md section 4: "Updates arrive only when a value changes"). Returns how many were sent.
	 */
	function publish(): number {
		let sent = 0;
		for (const connection of connections.values()) {
			for (const subscription of connection.subscriptions.values()) {
				const value = metrics.value(subscription);
				if (value === subscription.lastSent) continue;
				if (sendUpdate(connection, subscription, value)) sent++;
			}
		}
		return sent;
	}

	function sendUpdate(
		connection: StreamConnection,
		subscription: Subscription,
		value: MetricValue,
	): boolean {
		subscription.lastSent = value;
		return connection.send(
			updateMessage(
				subscription.topic,
				subscription.key,
				subscription.window,
				subscription.departmentId,
				value,
			),
		);
	}

	// ---- connections -------------------------------------------------------------------------------

	/** Open sockets only: one whose close handshake has begun no longer holds a slot. */
	function openCount(agentId?: number): number {
		let n = 0;
		for (const c of connections.values())
			if (c.isOpen && (agentId === undefined || c.agentId === agentId)) n++;
		return n;
	}

	function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		// Unverified: a bad, revoked or expired token is refused on the upgrade with HTTP 401.
		const token = world.authenticate(bearerToken(req));
		if (!token) return rejectUpgrade(socket, 401, statusMessage(401, 'unauthenticated'));
		// NOTES.md section 2: "the Streaming and REST APIs need read" (unverified status: 403).
		if (!token.scopes.includes('read')) {
			return rejectUpgrade(
				socket,
				403,
				statusMessage(403, 'forbidden: the token needs the read scope'),
			);
		}
		// seeds/chat-streaming-api.txt "Rate Limits": over the account or agent limit, "HTTP 429 Too Many
		// Requests response code and a body that details the reason for the rate limiter kicking in".
		if (openCount(token.agentId) >= STREAMING_LIMITS.perAgent) {
			return rejectUpgrade(
				socket,
				429,
				statusMessage(
					429,
					`too many concurrent connections for agent ${token.agentId}: at most ${STREAMING_LIMITS.perAgent} per agent`,
				),
			);
		}
		if (openCount() >= STREAMING_LIMITS.perAccount) {
			return rejectUpgrade(
				socket,
				429,
				statusMessage(
					429,
					`too many concurrent connections for the account: at most ${STREAMING_LIMITS.perAccount} per account`,
				),
			);
		}
		// "Authenticating and establishing one web socket connection to the Streaming API counts as one
		// request in the 200 requests per minute" (seeds/chat-streaming-api.txt "Rate Limits").
		const budget = ctx.restBudget.check(budgetKey);
		if (!budget.allowed) {
			return rejectUpgrade(
				socket,
				429,
				statusMessage(
					429,
					'rate limit exceeded: new Streaming API connections count against the 200 requests per minute of the REST API',
				),
				retryAfterSeconds(budget.retryAfterMs),
			);
		}
		wss.handleUpgrade(req, socket, head, (ws) =>
			guarded('connection', () => onConnection(ws, token)),
		);
	}

	function onConnection(ws: WebSocket, token: TokenRecord): void {
		ctx.restBudget.take(budgetKey);
		const connection = new StreamConnection(nextConnectionId++, ws, token, clock.now());
		connections.set(connection.id, connection);
		ws.on('message', (data, isBinary) =>
			guarded('client message', () => onClientMessage(connection, data, isBinary)),
		);
		ws.on('ping', (data) =>
			guarded('ping', () => {
				if (!faults.isPingSilenced('streaming')) ws.pong(data);
			}),
		);
		ws.on('error', (error) => ctx.log(`streaming: socket ${connection.id}: ${error.message}`));
		ws.on('close', () => {
			connections.delete(connection.id);
			if (connection.expiryTimer) clock.clearTimeout(connection.expiryTimer);
			scheduleWindowExpiry();
		});
		if (token.expiresAt !== undefined) {
			connection.expiryTimer = clock.setTimeout(
				() => guarded('token expiry', () => unauthenticated(connection)),
				token.expiresAt - clock.now(),
			);
		}
	}

	/** The token stopped being valid: say so in band (zendesk-go: 401 "unauthenticated"), then close. */
	function unauthenticated(connection: StreamConnection): void {
		connection.send(statusMessage(401, 'unauthenticated'));
		if (connection.isOpen)
			connection.ws.close(UNAUTHENTICATED_CLOSE.code, UNAUTHENTICATED_CLOSE.reason);
	}

	function onClientMessage(connection: StreamConnection, data: RawData, isBinary: boolean): void {
		if (!world.authenticate(connection.token.accessToken)) return unauthenticated(connection);
		if (isBinary) {
			connection.send(
				statusMessage(
					UNSUPPORTED_MESSAGE_STATUS,
					'unsupported message sent: send JSON text frames, not binary ones',
				),
			);
			return;
		}
		const parsed = parseClientMessage(rawText(data), (id) => world.departments.has(id));
		if ('error' in parsed) {
			connection.send(statusMessage(UNSUPPORTED_MESSAGE_STATUS, parsed.error));
			return;
		}
		const { command } = parsed;
		if (command.action === 'subscribe') {
			const id = {
				key: command.key,
				window: command.window ?? null,
				departmentId: command.departmentId ?? null,
			};
			const key = subscriptionKey(id);
			// Nobody listened until now, so the world may have changed without an event we acted on
			// (e.g. addAgent): compute afresh rather than trust an old computation.
			if (!hasSubscriptions()) metrics.markStale();
			let subscription = connection.subscriptions.get(key);
			if (!subscription) {
				subscription = { topic: command.topic, ...id, lastSent: undefined };
				connection.subscriptions.set(key, subscription);
			}
			// Unverified: a subscribe answers with the current value at once (and again on a repeated
			// subscribe); afterwards only changes are sent.
			sendUpdate(connection, subscription, metrics.value(subscription));
			scheduleWindowExpiry();
			return;
		}
		// seeds/chat-streaming-api.txt "Unsubscribing": {topic, action:"unsubscribe"} with no window or
		// department stops every subscription of that topic; a given window or department_id narrows it.
		for (const [key, s] of connection.subscriptions) {
			if (s.key !== command.key) continue;
			if (command.window !== undefined && s.window !== command.window) continue;
			if (command.departmentId !== undefined && s.departmentId !== command.departmentId) continue;
			connection.subscriptions.delete(key);
		}
		scheduleWindowExpiry();
	}

	// ---- control -----------------------------------------------------------------------------------

	function metricIdFrom(args: {
		key?: unknown;
		window?: unknown;
		departmentId?: unknown;
	}): MetricId {
		const raw = typeof args.key === 'string' ? args.key : '';
		const key = raw.includes('.') ? parseTopic(raw)?.key : isMetricKey(raw) ? raw : undefined;
		if (!key) throw new WorldError('invalid', `unknown metric key ${JSON.stringify(args.key)}`);
		let window: MetricWindow | null = null;
		if (isWindowed(key)) {
			if (!isMetricWindow(args.window))
				throw new WorldError('invalid', `${key} needs a window of 30 or 60`);
			window = args.window;
		} else if (args.window !== undefined && args.window !== null) {
			throw new WorldError('invalid', `${key} has no window`);
		}
		const departmentId = args.departmentId ?? null;
		if (departmentId !== null) {
			if (typeof departmentId !== 'number')
				throw new WorldError('invalid', 'departmentId must be a number');
			world.requireDepartment(departmentId);
		}
		return { key, window, departmentId };
	}

	function forEachOpen(fn: (c: StreamConnection) => void): number {
		let n = 0;
		for (const c of [...connections.values()]) {
			if (!c.isOpen) continue;
			fn(c);
			n++;
		}
		return n;
	}

	const control = {
		/** Sets a metric explicitly (it wins over the derived value until clearMetric); pushes the change. */
		setMetric: (args: SetMetricArgs) => {
			const id = metricIdFrom(args ?? {});
			const value = args.value;
			if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
				throw new WorldError('invalid', 'value must be a number or null');
			}
			metrics.setOverride(id, value);
			return { ...id, value, sent: publish() };
		},
		/** Drops overrides (all, or those of a key / window / department), back to derived values. */
		clearMetric: (
			args: { key?: string; window?: MetricWindow | null; departmentId?: number | null } = {},
		) => {
			const filter: Partial<MetricId> = {};
			if (args.key !== undefined) {
				const key = args.key.includes('.')
					? parseTopic(args.key)?.key
					: isMetricKey(args.key)
						? args.key
						: undefined;
				if (!key) throw new WorldError('invalid', `unknown metric key ${JSON.stringify(args.key)}`);
				filter.key = key;
			}
			if (args.window !== undefined) filter.window = args.window;
			if (args.departmentId !== undefined) filter.departmentId = args.departmentId;
			const cleared = metrics.clearOverrides(filter);
			return { cleared, sent: publish() };
		},
		/** Every value, as the REST twin's data: {chats, agents} for the account or one department. */
		metrics: (args: { departmentId?: number | null } = {}) => {
			const departmentId = args.departmentId ?? null;
			if (departmentId !== null) world.requireDepartment(Number(departmentId));
			const scope = departmentId === null ? null : Number(departmentId);
			return {
				department_id: scope,
				notComputed: metrics.notComputed,
				chats: topicData(metrics, 'chats', scope),
				agents: topicData(metrics, 'agents', scope),
				overrides: metrics.overridden(),
			};
		},
		/** Recomputes derived metrics now (e.g. after moving a manual clock) and pushes what changed. */
		recompute: () => {
			metrics.refresh();
			const sent = publish();
			scheduleWindowExpiry();
			return { sent };
		},
		/** While set, values not overridden are null and the REST twin answers "Not Computed!". */
		setNotComputed: (args: { notComputed: boolean }) => {
			metrics.notComputed = args?.notComputed !== false;
			return { notComputed: metrics.notComputed, sent: publish() };
		},
		/** Open connections, per agent, with their subscriptions. */
		connections: () => {
			const open = [...connections.values()].filter((c) => c.isOpen);
			const perAgent: Record<string, number> = {};
			for (const c of open) perAgent[c.agentId] = (perAgent[c.agentId] ?? 0) + 1;
			return { total: open.length, perAgent, connections: open.map((c) => c.describe()) };
		},
		/** The documented limits and how much of the shared REST budget is used in this minute. */
		limits: () => ({
			...STREAMING_LIMITS,
			budget: {
				used: ctx.restBudget.used(budgetKey),
				limit: ctx.restBudget.limit,
				windowMs: ctx.restBudget.windowMs,
			},
		}),
		/** Ends this API's sockets abruptly: clients see an abnormal close (1006). */
		dropSockets: () => {
			const dropped = connections.size;
			for (const c of [...connections.values()]) c.ws.terminate();
			return { dropped };
		},
		/** Closes this API's sockets with a close frame (default 1001 going away). */
		closeSockets: (args: { code?: number; reason?: string } = {}) => ({
			closed: forEachOpen((c) => c.ws.close(args.code ?? 1001, args.reason ?? 'going away')),
		}),
		/** Sends every open socket a text frame that is not JSON. */
		sendMalformedFrame: (args: { text?: string } = {}) => ({
			sent: forEachOpen((c) =>
				c.sendText(args.text ?? '{"status_code":200,"content":{"topic":"chats","type":"upd'),
			),
		}),
		/** Pushes `{"status_code":…,"message":…}` to every open socket; with close, closes them after it. */
		sendError: (args: {
			status_code: number;
			message: string;
			close?: boolean;
			closeCode?: number;
		}) => {
			if (!Number.isInteger(args?.status_code))
				throw new WorldError('invalid', 'status_code must be an integer');
			const sent = forEachOpen((c) => {
				c.send(statusMessage(args.status_code, String(args.message ?? '')));
				if (args.close)
					c.ws.close(args.closeCode ?? 1011, String(args.message ?? '').slice(0, 120));
			});
			return { sent };
		},
		/** Tells each socket whose token was revoked or expired that it is unauthenticated, and closes it. */
		revalidateTokens: () => {
			let closed = 0;
			forEachOpen((c) => {
				if (world.authenticate(c.token.accessToken)) return;
				unauthenticated(c);
				closed++;
			});
			return { closed };
		},
	};

	const module = {
		api: 'streaming' as const,
		faultBody: (status: number) => statusMessage(status, `injected fault: HTTP ${status}`),
		handles: (url: URL) => url.pathname === '/stream' || isRestTwinPath(url.pathname),
		handleRequest: async (req: IncomingMessage, res: ServerResponse, url: URL) => {
			if (url.pathname === '/stream') {
				sendJson(
					res,
					426,
					statusMessage(426, 'upgrade required: the Streaming API is a WebSocket at /stream'),
					{ upgrade: 'websocket' },
				);
				return;
			}
			handleRestTwin(ctx, metrics, req, res, url);
		},
		// Exactly /stream: the Conversations API owns /stream/0.1/graphql/… on the same server.
		handlesUpgrade: (url: URL) => url.pathname === '/stream',
		handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) =>
			handleUpgrade(req, socket, head),
		control,
		close: async () => {
			world.off('chatUpdated', onChatUpdated);
			world.off('chatDeleted', onChatDeleted);
			world.off('agentUpdated', onAgentOrDepartment);
			world.off('departmentUpdated', onAgentOrDepartment);
			if (windowTimer) clock.clearTimeout(windowTimer);
			windowTimer = undefined;
			for (const c of [...connections.values()]) {
				if (c.expiryTimer) clock.clearTimeout(c.expiryTimer);
				c.ws.terminate();
			}
			connections.clear();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		},
	} satisfies SimModule;
	return module;
}

function rawText(data: RawData): string {
	if (Buffer.isBuffer(data)) return data.toString('utf8');
	if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
	return Buffer.from(data).toString('utf8');
}

export type StreamingModule = ReturnType<typeof createStreamingModule>;
