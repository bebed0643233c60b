import type { SunshineApp } from '../app';
import { badRequest, forbidden, integrationNotFound, resourceNotFound } from '../errors';
import { TRIGGERS } from '../events';
import { newId, newKeySecret, newWebhookSecret } from '../ids';
import { pageBody, pageLinkBuilder, pageOf, readPage } from '../pagination';
import { presentIntegration, presentKey, presentWebhook } from '../present';
import { ANY_SCOPE, APP_SCOPE, created, ok, type Route } from '../router';
import type { Caller, IntegrationRecord, WebhookRecord } from '../types';
import { Issues, booleanField, isObject, objectBody, stringField } from '../validate';

/** openapi.yaml tag Webhooks: "An app is limited to 10 webhooks." */
export const WEBHOOK_LIMIT = 10;
/** openapi.yaml tag CustomIntegrationApiKeys: "An integration can have a maximum of 10 keys." */
export const INTEGRATION_KEY_LIMIT = 10;

/** Integration types of openapi.yaml `integration`; the simulator creates only `custom` ones. */
const KNOWN_TYPES = [
	'android',
	'apple',
	'custom',
	'instagram',
	'ios',
	'line',
	'mailgun',
	'messagebird',
	'messenger',
	'telegram',
	'twilio',
	'twitter',
	'unity',
	'viber',
	'web',
	'whatsapp',
];

/** Integrations, their API keys and their webhooks (openapi.yaml tags Integrations, CustomIntegrationApiKeys, Webhooks). */
export function integrationRoutes(app: SunshineApp): Route[] {
	const { store } = app;
	const requireIntegration = (id: string) => {
		const integration = store.integrations.get(id);
		if (!integration) throw integrationNotFound();
		return integration;
	};
	/**
	 * The integration whose webhooks a caller manages: `me` is the calling integration (NOTES.md
	 * section 5: "An OAuth integration token uses /integrations/me/webhooks"); an integration-scope
	 * caller "cannot see or modify webhooks that were created by other integrations" (openapi.yaml tag
	 * OAuth Endpoints), hence the 403 the webhook operations document.
	 */
	const webhookOwner = (id: string, caller: Caller): IntegrationRecord => {
		const integrationId = id === 'me' ? caller.integrationId : id;
		if (!integrationId) throw integrationNotFound();
		if (caller.scope === 'integration' && integrationId !== caller.integrationId) throw forbidden();
		return requireIntegration(integrationId);
	};
	const requireWebhook = (integration: IntegrationRecord, id: string) => {
		const webhook = store.webhooks.get(id);
		if (!webhook || webhook.integrationId !== integration.id) throw resourceNotFound();
		return webhook;
	};
	const checkWebhookRoom = (replacing: number) => {
		if (store.webhooks.size - replacing >= WEBHOOK_LIMIT)
			throw badRequest(`An app is limited to ${WEBHOOK_LIMIT} webhooks`);
	};

	return [
		{
			method: 'POST',
			path: 'integrations',
			scopes: APP_SCOPE,
			handle: ({ body }) => {
				const input = objectBody(body);
				const issues = new Issues();
				const type = stringField(input, 'type', '', issues, { required: true });
				issues.throwIfAny();
				// openapi.yaml CreateIntegration 400 example.
				if (!KNOWN_TYPES.includes(type as string)) throw badRequest('Invalid integration type');
				if (type !== 'custom') {
					throw badRequest(
						`The simulator creates custom integrations only, not ${type} (they need the channel's own credentials)`,
					);
				}
				const displayName = stringField(input, 'displayName', '', issues, {
					min: 1,
					max: 100,
					nullable: true,
				});
				// openapi.yaml `custom.webhooks`: required, minItems 1, maxItems 1.
				const list = input.webhooks;
				let draft: WebhookDraft | undefined;
				if (!Array.isArray(list) || list.length !== 1)
					issues.add('webhooks must be an array of exactly 1 webhook');
				else draft = webhookDraft(list[0], issues, true, 'webhooks[0]');
				issues.throwIfAny();
				checkWebhookRoom(0);
				const integration: IntegrationRecord = {
					id: newId(),
					type: 'custom',
					status: 'active',
					displayName: displayName ?? null,
					builtIn: false,
				};
				store.addIntegration(integration);
				addWebhook(app, integration, draft as WebhookDraft);
				return created({ integration: presentIntegration(store, integration) });
			},
		},
		{
			method: 'GET',
			path: 'integrations',
			scopes: APP_SCOPE,
			handle: ({ query }) => {
				const page = readPage(query);
				const types = query.get('filter[types]');
				const wanted = types ? types.split(',').map((t) => t.trim()) : undefined;
				const all = [...store.integrations.values()].filter(
					(i) => !wanted || wanted.includes(i.type),
				);
				const result = pageOf(
					all,
					page,
					pageLinkBuilder(`${app.appBase()}/integrations`, query, page),
				);
				return ok({
					integrations: result.items.map((i) => presentIntegration(store, i)),
					...pageBody(result),
				});
			},
		},
		{
			method: 'GET',
			path: 'integrations/:integration',
			scopes: APP_SCOPE,
			handle: ({ params }) =>
				ok({ integration: presentIntegration(store, requireIntegration(params.integration)) }),
		},
		{
			method: 'PATCH',
			path: 'integrations/:integration',
			scopes: APP_SCOPE,
			handle: ({ params, body }) => {
				const integration = requireIntegration(params.integration);
				const issues = new Issues();
				// openapi.yaml customUpdate: displayName only, "can be unset by changing it to null".
				const displayName = stringField(objectBody(body), 'displayName', '', issues, {
					min: 1,
					max: 100,
					nullable: true,
				});
				issues.throwIfAny();
				if (displayName !== undefined) integration.displayName = displayName;
				return ok({ integration: presentIntegration(store, integration) });
			},
		},
		{
			method: 'DELETE',
			path: 'integrations/:integration',
			scopes: APP_SCOPE,
			handle: ({ params }) => {
				const integration = requireIntegration(params.integration);
				// openapi.yaml DeleteIntegration 400 example.
				if (integration.builtIn)
					throw badRequest('SDK integrations configured on Admin Center cannot be deleted');
				const linked = store.switchboardIntegrationOf(integration.id);
				// (unverified: Zendesk's answer when a switchboard integration still points at it)
				if (linked)
					throw badRequest(
						`Integration is linked to switchboard integration ${linked.name}: delete that first`,
					);
				for (const webhook of store.webhooksOf(integration.id)) store.webhooks.delete(webhook.id);
				for (const key of [...store.keys.values()])
					if (key.integrationId === integration.id) store.keys.delete(key.id);
				store.integrations.delete(integration.id);
				return ok({});
			},
		},
		// ---- custom integration API keys -----------------------------------------------------------
		{
			method: 'POST',
			path: 'integrations/:integration/keys',
			scopes: APP_SCOPE,
			handle: ({ params, body }) => {
				const integration = requireCustom(requireIntegration(params.integration));
				const issues = new Issues();
				const displayName = stringField(objectBody(body), 'displayName', '', issues, {
					required: true,
					min: 1,
					max: 100,
				});
				issues.throwIfAny();
				const keys = [...store.keys.values()].filter((k) => k.integrationId === integration.id);
				if (keys.length >= INTEGRATION_KEY_LIMIT)
					throw badRequest(`An integration can have a maximum of ${INTEGRATION_KEY_LIMIT} keys`);
				// Key ids start with int_ (openapi.yaml `apiKey` example int_5e4b0f225aca01092928f917).
				const key = {
					id: `int_${newId()}`,
					secret: newKeySecret(),
					displayName: displayName as string,
					scope: 'integration' as const,
					integrationId: integration.id,
				};
				store.keys.set(key.id, key);
				return created({ key: presentKey(key) });
			},
		},
		{
			method: 'GET',
			path: 'integrations/:integration/keys',
			scopes: APP_SCOPE,
			handle: ({ params }) => {
				const integration = requireCustom(requireIntegration(params.integration));
				return ok({
					keys: [...store.keys.values()]
						.filter((k) => k.integrationId === integration.id)
						.map(presentKey),
				});
			},
		},
		{
			method: 'GET',
			path: 'integrations/:integration/keys/:key',
			scopes: APP_SCOPE,
			handle: ({ params }) => {
				const integration = requireIntegration(params.integration);
				const key = store.keys.get(params.key);
				if (!key || key.integrationId !== integration.id) throw resourceNotFound();
				return ok({ key: presentKey(key) });
			},
		},
		{
			method: 'DELETE',
			path: 'integrations/:integration/keys/:key',
			scopes: APP_SCOPE,
			handle: ({ params }) => {
				const integration = requireIntegration(params.integration);
				const key = store.keys.get(params.key);
				if (!key || key.integrationId !== integration.id) throw resourceNotFound();
				store.keys.delete(key.id);
				return ok({});
			},
		},
		// ---- webhooks ------------------------------------------------------------------------------
		{
			method: 'POST',
			path: 'integrations/:integration/webhooks',
			scopes: ANY_SCOPE,
			handle: ({ params, body, caller }) => {
				const integration = requireCustom(webhookOwner(params.integration, caller));
				const issues = new Issues();
				const draft = webhookDraft(objectBody(body), issues, true, '');
				issues.throwIfAny();
				// "A custom integration may not have more than one webhook at a time. Creating a new
				// webhook for custom integrations will replace the existing webhook." (Pipedream's
				// sunshine_conversations webhook source; the spec's maxItems 1 agrees) (unverified)
				const existing = store.webhooksOf(integration.id);
				checkWebhookRoom(existing.length);
				for (const old of existing) store.webhooks.delete(old.id);
				return created({ webhook: presentWebhook(addWebhook(app, integration, draft)) });
			},
		},
		{
			method: 'GET',
			path: 'integrations/:integration/webhooks',
			scopes: ANY_SCOPE,
			handle: ({ params, caller }) => {
				const integration = webhookOwner(params.integration, caller);
				return ok({ webhooks: store.webhooksOf(integration.id).map(presentWebhook) });
			},
		},
		{
			method: 'GET',
			path: 'integrations/:integration/webhooks/:webhook',
			scopes: ANY_SCOPE,
			handle: ({ params, caller }) =>
				ok({
					webhook: presentWebhook(
						requireWebhook(webhookOwner(params.integration, caller), params.webhook),
					),
				}),
		},
		{
			method: 'PATCH',
			path: 'integrations/:integration/webhooks/:webhook',
			scopes: ANY_SCOPE,
			handle: ({ params, body, caller }) => {
				const webhook = requireWebhook(webhookOwner(params.integration, caller), params.webhook);
				const issues = new Issues();
				const draft = webhookDraft(objectBody(body), issues, false, '');
				issues.throwIfAny();
				if (draft.target !== undefined) webhook.target = draft.target;
				if (draft.triggers !== undefined) webhook.triggers = draft.triggers;
				if (draft.includeFullUser !== undefined) webhook.includeFullUser = draft.includeFullUser;
				if (draft.includeFullSource !== undefined)
					webhook.includeFullSource = draft.includeFullSource;
				return ok({ webhook: presentWebhook(webhook) });
			},
		},
		{
			method: 'DELETE',
			path: 'integrations/:integration/webhooks/:webhook',
			scopes: ANY_SCOPE,
			handle: ({ params, caller }) => {
				const webhook = requireWebhook(webhookOwner(params.integration, caller), params.webhook);
				store.webhooks.delete(webhook.id);
				return ok({});
			},
		},
	];
}

/** Webhooks and integration keys exist for custom integrations (openapi.yaml tags Webhooks, CustomIntegrationApiKeys). */
function requireCustom(integration: IntegrationRecord): IntegrationRecord {
	if (integration.type !== 'custom')
		throw badRequest('API keys and webhooks are available only for custom integrations');
	return integration;
}

interface WebhookDraft {
	target?: string;
	triggers?: string[];
	includeFullUser?: boolean;
	includeFullSource?: boolean;
}

/** openapi.yaml webhookCreateBody (target and triggers required) / webhookBody. */
function webhookDraft(
	value: unknown,
	issues: Issues,
	creating: boolean,
	path: string,
): WebhookDraft {
	if (!isObject(value)) {
		issues.add(`${path || 'webhook'} must be an object`);
		return {};
	}
	const draft: WebhookDraft = {};
	const target = stringField(value, 'target', path, issues, { required: creating, min: 1 });
	if (typeof target === 'string') {
		if (!/^https?:\/\//i.test(target) || !isUrl(target))
			issues.add(`${path ? `${path}.` : ''}target must be an http(s) URL`);
		draft.target = target;
	}
	const triggers = value.triggers;
	const where = `${path ? `${path}.` : ''}triggers`;
	if (triggers === undefined) {
		if (creating) issues.add(`${where} is required`);
	} else if (
		!Array.isArray(triggers) ||
		triggers.length === 0 ||
		triggers.some((t) => typeof t !== 'string')
	) {
		issues.add(`${where} must be a non-empty array of trigger names`);
	} else {
		// "This property is case sensitive" (openapi.yaml `triggers`).
		const unknown = triggers.filter((t) => !(TRIGGERS as readonly string[]).includes(t));
		if (unknown.length > 0) issues.add(`${where}: unknown trigger ${unknown.join(', ')}`);
		draft.triggers = [...new Set(triggers as string[])];
	}
	draft.includeFullUser = booleanField(value, 'includeFullUser', path, issues);
	draft.includeFullSource = booleanField(value, 'includeFullSource', path, issues);
	return draft;
}

function addWebhook(
	app: SunshineApp,
	integration: IntegrationRecord,
	draft: WebhookDraft,
): WebhookRecord {
	const webhook: WebhookRecord = {
		id: newId(),
		integrationId: integration.id,
		target: draft.target as string,
		triggers: draft.triggers as string[],
		// "When a webhook is created, a shared secret will be generated for it." (tag Webhooks)
		secret: newWebhookSecret(),
		includeFullUser: draft.includeFullUser ?? false,
		includeFullSource: draft.includeFullSource ?? false,
	};
	app.store.webhooks.set(webhook.id, webhook);
	return webhook;
}

function isUrl(value: string): boolean {
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}
