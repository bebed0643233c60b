import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { createEchoFilter } from '../../../src/messaging/echo-filter';
import { verifyWebhookRequest } from '../../../src/messaging/webhook-auth';
import {
	readWebhookDelivery,
	type RejectedWebhookEvent,
	type WebhookDelivery,
	type WebhookEnvelope,
	type WebhookEvent,
} from '../../../src/messaging/webhook-envelope';
import { MESSAGING_ORIGIN_TAG } from '../../shared/messagingOrigin';
import { eventDeduplicatorFor } from './dedupe';
import { passesFilters } from './filters';
import { messageOf, rawItem, simplifiedItem, viewOf, type EventView } from './items';
import { enterLanes } from './conversationLanes';
import { openLookups, type Lookups } from './lookups';
import { readSettings, textPatternOf, type TriggerSettings } from './settings';
import { readStoredWebhook } from './state';

/**
 * One webhook call from Zendesk. Zendesk counts an answer slower than 20 s as a failure and sends
 * the events again, so the call is answered before anything waits on the network: 401, 413 or 400
 * when it is refused, else 200 as soon as its events are read. Only then are the lookups made
 * (lookups.ts), and the items go to n8n with `noWebhookResponse`: n8n runs the workflow on
 * `workflowData` even when the node answered the call itself (packages/cli webhook-helpers.ts,
 * checked in n8n 1.123 and 2.41).
 */
export async function receiveWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const settings = readSettings(ctx);
	const stored = readStoredWebhook(ctx.getWorkflowStaticData('node'));
	const secret = settings.registration === 'manual' ? settings.manualSecret : stored?.webhookSecret;

	// The spec's only proof of origin is X-API-Key = the webhook's secret; with no secret to compare
	// against, nothing is accepted.
	if (!verifyWebhookRequest(ctx.getHeaderData() as Record<string, unknown>, secret)) {
		ctx.logger.debug(
			'Zendesk Messaging Trigger: refused a call without the webhook secret in X-API-Key',
		);
		return answer(ctx, 401, { error: 'Unauthorized' });
	}

	const size = bodySizeOf(ctx);
	if (size > settings.maxBodyBytes) {
		ctx.logger.warn(
			`Zendesk Messaging Trigger: refused a call of ${size} bytes, over Max Body Size (${settings.maxBodyBytes} bytes)`,
		);
		return answer(ctx, 413, { error: 'Payload Too Large' });
	}

	let delivery: WebhookDelivery;
	try {
		delivery = readWebhookDelivery(bodyOf(ctx));
	} catch (error) {
		// 400 is "non-recoverable" for Zendesk: a body that cannot be read is not sent again.
		return answer(ctx, 400, { error: (error as Error).message });
	}
	// One bad event must not lose the good ones: Zendesk never sends a delivery answered 400 again.
	for (const bad of delivery.rejected) logRejected(ctx, bad);

	// Taken before anything is awaited, so calls line up in the order they arrived.
	const { envelope } = delivery;
	const lane = enterLanes(
		envelope.events.flatMap((event) => {
			const conversationId = viewOf(event).conversationId;
			return conversationId === null ? [] : [`${envelope.app.id}/${conversationId}`];
		}),
	);
	try {
		const chosen = await chooseEvents(ctx, settings, stored?.integrationId, envelope);
		answer(ctx, 200, { received: true });
		// Retries, our own messages, unselected and filtered events: acknowledged, and no execution starts.
		if (chosen.length === 0) return { noWebhookResponse: true };

		const items = await itemsOf(ctx, settings, envelope, chosen);
		if (items.length === 0) return { noWebhookResponse: true };
		// An earlier call of the same conversation still looking its customer up goes first.
		await lane.previous;
		return { noWebhookResponse: true, workflowData: [items] };
	} finally {
		lane.leave();
	}
}

interface Chosen {
	event: WebhookEvent;
	view: EventView;
}

/** The events that start the workflow, as far as the call alone can tell: selected, new, not our own, through the filters. */
async function chooseEvents(
	ctx: IWebhookFunctions,
	settings: TriggerSettings,
	integrationId: string | undefined,
	envelope: WebhookEnvelope,
): Promise<Chosen[]> {
	const wanted = new Set(settings.events);
	const seen = eventDeduplicatorFor(ctx.getWorkflow().id, ctx.getNode(), ctx.getMode(), ctx.logger);
	const isEcho = createEchoFilter({
		integrationIds: integrationId ? [integrationId] : [],
		originTag: MESSAGING_ORIGIN_TAG,
	});
	const pattern = textPatternOf(settings);
	if (pattern === 'invalid')
		ctx.logger.warn(
			'Zendesk Messaging Trigger: Filters › Text Matches Regex is not a valid regular expression, so no message passes it',
		);
	const chosen: Chosen[] = [];
	for (const event of envelope.events) {
		if (!wanted.has(event.type)) continue;
		if (!(await seen.firstSeen(event.id))) continue;
		if (!settings.includeOwnMessages && event.type === 'conversation:message') {
			const message = messageOf(event);
			if (message && isEcho(message)) continue;
		}
		const view = viewOf(event);
		const passes =
			pattern === 'invalid'
				? view.message === undefined
				: passesFilters(settings.filters, pattern, view);
		if (passes) chosen.push({ event, view });
	}
	return chosen;
}

/**
 * The items, after the lookups they need: First Customer Message Only asks the history, and a
 * simplified item whose event does not name the customer asks the conversation's participants.
 * Never throws: the call is answered already, and a failed lookup only leaves a field empty.
 */
async function itemsOf(
	ctx: IWebhookFunctions,
	settings: TriggerSettings,
	envelope: WebhookEnvelope,
	chosen: Chosen[],
): Promise<INodeExecutionData[]> {
	const needsCustomer = (view: EventView) =>
		settings.simplify &&
		view.conversationId !== null &&
		!view.namesUser &&
		view.conversationType !== 'sdkGroup';
	// A webhook set up by hand has no credential: its items keep what the payload says.
	const wantsLookups =
		settings.registration !== 'manual' &&
		chosen.some(
			(c) =>
				(settings.filters.firstMessageOnly && c.view.message !== undefined) ||
				needsCustomer(c.view),
		);
	let lookups: Lookups | undefined;
	try {
		if (wantsLookups) lookups = openLookups(ctx, envelope.app.id);
		const items = await Promise.all(
			chosen.map(async ({ event, view }): Promise<INodeExecutionData | undefined> => {
				if (
					settings.filters.firstMessageOnly &&
					view.message &&
					!(await isFirstMessage(lookups, view))
				)
					return undefined;
				if (!settings.simplify) return { json: rawItem(envelope, event) };
				const customer =
					lookups && needsCustomer(view)
						? await lookups.customerOf(view.conversationId as string)
						: undefined;
				return { json: simplifiedItem(envelope, event, view, customer) };
			}),
		);
		return items.filter((item): item is INodeExecutionData => item !== undefined);
	} catch (error) {
		ctx.logger.warn(
			`Zendesk Messaging Trigger: the events of a call could not be made into items: ${(error as Error).message}`,
		);
		return [];
	} finally {
		await lookups?.close().catch(() => undefined);
	}
}

/**
 * Whether the event's message is the customer's first. Undecided counts as not first: taking every
 * message for a first while Zendesk cannot answer would start the workflow again and again; a
 * first missed costs one execution, and the log says so.
 */
async function isFirstMessage(lookups: Lookups | undefined, view: EventView): Promise<boolean> {
	const messageId = view.message?.id;
	if (!lookups || !messageId || view.conversationId === null) return false;
	return (await lookups.isFirstCustomerMessage(view.conversationId, messageId)) === true;
}

function logRejected(ctx: IWebhookFunctions, bad: RejectedWebhookEvent): void {
	const id = bad.id === null ? 'no id' : `id "${bad.id}"`;
	const type = bad.type === null ? 'no type' : `type "${bad.type}"`;
	const problem = bad.field === null ? bad.problem : `${bad.field}: ${bad.problem}`;
	ctx.logger.warn(
		`Zendesk Messaging Trigger: skipped event ${bad.index} of a call (${id}, ${type}): ${problem}`,
	);
}

/** Writes the answer here, so n8n does not answer again. */
function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** The bytes as received when n8n kept them (req.rawBody), else the body n8n parsed. */
function bodyOf(ctx: IWebhookFunctions): unknown {
	const raw = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw) && raw.length > 0) return raw;
	return ctx.getBodyData();
}

/**
 * The body's size in bytes, without parsing it: the larger of Content-Length (what the caller
 * announced, compressed if it compressed) and the bytes n8n read. Only a body n8n parsed without
 * keeping the bytes is measured by its JSON.
 */
function bodySizeOf(ctx: IWebhookFunctions): number {
	const declared = Number((ctx.getHeaderData() as Record<string, unknown>)['content-length']);
	const raw = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	const read = Buffer.isBuffer(raw)
		? raw.length
		: Buffer.byteLength(JSON.stringify(ctx.getBodyData() ?? {}));
	return Math.max(Number.isFinite(declared) ? declared : 0, read);
}
