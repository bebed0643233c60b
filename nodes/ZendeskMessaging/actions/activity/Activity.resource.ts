import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../node.type';
import * as markAsRead from './markAsRead.operation';
import * as typingStart from './typingStart.operation';
import * as typingStop from './typingStop.operation';

/** Operations of the Activity resource: what the customer sees the business doing (typing, reading). */
export const activityOperations: Operations<'activity'> = { typingStart, typingStop, markAsRead };

export const activityDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activity'] } },
		options: [
			{
				name: 'Mark as Read',
				value: 'markAsRead',
				action: 'Mark a conversation as read',
				description:
					'Tell the customer their messages were read by the business, e.g. as soon as the bot received them',
			},
			{
				name: 'Typing Start',
				value: 'typingStart',
				action: 'Show the typing indicator',
				description:
					'Show the customer that the bot is typing, e.g. while an answer is being prepared; it stops with Typing Stop or the next message',
			},
			{
				name: 'Typing Stop',
				value: 'typingStop',
				action: 'Hide the typing indicator',
				description:
					'Stop showing the customer that the bot is typing, e.g. when no answer will follow',
			},
		],
		default: 'typingStart',
	},
	...typingStart.description,
	...typingStop.description,
	...markAsRead.description,
];
