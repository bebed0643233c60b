/**
 * `npm run check:zendesk`: a read-only check of this package against your real Zendesk Chat account.
 *
 *   ZENDESK_CHAT_TOKEN=... npm run check:zendesk
 *   ZENDESK_CHAT_TOKEN=... npm run check:zendesk -- --yes --json --listen-seconds 30
 *   npm run check:zendesk -- --help
 *
 * The work is in scripts/check-zendesk/main.ts; `main` is exported for the tests.
 */
import { main } from './check-zendesk/main';

export { main } from './check-zendesk/main';

if (require.main === module) {
	const controller = new AbortController();
	// The first Ctrl-C ends the check early but still stops the session; a second one exits at once.
	process.once('SIGINT', () => {
		process.stderr.write('\nInterrupted: ending the session…\n');
		controller.abort();
		process.once('SIGINT', () => process.exit(130));
	});
	main(process.argv.slice(2), { signal: controller.signal }).then(
		(code) => {
			process.exitCode = controller.signal.aborted ? 130 : code;
		},
		(error) => {
			process.stderr.write(`check:zendesk failed: ${(error as Error)?.message ?? String(error)}\n`);
			process.exitCode = 1;
		},
	);
}
