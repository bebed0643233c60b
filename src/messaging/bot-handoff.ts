import { InvalidInputError } from '../shared/errors';
import { quoteValue } from '../shared/excerpt';
import { requireSwitchboardIntegrationName, webhookBody } from './bodies';
import { findAgentWorkspaceIn, type MessagingClient } from './client';
import {
	AGENT_WORKSPACE_NAME,
	AGENT_WORKSPACE_TYPE,
	ESCALATION_TRIGGERS,
	MAX_DISPLAY_NAME_LENGTH,
} from './constants';
import type { Integration, Switchboard, SwitchboardIntegration, Webhook } from './schemas';
import type { CallOptions, UpdateSwitchboardInput, WebhookInput } from './types';
import { isPlainObject, optionalBoolean, requireId, requireString } from './validate';

export interface BotHandoffOptions {
	/** The bot's custom integration's display name (1–100 characters); how it is found again without an id. */
	botName: string;
	/**
	 * Where the bot's events go. Needed when the integration is created (a custom integration has
	 * exactly one webhook, spec `custom.webhooks` minItems 1, maxItems 1); for an existing one, its
	 * webhook is pointed here. `triggers` @default ESCALATION_TRIGGERS (conversation:message, switchboard:releaseControl)
	 */
	webhook?: {
		target: string;
		triggers?: string[];
		includeFullUser?: boolean;
		includeFullSource?: boolean;
	};
	/** Reuse this custom integration (renamed to botName if its name differs) instead of finding it by name. */
	integrationId?: string;
	/** Give the bot control of new conversations (the switchboard's default). @default false */
	makeDefault?: boolean;
	/** The bot's switchboard integration name (letters, digits, - and _). @default botName with every other character run turned into "-" */
	switchboardIntegrationName?: string;
	/** Enable the switchboard if it is disabled: without it no control passes. @default true */
	enableSwitchboard?: boolean;
}

export interface BotHandoffResult {
	integration: { id: string; displayName: string | null };
	/** The integration's webhook; `secret` (the X-API-Key its deliveries carry) only when this call created the webhook. */
	webhook?: { id: string; target: string; triggers: string[]; secret?: string };
	switchboard: { id: string; enabled: boolean; defaultSwitchboardIntegrationId: string | null };
	switchboardIntegration: { id: string; name: string };
	agentWorkspace: { id: string; name: string };
	/** What this call changed, in words; empty when everything was already in place. */
	changes: string[];
}

/** Spec tag Switchboard Integrations: "A switchboard is limited to 10 switchboard integrations." */
const MAX_SWITCHBOARD_INTEGRATIONS = 10;

interface Plan {
	botName: string;
	webhook?: WebhookInput;
	triggersGiven: boolean;
	integrationId?: string;
	makeDefault: boolean;
	sbiName: string;
	enableSwitchboard: boolean;
}

/**
 * What teams otherwise click together by hand so that a bot can hand conversations to Zendesk
 * agents: the bot's custom integration (found by id or display name, or created with its webhook),
 * a switchboard (created if the app has none), the agent workspace in it (`zd-agentWorkspace`),
 * the bot's switchboard integration with the agent workspace as its `nextSwitchboardIntegrationId`
 * (so passControl "next" reaches an agent), and optionally the bot as the default responder.
 *
 * It reads everything first and checks what it would do (names, the limit of 10 switchboard
 * integrations) before changing anything, then changes only what differs: a second call with the
 * same options changes nothing and returns `changes: []`. If a step fails, calling again
 * continues from where it stopped.
 */
export async function setUpBotHandoff(
	client: MessagingClient,
	input: BotHandoffOptions,
	options: CallOptions = {},
): Promise<BotHandoffResult> {
	const plan = planHandoff(input);
	const changes: string[] = [];

	// ---- read ----
	let integration = await findIntegration(client, plan, options);
	const newWebhook = plan.webhook;
	if (!integration && !newWebhook) {
		throw new InvalidInputError(
			'webhook',
			`there is no custom integration named ${JSON.stringify(plan.botName)} yet, and creating one needs its webhook`,
			'Pass webhook: {target: "https://…"}, or integrationId of an existing custom integration.',
		);
	}
	const webhooks = integration ? await client.listWebhooks(integration.id, options) : [];
	let [switchboard] = await client.listSwitchboards(options);
	let members = switchboard
		? await client.listSwitchboardIntegrations(switchboard.id, options)
		: [];

	// ---- check before any change ----
	let workspace = findAgentWorkspaceIn(members);
	let bot = integration ? members.find((m) => m.integrationId === integration?.id) : undefined;
	if (!bot) {
		const taken = members.find((m) => m.name === plan.sbiName);
		if (taken) {
			throw new InvalidInputError(
				'switchboardIntegrationName',
				`the switchboard already has a switchboard integration named ${JSON.stringify(plan.sbiName)}, linked to another integration`,
				'Pass another switchboardIntegrationName, or the integrationId that one is linked to.',
			);
		}
	}
	const toAdd = (workspace ? 0 : 1) + (bot ? 0 : 1);
	if (members.length + toAdd > MAX_SWITCHBOARD_INTEGRATIONS) {
		throw new InvalidInputError(
			'switchboard',
			`the switchboard has ${members.length} switchboard integrations and this needs ${toAdd} more; a switchboard holds at most ${MAX_SWITCHBOARD_INTEGRATIONS} (spec: Switchboard Integrations)`,
			'Delete a switchboard integration you no longer use.',
		);
	}

	// ---- the custom integration and its webhook ----
	let webhook: Webhook | undefined;
	/** Webhooks this call created: only their secret is handed back (an existing one's is someone else's, e.g. a trigger's). */
	const createdWebhooks = new Set<string>();
	if (!integration) {
		const wanted = newWebhook as WebhookInput;
		integration = await client.createCustomIntegration(
			{ displayName: plan.botName, webhook: wanted },
			options,
		);
		webhook = integration.webhooks?.[0];
		if (webhook) createdWebhooks.add(webhook.id);
		changes.push(
			`created the custom integration "${plan.botName}" with a webhook to ${wanted.target}`,
		);
	} else {
		if (integration.displayName !== plan.botName) {
			const before = integration.displayName;
			integration = await client.updateIntegration(
				integration.id,
				{ displayName: plan.botName },
				options,
			);
			changes.push(
				`renamed the custom integration ${before ? `"${before}" ` : ''}to "${plan.botName}"`,
			);
		}
		webhook = webhooks.find((w) => w.target === plan.webhook?.target) ?? webhooks[0];
		if (plan.webhook)
			webhook = await convergeWebhook(
				client,
				integration.id,
				webhook,
				plan,
				changes,
				createdWebhooks,
				options,
			);
	}

	// ---- the switchboard and its members ----
	if (!switchboard) {
		switchboard = await client.createSwitchboard(options);
		members = [];
		changes.push('created the switchboard');
	}
	if (!workspace) {
		// Spec switchboardIntegrationCreateBody: an OAuth or Zendesk integration is linked by integrationType.
		workspace = await client.createSwitchboardIntegration(
			switchboard.id,
			{ name: AGENT_WORKSPACE_NAME, integrationType: AGENT_WORKSPACE_TYPE },
			options,
		);
		changes.push(`added ${AGENT_WORKSPACE_NAME} (the agent workspace) to the switchboard`);
	}
	if (!bot) {
		bot = await client.createSwitchboardIntegration(
			switchboard.id,
			{
				name: plan.sbiName,
				integrationId: integration.id,
				nextSwitchboardIntegrationId: workspace.id,
			},
			options,
		);
		changes.push(`added ${plan.sbiName} to the switchboard with ${workspace.name} as its next`);
	} else if ((bot.nextSwitchboardIntegrationId ?? null) !== workspace.id) {
		bot = await client.updateSwitchboardIntegration(
			switchboard.id,
			bot.id,
			{ nextSwitchboardIntegrationId: workspace.id },
			options,
		);
		changes.push(`set ${bot.name}'s next to ${workspace.name}`);
	}
	switchboard = await convergeSwitchboard(
		client,
		switchboard,
		plan,
		bot,
		workspace,
		changes,
		options,
	);

	return {
		integration: { id: integration.id, displayName: integration.displayName ?? null },
		...(webhook ? { webhook: webhookSummary(webhook, createdWebhooks.has(webhook.id)) } : {}),
		switchboard: {
			id: switchboard.id,
			enabled: switchboard.enabled,
			defaultSwitchboardIntegrationId: switchboard.defaultSwitchboardIntegrationId ?? null,
		},
		switchboardIntegration: { id: bot.id, name: bot.name },
		agentWorkspace: { id: workspace.id, name: workspace.name },
		changes,
	};
}

/** Every check that needs no request. */
function planHandoff(input: BotHandoffOptions): Plan {
	if (!isPlainObject(input))
		throw new InvalidInputError('botName', 'setUpBotHandoff needs {botName, webhook?}');
	const botName = requireString('botName', input.botName, MAX_DISPLAY_NAME_LENGTH);
	let webhook: Plan['webhook'];
	let triggersGiven = false;
	if (input.webhook !== undefined) {
		if (!isPlainObject(input.webhook))
			throw new InvalidInputError('webhook', 'webhook must be {target, triggers?}');
		triggersGiven = input.webhook.triggers !== undefined;
		webhook = webhookBody(
			{ ...input.webhook, triggers: input.webhook.triggers ?? [...ESCALATION_TRIGGERS] },
			true,
			'webhook',
		) as unknown as WebhookInput;
	}
	const integrationId =
		input.integrationId === undefined ? undefined : requireId('integrationId', input.integrationId);
	const makeDefault = optionalBoolean('makeDefault', input.makeDefault) ?? false;
	const enableSwitchboard = optionalBoolean('enableSwitchboard', input.enableSwitchboard) ?? true;
	let sbiName: string;
	if (input.switchboardIntegrationName !== undefined)
		sbiName = requireSwitchboardIntegrationName(
			'switchboardIntegrationName',
			input.switchboardIntegrationName,
		);
	else {
		// Spec `name`: "Restricted to alphanumeric characters, `-` and `_`" (maxLength 128).
		sbiName = botName
			.replace(/[^A-Za-z0-9_-]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 128);
		if (!sbiName) {
			throw new InvalidInputError(
				'switchboardIntegrationName',
				`botName ${quoteValue(botName)} has no letter or digit to name the switchboard integration after`,
				'Pass switchboardIntegrationName, e.g. "n8n-bot".',
			);
		}
	}
	return {
		botName,
		webhook,
		triggersGiven,
		integrationId,
		makeDefault,
		sbiName,
		enableSwitchboard,
	};
}

async function findIntegration(
	client: MessagingClient,
	plan: Plan,
	options: CallOptions,
): Promise<Integration | undefined> {
	if (plan.integrationId !== undefined) {
		const integration = await client.getIntegration(plan.integrationId, options);
		if (integration.type !== 'custom') {
			throw new InvalidInputError(
				'integrationId',
				`integration ${plan.integrationId} is a ${integration.type} integration; a bot needs a custom one`,
			);
		}
		return integration;
	}
	const named: Integration[] = [];
	for await (const integration of client.integrations({ types: ['custom'] }, options)) {
		if (integration.displayName === plan.botName) named.push(integration);
	}
	if (named.length > 1) {
		throw new InvalidInputError(
			'integrationId',
			`${named.length} custom integrations are named ${quoteValue(plan.botName)}`,
			`Pass integrationId: one of ${named.map((i) => i.id).join(', ')}.`,
		);
	}
	return named[0];
}

/** Points the integration's webhook at the target (and the triggers, when given); adds one if it has none. */
async function convergeWebhook(
	client: MessagingClient,
	integrationId: string,
	current: Webhook | undefined,
	plan: Plan,
	changes: string[],
	createdWebhooks: Set<string>,
	options: CallOptions,
): Promise<Webhook> {
	const wanted = plan.webhook as WebhookInput;
	if (!current) {
		const created = await client.createWebhook(integrationId, wanted, options);
		createdWebhooks.add(created.id);
		changes.push(`added a webhook to ${wanted.target}`);
		return created;
	}
	const update: Record<string, unknown> = {};
	const said: string[] = [];
	if (current.target !== wanted.target) {
		update.target = wanted.target;
		said.push(`pointed the webhook at ${wanted.target} (was ${current.target})`);
	}
	const triggers = wanted.triggers;
	if (plan.triggersGiven && !sameSet(current.triggers, triggers)) {
		update.triggers = triggers;
		said.push(`set the webhook's triggers to ${triggers.join(', ')}`);
	}
	for (const flag of ['includeFullUser', 'includeFullSource'] as const) {
		if (wanted[flag] !== undefined && (current[flag] ?? false) !== wanted[flag]) {
			update[flag] = wanted[flag];
			said.push(`set the webhook's ${flag} to ${String(wanted[flag])}`);
		}
	}
	if (said.length === 0) return current;
	const updated = await client.updateWebhook(integrationId, current.id, update, options);
	changes.push(...said);
	return updated;
}

/** The default responder (the bot when asked; the agent workspace when there is none) and the enabled flag, in one update. */
async function convergeSwitchboard(
	client: MessagingClient,
	switchboard: Switchboard,
	plan: Plan,
	bot: SwitchboardIntegration,
	workspace: SwitchboardIntegration,
	changes: string[],
	options: CallOptions,
): Promise<Switchboard> {
	const update: UpdateSwitchboardInput = {};
	const said: string[] = [];
	const currentDefault = switchboard.defaultSwitchboardIntegrationId ?? null;
	if (plan.makeDefault && currentDefault !== bot.id) {
		update.defaultSwitchboardIntegrationId = bot.id;
		said.push(`made ${bot.name} the default responder`);
	} else if (currentDefault === null) {
		// Spec: "Enabled switchboard must have an associated default switchboardIntegration".
		update.defaultSwitchboardIntegrationId = workspace.id;
		said.push(`made ${workspace.name} the default responder`);
	}
	if (plan.enableSwitchboard && !switchboard.enabled) {
		update.enabled = true;
		said.push('enabled the switchboard');
	}
	if (said.length === 0) return switchboard;
	const updated = await client.updateSwitchboard(switchboard.id, update, options);
	changes.push(...said);
	return updated;
}

function sameSet(a: string[], b: string[]): boolean {
	const left = new Set(a);
	const right = new Set(b);
	return left.size === right.size && [...left].every((x) => right.has(x));
}

function webhookSummary(
	webhook: Webhook,
	createdNow: boolean,
): NonNullable<BotHandoffResult['webhook']> {
	const summary = { id: webhook.id, target: webhook.target, triggers: webhook.triggers };
	// The secret verifies every delivery (X-API-Key): it goes into an execution's output only when
	// this call made the webhook, so the caller can store it; never an existing webhook's.
	return createdNow && webhook.secret ? { ...summary, secret: webhook.secret } : summary;
}
