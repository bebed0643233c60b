import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INode,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { WEBHOOK_TRIGGERS } from '../../../src/messaging/constants';
import { quoteValue } from '../../../src/shared/excerpt';
import { FILTER_LABELS, NO_FILTERS, parseRegex, type FilterSettings } from './filters';
import type { AuthorKind } from './items';

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
	/** Items with the plain fields (true), or the event as Zendesk sent it. */
	simplify: boolean;
	filters: FilterSettings;
	/** A call with a larger body is answered 413 (Options › Max Body Size, in KB). */
	maxBodyBytes: number;
}

interface TriggerOptions {
	includeOwnMessages?: boolean;
	includeFullUser?: boolean;
	includeFullSource?: boolean;
	maxBodySize?: number;
}

interface FilterOptions {
	authors?: unknown;
	channels?: unknown;
	firstMessageOnly?: boolean;
	textContains?: string;
	textPattern?: string;
	metadataKey?: string;
	metadataValue?: string;
}

/**
 * 1 MB: the spec caps an API request's JSON at 100 kb ("Request Size Limits"), and a delivery holds
 * a few events each of about that size at most, with the full user and source; ten times that is
 * room for a batch without letting one call fill memory. (n8n itself reads at most
 * N8N_PAYLOAD_SIZE_MAX, 16 MB by default, before the node sees the call.)
 */
export const DEFAULT_MAX_BODY_KB = 1024;

const REGISTRATIONS: Registration[] = ['newIntegration', 'existingIntegration', 'manual'];

/** Reads the parameters without judging them: webhook() must answer a request whatever they say. */
export function readSettings(ctx: IHookFunctions | IWebhookFunctions): TriggerSettings {
	const registration = ctx.getNodeParameter('registration', 'newIntegration') as Registration;
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as TriggerOptions & IDataObject;
	const events = ctx.getNodeParameter('events', []) as unknown;
	return {
		events: Array.isArray(events) ? events.filter((e): e is string => typeof e === 'string') : [],
		registration,
		integrationId:
			registration === 'existingIntegration'
				? String(ctx.getNodeParameter('integrationId', '') ?? '').trim()
				: '',
		manualSecret:
			registration === 'manual' ? String(ctx.getNodeParameter('webhookSecret', '') ?? '') : '',
		includeOwnMessages: options.includeOwnMessages === true,
		includeFullUser: options.includeFullUser === true,
		includeFullSource: options.includeFullSource === true,
		simplify: ctx.getNodeParameter('simplify', true) !== false,
		filters: readFilters(ctx.getNodeParameter('filters', {}) as FilterOptions | null),
		maxBodyBytes: Math.round(positiveOr(options.maxBodySize, DEFAULT_MAX_BODY_KB) * 1024),
	};
}

function readFilters(raw: FilterOptions | null): FilterSettings {
	if (!raw) return NO_FILTERS;
	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	return {
		authors: stringsOf(raw.authors) as AuthorKind[],
		channels: stringsOf(raw.channels),
		firstMessageOnly: raw.firstMessageOnly === true,
		textContains: text(raw.textContains),
		textPattern: text(raw.textPattern),
		metadataKey: text(raw.metadataKey).trim(),
		metadataValue: text(raw.metadataValue),
	};
}

function stringsOf(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A usable number of KB, or the default (an empty or zero field means "not set"). */
function positiveOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * The compiled Text Matches Regex, or null when there is none. In webhook() a pattern that does not
 * compile (activation refuses one, so only an edit since can bring it) lets nothing through.
 */
export function textPatternOf(settings: TriggerSettings): RegExp | null | 'invalid' {
	if (!settings.filters.textPattern) return null;
	try {
		return parseRegex(settings.filters.textPattern);
	} catch {
		return 'invalid';
	}
}

/**
 * The settings, checked before anything is sent to Zendesk: a mistake fails the activation with a
 * message naming the field, instead of a webhook that never fires.
 */
export function activationSettings(ctx: IHookFunctions): TriggerSettings {
	const settings = readSettings(ctx);
	const node = ctx.getNode();
	if (!REGISTRATIONS.includes(settings.registration)) {
		throw new NodeOperationError(
			node,
			`Unknown Webhook Registration "${String(settings.registration)}"`,
			{
				description: 'Choose one of the listed ways to register the webhook.',
				level: 'warning',
			},
		);
	}
	if (settings.events.length === 0) {
		throw new NodeOperationError(node, 'Choose at least one event in Events', {
			description: 'The trigger starts the workflow only for the events selected in Events.',
			level: 'warning',
		});
	}
	const unknown = settings.events.find((e) => !(WEBHOOK_TRIGGERS as readonly string[]).includes(e));
	if (unknown !== undefined) {
		throw new NodeOperationError(
			node,
			`Events: ${quoteValue(unknown)} is not a Zendesk Messaging webhook trigger`,
			{
				description: 'Choose the events from the list; trigger names are case sensitive.',
				level: 'warning',
			},
		);
	}
	if (settings.registration === 'existingIntegration' && !settings.integrationId) {
		throw new NodeOperationError(node, 'Integration ID is empty', {
			description:
				'Enter the ID of the integration to add the webhook to (Admin Center › Apps and integrations › Integrations › Conversations integrations), or choose "Create a New Integration".',
			level: 'warning',
		});
	}
	checkFilters(settings, node);
	if (settings.registration === 'manual' && !settings.manualSecret) {
		throw new NodeOperationError(node, 'Webhook Secret is empty', {
			description:
				'Paste the secret Zendesk shows for the webhook you created in Admin Center; without it every call would be refused with 401.',
			level: 'warning',
		});
	}
	return settings;
}

function checkFilters(settings: TriggerSettings, node: INode): void {
	const { filters } = settings;
	if (filters.textPattern) {
		try {
			parseRegex(filters.textPattern);
		} catch (error) {
			throw new NodeOperationError(
				node,
				`${FILTER_LABELS.textPattern} is not a valid regular expression`,
				{
					description: `${(error as Error).message}. Write a JavaScript regular expression, e.g. refund|chargeback or /refund/i.`,
					level: 'warning',
				},
			);
		}
	}
	if (filters.metadataValue && !filters.metadataKey) {
		throw new NodeOperationError(
			node,
			`${FILTER_LABELS.metadataValue} is set but ${FILTER_LABELS.metadataKey} is empty`,
			{
				description: 'Enter the metadata key whose value must match, or clear the value.',
				level: 'warning',
			},
		);
	}
	if (filters.firstMessageOnly && settings.registration === 'manual') {
		// Telling a first message needs the conversation's history, and a webhook set up by hand has no credential to read it.
		throw new NodeOperationError(
			node,
			`${FILTER_LABELS.firstMessageOnly} needs the Zendesk Messaging credential`,
			{
				description:
					'It reads the conversation\'s history to tell a first message, which a webhook set up by hand cannot do. Choose "Create a New Integration" or "Add to an Existing Integration", or turn the filter off.',
				level: 'warning',
			},
		);
	}
}
