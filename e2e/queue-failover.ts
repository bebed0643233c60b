/**
 * The holder failover of issue 12 on the real queue-mode cluster (e2e/queue-cluster.ts): `kill -9`
 * of the process holding the agent's Zendesk Chat session in the middle of a visitor's story, then
 * a supervisor's restart of it.
 *
 * In n8n's queue mode the session holder is the main: it runs the Zendesk Chat Triggers, whose
 * subscriptions live in the holder. So the test kills the main, and what goes on without it is what
 * n8n can still run without a main: a Zendesk Messaging webhook call (the agent's reply) reaches
 * the webhook processor, which enqueues it, and a worker runs the escalation bridge's bottom half,
 * whose Zendesk Chat Send needs the session. The worker's relay finds the dead main's lease until it
 * expires (5 s), then takes it and starts a session of its own: the takeover. A new main on the same
 * Postgres and Redis (the supervisor's restart) re-activates the workflows; its Chat Triggers ask the
 * worker to hand the session over and get it back.
 *
 * What is measured, on the simulator (the Zendesk side) and n8n's executions:
 * - the time from the kill to the worker's startAgentSession and to the agent's reply reaching the
 *   visitor, and from the new main's start to its session with the triggers' subscriptions;
 * - every startAgentSession for the agent (the simulator's counters and the sessions it saw);
 * - each visitor message's Chat Trigger executions (by the trigger's messageId), and what reached
 *   the visitor (duplicates by msgId and by text);
 * - the visitor's messages written while no main ran: no trigger held a subscription, and the
 *   Conversations API replays nothing, so they start no execution (the gap).
 */
import { SIM_BOT_AGENT_ID } from '../simulator';
import type { ChatRecord, DeliveredToVisitor } from '../simulator/world/types';
import type { QueueCluster } from './queue-cluster';
import { BOT_BACK_TEXT, BOT_HANDOFF_TEXT, channelIdOf, HUMAN_REQUEST, waitFor } from './scenario';

/** A bot session the simulator had, as the watcher saw it. */
export interface SeenSession {
	sessionId: string;
	/** The simulator's start time (its clock is the system clock in the e2e). */
	startedAt: number;
	/** When it first had a subscription (the Chat Triggers'), if ever. */
	subscribedAt?: number;
	/** When it was last seen alive. */
	lastSeenAt: number;
}

export interface FailoverResult {
	chat: ChatRecord;
	channelId: string;
	conversationId: string;
	killedAt: number;
	/** pids killed: the main and its task runner. */
	killedPids: number[];
	/** The live bot session before the kill (the main's). */
	sessionBeforeKill: string;
	/** The first session started after the kill (the worker's). */
	takeoverSession: SeenSession;
	/** Kill → the worker's startAgentSession. */
	takeoverSessionMs: number;
	/** Kill → the agent's reply (sent by a worker with no main) delivered to the visitor. */
	takeoverDeliveryMs: number;
	/** restartMain() called, and the new main ready (its API answering). */
	restartStartedAt: number;
	restartReadyAt: number;
	/** The session the new main's triggers subscribe on. */
	handbackSession: SeenSession;
	/** New main ready → its session with subscriptions. */
	handbackMs: number;
	/** What the visitor wrote, in order, with whether a main was running then. */
	visitorMessages: Array<{ text: string; mainRunning: boolean }>;
	/** The texts the agent (Zendesk Messaging) sent, in order. */
	agentTexts: string[];
	agentName: string;
	/** Every bot session seen while the story ran, in start order. */
	sessions: SeenSession[];
	/** startAgentSession calls for the bot agent during the story (the simulator's counter). */
	startAgentSessionCalls: number;
}

export interface FailoverOptions {
	visitorName?: string;
	timeoutMs?: number;
	/** How long the visitor's message written while the main is down is given to start an execution anyway. */
	gapWaitMs?: number;
	log?: (line: string) => void;
}

/** Polls the simulator's live sessions for the bot agent, so sessions ended since are remembered. */
export class SessionWatcher {
	readonly seen = new Map<string, SeenSession>();
	private readonly timer: NodeJS.Timeout;

	constructor(private readonly cluster: QueueCluster) {
		this.poll();
		this.timer = setInterval(() => this.poll(), 25);
	}

	poll(): void {
		const now = Date.now();
		for (const s of this.cluster.sim.conversations.control.sessions()) {
			if (s.agentId !== SIM_BOT_AGENT_ID) continue;
			const seen = this.seen.get(s.sessionId) ?? {
				sessionId: s.sessionId,
				startedAt: s.startedAt,
				lastSeenAt: now,
			};
			seen.lastSeenAt = now;
			if (seen.subscribedAt === undefined && s.subscriptions.length > 0) seen.subscribedAt = now;
			this.seen.set(s.sessionId, seen);
		}
	}

	/** The live bot sessions now. */
	live(): Array<{ sessionId: string; subscriptions: number }> {
		return this.cluster.sim.conversations.control
			.sessions()
			.filter((s) => s.agentId === SIM_BOT_AGENT_ID)
			.map((s) => ({ sessionId: s.sessionId, subscriptions: s.subscriptions.length }));
	}

	all(): SeenSession[] {
		return [...this.seen.values()].sort((a, b) => a.startedAt - b.startedAt);
	}

	stop(): void {
		clearInterval(this.timer);
	}
}

const botStarts = (cluster: QueueCluster) =>
	cluster.sim.conversations.control.sessionStarts().byAgent[String(SIM_BOT_AGENT_ID)] ?? 0;

/**
 * A visitor escalated to a human agent; the main is killed; the agent answers (a worker sends it
 * to the visitor); the visitor writes while no main runs; the main is restarted; the visitor writes
 * again, the agent answers again and closes the conversation.
 */
export async function playFailover(
	cluster: QueueCluster,
	options: FailoverOptions = {},
): Promise<FailoverResult> {
	const { sim } = cluster;
	const { world } = sim;
	const control = sim.sunshine.control;
	const store = sim.sunshine.app.store;
	const timeout = options.timeoutMs ?? 30_000;
	const log = options.log ?? (() => undefined);
	const name = options.visitorName ?? 'Iris';
	const visitorMessages: FailoverResult['visitorMessages'] = [];
	const agentTexts: string[] = [];
	const watcher = new SessionWatcher(cluster);
	const startsBefore = botStarts(cluster);
	const delivered = (chat: ChatRecord, match: (d: DeliveredToVisitor) => boolean) =>
		world.requireChat(chat.id).delivered.find(match);
	const say = (chatId: string, text: string) => {
		visitorMessages.push({ text, mainRunning: cluster.main.running });
		world.visitorSays(chatId, text);
	};
	const forwarded = (conversationId: string, text: string) =>
		store.conversations
			.get(conversationId)
			?.messages.find(
				(m) => m.author.type === 'user' && (m.content as { text?: string }).text === text,
			);

	try {
		// 1. A visitor opens a chat (the auto-reply answers) and asks for a human (the bridge escalates).
		const first = `Hi, this is ${name}. Where is my parcel?`;
		visitorMessages.push({ text: first, mainRunning: true });
		const chat = world.startChat({
			visitor: { name, email: `${name.toLowerCase()}@example.com` },
			message: first,
		});
		const channelId = channelIdOf(chat);
		await waitFor(
			'the auto-reply to reach the visitor',
			() => delivered(chat, (d) => d.structured?.kind === 'quick_replies'),
			timeout,
		);
		say(chat.id, HUMAN_REQUEST);
		const user = await waitFor(
			'the Zendesk Messaging user of the chat',
			() => store.userByExternalId(channelId),
			timeout,
		);
		const ticket = await waitFor(
			'the escalation (a ticket)',
			() => store.tickets.find((t) => t.userId === user.id && t.status === 'open' && !t.endedAt),
			timeout,
		);
		const conversationId = ticket.conversationId;
		await waitFor(
			'the hand-off notice to reach the visitor',
			() => delivered(chat, (d) => d.text === BOT_HANDOFF_TEXT),
			timeout,
		);
		const problem = 'Parcel 77 says delivered, but nothing is here.';
		say(chat.id, problem);
		await waitFor(
			"the visitor's problem to reach the agent",
			() => forwarded(conversationId, problem),
			timeout,
		);

		// The main holds the session: one live bot session, with the Chat Triggers' subscriptions.
		const [before] = await waitFor(
			"one live bot session with subscriptions (the main's)",
			() => {
				const live = watcher.live();
				return live.length === 1 && live[0].subscriptions > 0 ? live : undefined;
			},
			timeout,
		);

		// 2. kill -9 the main (the session holder) mid-story.
		const { killedAt, pids } = await cluster.killMain();
		log(`killed the main at ${new Date(killedAt).toISOString()} (pids ${pids.join(', ')})`);

		// 3. The agent answers at once: Zendesk calls the webhook processor, a worker runs the bridge's
		// bottom half and its Chat Send takes the session over (the dead main's lease expires first).
		const reply1 = `Sorry ${name}, I am checking with the courier right now.`;
		const message1 = control.agentReplies({ conversationId, text: reply1 });
		agentTexts.push(reply1);
		const agentName = (message1 as { author: { displayName: string } }).author.displayName;
		const reply1Delivered = await waitFor(
			"the agent's reply, sent by a worker while no main runs, to reach the visitor",
			() => delivered(chat, (d) => d.text === `${agentName}: ${reply1}`),
			timeout,
		);
		watcher.poll();
		const takeoverSession = await waitFor(
			'a bot session started after the kill',
			() => watcher.all().find((s) => s.startedAt >= killedAt),
			5_000,
		);

		// 4. While no main runs: the visitor writes (no Chat Trigger subscribes: the message is lost),
		// and the agent writes again (the worker that holds the session sends it).
		const gapMessage = 'Hello? Are you still there?';
		say(chat.id, gapMessage);
		const reply2 = "The courier says it is at your neighbour's, number 12.";
		control.agentReplies({ conversationId, text: reply2 });
		agentTexts.push(reply2);
		await waitFor(
			"the agent's second reply (no main) to reach the visitor",
			() => delivered(chat, (d) => d.text === `${agentName}: ${reply2}`),
			timeout,
		);
		await new Promise((r) => setTimeout(r, options.gapWaitMs ?? 3_000));

		// 5. The supervisor restarts the main: its triggers re-activate and get the session back.
		const restartStartedAt = Date.now();
		await cluster.restartMain();
		const restartReadyAt = Date.now();
		log(`the main is back after ${restartReadyAt - restartStartedAt} ms`);
		const handback = await waitFor(
			"the new main's Chat Triggers to hold the session (one live bot session with subscriptions)",
			() => {
				watcher.poll();
				const live = watcher.live();
				// Every subscription the main had before the kill (one per Chat Trigger): n8n activates the
				// workflows one after another, and a visitor message written before the escalation bridge's
				// trigger subscribes is lost like one written while no main ran (no replay).
				if (live.length !== 1 || live[0].subscriptions === 0) return undefined;
				const seen = watcher.seen.get(live[0].sessionId);
				return seen && seen.startedAt >= restartStartedAt ? seen : undefined;
			},
			60_000,
		);

		// n8n activates the workflows one after another once its API answers, and the Chat Triggers
		// share the session's one message subscription: the escalation bridge's trigger listens only
		// once n8n has activated its workflow (it logs that). A visitor message written before that is
		// lost like one written while no main ran (no replay), so the story waits for it.
		const bridgeName = cluster.workflows.escalation.name;
		await waitFor(
			`the new main's Chat Trigger of "${bridgeName}" to listen`,
			() => cluster.mainLog().includes(`of workflow "${bridgeName}" is listening`),
			60_000,
		).catch((error: Error) => {
			const trouble = cluster
				.mainLog()
				.split('\n')
				.filter((line) => /activat|Will try to reactivate|Zendesk/i.test(line))
				.slice(-10);
			throw new Error(
				`${error.message}; the main's log says: ${trouble.join(' | ') || 'nothing about activations'}`,
			);
		});

		// 6. The story goes on with the main back.
		const thanks = 'Found it at number 12, thank you!';
		say(chat.id, thanks);
		await waitFor(
			"the visitor's message after the restart to reach the agent",
			() => forwarded(conversationId, thanks),
			timeout,
		).catch(async (error: Error) => {
			// What CI needs to tell a lost subscription from a failed execution.
			const runs = await cluster.main.executions(cluster.workflows.escalation.id).catch(() => []);
			const since = runs
				.filter((e) => new Date(e.startedAt).getTime() >= restartStartedAt)
				.map((e) => `${e.id} ${e.mode} ${e.status}`);
			throw new Error(
				`${error.message}; live bot sessions ${JSON.stringify(watcher.live())} (before the kill: ${before.subscriptions} subscriptions); escalation executions since the restart: ${since.join(', ') || 'none'}`,
			);
		});
		const reply3 = 'Great, have a nice day!';
		control.agentReplies({ conversationId, text: reply3 });
		agentTexts.push(reply3);
		await waitFor(
			"the agent's reply after the restart to reach the visitor",
			() => delivered(chat, (d) => d.text === `${agentName}: ${reply3}`),
			timeout,
		);
		control.agentReleasesControl({ conversationId, reason: 'ticketClosed' });
		await waitFor(
			'the release notice to reach the visitor',
			() => delivered(chat, (d) => d.text === BOT_BACK_TEXT),
			timeout,
		);
		world.endChat(chat.id);
		watcher.poll();

		return {
			chat: world.requireChat(chat.id),
			channelId,
			conversationId,
			killedAt,
			killedPids: pids,
			sessionBeforeKill: before.sessionId,
			takeoverSession,
			takeoverSessionMs: takeoverSession.startedAt - killedAt,
			takeoverDeliveryMs: reply1Delivered.timestamp - killedAt,
			restartStartedAt,
			restartReadyAt,
			handbackSession: handback,
			handbackMs: Math.max(0, (handback.subscribedAt ?? handback.startedAt) - restartReadyAt),
			visitorMessages,
			agentTexts,
			agentName,
			sessions: watcher.all(),
			startAgentSessionCalls: botStarts(cluster) - startsBefore,
		};
	} finally {
		watcher.stop();
	}
}

/** The items a trigger node emitted in one execution (`includeData=true`). */
export function triggerItems(
	execution: Record<string, any>,
	node: string,
): Array<Record<string, any>> {
	const runs = execution.data?.resultData?.runData?.[node] as
		| Array<{ data?: { main?: Array<Array<{ json: Record<string, any> }>> } }>
		| undefined;
	return (runs ?? []).flatMap((run) => (run.data?.main?.[0] ?? []).map((item) => item.json));
}
