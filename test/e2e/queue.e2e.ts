/**
 * End to end in queue mode (issue 12): a real n8n 2.41.1 cluster (e2e/queue-cluster.ts: Postgres,
 * Redis, one main, two workers, one webhook processor) with this package installed for every
 * process, the examples imported and activated on the main, and the scripted round played against
 * the simulator. The main runs the triggers (the Zendesk Chat Trigger's agent session, the Streaming
 * connection), the workers run every execution (so the Zendesk Chat and Messaging action nodes),
 * the webhook processor takes Zendesk Messaging's webhook calls. Last, on the same cluster, the
 * session holder (the main) is killed with kill -9 mid-story and restarted (e2e/queue-failover.ts).
 *
 * `npm run test:e2e:queue` (its own jest config, test/e2e/jest.queue.config.js; `npm run test:e2e`
 * leaves this file out). E2E_QUEUE_LOG_DIR=<dir> keeps every process's output there.
 */
import { startQueueCluster, type QueueCluster } from '../../e2e/queue-cluster';
import { playFailover, triggerItems, type FailoverResult } from '../../e2e/queue-failover';
import {
	BOT_BACK_TEXT,
	BOT_HANDOFF_TEXT,
	MESSAGING_BOT,
	playBotConversation,
	playRound,
	type BotConversationResult,
	type RoundResult,
} from '../../e2e/scenario';
import { readExample, startMessagingBot, type Stack } from '../../e2e/stack';
import { SIM_BOT_AGENT_ID } from '../../simulator';

const PACKAGE = 'n8n-nodes-zendesk-chat';

let cluster: QueueCluster;
let round: RoundResult;
/** startAgentSession calls for the bot agent: after activation, during the round, in all. */
const starts = { afterActivation: 0, duringRound: 0, total: 0 };

const botStarts = () =>
	cluster.sim.conversations.control.sessionStarts().byAgent[String(SIM_BOT_AGENT_ID)] ?? 0;

beforeAll(async () => {
	cluster = await startQueueCluster({ logDir: process.env.E2E_QUEUE_LOG_DIR });
	// The Chat Triggers' session comes up asynchronously after activation: let it settle.
	await new Promise((r) => setTimeout(r, 3000));
	starts.afterActivation = botStarts();
}, 20 * 60_000);

afterAll(async () => {
	await cluster?.stop();
}, 120_000);

describe('the queue-mode cluster', () => {
	it('comes up: the main healthy, both workers report healthy, the webhook processor answers', async () => {
		expect(await cluster.main.ready()).toBe(true);
		expect(cluster.workers).toHaveLength(2);
		for (const worker of cluster.workers) {
			expect(worker.running).toBe(true);
			expect(await worker.ready()).toBe(true);
		}
		const [webhook] = cluster.webhookProcessors;
		expect(await webhook.ready()).toBe(true);
		// A webhook processor serves production webhooks only: an unknown one is n8n's 404, not a refused connection.
		const unknown = await fetch(`${webhook.baseUrl}/webhook/not-registered`, { method: 'POST' });
		expect(unknown.status).toBe(404);
		expect([cluster.main, ...cluster.workers, webhook].map((p) => [p.command, p.running])).toEqual([
			['start', true],
			['worker', true],
			['worker', true],
			['webhook', true],
		]);
		// All of them on the cluster's own Postgres.
		expect(
			cluster.postgres.query("select count(*) from pg_stat_activity where datname = 'n8n'"),
		).not.toBe('0');
	});

	it('loads the package on the main (its node types under the package name)', async () => {
		const names = await cluster.main.nodeTypeNames();
		expect(names.filter((n) => n.startsWith(`${PACKAGE}.`)).sort()).toEqual([
			`${PACKAGE}.zendeskChat`,
			`${PACKAGE}.zendeskChatTool`,
			`${PACKAGE}.zendeskChatTrigger`,
			`${PACKAGE}.zendeskMessaging`,
			`${PACKAGE}.zendeskMessagingTool`,
			`${PACKAGE}.zendeskMessagingTrigger`,
		]);
	});

	it("has the three examples imported and activated; the Messaging webhook registered with the webhook processor's URL", async () => {
		for (const [key, { id }] of Object.entries(cluster.workflows)) {
			const workflow = await cluster.main.workflow(id);
			expect({ key, name: workflow.name, active: workflow.active }).toEqual({
				key,
				name: readExample(key as keyof Stack['workflows']).name,
				active: true,
			});
		}
		const { store } = cluster.sim.sunshine.app;
		const integration = [...store.integrations.values()].find(
			(i) => i.displayName === `n8n: ${cluster.workflows.escalation.name}`,
		)!;
		const webhookId = readExample('escalation').nodes.find(
			(n: any) => n.type === `${PACKAGE}.zendeskMessagingTrigger`,
		).webhookId;
		expect(
			[...store.webhooks.values()]
				.filter((w) => w.integrationId === integration.id)
				.map((w) => w.target),
		).toEqual([`${cluster.webhookProcessors[0].baseUrl}/webhook/${webhookId}/webhook`]);
	});
});

/**
 * The scripted round of the demo, on the cluster. Without the cross-process session pool (measured
 * before 870c64f): the auto-reply's Send Message, run on a worker, started that worker's own agent
 * session; Zendesk allows one session per agent, so the main's Chat Trigger session got EOS
 * "concurrent session limit reached", both Chat Triggers stopped ("failed at runtime and was
 * deactivated"), and the round stopped at "Talk to a human": 1 startAgentSession at activation, 3
 * more (and 1 RATE_LIMITED) within 8 s of the first step. With the RedisSessionPool: 1 in all.
 */
describe('the scripted round on the cluster', () => {
	beforeAll(async () => {
		const before = botStarts();
		round = await playRound(cluster, { visitorName: 'Harry', timeoutMs: 60_000 });
		const expected: Array<[keyof Stack['workflows'], number]> = [
			['autoReply', 1],
			['escalation', 7],
			['metricsAlert', 2],
		];
		await Promise.all(
			expected.map(([key, n]) =>
				cluster.main
					.waitForExecutions(cluster.workflows[key].id, (e) => e.length >= n, 30_000)
					.catch(() => undefined),
			),
		);
		starts.duringRound = botStarts() - before;
		starts.total = botStarts();
		console.log(
			`startAgentSession for agent ${SIM_BOT_AGENT_ID}: ${starts.afterActivation} after activation, ${starts.duringRound} more during the round; ` +
				`all calls: ${JSON.stringify(cluster.sim.conversations.control.sessionStarts().byOutcome)}`,
		);
	}, 10 * 60_000);

	it("completes: the quick replies, the hand-off, the agent's reply, image and file, the bot being back; the alert crosses and recovers", () => {
		expect(round.delivered.map((d) => d.structured?.kind ?? 'text')).toEqual([
			'quick_replies',
			'text',
			'text',
			'panel',
			'text',
			'text',
		]);
		expect(round.delivered[1].text).toBe(BOT_HANDOFF_TEXT);
		expect(round.delivered[5].text).toBe(BOT_BACK_TEXT);
		expect(round.alerts.map((a) => a.body.state)).toEqual(['crossed', 'recovered']);
	});

	it('ran every execution on a worker, all successful: the Chat Triggers on the main enqueued them, the Messaging Trigger on the webhook processor', async () => {
		const executions = (
			await Promise.all(
				Object.values(cluster.workflows).map(({ id }) => cluster.main.executions(id)),
			)
		).flat();
		expect(executions.length).toBeGreaterThanOrEqual(10);
		expect(
			executions.filter((e) => e.status !== 'success').map((e) => ({ id: e.id, status: e.status })),
		).toEqual([]);
		const onWorkers = new Set(Object.values(cluster.executionsByWorker()).flat());
		expect(executions.map((e) => String(e.id)).filter((id) => !onWorkers.has(id))).toEqual([]);
		const [autoReply] = await cluster.main.executions(cluster.workflows.autoReply.id);
		expect(autoReply).toMatchObject({ status: 'success', mode: 'trigger' });
		expect(cluster.logOf('main')).toMatch(new RegExp(`Enqueued execution ${autoReply.id} `));
		expect(cluster.logOf('webhook-1')).toMatch(/Enqueued execution \d+/);
		for (const name of ['main', 'webhook-1'])
			expect(cluster.logOf(name)).not.toMatch(/Worker started execution/);
	});

	it('starts exactly one agent session for the agent across all processes (issue 12)', () => {
		expect(starts.total).toBe(1);
		expect(
			cluster.sim.conversations.control.sessions().filter((s) => s.agentId === SIM_BOT_AGENT_ID),
		).toHaveLength(1);
	});
});

describe("then the Messaging bot on the cluster: the webhook processor takes Zendesk's calls, the workers answer", () => {
	const CUSTOMER = { name: 'Ada', externalId: 'queue-customer-ada' };
	let story: BotConversationResult;
	/** What Zendesk calls: the webhook processor (WEBHOOK_URL), not the main. */
	const zendeskSide = (): Stack => ({ ...cluster, n8n: cluster.webhookProcessors[0] });
	const botWebhookTarget = () =>
		`${cluster.webhookProcessors[0].baseUrl}/webhook/${readExample('messagingBot').nodes.find((n: any) => n.type === `${PACKAGE}.zendeskMessagingTrigger`).webhookId}/webhook`;
	const botRuns = async () =>
		(await cluster.main.executions(cluster.standby.messagingBot.id)).filter(
			(e) => e.mode === 'webhook',
		);

	beforeAll(async () => {
		const setUp = await startMessagingBot(cluster);
		expect(setUp.status).toBe('success');
		story = await playBotConversation(zendeskSide(), {
			customerName: CUSTOMER.name,
			userExternalId: CUSTOMER.externalId,
			timeoutMs: 60_000,
		});
		// Five webhook executions: hi, opening hours, talk to a human, the agent's reply, the message to the agent.
		await cluster.main
			.waitForExecutions(
				cluster.standby.messagingBot.id,
				(e) => e.filter((x) => x.mode === 'webhook').length >= 5,
				30_000,
			)
			.catch(() => undefined);
	}, 5 * 60_000);

	it('answers the customer (menu, opening hours, hand-off to the agent workspace) with every execution on a worker', async () => {
		const { store } = cluster.sim.sunshine.app;
		const texts = store.conversations
			.get(story.conversationId)!
			.messages.filter((m) => m.author.type === 'business' && !m.author.subtypes?.includes('agent'))
			.map((m) => (m.content as any).text);
		expect(texts).toEqual([
			MESSAGING_BOT.greeting(CUSTOMER.name),
			MESSAGING_BOT.openingHours,
			MESSAGING_BOT.handoff,
		]);
		expect(
			cluster.sim.sunshine.control.tickets({ conversationId: story.conversationId }),
		).toHaveLength(1);
		expect(
			cluster.sim.sunshine.control
				.deliveries()
				.filter((d) => d.target === botWebhookTarget())
				.every((d) => d.outcome === 'delivered'),
		).toBe(true);

		const runs = await botRuns();
		expect(runs.length).toBeGreaterThanOrEqual(5);
		expect(
			runs.filter((e) => e.status !== 'success').map((e) => ({ id: e.id, status: e.status })),
		).toEqual([]);
		const byWorker = cluster.executionsByWorker();
		const onWorkers = new Set(Object.values(byWorker).flat());
		expect(runs.map((e) => String(e.id)).filter((id) => !onWorkers.has(id))).toEqual([]);
		for (const name of ['main', 'webhook-1'])
			expect(cluster.logOf(name)).not.toMatch(/Worker started execution/);
		// The webhook processor enqueued them.
		expect(cluster.logOf('webhook-1')).toMatch(/Enqueued execution \d+/);
		console.log(
			`executions per worker after the round and the bot: ${Object.entries(byWorker)
				.map(([w, ids]) => `${w} ${ids.length}`)
				.join(', ')}`,
		);
	});

	describe('a webhook event delivered twice (same event id)', () => {
		const hiDelivery = () =>
			cluster.sim.sunshine.control
				.deliveries()
				.find(
					(d) =>
						d.target === botWebhookTarget() &&
						d.body.events[0].payload.message.id === story.steps.hi.asked,
				)!;
		const redeliver = (baseUrl: string) => {
			const delivery = hiDelivery();
			const target = delivery.target.replace(cluster.webhookProcessors[0].baseUrl, baseUrl);
			return fetch(target, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': delivery.headers['X-API-Key'] },
				body: JSON.stringify(delivery.body),
			});
		};
		const greetings = () =>
			cluster.sim.sunshine.app.store.conversations
				.get(story.conversationId)!
				.messages.filter((m) => (m.content as any).text === MESSAGING_BOT.greeting(CUSTOMER.name))
				.length;

		it('runs once when both reach the one webhook processor: the second is answered 200 and starts nothing', async () => {
			const before = (await botRuns()).length;
			const again = await redeliver(cluster.webhookProcessors[0].baseUrl);
			expect(again.status).toBe(200);
			await new Promise((r) => setTimeout(r, 4000));
			expect((await botRuns()).length).toBe(before);
			expect(greetings()).toBe(1);
		});

		it(
			"runs once across two webhook processors (behind one load balancer): the event ids are remembered in n8n's Redis",
			async () => {
				// Before the Redis dedupe (870c64f) each process remembered its own ids, so the second
				// processor would have run the workflow again (a second greeting).
				const second = await cluster.addWebhookProcessor();
				expect(await second.ready()).toBe(true);
				const before = (await botRuns()).length;
				const again = await redeliver(second.baseUrl);
				expect(again.status).toBe(200);
				await new Promise((r) => setTimeout(r, 6000));
				expect({ extraRuns: (await botRuns()).length - before, greetings: greetings() }).toEqual({
					extraRuns: 0,
					greetings: 1,
				});
				// The second processor did take the call (n8n logs nothing for a call that starts no execution).
				expect(second.running).toBe(true);
			},
			5 * 60_000,
		);
	});
});

/**
 * Holder failover (issue 12): `kill -9` of the session holder mid-story. In queue mode the holder is
 * the main (its Chat Triggers' subscriptions live in the holder), so the main is killed with its task
 * runner; what n8n still runs without a main is a webhook call on the webhook processor, executed by
 * a worker: the agent's reply, which the escalation bridge's bottom half sends to Zendesk Chat. That
 * worker takes the session over once the dead main's lease has expired; then the main is restarted
 * (a supervisor's restart, same Postgres, Redis and user folder) and its triggers get the session
 * back. e2e/queue-failover.ts plays it and measures it.
 */
describe('holder failover: kill -9 of the main (the session holder) mid-story, then its restart', () => {
	let failover: FailoverResult;
	let escalationRuns: Array<Record<string, any>>;
	let autoReplyRuns: Array<Record<string, any>>;
	const totalStarts = () => botStarts();
	/** The Chat Trigger executions of the failover's chat: [messageId, text] of each. */
	const chatTriggerMessages = (runs: Array<Record<string, any>>, node: string) =>
		runs
			.flatMap((e) => triggerItems(e, node))
			.filter((item) => item.channelId === failover.channelId);
	const duplicates = (values: unknown[]) => values.filter((v, i) => values.indexOf(v) !== i);

	beforeAll(async () => {
		failover = await playFailover(cluster, { log: (line) => console.log(line), timeoutMs: 30_000 });
		const done = (e: Record<string, any>) => e.status !== 'running' && e.status !== 'new';
		// Everything the story started has finished (5 visitor messages written while a main ran… the last release notice).
		await cluster.main
			.waitForExecutions(
				cluster.workflows.escalation.id,
				(runs) =>
					runs
						.filter((e) => new Date(e.startedAt).getTime() >= failover.killedAt - 60_000)
						.every(done),
				30_000,
			)
			.catch(() => undefined);
		await new Promise((r) => setTimeout(r, 2000));
		escalationRuns = await cluster.main.executions(cluster.workflows.escalation.id);
		autoReplyRuns = await cluster.main.executions(cluster.workflows.autoReply.id);
		const lost = failover.visitorMessages.filter((m) => !m.mainRunning);
		console.log(
			[
				`failover: kill → worker's startAgentSession ${failover.takeoverSessionMs} ms, → agent's reply at the visitor ${failover.takeoverDeliveryMs} ms;`,
				`main restarted in ${failover.restartReadyAt - failover.restartStartedAt} ms, its triggers' session ${failover.handbackMs} ms after it was ready;`,
				`startAgentSession during the failover story ${failover.startAgentSessionCalls}, in the whole suite ${totalStarts()} (${JSON.stringify(cluster.sim.conversations.control.sessionStarts().byOutcome)});`,
				`visitor messages written while no main ran: ${lost.length}; sessions seen: ${failover.sessions.map((s) => s.sessionId).join(', ')}`,
			].join(' '),
		);
	}, 6 * 60_000);

	it("a worker takes the session over within 10 s of the kill, while no main runs: the agent's reply reaches the visitor", async () => {
		expect(failover.takeoverSession.sessionId).not.toBe(failover.sessionBeforeKill);
		expect(failover.takeoverSessionMs).toBeLessThan(10_000);
		expect(failover.takeoverDeliveryMs).toBeLessThan(10_000);
		// The executions that sent while no main ran: the bridge's bottom half (a webhook execution), on a worker, successful.
		const duringGap = escalationRuns.filter((e) => {
			const started = new Date(e.startedAt).getTime();
			return started >= failover.killedAt && started < failover.restartStartedAt;
		});
		expect(duringGap.map((e) => ({ mode: e.mode, status: e.status }))).toEqual([
			{ mode: 'webhook', status: 'success' },
			{ mode: 'webhook', status: 'success' },
		]);
		const onWorkers = new Set(Object.values(cluster.executionsByWorker()).flat());
		expect(duringGap.map((e) => String(e.id)).filter((id) => !onWorkers.has(id))).toEqual([]);
		expect(
			Object.keys(cluster.executionsByWorker()).some((w) =>
				/handing the agent session over/.test(cluster.logOf(w)),
			),
		).toBe(true);
	});

	it("the restarted main's Chat Triggers get the session back from the worker (handover), and the story goes on", () => {
		expect(cluster.main.running).toBe(true);
		expect(failover.handbackSession.sessionId).not.toBe(failover.takeoverSession.sessionId);
		expect(failover.handbackSession.subscribedAt).toBeDefined();
		const live = cluster.sim.conversations.control
			.sessions()
			.filter((s) => s.agentId === SIM_BOT_AGENT_ID);
		expect(live.map((s) => s.sessionId)).toEqual([failover.handbackSession.sessionId]);
		expect(live[0].subscriptions.length).toBeGreaterThan(0);
		expect(failover.chat.delivered.map((d) => d.text).at(-1)).toBe(BOT_BACK_TEXT);
	});

	it("starts the agent's session twice for the failover (the worker, then the new main): far below the 50 an hour", () => {
		expect(failover.startAgentSessionCalls).toBe(2);
		expect(failover.sessions.filter((s) => s.startedAt >= failover.killedAt)).toHaveLength(2);
		expect(cluster.sim.conversations.control.sessionStarts().byOutcome).toEqual({
			ok: totalStarts(),
		});
		expect(totalStarts()).toBe(3);
	});

	it("starts no visitor message's workflow twice (one execution per message id)", () => {
		const bridge = chatTriggerMessages(escalationRuns, 'Visitor Message');
		const greeting = chatTriggerMessages(autoReplyRuns, 'New Chat');
		expect(duplicates(bridge.map((m) => m.messageId))).toEqual([]);
		expect(greeting).toHaveLength(1);
		// Every message written while a main ran started the bridge exactly once.
		const whileRunning = failover.visitorMessages.filter((m) => m.mainRunning).map((m) => m.text);
		expect(bridge.map((m) => m.text).sort()).toEqual([...whileRunning].sort());
		// And across the whole suite (the round's chat too): no message id twice in either workflow.
		for (const [runs, node] of [
			[escalationRuns, 'Visitor Message'],
			[autoReplyRuns, 'New Chat'],
		] as const) {
			expect(
				duplicates(runs.flatMap((e) => triggerItems(e, node)).map((m) => m.messageId)),
			).toEqual([]);
		}
	});

	it('delivers no send twice (no msg id and no text twice at the visitor)', () => {
		const { delivered } = failover.chat;
		expect(duplicates(delivered.map((d) => d.msgId))).toEqual([]);
		expect(duplicates(delivered.map((d) => d.text))).toEqual([]);
		expect(delivered.map((d) => d.structured?.kind ?? d.text)).toEqual([
			'quick_replies',
			BOT_HANDOFF_TEXT,
			...failover.agentTexts.map((t) => `${failover.agentName}: ${t}`),
			BOT_BACK_TEXT,
		]);
	});

	it("loses the visitor's message written while no main ran (no subscription, no replay): the measured gap", () => {
		const gap = failover.visitorMessages.filter((m) => !m.mainRunning).map((m) => m.text);
		expect(gap).toHaveLength(1);
		const ran = new Set(chatTriggerMessages(escalationRuns, 'Visitor Message').map((m) => m.text));
		const lost = gap.filter((text) => !ran.has(text));
		expect(lost).toEqual(gap);
		// So the agent never saw it.
		const toAgent = cluster.sim.sunshine.app.store.conversations
			.get(failover.conversationId)!
			.messages.filter((m) => m.author.type === 'user')
			.map((m) => (m.content as any).text);
		expect(toAgent.filter((t) => gap.includes(t))).toEqual([]);
	});
});
