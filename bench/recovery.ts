/**
 * Recovery from an abnormal close, on the real simulator: the server drops the session's socket
 * (`sim.conversations.control.dropSockets`, a TCP-level terminate, which the client sees as 1006),
 * and the bench times, from the drop:
 * - `open`: the client has a new socket to the same websocket_url;
 * - `live`: the simulator holds the client's new subscription (polled on every event-loop turn);
 * - `event`: the next event (a visitor message the world produces the moment the subscription is
 *   live) has reached the subscriber.
 *
 * Against a raw baseline on the same simulator: a plain `ws` client that, on close, reconnects at
 * once to the same URL, sends the same subscription request and waits for its acknowledgement and
 * the next DATA frame. The two clients hold sessions of different agents, each on a chat only its
 * agent serves, so neither sees the other's events; iterations alternate between them.
 *
 * The simulator runs in this process. Recovery is a strict sequence (close, upgrade, subscribe,
 * acknowledge, event): server and client never have work to do at the same time, so a second
 * process would only add a clock to reconcile for the drop's timestamp.
 */
import WebSocket from 'ws';

import {
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../simulator';
import {
	AgentSession,
	createStartBudget,
	messageSubscription,
	type ChatMessageEvent,
} from '../src/conversations';
import { staticToken } from '../src/shared';
import { fixed, median, quantile } from './lib/stats';

export interface RecoveryPhases {
	open: number;
	live: number;
	event: number;
}

export interface RecoveryResult {
	iterations: number;
	/** Medians, in milliseconds since the drop. */
	agent: RecoveryPhases;
	raw: RecoveryPhases;
	/** The worst `event` time of each. */
	agentMax: number;
	rawMax: number;
	agentP90: number;
	ratio: number;
}

interface Client {
	/** Resolves with the time (performance.now()) the client's socket is open again after a drop. */
	nextOpen(): Promise<number>;
	/** Resolves with the time an event with this content reached the subscriber. */
	nextEvent(content: string): Promise<number>;
	close(): Promise<void>;
}

/** AgentSession subscribed to `message`, with default options (reconnect at once after a drop). */
async function agentClient(sim: Simulator): Promise<Client> {
	const session = new AgentSession({
		tokenProvider: staticToken(SIM_TOKENS.bot),
		httpUrl: sim.urls.conversationsHttp,
		startBudget: createStartBudget(),
	});
	let waiting: { content: string; resolve: (at: number) => void } | undefined;
	await session.subscribe(messageSubscription(), {
		next: (event: ChatMessageEvent) => {
			if (waiting && event.content === waiting.content) waiting.resolve(performance.now());
		},
	}).ready;
	return {
		nextOpen: () =>
			new Promise((resolve) => {
				const off = session.on('state', (state) => {
					if (state !== 'open') return;
					off();
					resolve(performance.now());
				});
			}),
		nextEvent: (content) => new Promise((resolve) => (waiting = { content, resolve })),
		close: () => session.close(),
	};
}

/** The baseline: plain ws, reconnecting to the same URL at once and subscribing again. */
async function rawClient(sim: Simulator): Promise<Client> {
	const response = await fetch(sim.urls.conversationsHttp, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			query:
				'mutation StartAgentSession($access_token: String!) { startAgentSession(access_token: $access_token) { websocket_url session_id client_id } }',
			variables: { access_token: SIM_TOKENS.human },
		}),
	});
	const url = (
		(await response.json()) as { data: { startAgentSession: { websocket_url: string } } }
	).data.startAgentSession.websocket_url;
	const operation = messageSubscription();
	let requestId = 0;
	let subscribeId = 0;
	let subscriptionId: unknown;
	let closing = false;
	let ws: WebSocket;
	let onOpen: ((at: number) => void) | undefined;
	let waiting: { content: string; resolve: (at: number) => void } | undefined;
	let acked: (() => void) | undefined;

	const connect = () => {
		ws = new WebSocket(url, { perMessageDeflate: false });
		ws.on('error', () => undefined);
		ws.on('open', () => {
			onOpen?.(performance.now());
			subscribeId = ++requestId;
			subscriptionId = undefined;
			ws.send(
				JSON.stringify({
					type: 'request',
					id: subscribeId,
					payload: {
						query: operation.document,
						variables: operation.variables,
						operationName: operation.name,
					},
				}),
			);
		});
		ws.on('message', (data: Buffer) => {
			const frame = JSON.parse(data.toString());
			if (frame.sig === 'DATA') {
				if (frame.subscription_id !== subscriptionId) return;
				const node = frame.payload?.data?.message?.node;
				if (waiting && node && node.content === waiting.content) waiting.resolve(performance.now());
			} else if (frame.id === subscribeId) {
				subscriptionId = frame.payload?.data?.subscription_id;
				acked?.();
			}
		});
		ws.on('close', () => {
			if (!closing) connect();
		});
	};
	connect();
	await new Promise<void>((resolve) => (acked = resolve));
	return {
		nextOpen: () => new Promise((resolve) => (onOpen = resolve)),
		nextEvent: (content) => new Promise((resolve) => (waiting = { content, resolve })),
		close: async () => {
			closing = true;
			ws.close();
		},
	};
}

/** Resolves, on the first event-loop turn it is true, with the time `check` became true. */
function whenTrue(check: () => boolean): Promise<number> {
	return new Promise((resolve) => {
		const poll = () => (check() ? resolve(performance.now()) : setImmediate(poll));
		poll();
	});
}

async function measure(
	sim: Simulator,
	client: Client,
	sessionId: string,
	chatId: string,
	n: number,
): Promise<RecoveryPhases> {
	const control = sim.conversations.control;
	const subscriptionIds = () =>
		control
			.sessions()
			.find((s) => s.sessionId === sessionId && s.connected)
			?.subscriptions.map((sub) => sub.id) ?? [];
	const [before] = subscriptionIds();
	// The server side of the socket closes (and forgets its subscription) a little after the drop:
	// live means a subscription other than the one from before.
	const subscribed = () => subscriptionIds().some((id) => id !== before);
	const content = `recovery ${n}`;
	const opened = client.nextOpen();
	const delivered = client.nextEvent(content);
	const t0 = performance.now();
	control.dropSockets({ sessionId });
	// The subscription is gone with the socket (the simulator's default), so this waits for the new one.
	const live = await whenTrue(subscribed);
	sim.world.visitorSays(chatId, content);
	return { open: (await opened) - t0, live: live - t0, event: (await delivered) - t0 };
}

export async function runRecovery(options: {
	iterations: number;
	log?: (line: string) => void;
}): Promise<RecoveryResult> {
	const log = options.log ?? (() => undefined);
	const sim = await startSimulator();
	const agent = await agentClient(sim);
	const raw = await rawClient(sim);
	const sessions = sim.conversations.control.sessions();
	const agentSession = sessions.find((s) => s.agentId === SIM_BOT_AGENT_ID)!.sessionId;
	const rawSession = sessions.find((s) => s.agentId === SIM_HUMAN_AGENT_ID)!.sessionId;
	// One chat per agent, served by it: only that agent's session gets its messages.
	const agentChat = sim.world.startChat({ message: 'hello' }).id;
	const rawChat = sim.world.startChat({ message: 'hello' }).id;
	sim.world.agentJoins(agentChat, SIM_BOT_AGENT_ID);
	sim.world.agentJoins(rawChat, SIM_HUMAN_AGENT_ID);

	const results = { agent: [] as RecoveryPhases[], raw: [] as RecoveryPhases[] };
	try {
		const warmup = 3;
		for (let i = 0; i < warmup + options.iterations; i++) {
			const order = i % 2 === 0 ? (['agent', 'raw'] as const) : (['raw', 'agent'] as const);
			for (const which of order) {
				const phases =
					which === 'agent'
						? await measure(sim, agent, agentSession, agentChat, i)
						: await measure(sim, raw, rawSession, rawChat, i);
				if (i >= warmup) results[which].push(phases);
				// Let the reconnected socket settle (a healthy socket is one the server has answered on).
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			if (i >= warmup && (i - warmup) % 10 === 9)
				log(`  recovery: ${i + 1 - warmup}/${options.iterations}`);
		}
	} finally {
		await agent.close();
		await raw.close();
		await sim.close();
	}
	const med = (list: RecoveryPhases[]): RecoveryPhases => ({
		open: median(list.map((p) => p.open)),
		live: median(list.map((p) => p.live)),
		event: median(list.map((p) => p.event)),
	});
	const agentMed = med(results.agent);
	const rawMed = med(results.raw);
	return {
		iterations: options.iterations,
		agent: agentMed,
		raw: rawMed,
		agentMax: Math.max(...results.agent.map((p) => p.event)),
		rawMax: Math.max(...results.raw.map((p) => p.event)),
		agentP90: quantile(
			results.agent.map((p) => p.event),
			0.9,
		),
		ratio: agentMed.event / rawMed.event,
	};
}

if (require.main === module) {
	runRecovery({ iterations: 20, log: console.log })
		.then((result) =>
			console.log(
				JSON.stringify(result, (_k, v) => (typeof v === 'number' ? Number(fixed(v, 3)) : v), 2),
			),
		)
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
