/**
 * Every bad input of the Chat, Department and Agent operations fails the item with a
 * NodeOperationError that names the field and says how to fix it, before any request is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../../simulator';
import { errorOf } from '../../../helpers/n8n/harness';
import { chatHarness, inputs, restRequests, runNode } from './helpers';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator();
	sim.rest.control.seedChats({ count: 3 });
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

const chat = (operation: string, parameters: IDataObject) => ({
	resource: 'chat',
	operation,
	...parameters,
});
const search = (parameters: IDataObject) => chat('search', parameters);
const exportChats = (parameters: IDataObject) => chat('export', parameters);
const recent = () => new Date(Date.now() - 60_000).toISOString();

const CHAT_ID_HINT = 'Give the Chat ID, e.g. with an expression such as {{ $json.id }}.';
const CHAT_ID_SHAPE =
	'A chat id looks like "1704.2314815.QHgVx6SOrRuSx" (letters, digits, ".", "_" and "-").';
const LIMIT_HINT = 'Set Limit to 1 or more, or turn on Return All.';

/** [what, parameters, input item json, message, description] */
const CASES: Array<[string, IDataObject, IDataObject, string, string]> = [
	['Get: an empty Chat ID', chat('get', { chatId: '  ' }), {}, 'Chat ID is empty', CHAT_ID_HINT],
	[
		'Get: a Chat ID from an expression that is an object',
		chat('get', { chatId: '={{ $json.chat }}' }),
		{ chat: { id: 'x' } },
		'Chat ID is not a text (object)',
		CHAT_ID_HINT,
	],
	[
		'Get: a Chat ID that is not one',
		chat('get', { chatId: '../agents/me' }),
		{},
		'Chat ID: "../agents/me" is not a chat id',
		`Field: Chat ID. ${CHAT_ID_SHAPE}`,
	],
	[
		'Delete: a Chat ID from an expression that gives nothing',
		chat('delete', { chatId: '={{ $json.id }}' }),
		{},
		'Chat ID is empty',
		CHAT_ID_HINT,
	],
	[
		'Update: a Chat ID from an expression that gives nothing',
		chat('update', { chatId: '={{ $json.id }}', updateFields: { unread: true } }),
		{},
		'Chat ID is empty',
		CHAT_ID_HINT,
	],
	[
		'Update: no field to change',
		chat('update', { chatId: 'abc.1', updateFields: {} }),
		{},
		'Update Fields is empty',
		'Add at least one field to change: Comment, Rating, Tags or Unread.',
	],
	[
		'Update: a rating that is not one',
		chat('update', { chatId: 'abc.1', updateFields: { rating: '={{ "great" }}' } }),
		{},
		'Update Fields › Rating: "great" is not a rating',
		'Field: Update Fields › Rating. Use "good" or "bad".',
	],
	[
		'Update: a tag with a space',
		chat('update', { chatId: 'abc.1', updateFields: { tags: 'vip, two words' } }),
		{},
		'Update Fields › Tags: "two words" is not a valid tag',
		'Field: Update Fields › Tags. Tags may only contain letters, digits, "-" and "_".',
	],
	[
		'Update: Tags from an expression that gives nothing',
		chat('update', { chatId: 'abc.1', updateFields: { comment: 'ok', tags: '={{ $json.tags }}' } }),
		{},
		'Update Fields › Tags has no value',
		'Its expression gave nothing. Remove the field to leave it unchanged.',
	],
	[
		'Export: a Start Time that is not a date',
		exportChats({ startTime: 'soon' }),
		{},
		'Start Time: "soon" is not a date',
		'Field: Start Time. Use a date or an ISO 8601 text such as 2024-05-01T12:00:00Z.',
	],
	[
		'Get Many by IDs: no IDs',
		chat('getManyByIds', { chatIds: ' , ,' }),
		{},
		'Chat IDs is empty',
		'Give one or more chat IDs, separated by commas, or a list from an expression.',
	],
	[
		'Get Many by IDs: an ID that is not one',
		chat('getManyByIds', { chatIds: 'abc.1, two words' }),
		{},
		'Chat IDs: "two words" is not a chat id',
		`Field: Chat IDs. ${CHAT_ID_SHAPE}`,
	],
	[
		'Get Many: a Limit of 0',
		chat('getAll', { limit: 0 }),
		{},
		'Limit must be a whole number of at least 1 (it is 0)',
		LIMIT_HINT,
	],
	[
		'Department › Get Many: a negative Limit',
		{ resource: 'department', operation: 'getAll', limit: -3 },
		{},
		'Limit must be a whole number of at least 1 (it is -3)',
		LIMIT_HINT,
	],
	[
		'Agent › Get Many: a fractional Limit',
		{ resource: 'agent', operation: 'getAll', limit: 2.5 },
		{},
		'Limit must be a whole number of at least 1 (it is 2.5)',
		LIMIT_HINT,
	],
	[
		'Search: a Limit that is not a number',
		search({ text: 'refund', limit: '={{ "ten" }}' }),
		{},
		'Limit must be a whole number of at least 1 (it is "ten")',
		LIMIT_HINT,
	],
	[
		'Search: nothing to search for',
		search({ text: ' ' }),
		{},
		'Nothing to search for',
		'Give Text, add at least one filter, or write a Raw Query.',
	],
	[
		'Search: a Raw Query with Text and Filters',
		search({
			rawQuery: 'rating:good',
			text: 'refund',
			filters: { rating: 'good', startedAfter: '2024-01-01' },
		}),
		{},
		'Raw Query cannot be used together with Text or Filters',
		'Raw Query is set, and so is Text, Filters › Rating, Filters › Started After/Before. Clear Raw Query to search by Text and Filters, or remove them to search by Raw Query.',
	],
	[
		'Search: a start range that ends before it begins',
		search({
			filters: { startedAfter: '2024-05-02T00:00:00Z', startedBefore: '2024-05-01T00:00:00Z' },
		}),
		{},
		'Filters › Started After and Started Before: "from" is after "to"',
		'Field: Filters › Started After and Started Before. Swap them, or widen the range.',
	],
	[
		'Search: an end range that ends before it begins',
		search({ filters: { endedAfter: '2024-05-03', endedBefore: '2024-05-02' } }),
		{},
		'Filters › Ended After and Ended Before: "from" is after "to"',
		'Field: Filters › Ended After and Ended Before. Swap them, or widen the range.',
	],
	[
		'Search: a date that is not one',
		search({ filters: { startedAfter: 'yesterday' } }),
		{},
		'Filters › Started After: "yesterday" is not a date',
		'Field: Filters › Started After. Use a date or an ISO 8601 text such as 2024-05-01T12:00:00Z.',
	],
	[
		'Search: a day that does not exist',
		search({ filters: { startedBefore: '2024-02-30' } }),
		{},
		'Filters › Started Before: "2024-02-30" is not a date',
		'Field: Filters › Started Before. Use a date or an ISO 8601 text such as 2024-05-01T12:00:00Z.',
	],
	[
		'Search: a date filter added but left empty',
		search({ filters: { endedBefore: '' } }),
		{},
		'Filters › Ended Before: "" is not a date',
		'Field: Filters › Ended Before. Use a date or an ISO 8601 text such as 2024-05-01T12:00:00Z.',
	],
	[
		'Search: a visitor email that is not one',
		search({ filters: { visitorEmail: 'not-an-email' } }),
		{},
		'Filters › Visitor Email: "not-an-email" is not an email address',
		'Field: Filters › Visitor Email. e.g. agent@example.com',
	],
	[
		'Search: a filter from an expression that resolves to nothing',
		search({ text: 'refund', filters: { visitorName: '={{ $json.name }}' } }),
		{ email: 'x@example.com' },
		'Filters › Visitor Name: the value is empty',
		'Field: Filters › Visitor Name. Give a text, or leave the criterion out.',
	],
	[
		'Search: Agent Names of commas only',
		search({ filters: { agentNames: ' , ' } }),
		{},
		'Filters › Agent Names: the value is empty',
		'Field: Filters › Agent Names. Give a text, or leave the criterion out.',
	],
	[
		'Search: Text with nothing to find',
		search({ text: '* -' }),
		{},
		'Text: the value has no letters or digits to search for',
		'Field: Text.',
	],
	[
		'Search: a Raw Query over two lines',
		search({ rawQuery: 'rating:good\nAND type:chat' }),
		{},
		'Raw Query: the query contains control characters (such as a line break)',
		'Field: Raw Query.',
	],
	[
		'Export: a Start Time less than 5 minutes ago',
		exportChats({ startTime: '={{ $json.at }}' }),
		{ at: recent() },
		'Start Time: the start time must be at least 5 minutes in the past',
		'Field: Start Time. Pick an earlier start time.',
	],
	[
		'Export: a Start Time from an expression that gives nothing',
		exportChats({ startTime: '={{ $json.at }}' }),
		{},
		'Start Time is empty',
		'Give the time the export starts from, at least 5 minutes in the past.',
	],
	[
		'Export: a Cursor from an expression that gives nothing',
		exportChats({ startFrom: 'cursor', cursor: '={{ $json.cursor }}' }),
		{},
		'Cursor is empty',
		'Pass the nextCursor of an earlier export unchanged (e.g. {{ $json.nextCursor }}), or start from a Start Time.',
	],
	[
		'Export: a Cursor no export gave',
		exportChats({ startFrom: 'cursor', cursor: 'last tuesday' }),
		{},
		'Cursor "last tuesday" is not a cursor an export gave',
		'Pass the nextCursor of an earlier export unchanged (e.g. {{ $json.nextCursor }}), or start from a Start Time.',
	],
	[
		'Export: a Cursor with a chat id that is not one',
		exportChats({ startFrom: 'cursor', cursor: '1714557600:two words' }),
		{},
		'Cursor: "two words" is not a chat id',
		`Field: Cursor. ${CHAT_ID_SHAPE}`,
	],
	[
		'Export: a Limit of 0',
		exportChats({ startTime: '2024-01-01', limit: 0 }),
		{},
		'Limit must be a whole number of at least 1 (it is 0)',
		LIMIT_HINT,
	],
];

describe('bad input fails the item before any request', () => {
	it.each(CASES)('%s', async (_what, parameters, json, message, description) => {
		const run = await runNode(chatHarness(sim), parameters, { items: inputs(json) });
		const error = errorOf(run, 'Zendesk Chat');
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(message);
		expect(error.description).toBe(description);
		expect(error.context).toMatchObject({ itemIndex: 0 });
		expect(restRequests(sim)).toEqual([]);
	});

	it('names the failing item when it is not the first, after the earlier items ran', async () => {
		const run = await runNode(chatHarness(sim), chat('get', { chatId: '={{ $json.id }}' }), {
			items: inputs({ id: sim.world.listChats()[0].id }, { id: '' }),
		});
		const error = errorOf(run, 'Zendesk Chat');
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Chat ID is empty',
			context: { itemIndex: 1 },
		});
		expect(restRequests(sim)).toHaveLength(1);
	});

	it('a damaged cursor in the static data fails with the way out', async () => {
		const staticData: IDataObject = { 'node:Zendesk Chat': { exportCursor: 'garbage' } };
		const run = await runNode(
			chatHarness(sim),
			exportChats({ startTime: '2024-01-01', storeCursor: true }),
			{ staticData },
		);
		const error = errorOf(run, 'Zendesk Chat');
		expect(error.message).toBe(
			'The cursor stored by Continue From Last Run is damaged ("garbage")',
		);
		expect(error.description).toBe(
			'Rename the node to start a new export from Start From (its static data is kept per node name).',
		);
		expect(restRequests(sim)).toEqual([]);
	});
});
