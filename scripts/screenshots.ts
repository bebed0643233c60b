/**
 * `npm run screenshots`: pictures of the package in the real n8n editor, for the README, into
 * docs/screenshots/. Starts the same stack as the demo (simulator, n8n with the package and the
 * example workflows), plays one round so that executions exist, then switches the Messaging bot
 * example on (its set-up run through n8n) and lets a customer talk to it, then drives headless
 * Chromium (Debian's, /usr/bin/chromium; `apt-get install -y chromium`) with playwright-core.
 *
 *   npm run screenshots
 *   npm run screenshots -- --only pickers     (only the Escalate pickers: no round is played)
 *   npm run screenshots -- --only ai          (only the AI agent example: its canvas and the execution that escalated)
 *   npm run screenshots -- --only search      (only the node creator finding the nodes by a codex alias, "Sunshine")
 *   CHROMIUM=/path/to/chrome npm run screenshots
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { REPO_ROOT } from '../e2e/n8n-instance';
import { playAiConversation, playBotConversation, playRound } from '../e2e/scenario';
import {
	BOT_SETUP,
	CREDENTIAL_NAMES,
	startAiAgent,
	startMessagingBot,
	startStack,
	type Stack,
} from '../e2e/stack';
import {
	createSupportCredential,
	importPickersWorkflow,
	listSearch,
	picked,
	PICKERS_NODE,
} from '../e2e/support-pickers';

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

const ONLY = process.argv.includes('--only')
	? process.argv[process.argv.indexOf('--only') + 1]
	: undefined;

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
		const page = context.pages()[0] ?? (await context.newPage());
		if (ONLY === 'search') {
			await logIn(page, stack);
			await shootNodeSearch(page, stack);
			return;
		}
		if (ONLY === 'ai') {
			await startAiAgent(stack);
			await playAiConversation(stack, {
				customerName: 'Lin',
				userExternalId: 'messaging-customer-lin',
			});
			await logIn(page, stack);
			await shootAiAgent(page, stack);
			return;
		}
		if (ONLY !== 'pickers') {
			await playRound(stack, { visitorName: 'Harry' });
			await startMessagingBot(stack);
			const story = await playBotConversation(stack, {
				customerName: 'Ada',
				userExternalId: 'messaging-customer-ada',
			});
			const carousel = await carouselWorkflow(stack, story.conversationId);
			await logIn(page, stack);
			await shoot(page, stack);
			await shootMessaging(page, stack, carousel);
		} else {
			await logIn(page, stack);
		}
		await shootPickers(page, stack);
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
	for (const close of await page.$$('[data-test-id="suggested-actions-close"]'))
		await close.click().catch(() => undefined);
	for (const selector of [
		'[data-test-id="close-button"]',
		'.el-message-box__headerbtn',
		'.el-notification__closeBtn',
	]) {
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
		await page
			.locator('[data-test-id="output-panel"]')
			.getByText('JSON', { exact: true })
			.click()
			.catch(() => undefined);
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
async function openExecution(
	page: Page,
	stack: Stack,
	workflowId: string,
	pick: (execution: Execution) => boolean,
): Promise<void> {
	const execution = (await stack.n8n.executions(workflowId)).find(pick);
	if (!execution) throw new Error(`no execution of workflow ${workflowId} as expected`);
	await page.goto(`${stack.n8n.baseUrl}/workflow/${workflowId}/executions/${execution.id}`);
	await page
		.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 })
		.catch(() => undefined);
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
	await openExecution(
		page,
		stack,
		escalation.id,
		(e) => outputOf(e, 'Agent Activity')?.fromAgent === true && ran(e, 'Deliver to Visitor'),
	);
	await save(page, 'escalation-execution.png');
	await openNode(page, 'Agent Activity', { json: true });
	await save(page, 'zendesk-messaging-trigger.png');
	await closeNode(page);

	// The Zendesk Chat Trigger: a chat message (auto-reply) and a threshold crossing (metrics alert).
	await openExecution(page, stack, autoReply.id, (e) => ran(e, 'New Chat'));
	await openNode(page, 'New Chat', { json: true });
	await save(page, 'zendesk-chat-trigger-message.png');
	await closeNode(page);
	await openExecution(
		page,
		stack,
		metricsAlert.id,
		(e) => outputOf(e, 'Too Many Waiting')?.state === 'crossed',
	);
	await openNode(page, 'Too Many Waiting', { json: true });
	await save(page, 'zendesk-chat-trigger-metrics.png');
	await closeNode(page);

	// The credential form.
	await page.goto(`${stack.n8n.baseUrl}/home/credentials/${stack.credentials.chat}`);
	await page
		.waitForSelector('[data-test-id="editCredential-modal"]', { timeout: 30_000 })
		.catch(() => undefined);
	await page.waitForTimeout(2000);
	await save(page, 'zendesk-chat-credential.png');
	await page.goto(`${stack.n8n.baseUrl}/home/credentials/${stack.credentials.messaging}`);
	await page
		.waitForSelector('[data-test-id="editCredential-modal"]', { timeout: 30_000 })
		.catch(() => undefined);
	await page.waitForTimeout(2000);
	await save(page, 'zendesk-messaging-credential.png');
}

/** The Send Carousel operation in a small workflow of its own (no example sends one), aimed at the bot's conversation. */
async function carouselWorkflow(
	stack: Stack,
	conversationId: string,
): Promise<{ id: string; node: string }> {
	const node = 'Show the Plans';
	const workflow = {
		name: 'Zendesk Messaging: send a carousel',
		nodes: [
			{
				parameters: {},
				id: 'c0ffee00-0000-4000-8000-000000000001',
				name: 'Run',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: {
					resource: 'message',
					operation: 'sendCarousel',
					conversationBy: 'conversationId',
					conversationId,
					inputMode: 'fields',
					items: {
						item: [
							{
								title: 'Acme Basic',
								description: '$10 a month, one user',
								mediaUrl: 'https://example.com/basic.png',
								altText: 'The Basic plan',
								buttons: {
									button: [
										{ type: 'postback', text: 'Choose Basic', payload: 'PLAN_BASIC' },
										{ type: 'link', text: 'Details', uri: 'https://example.com/pricing#basic' },
									],
								},
							},
							{
								title: 'Acme Pro',
								description: '$25 a month, up to ten users',
								mediaUrl: 'https://example.com/pro.png',
								altText: 'The Pro plan',
								buttons: {
									button: [
										{ type: 'postback', text: 'Choose Pro', payload: 'PLAN_PRO' },
										{ type: 'link', text: 'Details', uri: 'https://example.com/pricing#pro' },
									],
								},
							},
						],
					},
					displayName: 'Acme Bot',
					options: { imageAspectRatio: 'square' },
				},
				id: 'c0ffee00-0000-4000-8000-000000000002',
				name: node,
				type: 'n8n-nodes-zendesk-chat.zendeskMessaging',
				typeVersion: 1,
				position: [260, 0],
				credentials: {
					zendeskMessagingApi: {
						id: stack.credentials.messaging,
						name: CREDENTIAL_NAMES.messaging,
					},
				},
			},
		],
		connections: { Run: { main: [[{ node, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const { id } = await stack.n8n.importWorkflow(workflow);
	return { id, node };
}

/** The Messaging bot example and the Zendesk Messaging node's Message operations. */
async function shootMessaging(
	page: Page,
	stack: Stack,
	carousel: { id: string; node: string },
): Promise<void> {
	const bot = stack.standby.messagingBot;

	// The example on the canvas, and the execution that handed the customer to an agent.
	await openWorkflow(page, stack, bot.id);
	await save(page, 'messaging-bot-workflow.png');
	await openExecution(page, stack, bot.id, (e) => ran(e, 'Hand Off to an Agent'));
	await save(page, 'messaging-bot-execution.png');

	// Message › Send Text with quick replies (the greeting), tall enough for its three quick replies.
	await openWorkflow(page, stack, bot.id);
	await page.setViewportSize({ width: 1600, height: 1560 });
	await openNode(page, 'Greet With the Menu');
	await save(page, 'zendesk-messaging-send-text.png');
	await closeNode(page);
	await page.setViewportSize({ width: 1600, height: 1000 });

	// The Message resource's operations, as the Operation list of that node shows them.
	await openNode(page, 'Greet With the Menu');
	// Element Plus keeps a select's list to about six entries and scrolls it to the chosen one; let it show all eight.
	await page.addStyleTag({
		content: '.el-select-dropdown__wrap { max-height: 900px !important; }',
	});
	await page.locator('[data-test-id="ndv"] [data-test-id="parameter-input-operation"]').click();
	await page.waitForTimeout(1000);
	await save(page, 'zendesk-messaging-message-operations.png');
	await page.keyboard.press('Escape');
	await closeNode(page);

	// Switchboard › Set Up Bot Handoff, the example's one-time step, and what it changed.
	await openExecution(
		page,
		stack,
		bot.id,
		(e) => e.mode === 'manual' && (outputOf(e, BOT_SETUP.node)?.changes?.length ?? 0) > 0,
	);
	await openNode(page, BOT_SETUP.node, { json: true });
	await save(page, 'zendesk-messaging-set-up-bot-handoff.png');
	await closeNode(page);

	// Message › Send Carousel, executed from the editor ("Execute step"), with the message Zendesk stored.
	await openWorkflow(page, stack, carousel.id);
	await openNode(page, carousel.node);
	await page.locator('[data-test-id="ndv"] [data-test-id="node-execute-button"]').first().click();
	await page
		.locator('[data-test-id="output-panel"]')
		.getByText('JSON', { exact: true })
		.click({ timeout: 15_000 });
	await page.waitForTimeout(1500);
	for (const button of await page.$$('.el-notification__closeBtn'))
		await button.click().catch(() => undefined);
	await page.waitForTimeout(600);
	await save(page, 'zendesk-messaging-send-carousel.png');
	await closeNode(page);
}

/** The AI agent example on the canvas, and the execution in which it escalated. */
async function shootAiAgent(page: Page, stack: Stack): Promise<void> {
	const { id } = stack.standby.aiAgent;
	await openWorkflow(page, stack, id);
	await save(page, 'ai-agent-workflow.png');
	await openExecution(
		page,
		stack,
		id,
		(e) =>
			e.mode === 'webhook' &&
			ran(e, 'AI Agent') &&
			JSON.stringify(e.data?.resultData?.runData?.['Escalate to Human'] ?? null) !== 'null',
	);
	await save(page, 'ai-agent-execution.png');
}

/**
 * The node creator ("+", or Tab) searching for a codex alias: "Sunshine" is in no node's name, so
 * the editor finds Zendesk Messaging (its action and trigger, shown as one app) through the codex
 * `alias` list. Opened after the auto-reply's nodes, so the list is "What happens next?".
 */
async function shootNodeSearch(page: Page, stack: Stack): Promise<void> {
	await openWorkflow(page, stack, stack.workflows.autoReply.id);
	await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
	await page.waitForSelector('[data-test-id="node-creator"]', { timeout: 15_000 });
	await page.waitForTimeout(800);
	// The search field has the focus when the node creator opens.
	await page.keyboard.type('Sunshine', { delay: 80 });
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: 'Zendesk Messaging' })
		.first()
		.waitFor({ timeout: 15_000 });
	await page.waitForTimeout(1500);
	await save(page, 'node-search-alias.png');
	await page.keyboard.press('Escape');
}

/**
 * Escalate's ticket fields filled from the Zendesk Support API (n8n's own Zendesk API credential,
 * pointed at the simulator): a group and a form picked from their lists, and the Organization list
 * open and searched, as a user sees it in the editor.
 */
async function shootPickers(page: Page, stack: Stack): Promise<void> {
	const support = await createSupportCredential(stack);
	const group = (await listSearch(stack, support, 'groupId', 'searchGroups')).results.find(
		(g) => g.name === 'Billing',
	)!;
	const [form] = (await listSearch(stack, support, 'ticketFormId', 'searchTicketForms')).results;
	const [assignee] = (
		await listSearch(stack, support, 'assigneeId', 'searchAssignees', { filter: 'Grace' })
	).results;
	const workflowId = await importPickersWorkflow(stack, support, {
		groupId: picked(group),
		assigneeId: picked(assignee),
		ticketFormId: picked(form),
		organizationId: { __rl: true, mode: 'list', value: '' },
		priority: 'high',
		tags: 'from_bot, refund',
	});
	await openWorkflow(page, stack, workflowId);
	await page.setViewportSize({ width: 1600, height: 1400 });
	await openNode(page, PICKERS_NODE);
	const ndv = page.locator('[data-test-id="ndv"]');
	// Ticket Fields shows its fields in the order of their options: Assignee, Group, Organization, …
	const organization = ndv.locator('[data-test-id="rlc-input"]').nth(2);
	await organization.scrollIntoViewIfNeeded();
	await organization.click();
	await page.waitForTimeout(2000);
	await page.keyboard.type('Glob', { delay: 80 });
	await page.waitForTimeout(2500);
	await save(page, 'zendesk-messaging-escalate-pickers.png');
	await page.keyboard.press('Escape');
	await closeNode(page);
	await page.setViewportSize({ width: 1600, height: 1000 });
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
