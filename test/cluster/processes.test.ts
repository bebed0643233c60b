import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { startSimulator, type Simulator } from '../../simulator';
import { encodeRelayId } from '../../simulator/conversations';
import {
	departments,
	messageSubscription,
	type ChatMessageEvent,
	type SessionLease,
} from '../../src/conversations';
import type { RedisSessionPool } from '../../src/conversations/cluster';
import { Recorder, waitFor } from '../conversations/helpers';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { botCredential, freshPrefix, newClusterPool } from './helpers';

/**
 * Real separate processes (module copies, connections and sockets of their own): this test process
 * plays the main instance with the trigger, a child process plays a worker.
 */
let sim: Simulator;
let redis: RedisServer;
let prefix: string;
let main: RedisSessionPool | undefined;
const leases: SessionLease[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
	[sim, redis] = await Promise.all([startSimulator(), startRedisServer()]);
}, 60_000);

afterAll(async () => {
	await Promise.all([sim?.close(), redis?.close()]);
});

beforeEach(() => {
	sim.conversations.control.reset();
	prefix = freshPrefix();
});

afterEach(async () => {
	for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
	await Promise.all(leases.splice(0).map((lease) => lease.release()));
	await main?.close();
	main = undefined;
});

const control = () => sim.conversations.control;

interface Worker {
	child: ChildProcess;
	ask(command: string): Promise<Record<string, unknown>>;
}

/** Starts the worker process and waits until it is ready for commands. */
async function startWorker(): Promise<Worker> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', join(__dirname, 'fixtures', 'worker-process.ts')],
		{
			cwd: join(__dirname, '..', '..'),
			env: {
				...process.env,
				REDIS_PORT: String(redis.port),
				PREFIX: prefix,
				SIM_HTTP: sim.urls.conversationsHttp,
			},
			stdio: ['pipe', 'pipe', 'inherit'],
		},
	);
	children.push(child);
	const answers: Array<(value: Record<string, unknown>) => void> = [];
	let ready: () => void = () => undefined;
	const started = new Promise<void>((resolve) => (ready = resolve));
	createInterface({ input: child.stdout! }).on('line', (line) => {
		const value = JSON.parse(line) as Record<string, unknown>;
		if (value.ready) ready();
		else answers.shift()?.(value);
	});
	await started;
	return {
		child,
		ask: (command) =>
			new Promise((resolve) => {
				answers.push(resolve);
				child.stdin!.write(`${command}\n`);
			}),
	};
}

it("a worker process's send goes through the trigger's session: one session, and the trigger sees the message", async () => {
	main = newClusterPool(sim, redis, prefix);
	const trigger = await main.lease(botCredential(sim));
	leases.push(trigger);
	const messages = new Recorder<ChatMessageEvent>();
	await trigger.session.subscribe(messageSubscription(), messages).ready;
	const chat = sim.world.startChat({ message: 'visitor asks' });
	await waitFor(() => messages.events.length === 1, 'the visitor message');

	const worker = await startWorker();
	const answer = await worker.ask(`send ${encodeRelayId('CHANNEL', chat.id)} from-the-worker w-1`);
	expect(answer).toMatchObject({ ok: true, holds: false, result: { success: true, msgId: 'w-1' } });
	await waitFor(
		() => messages.events.length === 2,
		"the worker's message on the trigger's subscription",
	);
	expect(messages.events[1]).toMatchObject({ content: 'from-the-worker' });
	expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['from-the-worker']);
	expect(control().sessionStarts()).toMatchObject({ total: 1 });
	await worker.ask('exit');
}, 60_000);

it('a worker process killed while it holds the session: this process takes over after its lease runs out', async () => {
	const worker = await startWorker();
	expect(await worker.ask('hold')).toMatchObject({ ok: true, holds: true });
	const exited = new Promise((resolve) => worker.child.once('exit', resolve));
	worker.child.kill('SIGKILL');
	await exited;

	main = newClusterPool(sim, redis, prefix);
	const lease = await main.lease(botCredential(sim));
	leases.push(lease);
	await expect(lease.session.request(departments(), { timeoutMs: 20_000 })).resolves.toHaveLength(
		3,
	);
	expect(main.holds(botCredential(sim).key)).toBe(true);
	// The dead process's session is ended by the new start (EOS to a socket nobody reads any more).
	expect(control().sessionStarts()).toMatchObject({ total: 2, succeeded: 2 });
	await waitFor(() => control().sessions().length === 1, 'one live session');
}, 60_000);
