/**
 * The relay bench's second "n8n process" (forked by bench/relay.ts): a RedisSessionPool with its own
 * Redis connections that does not hold the agent session, so each of its requests is relayed to the
 * holder pool in the bench's process. It runs one timed sendMessage per `call` message and answers
 * with its timestamps; it closes its pool and exits on `close` or when the parent disconnects.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

import { sendMessage, type SessionLease } from '../../src/conversations';
import { RedisSessionPool } from '../../src/conversations/cluster';
import { staticToken } from '../../src/shared';
import { childPayload } from './proc';
import { now, requesterCall, stampPool } from './relay-stamps';

export interface RequesterPayload {
	/** The holder process's plain TCP port for the floor variant (relay.ts). */
	floorPort: number;
	redis: { host: string; port: number; prefix: string };
	httpUrl: string;
	key: string;
	channelId: string;
	text: string;
}

/** `floor`: one byte to the holder process over plain TCP and its one byte back, around its local send. */
export type ToRequester = { type: 'call' } | { type: 'floor' } | { type: 'close' };
export type FromRequester =
	| { type: 'ready'; holds: boolean }
	| ({ type: 'call' } & ReturnType<typeof requesterCall>)
	| { type: 'floor'; us: number }
	| { type: 'error'; message: string }
	| { type: 'closed' };

async function main(): Promise<void> {
	const payload = childPayload<RequesterPayload>();
	const send = (message: FromRequester) => process.send?.(message);
	const pool = new RedisSessionPool({ redis: payload.redis, idleMs: 600_000 });
	let lease: SessionLease | undefined;
	let floorSocket: Socket | undefined;
	let closing: Promise<void> | undefined;
	const close = () =>
		(closing ??= (async () => {
			floorSocket?.destroy();
			await lease?.release().catch(() => undefined);
			await pool.close();
		})());
	process.on('disconnect', () => void close().finally(() => process.exit(0)));
	try {
		const stamps = await stampPool(pool);
		const floor = connect(payload.floorPort, '127.0.0.1');
		floorSocket = floor;
		floor.setNoDelay(true);
		await once(floor, 'connect');
		let floorAnswered: (() => void) | undefined;
		floor.on('data', () => floorAnswered?.());
		lease = await pool.lease({
			key: payload.key,
			tokenProvider: staticToken('bench-requester'),
			httpUrl: payload.httpUrl,
		});
		const session = lease.session;
		process.on('message', (message: ToRequester) => {
			if (message.type === 'close') {
				void close().then(() => send({ type: 'closed' }));
				return;
			}
			void (async () => {
				try {
					if (message.type === 'floor') {
						const answered = new Promise<void>((resolve) => (floorAnswered = resolve));
						const t0 = now();
						floor.write('1');
						await answered;
						send({ type: 'floor', us: Number(now() - t0) / 1000 });
						return;
					}
					const t0 = now();
					await session.request(
						sendMessage({
							channelId: payload.channelId,
							message: payload.text,
						}),
					);
					const t1 = now();
					send({ type: 'call', ...requesterCall(t0, t1, stamps) });
				} catch (error) {
					send({
						type: 'error',
						message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
					});
				}
			})();
		});
		send({ type: 'ready', holds: pool.holds(payload.key) });
	} catch (error) {
		send({
			type: 'error',
			message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
		});
		await close();
		process.exit(1);
	}
}

void main();
