import type { Clock } from '../clock';
import type { ChatWorld } from '../world/chat-world';
import type { ChatRecord } from '../world/types';
import {
	AGENT_KEYS,
	CHAT_KEYS,
	WINDOWED_CHAT_KEYS,
	WINDOWS,
	metricIdKey,
	type MetricId,
	type MetricKey,
	type MetricValue,
	type MetricWindow,
} from './metric-keys';

/** The values of one scope (the account, or one department), by slot ("key" or "key:window"). */
type ScopeValues = Map<string, MetricValue>;
/** Every scope's values; the account's scope is `null`. */
type DerivedSnapshot = Map<number | null, ScopeValues>;

interface Rating {
	rating: 'good' | 'bad';
	/** When the visitor gave this rating (the world keeps no rating time, so we note it here). */
	at: number;
}

const MINUTE = 60_000;

function slot(key: MetricKey, window: MetricWindow | null): string {
	return window === null ? key : `${key}:${window}`;
}

/**
 * The account's real-time metrics: derived from the shared world, or set explicitly by the control
 * API (an override wins until cleared).
 *
 * seeds/chat-streaming-api.txt: time-based metrics "are delivered in the feed when a metric changes
 * in response to an event affecting the metric's value", so derived values are computed when the
 * world changes (and when a windowed count leaves its window), not on a ticking clock.
 */
export class StreamingMetrics {
	private readonly overrides = new Map<string, MetricValue>();
	private readonly ratings = new Map<string, Rating>();
	private derived: DerivedSnapshot | undefined;
	private stale = true;
	/** While set, every value that is not overridden is null ("Not Computed!", NOTES.md section 4). */
	notComputed = false;

	constructor(
		private readonly world: ChatWorld,
		private readonly clock: Clock,
	) {
		for (const chat of world.chats.values()) this.observeChat(chat);
	}

	/** Notes when a chat's rating changed (satisfaction_* count ratings given in the window). */
	observeChat(chat: ChatRecord): void {
		if (chat.rating === null) {
			this.ratings.delete(chat.id);
			return;
		}
		if (this.ratings.get(chat.id)?.rating !== chat.rating) {
			this.ratings.set(chat.id, { rating: chat.rating, at: this.clock.now() });
		}
	}

	forgetChat(chat: ChatRecord): void {
		this.ratings.delete(chat.id);
	}

	/** The world changed: derived values are recomputed on the next read or refresh. */
	markStale(): void {
		this.stale = true;
	}

	/**
	 * Recomputes the derived values now. With `windowsOnly`, only the windowed counts are taken
	 * from the new computation: a window expiring is no event for the time-based metrics.
	 */
	refresh(windowsOnly = false): void {
		const fresh = deriveMetrics(this.world, this.ratings, this.clock.now());
		if (windowsOnly && this.derived && !this.stale) {
			for (const [scope, values] of this.derived) {
				const next = fresh.get(scope);
				for (const key of WINDOWED_CHAT_KEYS) {
					for (const window of WINDOWS)
						values.set(slot(key, window), next?.get(slot(key, window)) ?? null);
				}
			}
			return;
		}
		this.derived = fresh;
		this.stale = false;
	}

	value(id: MetricId): MetricValue {
		const override = metricIdKey(id);
		if (this.overrides.has(override)) return this.overrides.get(override)!;
		if (this.notComputed) return null;
		// A department added since the last computation (addDepartment emits no event) is computed now.
		const unknownScope =
			id.departmentId !== null &&
			!this.derived?.has(id.departmentId) &&
			this.world.departments.has(id.departmentId);
		if (this.stale || !this.derived || unknownScope) this.refresh();
		// A department the account does not have: nothing applies, so null (NOTES.md section 4).
		return this.derived!.get(id.departmentId)?.get(slot(id.key, id.window)) ?? null;
	}

	setOverride(id: MetricId, value: MetricValue): void {
		this.overrides.set(metricIdKey(id), value);
	}

	/** Drops the overrides that match (all of them without a filter); returns how many. */
	clearOverrides(filter: Partial<MetricId> = {}): number {
		let cleared = 0;
		for (const key of [...this.overrides.keys()]) {
			const [k, w, d] = key.split('|');
			if (filter.key !== undefined && filter.key !== k) continue;
			if (filter.window !== undefined && String(filter.window ?? '') !== w) continue;
			if (filter.departmentId !== undefined && String(filter.departmentId ?? '') !== d) continue;
			this.overrides.delete(key);
			cleared++;
		}
		return cleared;
	}

	overridden(): Array<MetricId & { value: MetricValue }> {
		return [...this.overrides].map(([key, value]) => {
			const [k, w, d] = key.split('|');
			return {
				key: k as MetricKey,
				window: w === '' ? null : (Number(w) as MetricWindow),
				departmentId: d === '' ? null : Number(d),
				value,
			};
		});
	}

	/** The first moment after now at which a missed chat or a rating leaves a 30 or 60 minute window. */
	nextWindowExpiry(): number | undefined {
		const now = this.clock.now();
		let next: number | undefined;
		const consider = (at: number) => {
			for (const window of WINDOWS) {
				const leaves = at + window * MINUTE;
				if (leaves > now && (next === undefined || leaves < next)) next = leaves;
			}
		};
		for (const chat of this.world.chats.values())
			if (chat.missed && chat.endedAt !== null) consider(chat.endedAt);
		for (const rating of this.ratings.values()) consider(rating.at);
		return next;
	}
}

/**
 * Computes every metric of the account and of each department from the world. Definitions from
 * developer.zendesk.com .../real-time-chat-api/metrics (the source of NOTES.md section 4); how they
 * map onto the world's chat states is our reading (unverified):
 * - open: a chat (not an offline message) that has not ended and whose visitor is still there;
 * - incoming: an open chat with no agent in it ("not currently assigned to any agent");
 * - assigned: an agent joined but has not written yet ("assigned to an agent, but not yet served");
 * - active: an agent is in the chat and has written ("chats that your agents are currently serving");
 * - waiting_time_*: over incoming and assigned chats, seconds since the chat started; null without a queue;
 * - chat_duration_*: over active chats, seconds since the chat started;
 * - response_time_*: over chats with an agent in them whose visitor wrote last, seconds since the
 *   visitor's first unanswered message;
 * - missed_chats: chats that ended with no agent ever joining, ended within the window;
 * - satisfaction_good/bad: ratings given within the window;
 * - agents_*: enabled agents with that status (department: its members).
 */
function deriveMetrics(
	world: ChatWorld,
	ratings: Map<string, Rating>,
	now: number,
): DerivedSnapshot {
	const scopes: DerivedSnapshot = new Map();
	const samples = new Map<
		number | null,
		{ waiting: number[]; duration: number[]; response: number[] }
	>();
	for (const scope of [null, ...world.departments.keys()]) {
		const values: ScopeValues = new Map();
		for (const key of CHAT_KEYS) values.set(key, key.endsWith('_chats') ? 0 : null);
		for (const key of WINDOWED_CHAT_KEYS)
			for (const window of WINDOWS) values.set(slot(key, window), 0);
		for (const key of AGENT_KEYS) values.set(key, 0);
		scopes.set(scope, values);
		samples.set(scope, { waiting: [], duration: [], response: [] });
	}
	const scopesOf = (departmentId: number | null): Array<number | null> =>
		departmentId !== null && scopes.has(departmentId) ? [null, departmentId] : [null];
	const add = (scope: number | null, slotName: string, n = 1) => {
		const values = scopes.get(scope)!;
		values.set(slotName, (values.get(slotName) ?? 0) + n);
	};

	for (const chat of world.chats.values()) {
		if (chat.type !== 'chat') continue;
		const chatScopes = scopesOf(chat.departmentId);
		// A chat whose visitor left is over for these metrics, even while its agents are still leaving.
		if (chat.endedAt === null && chat.visitorPresent) {
			const seconds = Math.floor((now - chat.startedAt) / 1000);
			const hasAgent = chat.activeAgentIds.length > 0;
			const served =
				hasAgent && chat.history.some((h) => h.type === 'chat.msg' && h.senderType === 'Agent');
			const state = !hasAgent ? 'incoming_chats' : served ? 'active_chats' : 'assigned_chats';
			const waitingSince = hasAgent ? unansweredSince(chat) : undefined;
			for (const scope of chatScopes) {
				add(scope, state);
				const s = samples.get(scope)!;
				if (served) s.duration.push(seconds);
				else s.waiting.push(seconds);
				if (waitingSince !== undefined) s.response.push(Math.floor((now - waitingSince) / 1000));
			}
		} else if (chat.missed && chat.endedAt !== null) {
			for (const window of WINDOWS) {
				if (chat.endedAt > now - window * MINUTE)
					for (const scope of chatScopes) add(scope, slot('missed_chats', window));
			}
		}
	}

	for (const [chatId, rating] of ratings) {
		const chat = world.chats.get(chatId);
		if (!chat) continue;
		const key = rating.rating === 'good' ? 'satisfaction_good' : 'satisfaction_bad';
		for (const window of WINDOWS) {
			if (rating.at > now - window * MINUTE)
				for (const scope of scopesOf(chat.departmentId)) add(scope, slot(key, window));
		}
	}

	for (const [scope, s] of samples) {
		const values = scopes.get(scope)!;
		values.set('waiting_time_avg', average(s.waiting));
		values.set('waiting_time_max', maximum(s.waiting));
		values.set('chat_duration_avg', average(s.duration));
		values.set('chat_duration_max', maximum(s.duration));
		values.set('response_time_avg', average(s.response));
		values.set('response_time_max', maximum(s.response));
	}

	const statusKeys = {
		ONLINE: 'agents_online',
		AWAY: 'agents_away',
		INVISIBLE: 'agents_invisible',
	} as const;
	for (const agent of world.agents.values()) {
		if (!agent.enabled || agent.status === 'OFFLINE') continue;
		const key = statusKeys[agent.status];
		add(null, key);
		for (const department of world.departments.values()) {
			if (department.members.includes(agent.id)) add(department.id, key);
		}
	}
	return scopes;
}

/** When the visitor's first message after the last agent message was written, if it is unanswered. */
function unansweredSince(chat: ChatRecord): number | undefined {
	let since: number | undefined;
	for (const entry of chat.history) {
		if (entry.type !== 'chat.msg') continue;
		if (entry.senderType === 'Agent') since = undefined;
		else if (entry.senderType === 'Visitor' && since === undefined) since = entry.timestamp;
	}
	return since;
}

function average(values: number[]): MetricValue {
	return values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

function maximum(values: number[]): MetricValue {
	return values.length === 0 ? null : Math.max(...values);
}
