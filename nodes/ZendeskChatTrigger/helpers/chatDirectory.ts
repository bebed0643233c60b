import type { INode } from 'n8n-workflow';

import {
	checkChatId,
	IDS_PER_REQUEST,
	RestBudgetSpentError,
	type Chat,
	type ChatRestClient,
} from '../../../src/rest';
import { AbortedError } from '../../../src/shared';
import { toNodeError } from '../../shared/errors';

/** What the trigger needs to know about a chat beyond its Conversations API message. */
export interface ChatFacts {
	/** false when the REST API does not know the chat (yet). */
	found: boolean;
	departmentId: number | null;
	departmentName: string | null;
	/** The chat's messages in order, as the REST API's history lists them. */
	messages: HistoryMessage[];
}

export interface HistoryMessage {
	/** "Visitor" or "Agent"; null when the entry does not say. */
	senderType: string | null;
	msgId: string | null;
	text: string | null;
}

/** Why an optional lookup gave no facts. */
export type LookupSkip = 'budgetSpent' | 'lookupFailed';

/** The answer to an optional lookup: the facts, or why there are none (it never throws). */
export type LookupOutcome = { facts: ChatFacts } | { skipped: LookupSkip; error: unknown };

/** A chat's department changes only on a transfer: a minute-old answer is good enough for a filter. */
export const CHAT_FACTS_TTL_MS = 60_000;
/** Chats remembered at once; the oldest are forgotten first. */
export const CHAT_FACTS_MAX = 1_000;

/**
 * How lookups are gathered into `GET /chats?ids=` requests (seeds/chat-rest-api-chats.txt, List
 * Chats: "a comma-separated list of up to 50 chat ids"; NOTES.md section 3: `{docs:{<id>:chat}}`).
 */
export interface BatchPolicy {
	/** A batch goes once no new chat has asked for this long (chats arriving together share a request)… */
	quietMs: number;
	/** …and at the latest this long after its first chat asked, however busy the stream is. */
	maxWindowMs: number;
	/** Requests in flight at once; lookups gather while all are busy (one slow answer does not stop the others). */
	maxInFlight: number;
	/**
	 * The share of the budget's rate the lookups may spend: requests (other than full batches of 50)
	 * are spaced by the budget's window over `limit × pacedShare`, 375 ms for 0.8 of 200 a minute.
	 * A busy stream thus gathers several chats per request instead of spending the budget one chat
	 * at a time: the trigger alone cannot run the budget dry, and the Zendesk Chat node keeps some
	 * of it. A quiet stream is not slowed (its requests are further apart than that anyway). The
	 * spacing stays under DEPARTMENT_WAIT_MS (messageEvents.ts), so a chat that just missed a
	 * request is in the next one in time.
	 */
	pacedShare: number;
}

export const DEFAULT_BATCH_POLICY: BatchPolicy = {
	quietMs: 10,
	maxWindowMs: 50,
	maxInFlight: 4,
	pacedShare: 0.8,
};

interface Lookup {
	readonly chatId: string;
	/** When it was asked for: the request goes after this, so its history holds what had arrived then. */
	readonly askedAt: number;
	/** Someone waits for the answer whatever it costs (a filter), so the request may wait for the budget. */
	essential: boolean;
	/** Whether its request waited for the budget (set when sent). */
	sentEssential?: boolean;
	readonly outcome: Promise<LookupOutcome>;
	settle(outcome: LookupOutcome): void;
}

/**
 * Chat facts from the Chat REST API, keyed by the channel's raw_id. Chats asked for at about the
 * same time are fetched together, up to 50 in one `GET /chats?ids=` request, and each chat's facts
 * are kept a minute, so the trigger spends the credential's 200 requests a minute on batches rather
 * than on single chats. Two kinds of callers:
 * - `facts()` (a filter that cannot decide without them) waits for the budget and throws on failure;
 * - `tryFacts()` (Include Department) never makes a request wait for the budget: when the budget
 *   has no room it answers at once that the lookup was skipped.
 */
export class ChatDirectory {
	private readonly cache = new Map<string, { fetchedAt: number; facts: ChatFacts }>();
	/** Lookups queued or in flight, by chat: later askers share them. */
	private readonly open = new Map<string, Lookup>();
	private queued: Lookup[] = [];
	private timer: NodeJS.Timeout | undefined;
	private timerAt = 0;
	private inFlight = 0;
	private lastSentAt = Number.NEGATIVE_INFINITY;
	private closed = false;

	constructor(
		private readonly node: INode,
		private readonly rest: ChatRestClient,
		private readonly now: () => number = Date.now,
		private readonly policy: BatchPolicy = DEFAULT_BATCH_POLICY,
	) {}

	/**
	 * The chat's facts, waiting as long as it takes (a filter needs them).
	 * @param notBefore a fetch asked for before this time is not used (the history must hold a message that arrived then).
	 * @throws NodeApiError for the REST client's error. When the trigger closes, `close()` and the REST
	 * client's own close end every wait (no listener per lookup on the trigger's signal).
	 */
	async facts(chatId: string, options: { notBefore?: number } = {}): Promise<ChatFacts> {
		const notBefore = options.notBefore ?? 0;
		// Twice at most: an optional lookup already sent may come back skipped; then ask for it as essential.
		for (let attempt = 0; ; attempt++) {
			const cached = this.cached(chatId, notBefore);
			if (cached) return cached;
			let lookup = this.open.get(chatId);
			if (!lookup || lookup.askedAt < notBefore || (lookup.sentEssential === false && attempt > 0))
				lookup = this.ask(chatId, true);
			// Still queued: its request will wait for the budget now. Already sent: its answer is awaited.
			else lookup.essential = true;
			const outcome = await lookup.outcome;
			if ('facts' in outcome) return outcome.facts;
			if (lookup.sentEssential === false && outcome.skipped === 'budgetSpent' && attempt === 0)
				continue;
			throw toNodeError(this.node, outcome.error);
		}
	}

	/**
	 * The chat's facts if they can be had without waiting for the budget. Answers at once when the
	 * budget has no room (or the batch finds none, or Zendesk answers 429); never throws.
	 */
	tryFacts(chatId: string): Promise<LookupOutcome> {
		const cached = this.cached(chatId, 0);
		if (cached) return Promise.resolve({ facts: cached });
		const open = this.open.get(chatId);
		if (open) return open.outcome;
		if (this.closed)
			return Promise.resolve({ skipped: 'lookupFailed', error: new AbortedError('rest') });
		if (this.rest.budget().remaining === 0)
			return Promise.resolve({ skipped: 'budgetSpent', error: undefined });
		return this.ask(chatId, false).outcome;
	}

	/** Drops what is queued (its askers learn the lookup failed) and stops the batch timer. Calls in flight end with the REST client. */
	close(): void {
		this.closed = true;
		this.clearTimer();
		const queued = this.queued;
		this.queued = [];
		for (const lookup of queued)
			this.finish(lookup, { skipped: 'lookupFailed', error: new AbortedError('rest') });
	}

	private cached(chatId: string, notBefore: number): ChatFacts | undefined {
		const entry = this.cache.get(chatId);
		if (!entry) return undefined;
		if (this.now() - entry.fetchedAt >= CHAT_FACTS_TTL_MS) {
			this.cache.delete(chatId);
			return undefined;
		}
		return entry.fetchedAt >= notBefore ? entry.facts : undefined;
	}

	private ask(chatId: string, essential: boolean): Lookup {
		let settle!: (outcome: LookupOutcome) => void;
		const outcome = new Promise<LookupOutcome>((resolve) => (settle = resolve));
		const lookup: Lookup = { chatId, askedAt: this.now(), essential, outcome, settle };
		this.open.set(chatId, lookup);
		if (this.closed) {
			this.finish(lookup, { skipped: 'lookupFailed', error: new AbortedError('rest') });
			return lookup;
		}
		try {
			// Checked alone: one id the API cannot take would fail the whole batch.
			checkChatId(chatId);
		} catch (error) {
			this.finish(lookup, { skipped: 'lookupFailed', error });
			return lookup;
		}
		this.queued.push(lookup);
		this.schedule();
		return lookup;
	}

	/** Sets the batch timer for when the queued lookups should go (see BatchPolicy). */
	private schedule(): void {
		if (this.closed || this.queued.length === 0 || this.inFlight >= this.policy.maxInFlight) return;
		const { quietMs, maxWindowMs, pacedShare } = this.policy;
		const now = this.now();
		let at = Math.min(
			this.queued[this.queued.length - 1].askedAt + quietMs,
			this.queued[0].askedAt + maxWindowMs,
		);
		if (this.queued.length >= IDS_PER_REQUEST) at = now;
		else {
			const budget = this.rest.budget();
			if (budget.windowMs > 0)
				at = Math.max(at, this.lastSentAt + budget.windowMs / (budget.limit * pacedShare));
		}
		if (at <= now) {
			this.flush();
			return;
		}
		if (this.timer && this.timerAt === at) return;
		this.clearTimer();
		this.timerAt = at;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.flush();
		}, at - now);
	}

	private flush(): void {
		this.clearTimer();
		if (this.closed || this.queued.length === 0 || this.inFlight >= this.policy.maxInFlight) return;
		let batch = this.queued.splice(0, IDS_PER_REQUEST);
		if (this.rest.budget().remaining === 0) {
			// No room now: optional lookups go without, and only what a filter needs waits for a turn.
			for (const lookup of batch)
				if (!lookup.essential) this.finish(lookup, { skipped: 'budgetSpent', error: undefined });
			batch = batch.filter((lookup) => lookup.essential);
		}
		if (batch.length > 0) this.send(batch);
		this.schedule();
	}

	private send(batch: Lookup[]): void {
		const essential = batch.some((lookup) => lookup.essential);
		for (const lookup of batch) lookup.sentEssential = essential;
		this.inFlight += 1;
		this.lastSentAt = this.now();
		this.rest
			.getChats(
				batch.map((lookup) => lookup.chatId),
				{ waitForBudget: essential },
			)
			.then(
				({ chats }) => {
					const byId = new Map(chats.map((chat) => [chat.id, chat]));
					for (const lookup of batch) {
						const facts = factsOf(byId.get(lookup.chatId));
						this.remember(lookup, facts);
						this.finish(lookup, { facts });
					}
				},
				(error: unknown) => {
					const skipped: LookupSkip =
						error instanceof RestBudgetSpentError ? 'budgetSpent' : 'lookupFailed';
					for (const lookup of batch) this.finish(lookup, { skipped, error });
				},
			)
			.finally(() => {
				this.inFlight -= 1;
				this.schedule();
			});
	}

	private remember(lookup: Lookup, facts: ChatFacts): void {
		const known = this.cache.get(lookup.chatId);
		if (known && known.fetchedAt > lookup.askedAt) return;
		this.cache.delete(lookup.chatId);
		this.cache.set(lookup.chatId, { fetchedAt: lookup.askedAt, facts });
		if (this.cache.size > CHAT_FACTS_MAX)
			this.cache.delete(this.cache.keys().next().value as string);
	}

	private finish(lookup: Lookup, outcome: LookupOutcome): void {
		if (this.open.get(lookup.chatId) === lookup) this.open.delete(lookup.chatId);
		lookup.settle(outcome);
	}

	private clearTimer(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}
}

/** A chat the `ids` answer leaves out is one the REST API does not know (yet). */
function factsOf(chat: Chat | undefined): ChatFacts {
	if (!chat) return { found: false, departmentId: null, departmentName: null, messages: [] };
	const record = chat as Record<string, unknown>;
	return {
		found: true,
		departmentId: typeof record.department_id === 'number' ? record.department_id : null,
		departmentName: typeof record.department_name === 'string' ? record.department_name : null,
		messages: historyMessages(record.history),
	};
}

/**
 * The chat.msg entries of a REST history. Who wrote each is `sender_type` when present, else the
 * `nick` prefix ("visitor:1-12345" in the documented example, "agent:…" for agents).
 */
function historyMessages(history: unknown): HistoryMessage[] {
	if (!Array.isArray(history)) return [];
	const messages: HistoryMessage[] = [];
	for (const entry of history as Array<Record<string, unknown>>) {
		if (entry === null || typeof entry !== 'object' || entry.type !== 'chat.msg') continue;
		messages.push({
			senderType: senderTypeOf(entry),
			msgId: textOrNull(entry.msg_id),
			text: textOrNull(entry.msg),
		});
	}
	return messages;
}

function senderTypeOf(entry: Record<string, unknown>): string | null {
	if (entry.sender_type === 'Visitor' || entry.sender_type === 'Agent') return entry.sender_type;
	const nick = typeof entry.nick === 'string' ? entry.nick : '';
	if (nick.startsWith('visitor:')) return 'Visitor';
	if (nick.startsWith('agent:')) return 'Agent';
	return null;
}

function textOrNull(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}
