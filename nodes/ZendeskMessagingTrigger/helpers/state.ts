import type { IDataObject } from 'n8n-workflow';

/**
 * What activation leaves in the node's static data (`getWorkflowStaticData('node')`), which n8n
 * saves with the workflow: the webhook to check and delete later, and the secret webhook() checks
 * X-API-Key against. Kept as flat keys, as n8n's own webhook triggers do.
 */
export interface StoredWebhook {
	integrationId: string;
	webhookId: string;
	webhookSecret: string;
	/** True when activation created the integration, so deactivation deletes it too. */
	createdIntegration: boolean;
}

export function readStoredWebhook(data: IDataObject): StoredWebhook | undefined {
	const { integrationId, webhookId, webhookSecret, createdIntegration } = data;
	if (
		typeof integrationId !== 'string' ||
		!integrationId ||
		typeof webhookId !== 'string' ||
		!webhookId
	)
		return undefined;
	return {
		integrationId,
		webhookId,
		webhookSecret: typeof webhookSecret === 'string' ? webhookSecret : '',
		createdIntegration: createdIntegration === true,
	};
}

export function writeStoredWebhook(data: IDataObject, webhook: StoredWebhook): void {
	data.integrationId = webhook.integrationId;
	data.webhookId = webhook.webhookId;
	data.webhookSecret = webhook.webhookSecret;
	data.createdIntegration = webhook.createdIntegration;
}

export function clearStoredWebhook(data: IDataObject): void {
	delete data.integrationId;
	delete data.webhookId;
	delete data.webhookSecret;
	delete data.createdIntegration;
}
