import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../resources';
import * as sendAndWaitForReply from './sendAndWaitForReply.operation';
import * as sendButtons from './sendButtons.operation';
import * as sendCarousel from './sendCarousel.operation';
import * as sendList from './sendList.operation';
import * as sendPanel from './sendPanel.operation';
import * as sendQuickReplies from './sendQuickReplies.operation';
import * as sendText from './sendText.operation';

/** Operations of the Message resource (Conversations API, as the agent of the credential). */
export const messageOperations: Operations<'message'> = {
	sendText,
	sendQuickReplies,
	sendButtons,
	sendPanel,
	sendCarousel,
	sendList,
	sendAndWaitForReply,
};

export const messageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWaitForReply',
				action: 'Send a message and wait for the reply',
				description:
					"Send a text or quick replies to a visitor in a live chat, then wait up to the timeout for the visitor's next message in that chat. The execution keeps running while it waits: Zendesk calls no webhook when a visitor writes (only the agent's live session hears it), so n8n's wait-and-resume cannot be used. Needs the chat's Channel ID.",
			},
			{
				name: 'Send Buttons',
				value: 'sendButtons',
				action: 'Send a message with buttons',
				description:
					"Send a text with 1 to 3 buttons to a visitor in a live chat; each button sends a reply or opens a link. Needs the chat's Channel ID.",
			},
			{
				name: 'Send Carousel',
				value: 'sendCarousel',
				action: 'Send a carousel of cards',
				description:
					"Send 2 to 10 cards side by side (heading, text, image, link, up to 3 buttons each) to a visitor in a live chat. Needs the chat's Channel ID.",
			},
			{
				name: 'Send List',
				value: 'sendList',
				action: 'Send a list of items',
				description:
					"Send 2 to 4 rows (heading, text, image, link) and at most 1 button to a visitor in a live chat. Needs the chat's Channel ID.",
			},
			{
				name: 'Send Panel',
				value: 'sendPanel',
				action: 'Send a card',
				description:
					"Send one card (heading, text, image, link) with up to 3 buttons to a visitor in a live chat. Needs the chat's Channel ID.",
			},
			{
				name: 'Send Quick Replies',
				value: 'sendQuickReplies',
				action: 'Send a message with quick replies',
				description:
					"Send a question with 1 to 11 reply chips the visitor can tap instead of typing. Needs the chat's Channel ID.",
			},
			{
				name: 'Send Text',
				value: 'sendText',
				action: 'Send a text message',
				description:
					"Send a plain text message to a visitor in a live chat, as the agent of the credential. Needs the chat's Channel ID.",
			},
		],
		default: 'sendText',
	},
	...sendText.description,
	...sendQuickReplies.description,
	...sendButtons.description,
	...sendPanel.description,
	...sendCarousel.description,
	...sendList.description,
	...sendAndWaitForReply.description,
];
