/**
 * Issue 9, "No head-of-line blocking under load": department lookups (Chat REST API, 200 requests a
 * minute per account, NOTES.md section 3) never hold back other chats' messages, are batched with
 * `GET /chats?ids=` (up to 50 ids, seeds/chat-rest-api-chats.txt "List Chats"), and give way when
 * the budget is short. Every test runs the trigger through n8n-core's engine against its own
 * simulator, so the account's budget and the credential's limiter start fresh each time.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEPARTMENT_WAIT_MS } from '../../../nodes/ZendeskChatTrigger/helpers/messageEvents';
import { SIM_DEPARTMENTS, SIM_TOKENS, type Simulator } from '../../../simulator';
import type { ChatRecord } from '../../../simulator/world/types';
import { closeSharedSessionPool, sharedSessionPool } from '../../../src/conversations';
import { ChatRestClient } from '../../../src/rest';
import { staticToken } from '../../../src/shared';
import type { ActiveTrigger } from '../../helpers/n8n/harness';
import { ChatTriggerFixture, downstreamLog, gates, sleep, waitFor } from './fixture';

/** Issue 9's bound: no message held back more than a second by enrichment. */
const HOLD_BACK_BOUND_MS = 1_000;

/** Chat Message with Include Department added (on by default only in version 1). */
const WITH_DEPARTMENT = { event: 'chatMessage', options: { includeDepartment: true } };
let fx: ChatTriggerFixture;

beforeEach(async () => {
	fx = await ChatTriggerFixture.start();
});

afterEach(async () => {
	await fx.closeAll();
	gates.clear();
	downstreamLog.length = 0;
	// This simulator goes away: its warm session must not try to reconnect to it.
	await sharedSessionPool().sessionFor(fx.key())?.close();
	await fx.sim.close();
});

afterAll(async () => {
	await closeSharedSessionPool();
});

interface Emitted {
	item: IDataObject;
	/** Date.now() when the trigger called emit. */
	emittedAt: number;
	/** How long the trigger held the message: from its receipt (the item's receivedAt) to its emit. */
	heldMs: number;
}

/** Notes when each emit happens (the harness keeps the emits in an array; its push is the emit). */
function recordEmits(trigger: ActiveTrigger): Emitted[] {
	const emitted: Emitted[] = [];
	const push = trigger.emits.push.bind(trigger.emits);
	trigger.emits.push = (...entries) => {
		const emittedAt = Date.now();
		for (const entry of entries) {
			const item = entry.items[0][0].json;
			emitted.push({ item, emittedAt, heldMs: emittedAt - Date.parse(item.receivedAt as string) });
		}
		return push(...entries);
	};
	return emitted;
}

/** Spends the account's budget from outside this process (another n8n, a script), leaving `left` requests. */
async function spendBudgetElsewhere(sim: Simulator, left: number): Promise<void> {
	const toSpend = sim.rest.control.budgetUsed().remaining - left;
	for (let done = 0; done < toSpend; done += 50) {
		const batch = Array.from({ length: Math.min(50, toSpend - done) }, () =>
			fetch(`${sim.urls.rest}/departments`, {
				headers: { authorization: `Bearer ${SIM_TOKENS.bot}` },
			}).then((res) => res.arrayBuffer()),
		);
		await Promise.all(batch);
	}
	expect(sim.rest.control.budgetUsed().remaining).toBe(left);
	sim.rest.control.clearRequestLog();
}

/** The chat ids of each `GET /chats?ids=` request the simulator answered. */
function idsRequests(sim: Simulator): Array<{ ids: string[]; status: number }> {
	return sim.rest.control.requestLog().map((r) => {
		const url = new URL(r.path, 'http://sim');
		expect(url.pathname).toBe('/api/v2/chat/chats');
		return { ids: (url.searchParams.get('ids') ?? '').split(','), status: r.status };
	});
}

const DEPARTMENTS = [SIM_DEPARTMENTS.sales, SIM_DEPARTMENTS.support, null] as const;
const DEPARTMENT_NAMES: Record<number, string> = {
	[SIM_DEPARTMENTS.sales]: 'Sales',
	[SIM_DEPARTMENTS.support]: 'Support',
};

/** What an item says about its chat's department must be true of the chat, or say why it is missing. */
function expectHonestDepartment(item: IDataObject, chat: ChatRecord): void {
	switch (item.departmentStatus) {
		case 'found':
			expect(item.department).toEqual({
				id: chat.departmentId,
				name: DEPARTMENT_NAMES[chat.departmentId as number],
			});
			break;
		case 'none':
			expect(chat.departmentId).toBeNull();
			expect(item.department).toBeNull();
			break;
		case 'budgetSpent':
		case 'timedOut':
			expect(item.department).toBeNull();
			break;
		default:
			throw new Error(
				`unexpected departmentStatus ${String(item.departmentStatus)} for chat ${chat.id}`,
			);
	}
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(label: string, emitted: Emitted[]): void {
	if (!process.env.ENRICHMENT_FIGURES) return;
	const held = emitted.map((e) => e.heldMs);
	const statuses: Record<string, number> = {};
	for (const e of emitted)
		statuses[String(e.item.departmentStatus)] =
			(statuses[String(e.item.departmentStatus)] ?? 0) + 1;
	console.log(
		`${label}: ${emitted.length} messages held p50 ${percentile(held, 50)} ms, p90 ${percentile(held, 90)} ms, max ${Math.max(...held)} ms; ${JSON.stringify(statuses)}`,
	);
}

/** Starts `perSecond` new chats a second for `seconds`, one visitor message each, departments in turn. */
async function newChatEverySoOften(
	perSecond: number,
	seconds: number,
): Promise<Map<string, ChatRecord>> {
	const chats = new Map<string, ChatRecord>();
	const started = Date.now();
	for (let n = 0; n < perSecond * seconds; n++) {
		// Paced against the wall clock, so a slow tick does not stretch the run.
		const due = started + (n * 1000) / perSecond;
		if (due > Date.now()) await sleep(due - Date.now());
		const text = `chat ${n}`;
		chats.set(
			text,
			fx.sim.world.startChat({ departmentId: DEPARTMENTS[n % DEPARTMENTS.length], message: text }),
		);
	}
	return chats;
}

describe('under load, with Include Department on', () => {
	it('20 new chats a second with the budget spent elsewhere: every message once, none held back a second, and the items say why the department is missing', async () => {
		const trigger = await fx.activate(WITH_DEPARTMENT);
		const emitted = recordEmits(trigger);
		// Someone else (another n8n, a script) has left this account 3 requests of its 200 a minute.
		await spendBudgetElsewhere(fx.sim, 3);

		const chats = await newChatEverySoOften(20, 4);
		await trigger.waitForEmits(chats.size, 10_000);
		await sleep(200);
		report('budget spent elsewhere', emitted);

		expect(emitted.map((e) => e.item.text).sort()).toEqual([...chats.keys()].sort());
		expect(new Set(emitted.map((e) => e.item.messageId)).size).toBe(chats.size);
		for (const { item, heldMs } of emitted) {
			expect(heldMs).toBeLessThan(HOLD_BACK_BOUND_MS);
			expectHonestDepartment(item, chats.get(item.text as string)!);
		}
		const statuses = emitted.map((e) => e.item.departmentStatus);
		// Some chats were looked up while the budget lasted; the rest say the budget was spent.
		expect(statuses.filter((s) => s === 'found' || s === 'none').length).toBeGreaterThan(0);
		expect(statuses.filter((s) => s === 'budgetSpent').length).toBeGreaterThan(0);
		// Once Zendesk said 429, the trigger stopped asking: the 3 requests left, and that one 429.
		const requests = idsRequests(fx.sim);
		expect(requests.filter((r) => r.status === 200).length).toBeLessThanOrEqual(3);
		expect(requests.filter((r) => r.status === 429)).toHaveLength(1);
		expect(trigger.failedExecutions).toEqual([]);
		expect(trigger.errors).toEqual([]);
	});

	it('20 new chats a second with the budget short in this process: requests 375 ms apart carry several chats each, and the budget is not run dry', async () => {
		// The Zendesk Chat node (same credential, same process) has spent all but 30 of the 200.
		const action = new ChatRestClient({
			baseUrl: fx.sim.urls.rest,
			token: staticToken(SIM_TOKENS.bot),
			credentialKey: fx.credentialKey(),
		});
		try {
			await Promise.all(Array.from({ length: 170 }, () => action.listDepartments()));
		} finally {
			await action.close();
		}
		const trigger = await fx.activate(WITH_DEPARTMENT);
		const emitted = recordEmits(trigger);
		fx.sim.rest.control.clearRequestLog();

		const started = Date.now();
		const chats = await newChatEverySoOften(20, 3);
		await trigger.waitForEmits(chats.size, 10_000);
		const elapsed = Date.now() - started;
		await sleep(200);
		report('budget short in this process', emitted);

		expect(emitted.map((e) => e.item.text).sort()).toEqual([...chats.keys()].sort());
		for (const { item, heldMs } of emitted) {
			expect(heldMs).toBeLessThan(HOLD_BACK_BOUND_MS);
			expectHonestDepartment(item, chats.get(item.text as string)!);
		}
		// One request per 375 ms (0.8 of 200 a minute) at most…
		const requests = idsRequests(fx.sim);
		expect(requests.length).toBeLessThanOrEqual(Math.floor(elapsed / 375) + 2);
		expect(requests.every((r) => r.status === 200)).toBe(true);
		// …so the budget was never spent, and the requests carried the chats between them.
		expect(emitted.some((e) => e.item.departmentStatus === 'budgetSpent')).toBe(false);
		const looked = new Set(requests.flatMap((r) => r.ids));
		const enriched = emitted.filter(
			(e) => e.item.departmentStatus === 'found' || e.item.departmentStatus === 'none',
		);
		for (const { item } of enriched) expect(looked.has(item.chatId as string)).toBe(true);
		expect(looked.size).toBeGreaterThan(requests.length);
	});
});

describe('order within a chat, and no waiting across chats', () => {
	it('Department filter: a chat whose lookup is slow keeps its own order and holds back no other chat', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { departmentId: String(SIM_DEPARTMENTS.sales) },
		});
		const a = fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'a1' });
		await trigger.waitForEmits(1);
		// From now on every REST answer takes 1.5 s: chat B's lookup is slow; chat A's is known already.
		fx.sim.faults.setDelay({ api: 'rest', ms: 1_500 });
		const b = fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'b1' });
		fx.sim.world.visitorSays(b.id, 'b2');
		fx.sim.world.visitorSays(a.id, 'a2');
		fx.sim.world.visitorSays(b.id, 'b3');
		fx.sim.world.visitorSays(a.id, 'a3');
		await trigger.waitForEmits(6, 10_000);
		const texts = ChatTriggerFixture.firstItems(trigger).map((i) => i.text);
		// A's messages went while B's lookup was still out; each chat's messages in the order written.
		expect(texts).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
		expect(trigger.failedExecutions).toEqual([]);
	});

	it('Include Department: a message does not wait for a slow lookup longer than the bound, and its chat keeps its order', async () => {
		const trigger = await fx.activate(WITH_DEPARTMENT);
		const emitted = recordEmits(trigger);
		const a = fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'a1' });
		await trigger.waitForEmits(1);
		fx.sim.faults.setDelay({ api: 'rest', ms: 3_000 });
		const b = fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.support, message: 'b1' });
		fx.sim.world.visitorSays(b.id, 'b2');
		fx.sim.world.visitorSays(a.id, 'a2');
		fx.sim.world.visitorSays(b.id, 'b3');
		await trigger.waitForEmits(5, 5_000);
		const byChat = (chat: ChatRecord) => emitted.filter((e) => e.item.chatId === chat.id);
		expect(byChat(a).map((e) => [e.item.text, e.item.departmentStatus, e.item.department])).toEqual(
			[
				['a1', 'found', { id: SIM_DEPARTMENTS.sales, name: 'Sales' }],
				['a2', 'found', { id: SIM_DEPARTMENTS.sales, name: 'Sales' }],
			],
		);
		expect(byChat(b).map((e) => [e.item.text, e.item.departmentStatus, e.item.department])).toEqual(
			[
				['b1', 'timedOut', null],
				['b2', 'timedOut', null],
				['b3', 'timedOut', null],
			],
		);
		// a2 did not wait for B's lookup; B's messages waited no longer than the bound.
		const a2 = byChat(a)[1];
		expect(a2.emittedAt).toBeLessThan(byChat(b)[0].emittedAt);
		for (const e of byChat(b)) {
			expect(e.heldMs).toBeGreaterThanOrEqual(DEPARTMENT_WAIT_MS - 5);
			expect(e.heldMs).toBeLessThan(HOLD_BACK_BOUND_MS);
		}
	});

	it("Wait for Each Execution: a chat's executions wait for each other, other chats' do not", async () => {
		let release!: () => void;
		gates.set('a1', new Promise<void>((resolve) => (release = resolve)));
		const trigger = await fx.activate({
			event: 'chatMessage',
			options: { waitForExecution: true },
		});
		const a = fx.sim.world.startChat({ message: 'a1' });
		fx.sim.world.visitorSays(a.id, 'a2');
		const b = fx.sim.world.startChat({ message: 'b1' });
		fx.sim.world.visitorSays(b.id, 'b2');
		const of = (prefix: string) =>
			downstreamLog
				.filter((l) => String(l.text).startsWith(prefix))
				.map((l) => `${l.phase} ${String(l.text)}`);
		await waitFor(
			() => of('b').length === 4 && of('a').length === 1,
			"chat B's two executions and chat A's first",
		);
		await sleep(100);
		// B ran both of its executions, one after the other, while A's first is still running and its second waits.
		expect(of('b')).toEqual(['start b1', 'end b1', 'start b2', 'end b2']);
		expect(of('a')).toEqual(['start a1']);
		expect(trigger.emits).toHaveLength(3);
		release();
		await trigger.waitForEmits(4);
		await Promise.all(trigger.emits.map((e) => e.run));
		expect(of('a')).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
	});
});

describe('batching', () => {
	it.each([
		[50, 1],
		[120, 3],
	])(
		'%i new chats arriving together cost %i GET /chats?ids= request(s)',
		async (count, expectedRequests) => {
			const trigger = await fx.activate(WITH_DEPARTMENT);
			const emitted = recordEmits(trigger);
			fx.sim.rest.control.clearRequestLog();
			const chats = new Map<string, ChatRecord>();
			for (let n = 0; n < count; n++) {
				const text = `together ${n}`;
				chats.set(
					text,
					fx.sim.world.startChat({
						departmentId: DEPARTMENTS[n % DEPARTMENTS.length],
						message: text,
					}),
				);
			}
			await trigger.waitForEmits(count, 10_000);
			const requests = idsRequests(fx.sim);
			expect(requests).toHaveLength(expectedRequests);
			expect(requests.every((r) => r.ids.length <= 50 && r.status === 200)).toBe(true);
			expect(new Set(requests.flatMap((r) => r.ids))).toEqual(
				new Set([...chats.values()].map((c) => c.id)),
			);
			for (const { item } of emitted) {
				expect(['found', 'none']).toContain(item.departmentStatus);
				expectHonestDepartment(item, chats.get(item.text as string)!);
			}
		},
	);

	it('Department filter: chats arriving together are looked up together, and a message of a known chat costs nothing', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { departmentId: String(SIM_DEPARTMENTS.sales) },
		});
		fx.sim.rest.control.clearRequestLog();
		const chats = Array.from({ length: 60 }, (_, n) =>
			fx.sim.world.startChat({ departmentId: DEPARTMENTS[n % 3], message: `filtered ${n}` }),
		);
		await trigger.waitForEmits(20, 10_000);
		expect(idsRequests(fx.sim)).toHaveLength(2);
		fx.sim.world.visitorSays(chats[0].id, 'again');
		await trigger.waitForEmits(21);
		expect(idsRequests(fx.sim)).toHaveLength(2);
		expect(
			ChatTriggerFixture.firstItems(trigger).every((i) => i.departmentStatus === 'found'),
		).toBe(true);
	});
});
