/**
 * The bench server as a process of its own (forked by the benches), so that it never shares an
 * event loop or a core with the consumer being measured. Reports `{ port, httpUrl }` over IPC and
 * exits when its parent disconnects.
 */
import { startBenchServer } from './lib/server';

async function main(): Promise<void> {
	const server = await startBenchServer();
	process.send?.({ port: server.port, httpUrl: server.httpUrl });
	process.on('disconnect', () => {
		void server.close().finally(() => process.exit(0));
	});
}

void main();
