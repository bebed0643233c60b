import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { zendeskMessagingApiTest } from '../shared/credentialTests';
import { checkWebhookExists, createWebhook, deleteWebhook } from './helpers/registration';
import { receiveWebhook } from './helpers/receive';
import { triggerProperties } from './ZendeskMessagingTriggerDescription';

/**
 * Starts a workflow from Zendesk Messaging (Sunshine Conversations) webhooks: a user's message, an
 * agent's reply, the agent ending the session, and every other documented trigger. Activation
 * registers the webhook for this workflow's URL; each call is checked (X-API-Key, size), answered,
 * de-duplicated, cleared of the bot's own messages and filtered before it becomes items, which name
 * the customer even where the event does not (helpers/receive.ts).
 */
export class ZendeskMessagingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zendesk Messaging Trigger',
		name: 'zendeskMessagingTrigger',
		icon: {
			light: 'file:../../icons/zendesk-messaging.svg',
			dark: 'file:../../icons/zendesk-messaging.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when Zendesk Messaging (Sunshine Conversations) sends a webhook event',
		defaults: { name: 'Zendesk Messaging Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'zendeskMessagingApi',
				required: true,
				testedBy: 'zendeskMessagingApiTest',
				displayOptions: { show: { registration: ['newIntegration', 'existingIntegration'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// n8n answers 200 as soon as webhook() returns: Zendesk resends after 20 s without one.
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	methods = { credentialTest: { zendeskMessagingApiTest } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkWebhookExists(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createWebhook(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteWebhook(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook(this);
	}
}
