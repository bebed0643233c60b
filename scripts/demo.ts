/**
 * `npm run demo`: the package in a real n8n, against the local Zendesk simulator.
 *
 * Starts the simulator and n8n (the pinned 2.41.1; the first run installs it into e2e/runtime),
 * with this package built, packed and installed as n8n's Community Nodes installer does. Creates the
 * owner, the two credentials and the three workflows of examples/ through n8n's API and activates
 * them. Then simulated visitors chat, an agent answers in the agent workspace, a queue builds up,
 * and a live transcript shows what the workflows did, until Ctrl-C. The editor stays open to look
 * around (the owner's email and password are printed).
 *
 *   npm run demo                          # editor on http://localhost:5678, simulator on :4010
 *   npm run demo -- --port 5700 --sim-port 4020
 *   npm run demo -- --once --port 0       # CI: one scripted round on free ports, then exit
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { OWNER } from '../e2e/n8n-instance';
import { playAiConversation, playRound, Transcript } from '../e2e/scenario';
import { EXAMPLES, startAiAgent, startStack, type Stack } from '../e2e/stack';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.N8N_DEMO_PORT ?? '5678' },
		'sim-port': { type: 'string', default: process.env.ZENDESK_SIM_PORT ?? '4010' },
		'alert-port': { type: 'string', default: '4011' },
		once: { type: 'boolean', default: false },
		// Seconds between two rounds in interactive mode.
		interval: { type: 'string', default: '20' },
	},
});

const once = values.once === true;
// With --port 0 (CI) every port is picked free, so parallel runs do not collide.
const anyPort = values.port === '0';
const port = (name: 'port' | 'sim-port' | 'alert-port') => (anyPort ? 0 : Number(values[name]));

const VISITORS = ['Harry', 'Maya', 'Jonas', 'Aiko', 'Lucía', 'Tomasz', 'Nia', 'Omar'];

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(line);
const setupLog = (line: string) => {
	// The install and build commands are noise once they work; everything else is shown.
	if (!line.startsWith('$ ')) say(`[${elapsed()}] ${line}`);
};

async function main(): Promise<void> {
	const logDir = mkdtempSync(join(tmpdir(), 'zendesk-demo-'));
	const n8nLog = join(logDir, 'n8n.log');
	say('Starting the Zendesk simulator and a real n8n with n8n-nodes-zendesk-chat installed…');
	let stack: Stack;
	try {
		stack = await startStack({
			simPort: port('sim-port'),
			n8nPort: port('port'),
			alertPort: port('alert-port'),
			log: setupLog,
			n8nOutputFile: n8nLog,
		});
	} catch (error) {
		console.error(
			`\nThe demo could not start: ${(error as Error).message}\n(n8n's output: ${n8nLog})`,
		);
		process.exit(1);
	}
	const editorUrl = `http://localhost:${stack.n8n.port}`;
	say('');
	say(`n8n editor:   ${editorUrl}   (log in as ${OWNER.email} / ${OWNER.password})`);
	say(`simulator:    ${stack.sim.urls.base}   (control API: ${stack.sim.urls.control})`);
	say(`alerts go to: ${stack.alerts.url}   (stands in for a Slack incoming webhook)`);
	say(`n8n's log:    ${n8nLog}`);
	say(
		`workflows:    ${Object.entries(stack.workflows)
			.map(([key, w]) => `${w.name} [examples/${EXAMPLES[key as keyof typeof EXAMPLES]}]`)
			.join('\n              ')}`,
	);
	say(
		`ready in ${elapsed()} (n8n: install ${seconds(stack.timings.runtime)}, package ${seconds(stack.timings.package)}, boot ${seconds(stack.timings.boot)})`,
	);
	say('');

	const transcript = new Transcript(stack, say);
	let stopping = false;
	const shutdown = async (code: number) => {
		if (stopping) return;
		stopping = true;
		transcript.stop();
		say('\nStopping n8n and the simulator…');
		await stack.stop();
		// A CI run that passed leaves nothing behind; otherwise n8n's log stays for a look.
		if (once && code === 0) rmSync(logDir, { recursive: true, force: true });
		process.exit(code);
	};
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	let round = 0;
	for (;;) {
		const visitorName =
			VISITORS[round % VISITORS.length] +
			(round >= VISITORS.length ? ` ${Math.floor(round / VISITORS.length) + 1}` : '');
		say(`── round ${round + 1}: ${visitorName} ${'─'.repeat(60)}`);
		try {
			const result = await playRound(stack, { visitorName, pauseMs: once ? 0 : 1500 });
			await new Promise((r) => setTimeout(r, 500));
			let summary = await executionSummary(stack);
			say(
				`── round ${round + 1} done: ticket #${result.ticketId}, ${result.delivered.length} messages delivered to ${visitorName}, ${result.alerts.length} alerts; n8n executions: ${summary.text}`,
			);
			if (round === 0) {
				// Once: the AI agent example (examples/ai-agent-handoff.json) against the simulator's scripted model.
				say(
					`── the AI agent example: a Zendesk Messaging customer, n8n's AI Agent with Zendesk Messaging tools ${'─'.repeat(20)}`,
				);
				await startAiAgent(stack);
				const ai = await playAiConversation(stack, {
					customerName: 'Lin',
					userExternalId: 'demo-customer-lin',
				});
				await new Promise((r) => setTimeout(r, 500));
				summary = await executionSummary(stack);
				say(
					`── AI agent done: escalated to ticket #${ai.ticketId}, its first message the agent's summary with the transcript (${ai.summary.split('\n').length} lines); n8n executions: ${summary.text}`,
				);
			}
			if (once) {
				if (summary.failed > 0)
					throw new Error(`${summary.failed} n8n executions failed (see ${editorUrl})`);
				return await shutdown(0);
			}
		} catch (error) {
			say(`!! ${(error as Error).message}`);
			if (once) {
				say(`(n8n's output: ${n8nLog})`);
				return await shutdown(1);
			}
		}
		round++;
		say(
			`(next visitor in ${values.interval} s; the editor stays open at ${editorUrl}; Ctrl-C to stop)`,
		);
		await new Promise((r) => setTimeout(r, Number(values.interval) * 1000));
	}
}

async function executionSummary(stack: Stack): Promise<{ text: string; failed: number }> {
	let failed = 0;
	const parts: string[] = [];
	const aiAgent = (await stack.n8n.workflow(stack.standby.aiAgent.id)).active
		? { aiAgent: stack.standby.aiAgent }
		: {};
	for (const [key, workflow] of Object.entries({ ...stack.workflows, ...aiAgent })) {
		const executions = await stack.n8n.executions(workflow.id);
		const byStatus = new Map<string, number>();
		for (const e of executions) byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
		failed += (byStatus.get('error') ?? 0) + (byStatus.get('crashed') ?? 0);
		parts.push(
			`${key} ${[...byStatus].map(([status, n]) => `${n} ${status}`).join(', ') || 'none'}`,
		);
	}
	return { text: parts.join('; '), failed };
}

function seconds(ms: number | undefined): string {
	return ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
