/**
 * Our own time on the Messaging path's way in, which cannot be seen from outside n8n's process: the
 * Zendesk Messaging Trigger's webhook() run in this process through n8n-core's WebhookContext (the
 * node tests' fixture, test/nodes/ZendeskMessagingTrigger/fixture.ts), on the simulator, whose
 * Sunshine app delivers each customer message to it over a real socket. Two figures per call: from
 * the harness handing the call to the node to the node's 200 answer, and to webhook() returning
 * the items. Everything n8n does around it (routing, loading the workflow, the expression isolate,
 * starting the execution) is n8n's and not here; docs/benchmarks.md compares.
 *
 *   npx tsx bench/messaging-own-time.ts [messages] [rate]
 */
import Module from 'node:module';
import { performance } from 'node:perf_hooks';

import { quantile } from './lib/stats';

// Under tsx `…/ZendeskMessagingTrigger.node` resolves to the codex file (.node.json) first; the
// fixture imports the node that way, so that path is pointed at the class before it is loaded.
const codexPath = require.resolve('../nodes/ZendeskMessagingTrigger/ZendeskMessagingTrigger.node');
const nodeModule = new Module(codexPath);
// eslint-disable-next-line @typescript-eslint/no-require-imports
nodeModule.exports = require('../nodes/ZendeskMessagingTrigger/ZendeskMessagingTrigger.node.ts');
nodeModule.loaded = true;
require.cache[codexPath] = nodeModule;
const { TriggerFixture } =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../test/nodes/ZendeskMessagingTrigger/fixture') as typeof import('../test/nodes/ZendeskMessagingTrigger/fixture');

export interface MessagingOwnTime {
	calls: number;
	answerP50: number;
	answerP99: number;
	webhookP50: number;
	webhookP99: number;
}

export async function runMessagingOwnTime(
	messages: number,
	rate: number,
): Promise<MessagingOwnTime> {
	const f = await TriggerFixture.start();
	try {
		f.useWorkflow({});
		await f.activate();
		const answers: number[] = [];
		const webhooks: number[] = [];
		const harness = f.harness as unknown as {
			webhook: (spec: { res: { json: (body: unknown) => unknown } }) => Promise<unknown>;
		};
		const webhook = harness.webhook.bind(f.harness);
		harness.webhook = async (spec) => {
			const start = performance.now();
			const json = spec.res.json.bind(spec.res);
			spec.res.json = (body) => {
				answers.push(performance.now() - start);
				return json(body);
			};
			const result = await webhook(spec);
			webhooks.push(performance.now() - start);
			return result;
		};
		const warmUp = 20;
		for (let i = 0; i < warmUp + messages; i++) {
			f.sim.sunshine.control.userSays({ userExternalId: `own-${i % 10}`, text: `hello ${i}` });
			await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
		}
		await f.settle();
		const measured = (list: number[]) => list.slice(warmUp);
		return {
			calls: measured(webhooks).length,
			answerP50: quantile(measured(answers), 0.5),
			answerP99: quantile(measured(answers), 0.99),
			webhookP50: quantile(measured(webhooks), 0.5),
			webhookP99: quantile(measured(webhooks), 0.99),
		};
	} finally {
		await f.hook('delete').catch(() => undefined);
		await f.close();
	}
}

if (require.main === module) {
	const [messages = 200, rate = 10] = process.argv.slice(2).map(Number);
	runMessagingOwnTime(messages, rate)
		.then((r) => console.log(JSON.stringify(r, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exitCode = 1;
		})
		.then(() => process.exit());
}
