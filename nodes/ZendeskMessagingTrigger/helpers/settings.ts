import { NodeOperationError, type IDataObject, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';

import { WEBHOOK_TRIGGERS } from '../../../src/messaging/constants';

/** How the Zendesk webhook comes to exist. */
export type Registration = 'newIntegration' | 'existingIntegration' | 'manual';

/** The node's parameters, read once (KafkaTrigger v2's TriggerSettings): the rest of the node reads only these. */
export interface TriggerSettings {
	events: string[];
	registration: Registration;
	/** The integration to add the webhook to (registration existingIntegration). */
	integrationId: string;
	/** The secret of a webhook set up by hand (registration manual). */
	manualSecret: string;
	includeOwnMessages: boolean;
	includeFullUser: boolean;
	includeFullSource: boolean;
}

interface TriggerOptions {
	includeOwnMessages?: boolean;
	includeFullUser?: boolean;
	includeFullSource?: boolean;
}

const REGISTRATIONS: Registration[] = ['newIntegration', 'existingIntegration', 'manual'];

/** Reads the parameters without judging them: webhook() must answer a request whatever they say. */
export function readSettings(ctx: IHookFunctions | IWebhookFunctions): TriggerSettings {
	const registration = ctx.getNodeParameter('registration', 'newIntegration') as Registration;
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as TriggerOptions & IDataObject;
	const events = ctx.getNodeParameter('events', []) as unknown;
	return {
		events: Array.isArray(events) ? events.filter((e): e is string => typeof e === 'string') : [],
		registration,
		integrationId: registration === 'existingIntegration' ? String(ctx.getNodeParameter('integrationId', '') ?? '').trim() : '',
		manualSecret: registration === 'manual' ? String(ctx.getNodeParameter('webhookSecret', '') ?? '') : '',
		includeOwnMessages: options.includeOwnMessages === true,
		includeFullUser: options.includeFullUser === true,
		includeFullSource: options.includeFullSource === true,
	};
}

/**
 * The settings, checked before anything is sent to Zendesk: a mistake fails the activation with a
 * message naming the field, instead of a webhook that never fires.
 */
export function activationSettings(ctx: IHookFunctions): TriggerSettings {
	const settings = readSettings(ctx);
	const node = ctx.getNode();
	if (!REGISTRATIONS.includes(settings.registration)) {
		throw new NodeOperationError(node, `Unknown Webhook Registration "${String(settings.registration)}"`, {
			description: 'Choose one of the listed ways to register the webhook.',
			level: 'warning',
		});
	}
	if (settings.events.length === 0) {
		throw new NodeOperationError(node, 'Choose at least one event in Events', {
			description: 'The trigger starts the workflow only for the events selected in Events.',
			level: 'warning',
		});
	}
	const unknown = settings.events.find((e) => !(WEBHOOK_TRIGGERS as readonly string[]).includes(e));
	if (unknown !== undefined) {
		throw new NodeOperationError(node, `Events: "${unknown}" is not a Zendesk Messaging webhook trigger`, {
			description: 'Choose the events from the list; trigger names are case sensitive.',
			level: 'warning',
		});
	}
	if (settings.registration === 'existingIntegration' && !settings.integrationId) {
		throw new NodeOperationError(node, 'Integration ID is empty', {
			description:
				'Enter the ID of the integration to add the webhook to (Admin Center › Apps and integrations › Integrations › Conversations integrations), or choose "Create a New Integration".',
			level: 'warning',
		});
	}
	if (settings.registration === 'manual' && !settings.manualSecret) {
		throw new NodeOperationError(node, 'Webhook Secret is empty', {
			description:
				'Paste the secret Zendesk shows for the webhook you created in Admin Center; without it every call would be refused with 401.',
			level: 'warning',
		});
	}
	return settings;
}
