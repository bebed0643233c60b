import { NodeOperationError, type IHookFunctions, type INode, type Logger } from 'n8n-workflow';

import type { MessagingClient, Webhook } from '../../../src/messaging';
import { MAX_DISPLAY_NAME_LENGTH } from '../../../src/messaging/constants';
import { HttpError } from '../../../src/shared/errors';
import { messagingConnection } from '../../shared/connection';
import { toNodeError } from '../../shared/errors';
import { activationSettings, type TriggerSettings } from './settings';
import {
	clearStoredWebhook,
	readStoredWebhook,
	writeStoredWebhook,
	type StoredWebhook,
} from './state';

/**
 * The webhook's life on Zendesk, as n8n drives it (webhook.service createWebhookIfNotExists:
 * checkExists, then create if needed; delete on deactivation). Everything Zendesk must know is in
 * the webhook itself (target, triggers, includeFull*), so the checks below compare exactly that.
 */

/** True when the webhook stored at activation still exists with this URL; reconciles its events. */
export async function checkWebhookExists(ctx: IHookFunctions): Promise<boolean> {
	const settings = activationSettings(ctx);
	if (settings.registration === 'manual') return true;
	const data = ctx.getWorkflowStaticData('node');
	const stored = readStoredWebhook(data);
	if (!stored) return false;
	const target = webhookUrlOf(ctx);
	return await withClient(ctx, async (client) => {
		// Another registration chosen since, or the stored webhook points elsewhere: replace it. In a
		// test run ("Listen for test event") leave anything found alone: it may be the production one.
		const mayClean = ctx.getMode() !== 'manual';
		if (!sameRegistration(stored, settings)) {
			if (mayClean) await removeWebhook(client, stored, ctx.logger);
			clearStoredWebhook(data);
			return false;
		}
		const webhook = await unlessGone(client.getWebhook(stored.integrationId, stored.webhookId));
		if (!webhook) {
			// Deleted in Admin Center: a custom integration we made for it is now an empty shell.
			if (mayClean && stored.createdIntegration)
				await deleteIntegrationQuietly(client, stored.integrationId, ctx.logger);
			clearStoredWebhook(data);
			return false;
		}
		if (webhook.target !== target) {
			if (mayClean) await removeWebhook(client, stored, ctx.logger);
			clearStoredWebhook(data);
			return false;
		}
		if (!sameSubscription(webhook, settings))
			await client.updateWebhook(stored.integrationId, stored.webhookId, subscriptionOf(settings));
		if (webhook.secret && webhook.secret !== stored.webhookSecret)
			writeStoredWebhook(data, { ...stored, webhookSecret: webhook.secret });
		return true;
	});
}

/** Creates the webhook for this workflow's URL and stores its ids and secret. */
export async function createWebhook(ctx: IHookFunctions): Promise<boolean> {
	const settings = activationSettings(ctx);
	if (settings.registration === 'manual') return true;
	const target = webhookUrlOf(ctx);
	const data = ctx.getWorkflowStaticData('node');
	return await withClient(ctx, async (client) => {
		let stored: StoredWebhook;
		if (settings.registration === 'existingIntegration') {
			stored = await createOnExistingIntegration(client, settings, target, ctx.getNode());
		} else {
			stored = await createOnNewIntegration(client, settings, target, integrationNameOf(ctx));
		}
		writeStoredWebhook(data, stored);
		return true;
	});
}

/** Deletes what activation created: the webhook, and the custom integration if it made one. */
export async function deleteWebhook(ctx: IHookFunctions): Promise<boolean> {
	const data = ctx.getWorkflowStaticData('node');
	const stored = readStoredWebhook(data);
	if (!stored) return true;
	try {
		await withClient(ctx, async (client) => await removeWebhook(client, stored, ctx.logger));
	} catch (error) {
		// Kept in static data: the next activation finds the webhook (same URL) and uses it again.
		ctx.logger.warn(
			`Zendesk Messaging Trigger: could not delete webhook ${stored.webhookId}: ${(error as Error).message}`,
		);
		return false;
	}
	clearStoredWebhook(data);
	return true;
}

async function createOnExistingIntegration(
	client: MessagingClient,
	settings: TriggerSettings,
	target: string,
	node: INode,
): Promise<StoredWebhook> {
	const integrationId = settings.integrationId;
	const webhooks = await client.listWebhooks(integrationId);
	// A webhook left with this exact URL (static data lost, a failed deletion) is adopted, not
	// duplicated: an app may hold only 10 webhooks.
	let webhook = webhooks.find((w) => w.target === target);
	if (!webhook && webhooks.length > 0) {
		// "A custom integration may not have more than one webhook at a time. Creating a new webhook
		// for custom integrations will replace the existing webhook" (NOTES.md, Pipedream): adding
		// ours would silently cut off whatever receives that integration's events today.
		throw new NodeOperationError(
			node,
			`Integration ${integrationId} already has a webhook for another address`,
			{
				description:
					'A custom integration holds one webhook, so adding this one would replace it. Choose "Create a New Integration", or delete that webhook in Admin Center first.',
				level: 'warning',
			},
		);
	}
	if (webhook && !sameSubscription(webhook, settings))
		webhook = await client.updateWebhook(integrationId, webhook.id, subscriptionOf(settings));
	webhook ??= await client.createWebhook(integrationId, { target, ...subscriptionOf(settings) });
	return {
		integrationId,
		webhookId: webhook.id,
		webhookSecret: await secretOf(client, integrationId, webhook),
		createdIntegration: false,
	};
}

async function createOnNewIntegration(
	client: MessagingClient,
	settings: TriggerSettings,
	target: string,
	displayName: string,
): Promise<StoredWebhook> {
	const leftOver = await leftOverIntegration(client, displayName);
	if (leftOver) {
		// Ours from an earlier activation, kept because a switchboard uses it (Set Up Bot Handoff): a
		// new one with the same name would leave the switchboard pointing at this one, now deaf.
		const webhook = await client.createWebhook(leftOver, { target, ...subscriptionOf(settings) });
		return {
			integrationId: leftOver,
			webhookId: webhook.id,
			webhookSecret: await secretOf(client, leftOver, webhook),
			createdIntegration: true,
		};
	}
	const integration = await client.createCustomIntegration({
		displayName,
		webhook: { target, ...subscriptionOf(settings) },
	});
	const stored = async (): Promise<StoredWebhook> => {
		const webhook =
			integration.webhooks?.find((w) => w.target === target) ??
			(await client.findWebhookByTarget(integration.id, target));
		if (!webhook)
			throw new Error(
				`Zendesk created integration ${integration.id} without the webhook for ${target}`,
			);
		return {
			integrationId: integration.id,
			webhookId: webhook.id,
			webhookSecret: await secretOf(client, integration.id, webhook),
			createdIntegration: true,
		};
	};
	// Half a registration is worse than none: without its webhook's secret the integration is useless.
	return await stored().catch(async (error: unknown) => {
		await deleteIntegrationQuietly(client, integration.id);
		return await Promise.reject(error);
	});
}

/**
 * A custom integration with this workflow's integration name and no webhook: what deactivation
 * leaves when the integration could not be deleted (a switchboard integration links it). Only an
 * unambiguous one is taken; an integration with a webhook belongs to someone.
 */
async function leftOverIntegration(
	client: MessagingClient,
	displayName: string,
): Promise<string | undefined> {
	const candidates: string[] = [];
	for await (const integration of client.integrations({ types: ['custom'] })) {
		if (integration.displayName === displayName) candidates.push(integration.id);
	}
	const empty: string[] = [];
	for (const id of candidates) if ((await client.listWebhooks(id)).length === 0) empty.push(id);
	return empty.length === 1 ? empty[0] : undefined;
}

/** The secret comes with the created webhook; a GET of the webhook returns it too (spec "Securing … Webhooks"). */
async function secretOf(
	client: MessagingClient,
	integrationId: string,
	webhook: Webhook,
): Promise<string> {
	const secret = webhook.secret || (await client.getWebhook(integrationId, webhook.id)).secret;
	if (!secret)
		throw new Error(
			`Zendesk returned no secret for webhook ${webhook.id}, so its calls could not be verified`,
		);
	return secret;
}

async function removeWebhook(
	client: MessagingClient,
	stored: StoredWebhook,
	logger: Logger,
): Promise<void> {
	if (stored.createdIntegration) {
		try {
			await unlessGone(client.deleteIntegration(stored.integrationId));
			return;
		} catch (error) {
			// E.g. someone linked it to a switchboard integration since: at least stop the deliveries.
			logger.warn(
				`Zendesk Messaging Trigger: could not delete integration ${stored.integrationId}, deleting only its webhook: ${(error as Error).message}`,
			);
		}
	}
	await unlessGone(client.deleteWebhook(stored.integrationId, stored.webhookId));
}

/** A request whose 404 means "already gone": resolves undefined then, and fails as usual otherwise. */
async function unlessGone<T>(request: Promise<T>): Promise<T | undefined> {
	return await request.catch(async (error: unknown) =>
		isGone(error) ? undefined : await Promise.reject(error),
	);
}

async function deleteIntegrationQuietly(
	client: MessagingClient,
	integrationId: string,
	logger?: Logger,
): Promise<void> {
	try {
		await unlessGone(client.deleteIntegration(integrationId));
	} catch (error) {
		logger?.warn(
			`Zendesk Messaging Trigger: could not delete integration ${integrationId}: ${(error as Error).message}`,
		);
	}
}

function subscriptionOf(settings: TriggerSettings) {
	return {
		triggers: settings.events,
		includeFullUser: settings.includeFullUser,
		includeFullSource: settings.includeFullSource,
	};
}

function sameSubscription(webhook: Webhook, settings: TriggerSettings): boolean {
	const wanted = new Set(settings.events);
	return (
		webhook.triggers.length === wanted.size &&
		webhook.triggers.every((t) => wanted.has(t)) &&
		(webhook.includeFullUser ?? false) === settings.includeFullUser &&
		(webhook.includeFullSource ?? false) === settings.includeFullSource
	);
}

function sameRegistration(stored: StoredWebhook, settings: TriggerSettings): boolean {
	if (settings.registration === 'existingIntegration')
		return !stored.createdIntegration && stored.integrationId === settings.integrationId;
	return stored.createdIntegration;
}

function isGone(error: unknown): boolean {
	return error instanceof HttpError && (error as HttpError).statusCode === 404;
}

function webhookUrlOf(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url)
		throw new NodeOperationError(ctx.getNode(), 'n8n has no webhook URL for this node', {
			description: 'Save the workflow and try again.',
		});
	return url;
}

/** "n8n: <workflow name>", so the integration explains itself in Admin Center. */
function integrationNameOf(ctx: IHookFunctions): string {
	const name = `n8n: ${ctx.getWorkflow().name ?? ctx.getWorkflow().id ?? 'workflow'}`;
	return [...name].slice(0, MAX_DISPLAY_NAME_LENGTH).join('');
}

/** Opens a client for one hook call and always releases it; core errors become n8n errors. */
async function withClient<T>(
	ctx: IHookFunctions,
	run: (client: MessagingClient) => Promise<T>,
): Promise<T> {
	const { client } = await messagingConnection(ctx);
	try {
		return await run(client);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	} finally {
		await client.close();
	}
}
