import { WorldError, type ChatWorld } from '../world/chat-world';
import type { ChatRecord } from '../world/types';

export interface SeedChatsArgs {
	/** How many chats to create (1 to 50,000). */
	count: number;
	/** First chat's start: ISO 8601 or epoch ms. Default: 30 days before `to`. */
	from?: string | number;
	/** Last chat's start bound (exclusive): ISO 8601 or epoch ms. Default: 10 minutes ago. */
	to?: string | number;
	/** Every n-th item is an offline message instead of a chat (0, the default: none). */
	offlineEvery?: number;
}

export interface SeedChatsResult {
	created: number;
	from: string;
	to: string;
	/** Ids in the order created (which is also the order of their timestamps). */
	ids: string[];
}

/** Words the seeded visitors ask about, so free-text search has something to find. */
export const SEED_WORDS = [
	'chocolate',
	'invoice',
	'refund',
	'password',
	'delivery',
	'upgrade',
	'cancel',
	'shipping',
	'discount',
	'login',
	'warranty',
];
export const SEED_FIRST_NAMES = ['Harry', 'Hermione', 'Ron', 'Luna', 'Neville', 'Ginny', 'Draco'];
export const SEED_LAST_NAMES = ['Potter', 'Granger', 'Weasley', 'Lovegood', 'Longbottom'];

/**
 * Creates many finished chats quickly for pagination and search tests, through the world's own
 * methods (startChat, agentSays, visitorSays, addTags, endChat, rate), so histories, visitors and
 * events are what a real chat produces. Item i is deterministic:
 * - visitor `${SEED_FIRST_NAMES[i % 7]} ${SEED_LAST_NAMES[i % 5]}`, email first.last@example.com;
 * - every 7th (i % 7 === 6) is missed (no agent); otherwise agent number i % agents of the world;
 * - rating good (i % 3 === 0), bad (i % 3 === 1) or none; tagged with its first word when i % 4 === 0;
 * - asks about SEED_WORDS[i % 11], then SEED_WORDS[(3i + 1) % 11];
 * - department cycles through none and each department.
 * The world stamps everything "now", so each item is then moved back to its own start time,
 * spread evenly over [from, to), its entries 15-30 s apart (a direct edit of the records: the world
 * has no back-dating method).
 */
export function seedChats(world: ChatWorld, args: SeedChatsArgs): SeedChatsResult {
	const count = args?.count;
	if (!Number.isInteger(count) || count < 1 || count > 50_000)
		throw new WorldError('invalid', 'count must be an integer from 1 to 50000');
	const to = args.to === undefined ? world.clock.now() - 10 * 60_000 : toMs(args.to, 'to');
	const from = args.from === undefined ? to - 30 * 86_400_000 : toMs(args.from, 'from');
	if (from >= to) throw new WorldError('invalid', 'from must be before to');
	const offlineEvery = args.offlineEvery ?? 0;
	if (!Number.isInteger(offlineEvery) || offlineEvery < 0)
		throw new WorldError('invalid', 'offlineEvery must be a non-negative integer');

	const agents = [...world.agents.values()].filter((a) => a.enabled).sort((a, b) => a.id - b.id);
	const departments: Array<number | null> = [
		null,
		...[...world.departments.keys()].sort((a, b) => a - b),
	];
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const start = from + Math.floor((i * (to - from)) / count);
		const first = SEED_FIRST_NAMES[i % SEED_FIRST_NAMES.length];
		const last = SEED_LAST_NAMES[i % SEED_LAST_NAMES.length];
		const visitor = {
			name: `${first} ${last}`,
			email: `${first}.${last}@example.com`.toLowerCase(),
		};
		const departmentId = departments[i % departments.length];
		const word = SEED_WORDS[i % SEED_WORDS.length];
		const second = SEED_WORDS[(3 * i + 1) % SEED_WORDS.length];
		const chat =
			offlineEvery > 0 && i % offlineEvery === offlineEvery - 1
				? world.addOfflineMessage({
						visitor,
						departmentId,
						message: `Please call me back about my ${word}.`,
					})
				: finishedChat(world, i, {
						visitor,
						departmentId,
						word,
						second,
						agentId: i % 7 === 6 || agents.length === 0 ? null : agents[i % agents.length].id,
					});
		backdate(chat, start, 15_000 + (i % 4) * 5_000);
		ids.push(chat.id);
	}
	return {
		created: ids.length,
		from: new Date(from).toISOString(),
		to: new Date(to).toISOString(),
		ids,
	};
}

function finishedChat(
	world: ChatWorld,
	i: number,
	o: {
		visitor: { name: string; email: string };
		departmentId: number | null;
		word: string;
		second: string;
		agentId: number | null;
	},
): ChatRecord {
	const chat = world.startChat({
		visitor: o.visitor,
		departmentId: o.departmentId,
		message: `Hello, I have a question about ${o.word}.`,
	});
	if (o.agentId !== null) {
		world.agentSays(chat.id, o.agentId, { text: `Happy to help with your ${o.word}.` });
		world.visitorSays(chat.id, `Thanks, and what about ${o.second}?`);
		world.agentSays(chat.id, o.agentId, { text: `Sure, ${o.second} is covered too.` });
		if (i % 4 === 0) world.addTags(chat.id, [o.word], { agentId: o.agentId });
	}
	world.endChat(chat.id);
	if (o.agentId !== null && i % 3 !== 2) world.rate(chat.id, i % 3 === 0 ? 'good' : 'bad');
	return chat;
}

/** Moves a just-created item back to `start`, its history entries `stepMs` apart. */
function backdate(chat: ChatRecord, start: number, stepMs: number): void {
	const moved = new Map<string, number>();
	chat.history.forEach((entry, k) => {
		entry.timestamp = start + k * stepMs;
		moved.set(entry.id, entry.timestamp);
	});
	for (const d of chat.delivered) d.timestamp = moved.get(d.entryId) ?? d.timestamp;
	const lastEntry =
		chat.history.length > 0 ? chat.history[chat.history.length - 1].timestamp : start;
	chat.startedAt = start;
	chat.endedAt = lastEntry;
	chat.updatedAt = lastEntry;
}

function toMs(value: string | number, name: string): number {
	const ms = typeof value === 'number' ? value : Date.parse(value);
	if (!Number.isFinite(ms))
		throw new WorldError('invalid', `${name} must be an ISO 8601 date or epoch ms`);
	return ms;
}
