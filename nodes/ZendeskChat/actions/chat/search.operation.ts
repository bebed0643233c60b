import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	buildSearchQuery,
	checkQueryText,
	type ChatSearchCriteria,
	type TimeRange,
} from '../../../../src/rest';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { absent, addedValue, dateValue, fieldError, listValue } from '../../helpers/restInput';
import { labelled } from '../../../shared/fieldLabels';
import { readLimit, returnAllOrLimit, takeUpTo } from '../../helpers/restLists';
import type { ExecutionResources } from '../ExecutionResources';
import { ratingField } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		placeholder: 'e.g. late delivery',
		description:
			"Words that must all appear in the chat's messages. Leave empty to search by filters alone.",
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Every filter added must match',
		options: [
			{
				displayName: 'Agent Names',
				name: 'agentNames',
				type: 'string',
				default: '',
				placeholder: 'e.g. Grace Hopper',
				description:
					'Chats that involved these agents, by display name; separate several with commas (each must have taken part)',
			},
			{
				displayName: 'Chat Type',
				name: 'chatType',
				type: 'options',
				options: [
					{ name: 'Chat', value: 'chat' },
					{ name: 'Offline Message', value: 'offline_msg' },
				],
				default: 'chat',
			},
			{
				displayName: 'Ended After',
				name: 'endedAfter',
				type: 'dateTime',
				default: '',
				description: 'Chats that ended at or after this time',
			},
			{
				displayName: 'Ended Before',
				name: 'endedBefore',
				type: 'dateTime',
				default: '',
				description:
					'Chats that ended at or before this time (a date alone includes that whole day)',
			},
			ratingField,
			{
				displayName: 'Started After',
				name: 'startedAfter',
				type: 'dateTime',
				default: '',
				description: 'Chats that started at or after this time',
			},
			{
				displayName: 'Started Before',
				name: 'startedBefore',
				type: 'dateTime',
				default: '',
				description:
					'Chats that started at or before this time (a date alone includes that whole day)',
			},
			{
				displayName: 'Visitor Email',
				name: 'visitorEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{
				displayName: 'Visitor Name',
				name: 'visitorName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Jane Doe',
			},
		],
	},
	{
		displayName: 'Raw Query',
		name: 'rawQuery',
		type: 'string',
		default: '',
		placeholder: 'e.g. visitor_email:jane@example.com AND rating:good',
		description:
			"A query in Zendesk's chat search syntax, sent as written, for what Text and Filters cannot express. Use it instead of Text and Filters, not together with them. Gives at most the first 10,000 matches.",
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Whole Chats',
				value: 'chats',
				description:
					'Each chat with its visitor, messages and tags (one more request per 50 chats)',
			},
			{
				name: 'Search Results',
				value: 'results',
				description: 'The ID, type, timestamp, preview and URL of each chat found',
			},
		],
		default: 'chats',
	},
	...returnAllOrLimit,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Split Large Searches',
				name: 'sliceLargeResults',
				type: 'boolean',
				default: true,
				description:
					'Whether to split a search matching 10,000 chats or more into time ranges so that every match is found (Zendesk pages through 10,000 at most). Applies to Text and Filters, not to a Raw Query.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['search'] } },
	properties,
);

/** Core criteria names as the node shows them. */
const LABELS: Record<string, string> = {
	query: 'Text or Filters',
	'query.text': 'Text',
	'query.agentNames': 'Filters › Agent Names',
	'query.visitorName': 'Filters › Visitor Name',
	'query.visitorEmail': 'Filters › Visitor Email',
	'query.timestamp': 'Filters › Started After and Started Before',
	'query.timestamp.from': 'Filters › Started After',
	'query.timestamp.to': 'Filters › Started Before',
	'query.endTimestamp': 'Filters › Ended After and Ended Before',
	'query.endTimestamp.from': 'Filters › Ended After',
	'query.endTimestamp.to': 'Filters › Ended Before',
	'query.chatType': 'Filters › Chat Type',
	'query.rating': 'Filters › Rating',
	rawQuery: 'Raw Query',
};

/** Which field each criterion came from, to say what clashes with a Raw Query. */
const CRITERION_FIELDS: Record<keyof ChatSearchCriteria, string> = {
	text: 'Text',
	agentNames: 'Filters › Agent Names',
	visitorName: 'Filters › Visitor Name',
	visitorEmail: 'Filters › Visitor Email',
	timestamp: 'Filters › Started After/Before',
	endTimestamp: 'Filters › Ended After/Before',
	chatType: 'Filters › Chat Type',
	rating: 'Filters › Rating',
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject[]> {
	const criteria = readCriteria(this, itemIndex);
	const rawQuery = this.getNodeParameter('rawQuery', itemIndex, '') as unknown;
	const hasRawQuery = !(typeof rawQuery === 'string' && rawQuery.trim() === '');
	const given = Object.keys(criteria).map(
		(key) => CRITERION_FIELDS[key as keyof ChatSearchCriteria],
	);
	if (hasRawQuery && given.length > 0) {
		throw fieldError(
			this,
			itemIndex,
			'Raw Query cannot be used together with Text or Filters',
			`Raw Query is set, and so is ${given.join(', ')}. Clear Raw Query to search by Text and Filters, or remove them to search by Raw Query.`,
		);
	}
	if (!hasRawQuery && given.length === 0) {
		throw fieldError(
			this,
			itemIndex,
			'Nothing to search for',
			'Give Text, add at least one filter, or write a Raw Query.',
		);
	}
	const hydrate = (this.getNodeParameter('output', itemIndex, 'chats') as string) !== 'results';
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		sliceLargeResults?: boolean;
	};
	const limit = readLimit(this, itemIndex);
	// Checked in full before the client (and any request) exists.
	const query = await labelled(LABELS, async () =>
		hasRawQuery ? checkQueryText(rawQuery, 'rawQuery') : buildSearchQuery(criteria),
	);
	const rest = await resources.rest();
	// Labelled too: a search that cannot be split further fails on its criteria while paging.
	return (await labelled(LABELS, () =>
		takeUpTo(
			hasRawQuery
				? rest.searchChatsByQuery(query, { hydrate })
				: rest.searchChats(criteria, {
						hydrate,
						sliceLargeResults: options.sliceLargeResults !== false,
					}),
			limit,
		),
	)) as IDataObject[];
}

/**
 * Search criteria from Text and Filters. A filter that was added counts even when blank, so an
 * expression that resolves to nothing fails the item instead of widening the search to every chat.
 */
function readCriteria(ctx: IExecuteFunctions, itemIndex: number): ChatSearchCriteria {
	const criteria: Record<string, unknown> = {};
	const text = ctx.getNodeParameter('text', itemIndex, '') as unknown;
	if (!(text === undefined || text === null || (typeof text === 'string' && text.trim() === '')))
		criteria.text = text;
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const timeZone = ctx.getTimezone();
	const agentNames = addedValue(filters, 'agentNames');
	if (agentNames !== absent) {
		const names = listValue(agentNames);
		criteria.agentNames = names.length > 0 ? names : '';
	}
	for (const key of ['visitorName', 'visitorEmail', 'chatType', 'rating'] as const) {
		const value = addedValue(filters, key);
		if (value !== absent) criteria[key] = value;
	}
	const started = range(
		addedValue(filters, 'startedAfter'),
		addedValue(filters, 'startedBefore'),
		timeZone,
	);
	if (started) criteria.timestamp = started;
	const ended = range(
		addedValue(filters, 'endedAfter'),
		addedValue(filters, 'endedBefore'),
		timeZone,
	);
	if (ended) criteria.endTimestamp = ended;
	return criteria as ChatSearchCriteria;
}

function range(after: unknown, before: unknown, timeZone: string): TimeRange | undefined {
	if (after === absent && before === absent) return undefined;
	const out: Record<string, unknown> = {};
	if (after !== absent) out.from = dateValue(after, timeZone);
	if (before !== absent) out.to = dateValue(before, timeZone, { endOfDay: true });
	return out as TimeRange;
}
