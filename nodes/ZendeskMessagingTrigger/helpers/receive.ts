import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { createEchoFilter } from '../../../src/messaging/echo-filter';
import { verifyWebhookRequest } from '../../../src/messaging/webhook-auth';
import { parseWebhookEnvelope, type WebhookEnvelope } from '../../../src/messaging/webhook-envelope';
import { MESSAGING_ORIGIN_TAG } from '../../shared/messagingOrigin';
import { deduplicatorFor } from './dedupe';
import { itemOf, messageOf } from './items';
import { readSettings } from './settings';
import { readStoredWebhook } from './state';

/**
 * One webhook call from Zendesk. Nothing here waits on the network: Zendesk counts an answer
 * slower than 20 s as a failure and sends the events again, so the call is answered at once (401,
 * 400, or n8n's 200 for `responseMode: onReceived`) and the workflow runs afterwards.
 */
export async function receiveWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const settings = readSettings(ctx);
	const stored = readStoredWebhook(ctx.getWorkflowStaticData('node'));
	const secret = settings.registration === 'manual' ? settings.manualSecret : stored?.webhookSecret;

	// The spec's only proof of origin is X-API-Key = the webhook's secret; with no secret to compare
	// against, nothing is accepted.
	if (!verifyWebhookRequest(ctx.getHeaderData() as Record<string, unknown>, secret)) {
		ctx.logger.debug('Zendesk Messaging Trigger: refused a call without the webhook secret in X-API-Key');
		return answer(ctx, 401, { error: 'Unauthorized' });
	}

	let envelope: WebhookEnvelope;
	try {
		envelope = parseWebhookEnvelope(bodyOf(ctx));
	} catch (error) {
		// 400 is "non-recoverable" for Zendesk: a body that cannot be read is not sent again.
		return answer(ctx, 400, { error: (error as Error).message });
	}

	const wanted = new Set(settings.events);
	const seen = deduplicatorFor(ctx.getWorkflow().id, ctx.getNode(), ctx.getMode());
	const isEcho = createEchoFilter({ integrationIds: stored ? [stored.integrationId] : [], originTag: MESSAGING_ORIGIN_TAG });
	const items: INodeExecutionData[] = [];
	for (const event of envelope.events) {
		if (!wanted.has(event.type)) continue;
		if (!seen.firstSeen(event.id)) continue;
		if (!settings.includeOwnMessages && event.type === 'conversation:message') {
			const message = messageOf(event);
			if (message && isEcho(message)) continue;
		}
		items.push({ json: itemOf(envelope, event) });
	}

	// Retries, our own messages and unselected events: acknowledged, and no execution starts.
	if (items.length === 0) return answer(ctx, 200, { received: true });
	return { workflowData: [items] };
}

/** Writes the answer here, so n8n neither answers again nor starts an execution. */
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
