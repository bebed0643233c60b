import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../resources';
import * as addTags from './addTags.operation';
import * as getAll from './getAll.operation';
import * as inviteAgent from './inviteAgent.operation';
import * as leaveChat from './leaveChat.operation';
import * as listenToChannel from './listenToChannel.operation';
import * as setAgentStatus from './setAgentStatus.operation';
import * as setTypingIndicator from './setTypingIndicator.operation';
import * as transferToDepartment from './transferToDepartment.operation';

/** Operations of the Live Chat resource: chats going on now (Conversations API). */
export const liveChatOperations: Operations<'liveChat'> = {
	transferToDepartment,
	inviteAgent,
	addTags,
	setTypingIndicator,
	listenToChannel,
	leaveChat,
	setAgentStatus,
	getAll,
};

export const liveChatDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['liveChat'] } },
		options: [
			{
				name: 'Add Tags',
				value: 'addTags',
				action: 'Add tags to a live chat',
				description:
					'Tag a chat going on now (and its visitor), e.g. vip or order-42. Tags hold only letters, digits, - and _.',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many live chats',
				description:
					'List the chats going on now that the agent of the credential can see, with their Channel IDs and agents',
			},
			{
				name: 'Invite Agent',
				value: 'inviteAgent',
				action: 'Invite an agent to a live chat',
				description:
					'Invite a human agent into a chat going on now, e.g. to hand it over; optionally leave it',
			},
			{
				name: 'Leave Chat',
				value: 'leaveChat',
				action: 'Leave a live chat',
				description:
					'Make the agent of the credential leave a chat going on now (e.g. once a human took over), or stop listening to it if it only listens',
			},
			{
				name: 'Listen to Visitor Channel',
				value: 'listenToChannel',
				action: 'Listen to a live chat',
				description:
					'Keep receiving the messages of a chat (in the Zendesk Chat Trigger) after it was transferred or handed over',
			},
			{
				name: 'Set Agent Status',
				value: 'setAgentStatus',
				action: 'Set the agent status',
				description:
					'Set the agent of the credential Online, Away or Invisible, e.g. Online so that visitors are routed to the bot',
			},
			{
				name: 'Set Typing Indicator',
				value: 'setTypingIndicator',
				action: 'Set the typing indicator',
				description:
					'Show or hide "agent is typing" to the visitor of a chat, e.g. while a reply is being prepared',
			},
			{
				name: 'Transfer to Department',
				value: 'transferToDepartment',
				action: 'Transfer a live chat to a department',
				description:
					'Move a chat going on now to another department (e.g. Sales or Support); optionally leave it',
			},
		],
		default: 'transferToDepartment',
	},
	...transferToDepartment.description,
	...inviteAgent.description,
	...addTags.description,
	...setTypingIndicator.description,
	...listenToChannel.description,
	...leaveChat.description,
	...setAgentStatus.description,
	...getAll.description,
];
