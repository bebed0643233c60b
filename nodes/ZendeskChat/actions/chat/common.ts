import type { INodeProperties } from 'n8n-workflow';

/** The Chat ID field of the operations on one chat. */
export const chatIdField: INodeProperties = {
	displayName: 'Chat ID',
	name: 'chatId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1704.2314815.QHgVx6SOrRuSx',
	description:
		'The ID of the chat or offline message, as the other Chat operations and the Zendesk Chat Trigger give it',
};

/** Core field names of a chat id, as the node shows them. */
export const CHAT_ID_LABELS: Record<string, string> = { chatId: 'Chat ID' };

/** A chat's satisfaction rating, as Search filters on it and Update sets it. */
export const ratingField: INodeProperties = {
	displayName: 'Rating',
	name: 'rating',
	type: 'options',
	options: [
		{ name: 'Good', value: 'good' },
		{ name: 'Bad', value: 'bad' },
	],
	default: 'good',
	description: "The visitor's satisfaction rating",
};
