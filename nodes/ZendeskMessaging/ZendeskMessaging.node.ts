import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { conversationDescription } from './actions/conversation/Conversation.resource';
import { router } from './actions/router';
import { userDescription } from './actions/user/User.resource';
import { zendeskMessagingApiTest } from '../shared/credentialTests';
import { loadOptions } from './methods';

/**
 * Zendesk Messaging (Sunshine Conversations v2) for chatbots: escalate to a Zendesk agent with the
 * whole history, forward the customer's messages, answer as the business, release control. A thin
 * adapter over src/messaging; it keeps no state between executions (the chatbot user's external ID
 * finds the conversation again).
 */
export class ZendeskMessaging implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zendesk Messaging',
		name: 'zendeskMessaging',
		icon: { light: 'file:../../icons/zendesk-messaging.svg', dark: 'file:../../icons/zendesk-messaging.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Escalate chatbot conversations to Zendesk agents and exchange messages with customers through Zendesk Messaging',
		defaults: { name: 'Zendesk Messaging' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'zendeskMessagingApi', required: true, testedBy: 'zendeskMessagingApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'User', value: 'user' },
				],
				default: 'conversation',
			},
			...conversationDescription,
			...userDescription,
		],
	};

	methods = { loadOptions, credentialTest: { zendeskMessagingApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
