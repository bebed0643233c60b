import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../resources';
import * as deleteChat from './delete.operation';
import * as exportChats from './export.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getManyByIds from './getManyByIds.operation';
import * as getTranscript from './getTranscript.operation';
import * as search from './search.operation';
import * as update from './update.operation';

/** Operations of the Chat resource: chats in the history, through the Chat REST API. */
export const chatOperations: Operations<'chat'> = {
	delete: deleteChat,
	export: exportChats,
	get,
	getAll,
	getManyByIds,
	getTranscript,
	search,
	update,
};

export const chatDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chat'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a chat',
				description:
					'Permanently delete a chat or offline message from the chat history (cannot be undone)',
			},
			{
				name: 'Export',
				value: 'export',
				action: 'Export chats incrementally',
				description:
					'Get every chat created or updated since a time, or since the last run, in order, with a cursor to continue from',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a chat',
				description:
					'Get one chat or offline message by its ID, with its visitor, messages, tags and rating',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many chats',
				description: 'List the chats in the history, oldest first',
			},
			{
				name: 'Get Many by IDs',
				value: 'getManyByIds',
				action: 'Get chats by ID',
				description: 'Get several chats at once from a list of chat IDs',
			},
			{
				name: 'Get Transcript',
				value: 'getTranscript',
				action: 'Get the transcript of a chat',
				description:
					"A chat's messages as readable text or Markdown, one line per message with who said it and when",
			},
			{
				name: 'Search',
				value: 'search',
				action: 'Search chats',
				description:
					'Find chats by words in the messages, visitor name or email, agent, start or end time, type or rating',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a chat',
				description: "Change a chat's tags, comment, rating or unread flag",
			},
		],
		default: 'search',
	},
	...deleteChat.description,
	...exportChats.description,
	...get.description,
	...getAll.description,
	...getManyByIds.description,
	...getTranscript.description,
	...search.description,
	...update.description,
];
