import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../node.type';
import * as del from './delete.operation';
import * as sendAndWaitForReply from './sendAndWaitForReply.operation';
import * as sendCarousel from './sendCarousel.operation';
import * as sendFile from './sendFile.operation';
import * as sendForm from './sendForm.operation';
import * as sendImage from './sendImage.operation';
import * as sendList from './sendList.operation';
import * as sendLocationRequest from './sendLocationRequest.operation';
import * as sendText from './sendText.operation';

/** Operations of the Message resource: everything posted as the business (the bot), and deleting a message. */
export const messageOperations: Operations<'message'> = {
	sendText,
	sendCarousel,
	sendList,
	sendImage,
	sendFile,
	sendLocationRequest,
	sendForm,
	sendAndWaitForReply,
	delete: del,
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
				name: 'Delete',
				value: 'delete',
				action: 'Delete a message',
				description:
					'Delete one message of a conversation by its ID, e.g. one the bot sent by mistake; it disappears for the customer',
			},
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWaitForReply',
				action: 'Send a text and wait for the reply',
				description:
					'Send the customer a text (optionally with quick replies), then wait for their next message, up to a timeout: the execution keeps running while it waits. The item says whether they replied, and what.',
			},
			{
				name: 'Send Carousel',
				value: 'sendCarousel',
				action: 'Send a carousel of cards',
				description:
					'Send the customer 1 to 10 cards side by side, each with a title, description, image and 1 to 3 buttons, e.g. products or plans to choose from',
			},
			{
				name: 'Send File',
				value: 'sendFile',
				action: 'Send a file',
				description:
					'Send the customer a file (a PDF, a document) from a public URL, with an optional caption',
			},
			{
				name: 'Send Form',
				value: 'sendForm',
				action: 'Send a form',
				description:
					'Ask the customer to fill in 1 to 20 fields (text, email or a choice) in one message, e.g. name and email before a handoff; the answers come back as a formResponse message',
			},
			{
				name: 'Send Image',
				value: 'sendImage',
				action: 'Send an image',
				description: 'Send the customer an image from a public URL, with an optional caption',
			},
			{
				name: 'Send List',
				value: 'sendList',
				action: 'Send a list of items',
				description:
					'Send the customer 1 to 10 rows one under the other, each with a title, description, image and buttons, e.g. their orders',
			},
			{
				name: 'Send Location Request',
				value: 'sendLocationRequest',
				action: 'Ask for the customer location',
				description:
					"Send a question with a button that shares the customer's location, e.g. to find the nearest store or a delivery address",
			},
			{
				name: 'Send Text',
				value: 'sendText',
				action: 'Send a text message',
				description:
					'Send the customer a text as the business (the bot), optionally with quick replies to tap or buttons (postback, link, webview), a display name and an AI-generated mark',
			},
		],
		default: 'sendText',
	},
	...sendText.description,
	...sendCarousel.description,
	...sendList.description,
	...sendImage.description,
	...sendFile.description,
	...sendLocationRequest.description,
	...sendForm.description,
	...sendAndWaitForReply.description,
	...del.description,
];
