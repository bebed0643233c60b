import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { chatAuthenticationProperty } from '../shared/chatAuthentication';
import { agentDescription } from './actions/agent/Agent.resource';
import { chatDescription } from './actions/chat/Chat.resource';
import { departmentDescription } from './actions/department/Department.resource';
import { liveChatDescription } from './actions/liveChat/LiveChat.resource';
import { messageDescription } from './actions/message/Message.resource';
import { router } from './actions/router';
import { zendeskChatApiTest } from '../shared/credentialTests';
import { requestOptionsProperty } from '../shared/requestOptions';
import { listSearch } from './methods';

export class ZendeskChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zendesk Chat',
		name: 'zendeskChat',
		icon: {
			light: 'file:../../icons/zendesk-chat.svg',
			dark: 'file:../../icons/zendesk-chat.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Reply to website visitors as a Zendesk Chat agent (text and structured messages, transfers, tags) and search, read and export chats',
		defaults: { name: 'Zendesk Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Written out here, not shared: n8n's lint checks each node's own list for the testedBy.
			{
				name: 'zendeskChatApi',
				required: true,
				testedBy: 'zendeskChatApiTest',
				displayOptions: { show: { authentication: ['accessToken'] } },
			},
			{
				name: 'zendeskChatOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			chatAuthenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Agent', value: 'agent', description: 'Chat agents of the account' },
					{
						name: 'Chat',
						value: 'chat',
						description: 'Chats in the history: search, read, export',
					},
					{
						name: 'Department',
						value: 'department',
						description: 'Chat departments of the account',
					},
					{
						name: 'Live Chat',
						value: 'liveChat',
						description: 'A chat going on now: transfer it, invite an agent, tag it, show typing',
					},
					{
						name: 'Message',
						value: 'message',
						description: 'Send a message to a visitor in a chat going on now',
					},
				],
				default: 'message',
			},
			{
				// The Conversations API allows one session per agent (README, "One session per agent").
				displayName:
					"Runs on the agent's one Conversations API session, the same one an active Zendesk Chat Trigger of that agent holds (no second session is started). Another app signed in as this agent ends it: use a dedicated bot agent.",
				name: 'sessionNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { resource: ['message', 'liveChat'] } },
			},
			...messageDescription,
			...liveChatDescription,
			...chatDescription,
			...departmentDescription,
			...agentDescription,
			// Send and Wait for Reply has a timeout of its own: how long to wait for the reply.
			requestOptionsProperty(['sendAndWaitForReply']),
		],
	};

	methods = { listSearch, credentialTest: { zendeskChatApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
