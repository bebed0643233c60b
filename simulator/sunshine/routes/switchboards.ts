import type { SunshineApp } from '../app';
import {
	SunshineError,
	badRequest,
	integrationNotFound,
	notFound,
	switchboardIntegrationNotFound,
	switchboardNotFound,
} from '../errors';
import { newId } from '../ids';
import { presentSwitchboardIntegration } from '../present';
import { ANY_SCOPE, APP_SCOPE, created, ok, type Route } from '../router';
import type {
	Caller,
	ConversationRecord,
	SwitchboardIntegrationRecord,
	SwitchboardRecord,
} from '../types';
import {
	Issues,
	NAME_RULE,
	booleanField,
	integerField,
	metadataField,
	objectBody,
	stringField,
	type Json,
} from '../validate';

/** openapi.yaml tag Switchboard Integrations: "A switchboard is limited to 10 switchboard integrations." */
export const SWITCHBOARD_INTEGRATION_LIMIT = 10;

/** Switchboard actions (openapi.yaml tag Switchboard Actions): pass, offer, accept, release control. */
export function switchboardActionRoutes(app: SunshineApp): Route[] {
	const { store, switchboard } = app;
	const action = (
		name: string,
		run: (conversation: ConversationRecord, input: Json, caller: Caller) => void,
		bodyRequired = true,
	): Route => ({
		method: 'POST',
		path: `conversations/:conversation/${name}`,
		scopes: ANY_SCOPE,
		handle: ({ params, body, caller }) => {
			const conversation = store.requireConversation(params.conversation);
			run(conversation, objectBody(body, bodyRequired), caller);
			// openapi.yaml: every switchboard action answers 200 with the empty object.
			return ok({});
		},
	});
	return [
		action('passControl', (conversation, input) => {
			const { reference, metadata } = targetBody(input);
			switchboard.passControl(conversation, reference, metadata);
		}),
		action('offerControl', (conversation, input) => {
			const { reference, metadata } = targetBody(input);
			switchboard.offerControl(conversation, reference, metadata);
		}),
		action('acceptControl', (conversation, input, caller) => {
			switchboard.acceptControl(conversation, metadataBody(input), caller);
		}),
		// openapi.yaml ReleaseControl: `requestBody: required: false`.
		action(
			'releaseControl',
			(conversation, input, caller) =>
				switchboard.releaseControl(conversation, metadataBody(input), caller),
			false,
		),
	];
}

/** openapi.yaml passControlBody / offerControlBody: `switchboardIntegration` is required. */
function targetBody(input: Json) {
	const issues = new Issues();
	const reference = stringField(input, 'switchboardIntegration', '', issues, {
		required: true,
		min: 1,
	});
	const metadata = metadataField(input, 'metadata', '', issues);
	issues.throwIfAny();
	return { reference: reference as string, metadata };
}

/** openapi.yaml acceptControlBody / releaseControlBody: `{metadata}` only. */
function metadataBody(input: Json) {
	const issues = new Issues();
	const metadata = metadataField(input, 'metadata', '', issues);
	issues.throwIfAny();
	return metadata;
}

/** Switchboards and their switchboard integrations (openapi.yaml tags Switchboards, Switchboard Integrations). */
export function switchboardRoutes(app: SunshineApp): Route[] {
	const { store } = app;
	const requireSwitchboard = (id: string): SwitchboardRecord => {
		const switchboard = store.switchboard;
		if (!switchboard || id !== switchboard.id) throw switchboardNotFound();
		return switchboard;
	};
	const requireSwitchboardIntegration = (switchboardId: string, id: string) => {
		requireSwitchboard(switchboardId);
		const sbi = store.switchboardIntegrations.get(id);
		if (!sbi) throw switchboardIntegrationNotFound();
		return sbi;
	};
	// openapi.yaml `switchboard`: id and enabled are required; the examples leave out an unset default.
	const presentSwitchboard = (sb: SwitchboardRecord): Json => {
		const out: Json = { id: sb.id, enabled: sb.enabled };
		if (sb.defaultSwitchboardIntegrationId)
			out.defaultSwitchboardIntegrationId = sb.defaultSwitchboardIntegrationId;
		return out;
	};
	return [
		{
			method: 'GET',
			path: 'switchboards',
			scopes: APP_SCOPE,
			handle: () =>
				ok({ switchboards: store.switchboard ? [presentSwitchboard(store.switchboard)] : [] }),
		},
		{
			method: 'POST',
			path: 'switchboards',
			scopes: APP_SCOPE,
			handle: () => {
				// openapi.yaml CreateSwitchboard 400 example: one switchboard per app.
				if (store.switchboard) throw badRequest('Only one switchboard can be created per app');
				// openapi.yaml createSwitchboard example: a new switchboard is disabled, without a default
				// (`enabled`: "Allows creating the switchboard in a disabled state").
				store.switchboard = { id: newId(), enabled: false, defaultSwitchboardIntegrationId: null };
				return created({ switchboard: presentSwitchboard(store.switchboard) });
			},
		},
		{
			method: 'DELETE',
			path: 'switchboards/:switchboard',
			scopes: APP_SCOPE,
			handle: ({ params }) => {
				requireSwitchboard(params.switchboard);
				// openapi.yaml DeleteSwitchboard: "Deletes the switchboard and all its switchboard
				// integrations. The integrations linked to these switchboard integrations are not deleted".
				store.switchboard = null;
				store.switchboardIntegrations.clear();
				for (const conversation of store.conversations.values()) {
					conversation.activeSwitchboardIntegrationId = null;
					conversation.pendingSwitchboardIntegrationId = null;
					conversation.pendingMetadata = undefined;
				}
				return ok({});
			},
		},
		{
			method: 'PATCH',
			path: 'switchboards/:switchboard',
			scopes: APP_SCOPE,
			handle: ({ params, body }) => {
				const sb = requireSwitchboard(params.switchboard);
				const input = objectBody(body);
				const issues = new Issues();
				const enabled = booleanField(input, 'enabled', '', issues);
				const defaultId = stringField(input, 'defaultSwitchboardIntegrationId', '', issues, {
					min: 1,
				});
				issues.throwIfAny();
				if (typeof defaultId === 'string' && !store.switchboardIntegrations.has(defaultId))
					throw switchboardIntegrationNotFound();
				// The code and title of openapi.yaml UpdateSwitchboardIntegration's 404 example, the one rule
				// the spec states about enabling. (unverified: that PATCH /switchboards answers it)
				if ((enabled ?? sb.enabled) && !(defaultId ?? sb.defaultSwitchboardIntegrationId)) {
					throw notFound(
						'switchboard_integration_not_found',
						'Enabled switchboard must have an associated default switchboardIntegration',
					);
				}
				if (enabled !== undefined) sb.enabled = enabled;
				if (typeof defaultId === 'string') sb.defaultSwitchboardIntegrationId = defaultId;
				return ok({ switchboard: presentSwitchboard(sb) });
			},
		},
		{
			method: 'GET',
			path: 'switchboards/:switchboard/switchboardIntegrations',
			scopes: APP_SCOPE,
			handle: ({ params }) => {
				requireSwitchboard(params.switchboard);
				return ok({
					switchboardIntegrations: [...store.switchboardIntegrations.values()].map(
						presentSwitchboardIntegration,
					),
				});
			},
		},
		{
			method: 'POST',
			path: 'switchboards/:switchboard/switchboardIntegrations',
			scopes: APP_SCOPE,
			handle: ({ params, body }) => {
				requireSwitchboard(params.switchboard);
				const input = objectBody(body);
				const fields = switchboardIntegrationFields(input, true);
				if (store.switchboardIntegrations.size >= SWITCHBOARD_INTEGRATION_LIMIT) {
					// openapi.yaml CreateSwitchboardIntegration 400 example.
					throw new SunshineError(
						400,
						'too_many_switchboard_integrations',
						'Switchboard has reached the max number of switchboard integrations (10)',
					);
				}
				const sbi: SwitchboardIntegrationRecord = {
					id: newId(),
					name: fields.name as string,
					integrationId: '',
					integrationType: '',
					// openapi.yaml switchboardIntegrationCreateBody: deliverStandbyEvents "default: true".
					deliverStandbyEvents: fields.deliverStandbyEvents ?? true,
					nextSwitchboardIntegrationId: fields.nextSwitchboardIntegrationId ?? null,
					messageHistoryCount: fields.messageHistoryCount ?? null,
				};
				applyLink(app, sbi, fields);
				checkReferences(app, sbi);
				store.switchboardIntegrations.set(sbi.id, sbi);
				return created({ switchboardIntegration: presentSwitchboardIntegration(sbi) });
			},
		},
		{
			method: 'PATCH',
			path: 'switchboards/:switchboard/switchboardIntegrations/:sbi',
			scopes: APP_SCOPE,
			handle: ({ params, body }) => {
				const sbi = requireSwitchboardIntegration(params.switchboard, params.sbi);
				const fields = switchboardIntegrationFields(objectBody(body), false);
				const updated: SwitchboardIntegrationRecord = { ...sbi };
				if (fields.name !== undefined) updated.name = fields.name;
				if (fields.deliverStandbyEvents !== undefined)
					updated.deliverStandbyEvents = fields.deliverStandbyEvents;
				if (fields.nextSwitchboardIntegrationId !== undefined)
					updated.nextSwitchboardIntegrationId = fields.nextSwitchboardIntegrationId;
				if (fields.messageHistoryCount !== undefined)
					updated.messageHistoryCount = fields.messageHistoryCount;
				if (fields.integrationId !== undefined || fields.integrationType !== undefined)
					applyLink(app, updated, fields);
				checkReferences(app, updated);
				Object.assign(sbi, updated);
				return ok({ switchboardIntegration: presentSwitchboardIntegration(sbi) });
			},
		},
		{
			method: 'DELETE',
			path: 'switchboards/:switchboard/switchboardIntegrations/:sbi',
			scopes: APP_SCOPE,
			handle: ({ params }) => {
				const sbi = requireSwitchboardIntegration(params.switchboard, params.sbi);
				// openapi.yaml DeleteSwitchboardIntegration: "it is forbidden to delete a switchboard
				// integration if it's the default one ... or if another switchboard integration's
				// `nextSwitchboardIntegrationId` refers to it". (unverified: answered as 400)
				if (store.switchboard?.defaultSwitchboardIntegrationId === sbi.id) {
					throw badRequest(
						'The default switchboard integration cannot be deleted: choose another default first',
					);
				}
				const referrer = [...store.switchboardIntegrations.values()].find(
					(s) => s.nextSwitchboardIntegrationId === sbi.id,
				);
				if (referrer)
					throw badRequest(
						`Switchboard integration ${referrer.name} names it as nextSwitchboardIntegrationId`,
					);
				store.switchboardIntegrations.delete(sbi.id);
				// Its conversations get the default again "next time the conversation has activity".
				for (const conversation of store.conversations.values()) {
					if (conversation.activeSwitchboardIntegrationId === sbi.id)
						conversation.activeSwitchboardIntegrationId = null;
					if (conversation.pendingSwitchboardIntegrationId === sbi.id)
						conversation.pendingSwitchboardIntegrationId = null;
				}
				return ok({});
			},
		},
	];
}

interface SwitchboardIntegrationFields {
	name?: string;
	integrationId?: string;
	integrationType?: string;
	deliverStandbyEvents?: boolean;
	nextSwitchboardIntegrationId?: string | null;
	messageHistoryCount?: number | null;
}

function switchboardIntegrationFields(
	input: Json,
	creating: boolean,
): SwitchboardIntegrationFields {
	const issues = new Issues();
	const out: SwitchboardIntegrationFields = {};
	const name = stringField(input, 'name', '', issues, { ...NAME_RULE, required: creating });
	const integrationId = stringField(input, 'integrationId', '', issues, { min: 1 });
	const integrationType = stringField(input, 'integrationType', '', issues, { min: 1 });
	if (typeof integrationId === 'string' && typeof integrationType === 'string') {
		issues.add("Can't provide both integrationId and integrationType");
	} else if (creating && integrationId === undefined && integrationType === undefined) {
		issues.add('One of integrationId or integrationType must be provided');
	}
	const deliverStandbyEvents = booleanField(input, 'deliverStandbyEvents', '', issues);
	const next = stringField(input, 'nextSwitchboardIntegrationId', '', issues, {
		min: 1,
		nullable: true,
	});
	const count = integerField(input, 'messageHistoryCount', '', issues, {
		min: 1,
		max: 10,
		nullable: true,
	});
	issues.throwIfAny();
	if (typeof name === 'string') out.name = name;
	if (typeof integrationId === 'string') out.integrationId = integrationId;
	if (typeof integrationType === 'string') out.integrationType = integrationType;
	if (deliverStandbyEvents !== undefined) out.deliverStandbyEvents = deliverStandbyEvents;
	if (next !== undefined) out.nextSwitchboardIntegrationId = next;
	if (count !== undefined) out.messageHistoryCount = count;
	return out;
}

/**
 * A custom integration is linked by integrationId, an OAuth or Zendesk one by integrationType
 * (openapi.yaml switchboardIntegrationCreateBody). An integrationType the app has no integration of
 * gets a fresh integration id (an OAuth integration the simulator does not otherwise model).
 */
function applyLink(
	app: SunshineApp,
	sbi: SwitchboardIntegrationRecord,
	fields: SwitchboardIntegrationFields,
): void {
	if (fields.integrationId !== undefined) {
		const integration = app.store.integrations.get(fields.integrationId);
		if (!integration) throw integrationNotFound();
		sbi.integrationId = integration.id;
		sbi.integrationType = integration.type;
	} else if (fields.integrationType !== undefined) {
		const integration = [...app.store.integrations.values()].find(
			(i) => i.type === fields.integrationType,
		);
		sbi.integrationId = integration?.id ?? newId();
		sbi.integrationType = fields.integrationType;
	}
}

function checkReferences(app: SunshineApp, sbi: SwitchboardIntegrationRecord): void {
	const others = [...app.store.switchboardIntegrations.values()].filter((s) => s.id !== sbi.id);
	// (unverified: names and linked integrations are unique in a switchboard; the spec resolves
	// references by name, which only works if they are)
	if (others.some((s) => s.name === sbi.name))
		throw badRequest(`A switchboard integration named ${sbi.name} already exists`);
	if (others.some((s) => s.integrationId === sbi.integrationId)) {
		throw badRequest('That integration is already linked to a switchboard integration');
	}
	if (
		sbi.nextSwitchboardIntegrationId &&
		!app.store.switchboardIntegrations.has(sbi.nextSwitchboardIntegrationId)
	) {
		throw switchboardIntegrationNotFound();
	}
}
