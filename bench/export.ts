/**
 * Export near the rate limit: Chat › Export and Chat › Search with Return All over 10,000 chats,
 * through the REST client the nodes use (ChatRestClient, default limits: 200 requests a minute),
 * against the simulator, whose Chat REST API refuses the 201st request of any minute with 429 and
 * Retry-After. Both run on the simulator's ManualClock: the client is given a clock whose `sleep`
 * moves that clock, so the minutes of rate limit pass in milliseconds and the run takes seconds.
 *
 * For each walk it reports the time on the simulated clock from the first request to the last
 * item, the requests the simulator answered (and how many of them were 429s), and that time
 * against two floors:
 * - the floor, pages needed × 0.3 s (200 a minute taken as one request every 0.3 s);
 * - the least time a sliding window of 200 a minute allows from a fresh budget: the first 200 at
 *   once, then 200 more each minute, that is ⌊(pages − 1) / 200⌋ minutes.
 *
 * Walks:
 * - `export`: `exportChats({ startTime })` over every page (1,000 chats a page, the node's size);
 * - `search (results)`: `searchChats({ chatType: 'chat' })`, the node's Output "Search Results":
 *   10,000 matches is the cap of one query, so the walk splits it in time slices (search-walk.ts);
 * - `search (chats)`: the same with `hydrate: true`, the node's default Output "Chats": every 50
 *   results also fetch their chats (`GET /chats?ids=`), so about 200 requests more.
 *
 * Every walk starts with a fresh budget on both sides (the simulator's budget reset, the client on a
 * credential key of its own). Each runs twice: straight to the simulator, where a request takes no
 * simulated time, and through a proxy that plays a network: it moves the clock by a one-way delay
 * of 20 to 80 ms (seeded, uniform) when a request starts on its way and again when its answer does.
 * The simulator then counts a request a little after the client did, by a delay that differs from
 * request to request, as Zendesk does; a client that paces itself to the millisecond by its own
 * clock gets 429s there that it never gets on a network of zero delay.
 */
import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

import { ManualClock, SIM_TOKENS, startSimulator, type Simulator } from '../simulator';
import { ChatRestClient, type RestClock } from '../src/rest';
import { AbortedError, credentialKey, staticToken } from '../src/shared';
import { fixed } from './lib/stats';

export interface ExportWalkFigures {
	name: string;
	/** Items the walk gave (chats or search results). */
	items: number;
	/** Requests the simulator answered during the walk, 429s included. */
	requests: number;
	/** Of those, refused with 429. */
	tooMany: number;
	/** Simulated time of the walk, ms. */
	simulatedMs: number;
	/** Real time the walk took, ms. */
	wallMs: number;
	/** Requests that were needed (answered 2xx) × 300 ms. */
	floorMs: number;
	/** The least a 200/min sliding window allows for that many requests from a fresh budget. */
	windowFloorMs: number;
	/** simulatedMs / floorMs */
	ratio: number;
}

export interface ExportResult {
	chats: number;
	walks: ExportWalkFigures[];
	/** The worst ratio of the walks (what the summary compares with the goal). */
	ratio: number;
	tooMany: number;
}

const WINDOW_MS = 60_000;
const LIMIT = 200;

/**
 * A TCP proxy in front of `port` that moves `clock` by a one-way delay when the first bytes of a
 * request go through, and again when the first bytes of its answer come back.
 */
async function delayingProxy(
	port: number,
	clock: ManualClock,
	oneWayMs: () => number,
): Promise<{ port: number; close(): Promise<void> }> {
	const sockets = new Set<Socket>();
	const server = createServer((client) => {
		const upstream = connect(port, '127.0.0.1');
		sockets.add(client).add(upstream);
		let last: 'up' | 'down' | undefined;
		client.on('data', (chunk) => {
			if (last !== 'up') clock.advance(oneWayMs());
			last = 'up';
			upstream.write(chunk);
		});
		upstream.on('data', (chunk) => {
			if (last !== 'down') clock.advance(oneWayMs());
			last = 'down';
			client.write(chunk);
		});
		const end = () => {
			client.destroy();
			upstream.destroy();
			sockets.delete(client);
			sockets.delete(upstream);
		};
		client.on('close', end).on('error', end);
		upstream.on('close', end).on('error', end);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		close: () => {
			for (const socket of sockets) socket.destroy();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A seeded uniform draw in [from, to): the same delays on every run. */
function uniform(from: number, to: number, seed = 42): () => number {
	let state = seed;
	return () => {
		state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
		return from + ((to - from) * state) / 0x80000000;
	};
}

/** The simulator's clock as the client's: sleeping moves it (the client is the only one waiting). */
function clockOf(clock: ManualClock): RestClock {
	return {
		now: () => clock.now(),
		sleep: (ms, signal) => {
			if (signal?.aborted) return Promise.reject(new AbortedError('rest'));
			clock.advance(Math.max(0, ms));
			// A turn of the event loop, as a real wait would give.
			return new Promise((resolve) => setImmediate(resolve));
		},
	};
}

async function walk(
	sim: Simulator,
	clock: ManualClock,
	baseUrl: string,
	name: string,
	run: (client: ChatRestClient) => AsyncIterable<unknown>,
): Promise<ExportWalkFigures> {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
	const client = new ChatRestClient({
		baseUrl,
		token: staticToken(SIM_TOKENS.bot),
		credentialKey: credentialKey('bench-export', randomUUID()),
		clock: clockOf(clock),
	});
	const started = clock.now();
	const wallStarted = performance.now();
	let items = 0;
	try {
		for await (const item of run(client)) if (item !== undefined) items++;
	} finally {
		await client.close();
	}
	const simulatedMs = clock.now() - started;
	const wallMs = performance.now() - wallStarted;
	const log = sim.rest.control.requestLog({ limit: 100_000 });
	const tooMany = log.filter((entry) => entry.status === 429).length;
	const needed = log.length - tooMany;
	const floorMs = needed * (WINDOW_MS / LIMIT);
	return {
		name,
		items,
		requests: log.length,
		tooMany,
		simulatedMs,
		wallMs,
		floorMs,
		windowFloorMs: Math.floor(Math.max(0, needed - 1) / LIMIT) * WINDOW_MS,
		ratio: simulatedMs / floorMs,
	};
}

export async function runExport(options: {
	chats: number;
	log?: (line: string) => void;
}): Promise<ExportResult> {
	const log = options.log ?? (() => undefined);
	const clock = new ManualClock();
	const sim = await startSimulator({ clock });
	try {
		sim.rest.control.seedChats({ count: options.chats });
		// Before the first seeded chat (the seed spreads them over the 30 days before 10 minutes ago).
		const startTime = new Date(clock.now() - 31 * 86_400_000);
		const walks: ExportWalkFigures[] = [];
		const report = (figures: ExportWalkFigures) => {
			walks.push(figures);
			log(
				`  export: ${figures.name}: ${figures.items} items, ${figures.requests} requests (${figures.tooMany} × 429), ` +
					`${fixed(figures.simulatedMs / 1000, 1)} s simulated against a floor of ${fixed(figures.floorMs / 1000, 1)} s (${fixed(figures.ratio)}×), ${fixed(figures.wallMs / 1000, 1)} s real`,
			);
		};
		const proxy = await delayingProxy(Number(new URL(sim.urls.rest).port), clock, uniform(20, 80));
		try {
			const proxied = new URL(sim.urls.rest);
			proxied.port = String(proxy.port);
			for (const [where, baseUrl] of [
				['', sim.urls.rest],
				[', 20–80 ms each way', proxied.toString().replace(/\/$/, '')],
			] as const) {
				report(
					await walk(sim, clock, baseUrl, `export${where}`, async function* (client) {
						for await (const page of client.exportChats({ startTime })) yield* page.chats;
					}),
				);
				report(
					await walk(sim, clock, baseUrl, `search (results)${where}`, (client) =>
						client.searchChats({ chatType: 'chat' }),
					),
				);
				report(
					await walk(sim, clock, baseUrl, `search (chats)${where}`, (client) =>
						client.searchChats({ chatType: 'chat' }, { hydrate: true }),
					),
				);
			}
		} finally {
			await proxy.close();
		}
		for (const figures of walks) {
			if (figures.items !== options.chats)
				throw new Error(`${figures.name} gave ${figures.items} items, expected ${options.chats}`);
		}
		return {
			chats: options.chats,
			walks,
			ratio: Math.max(...walks.map((w) => w.ratio)),
			tooMany: walks.reduce((sum, w) => sum + w.tooMany, 0),
		};
	} finally {
		await sim.close();
	}
}

if (require.main === module) {
	runExport({ chats: 10_000, log: console.log })
		.then((result) => console.log(JSON.stringify(result, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
