import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { activityDescription } from './actions/activity/Activity.resource';
import { conversationDescription } from './actions/conversation/Conversation.resource';
import { messageDescription } from './actions/message/Message.resource';
import { router } from './actions/router';
import { switchboardDescription } from './actions/switchboard/Switchboard.resource';
import { userDescription } from './actions/user/User.resource';
import { zendeskMessagingApiTest } from '../shared/credentialTests';
import { requestOptionsProperty } from '../shared/requestOptions';
import { listSearch, loadOptions } from './methods';

/**
 * Zendesk Messaging (Sunshine Conversations v2) for chatbots: escalate to a Zendesk agent with the
 * whole history, forward the customer's messages, answer as the business (text, buttons, cards,
 * lists, media, forms), show activity, pass control, set up the handoff. A thin
 * adapter over src/messaging; it keeps no state between executions (the chatbot user's external ID
 * finds the conversation again).
 */
export class ZendeskMessaging implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zendesk Messaging',
		name: 'zendeskMessaging',
		icon: {
			light: 'file:../../icons/zendesk-messaging.svg',
			dark: 'file:../../icons/zendesk-messaging.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Escalate chatbot conversations to Zendesk agents and exchange messages with customers through Zendesk Messaging',
		defaults: { name: 'Zendesk Messaging' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'zendeskMessagingApi', required: true, testedBy: 'zendeskMessagingApiTest' },
			// n8n's own Zendesk (Support) credentials, optional, for the Escalate pickers
			// (nodes/shared/supportApi.ts): shown only when Support API Credential asks for one. The two
			// lint rules below keep a package from reading another package's credentials; reusing n8n's
			// built-in Zendesk credentials is deliberate (the user picks the one their Zendesk node has,
			// and only GET requests go to the host it names). It keeps the package off n8n's verified
			// list, which its ws/undici dependencies already do (README "Runtime dependencies").
			{
				// eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
				name: 'zendeskApi',
				required: true,
				displayOptions: {
					show: {
						resource: ['conversation'],
						operation: ['escalate'],
						supportAuthentication: ['apiToken'],
					},
				},
			},
			{
				// eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
				name: 'zendeskOAuth2Api',
				required: true,
				displayOptions: {
					show: {
						resource: ['conversation'],
						operation: ['escalate'],
						supportAuthentication: ['oAuth2'],
					},
				},
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Activity',
						value: 'activity',
						description: 'Show the customer the bot is typing, or has read their messages',
					},
					{
						name: 'Conversation',
						value: 'conversation',
						description:
							'A conversation: escalate it to an agent, read it, change it, pass its control',
					},
					{
						name: 'Message',
						value: 'message',
						description:
							'Send the customer text, buttons, cards, lists, images, files or forms as the business; delete a message',
					},
					{
						name: 'Switchboard',
						value: 'switchboard',
						description:
							'Who gets the conversations (the bot, the agent workspace), and the handoff set-up',
					},
					{
						name: 'User',
						value: 'user',
						description:
							'A Zendesk Messaging user (customer): create, get, update, list their conversations',
					},
				],
				default: 'conversation',
			},
			...conversationDescription,
			...messageDescription,
			...activityDescription,
			...userDescription,
			...switchboardDescription,
			// Send and Wait for Reply has a timeout of its own: how long to wait for the reply.
			requestOptionsProperty(['sendAndWaitForReply']),
		],
	};

	methods = { loadOptions, listSearch, credentialTest: { zendeskMessagingApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
