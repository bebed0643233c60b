/**
 * `npm run screenshots`: pictures of the package in the real n8n editor, for the README, into
 * docs/screenshots/. Starts the same stack as the demo (simulator, n8n with the package and the
 * three example workflows), plays one round so that executions exist, then drives headless
 * Chromium (Debian's, /usr/bin/chromium; `apt-get install -y chromium`) with playwright-core.
 *
 *   npm run screenshots
 *   CHROMIUM=/path/to/chrome npm run screenshots
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { REPO_ROOT } from '../e2e/n8n-instance';
import { playRound } from '../e2e/scenario';
import { startStack, type Stack } from '../e2e/stack';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The flags known to work on these machines (closed network: no background connections).
const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const log = (line: string) => {
	if (!line.startsWith('$ ')) console.log(line);
};

async function main(): Promise<void> {
	mkdirSync(OUT, { recursive: true });
	const logDir = mkdtempSync(join(tmpdir(), 'zendesk-shots-'));
	const stack = await startStack({ log, n8nOutputFile: join(logDir, 'n8n.log') });
	// A fresh, empty profile each run.
	const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
	let context: BrowserContext | undefined;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			args: FLAGS,
			viewport: { width: 1600, height: 1000 },
			deviceScaleFactor: 1,
		});
		await playRound(stack, { visitorName: 'Harry' });
		const page = context.pages()[0] ?? (await context.newPage());
		await logIn(page, stack);
		await shoot(page, stack);
	} finally {
		await context?.close();
		rmSync(profile, { recursive: true, force: true });
		await stack.stop();
		rmSync(logDir, { recursive: true, force: true });
	}
}

async function logIn(page: Page, stack: Stack): Promise<void> {
	// The owner's session cookie from the headless set-up: no sign-in form needed.
	const cookies = stack.n8n.cookie.split('; ').map((pair) => {
		const [name, ...value] = pair.split('=');
		return { name, value: value.join('='), url: stack.n8n.baseUrl };
	});
	await page.context().addCookies(cookies);
}

async function openWorkflow(page: Page, stack: Stack, id: string): Promise<void> {
	await page.goto(`${stack.n8n.baseUrl}/workflow/${id}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
	await settle(page);
	await page.keyboard.press('Shift+1'); // zoom to fit
	await settle(page);
}

/** Lets the canvas and any pop-up settle, and closes what would hide the picture. */
async function settle(page: Page): Promise<void> {
	await page.waitForTimeout(1200);
	// n8n 2.x shows a "Production Checklist" for published workflows over the canvas.
	for (const close of await page.$$('[data-test-id="suggested-actions-close"]')) await close.click().catch(() => undefined);
	for (const selector of ['[data-test-id="close-button"]', '.el-message-box__headerbtn', '.el-notification__closeBtn']) {
		for (const button of await page.$$(selector)) await button.click().catch(() => undefined);
	}
	await page.waitForTimeout(300);
}

async function openNode(page: Page, name: string, options: { json?: boolean } = {}): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await page.waitForSelector('[data-test-id="ndv"]', { timeout: 15_000 });
	await page.waitForTimeout(1500);
	if (options.json) {
		// The output as JSON: every field of the item, not a cut-off table.
		await page.locator('[data-test-id="output-panel"]').getByText('JSON', { exact: true }).click().catch(() => undefined);
		await page.waitForTimeout(800);
	}
}

async function closeNode(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.waitForTimeout(600);
}

type Execution = Record<string, any>;

function ran(execution: Execution, node: string): boolean {
	return Object.keys(execution.data?.resultData?.runData ?? {}).includes(node);
}

function outputOf(execution: Execution, node: string): Record<string, any> | undefined {
	return execution.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0]?.[0]?.json;
}

/** The executions view of the latest execution that `pick` chooses. */
async function openExecution(page: Page, stack: Stack, workflowId: string, pick: (execution: Execution) => boolean): Promise<void> {
	const execution = (await stack.n8n.executions(workflowId)).find(pick);
	if (!execution) throw new Error(`no execution of workflow ${workflowId} as expected`);
	await page.goto(`${stack.n8n.baseUrl}/workflow/${workflowId}/executions/${execution.id}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 }).catch(() => undefined);
	await page.waitForTimeout(2500);
	await settle(page);
}

async function save(page: Page, file: string): Promise<void> {
	await page.screenshot({ path: join(OUT, file) });
	console.log(`docs/screenshots/${file}`);
}

async function shoot(page: Page, stack: Stack): Promise<void> {
	const { escalation, autoReply, metricsAlert } = stack.workflows;

	// The escalation bridge on the canvas, and its Zendesk Messaging node: Escalate to Agent.
	await openWorkflow(page, stack, escalation.id);
	await save(page, 'escalation-workflow.png');
	await openNode(page, 'Escalate to Agent');
	await save(page, 'zendesk-messaging-escalate.png');
	await closeNode(page);

	// The auto-reply's Zendesk Chat node: Send Quick Replies.
	await openWorkflow(page, stack, autoReply.id);
	await openNode(page, 'Reply With Quick Replies');
	await save(page, 'zendesk-chat-quick-replies.png');
	await closeNode(page);

	// The bridge's execution for the agent's reply, and the Messaging Trigger's item in it.
	await openExecution(page, stack, escalation.id, (e) => outputOf(e, 'Agent Activity')?.fromAgent === true && ran(e, 'Deliver to Visitor'));
	await save(page, 'escalation-execution.png');
	await openNode(page, 'Agent Activity', { json: true });
	await save(page, 'zendesk-messaging-trigger.png');
	await closeNode(page);

	// The Zendesk Chat Trigger: a chat message (auto-reply) and a threshold crossing (metrics alert).
	await openExecution(page, stack, autoReply.id, (e) => ran(e, 'New Chat'));
	await openNode(page, 'New Chat', { json: true });
	await save(page, 'zendesk-chat-trigger-message.png');
	await closeNode(page);
	await openExecution(page, stack, metricsAlert.id, (e) => outputOf(e, 'Too Many Waiting')?.state === 'crossed');
	await openNode(page, 'Too Many Waiting', { json: true });
	await save(page, 'zendesk-chat-trigger-metrics.png');
	await closeNode(page);

	// The credential form.
	await page.goto(`${stack.n8n.baseUrl}/home/credentials/${stack.credentials.chat}`);
	await page.waitForSelector('[data-test-id="editCredential-modal"]', { timeout: 30_000 }).catch(() => undefined);
	await page.waitForTimeout(2000);
	await save(page, 'zendesk-chat-credential.png');
	await page.goto(`${stack.n8n.baseUrl}/home/credentials/${stack.credentials.messaging}`);
	await page.waitForSelector('[data-test-id="editCredential-modal"]', { timeout: 30_000 }).catch(() => undefined);
	await page.waitForTimeout(2000);
	await save(page, 'zendesk-messaging-credential.png');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
