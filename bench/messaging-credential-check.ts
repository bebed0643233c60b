/**
 * An experiment behind docs/benchmarks.md's Messaging notes (not part of `npm run bench`): the
 * messaging bench at one rate on one n8n, twice, with the baseline's HTTP Request authenticating by
 * a header it writes itself and then by an n8n Basic Auth credential. n8n checks a workflow's
 * credentials before each of its executions; ours has credentials, the header baseline none.
 *
 *   npx tsx bench/messaging-credential-check.ts [rate]
 */
import { startN8nBench } from './lib/n8n-bench';
import { runMessagingReply, type MessagingRateResult } from './messaging-reply';

async function main(): Promise<void> {
	const rate = Number(process.argv[2] ?? 5);
	const bench = await startN8nBench(console.log);
	const line = (name: string, r: MessagingRateResult) =>
		`${name}: ours p50 ${r.ours.p50?.toFixed(0)} ms (event → execution ${r.timeline.ours.toExecution.toFixed(0)} → Send Text ${r.timeline.ours.toNode.toFixed(0)}), baseline p50 ${r.baseline.p50?.toFixed(0)} ms (event → execution ${r.timeline.baseline.toExecution.toFixed(0)} → HTTP Request ${r.timeline.baseline.toNode.toFixed(0)}), p50 ratio ${r.p50Ratio?.toFixed(2)}`;
	try {
		const common = {
			rates: [rate],
			blockMs: 2500,
			blocksPerPath: 4,
			drainMs: 15_000,
			conversations: 10,
			log: console.log,
			bench,
		};
		const header = await runMessagingReply({ ...common, baselineCredential: false });
		const credential = await runMessagingReply({ ...common, baselineCredential: true });
		console.log(line('baseline with an Authorization header', header.rows[0]));
		console.log(line('baseline with an n8n Basic Auth credential', credential.rows[0]));
	} finally {
		await bench.stop();
	}
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.then(() => process.exit());
