import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	EXPORT_MAX_LIMIT,
	type Chat,
	type ExportCursor,
	type ExportOptions,
} from '../../../../src/rest';
import { quoteValue } from '../../../../src/shared/excerpt';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { dateValue, fieldError } from '../../helpers/restInput';
import { labelled } from '../../../shared/fieldLabels';
import { readLimit, returnAllOrLimit } from '../../helpers/restLists';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		options: [
			{
				name: 'Start Time',
				value: 'startTime',
				description: 'Begin a new export at a point in time',
			},
			{
				name: 'Cursor',
				value: 'cursor',
				description: 'Continue from the Next Cursor an earlier export gave',
			},
		],
		default: 'startTime',
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'Export the chats created or updated from this time on. Zendesk requires it to be at least 5 minutes in the past.',
		displayOptions: { show: { startFrom: ['startTime'] } },
	},
	{
		displayName: 'Cursor',
		name: 'cursor',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.nextCursor }}',
		description:
			'The Next Cursor of an earlier export (Output: One Item With Chats and Next Cursor)',
		displayOptions: { show: { startFrom: ['cursor'] } },
	},
	{
		displayName: 'Continue From Last Run',
		name: 'storeCursor',
		type: 'boolean',
		default: false,
		description:
			"Whether to remember where the export stopped (in the workflow's static data) and continue from there on the next run, so each chat is exported once. Start From is then used only on the first run. n8n keeps static data for production runs of an active workflow, not for manual test runs.",
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Chat', value: 'chats' },
			{
				name: 'One Item With Chats and Next Cursor',
				value: 'batch',
				description:
					'A single item {chats, count, nextCursor, caughtUp}: pass nextCursor to the next export',
			},
		],
		default: 'chats',
	},
	...returnAllOrLimit,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['export'] } },
	properties,
);

const LABELS: Record<string, string> = { startTime: 'Start Time', cursor: 'Cursor' };
/** Where the cursor is kept in the node's static data. */
const STORED_CURSOR = 'exportCursor';

/**
 * Where this execution's export has got to: with several input items each continues from the one
 * before, and the static data is written once, after the last item (see execute).
 */
const progress = new WeakMap<ExecutionResources, { cursor?: string }>();

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject[]> {
	if (!(this.getNodeParameter('storeCursor', itemIndex, false) as boolean)) {
		return (await exportOnce(this, itemIndex, resources, undefined)).output;
	}
	const staticData = this.getWorkflowStaticData('node');
	let run = progress.get(resources);
	if (!run) progress.set(resources, (run = {}));
	let failed = true;
	try {
		const { output, nextCursor } = await exportOnce(
			this,
			itemIndex,
			resources,
			run.cursor ?? staticData[STORED_CURSOR],
		);
		if (nextCursor !== null) run.cursor = nextCursor;
		failed = false;
		return output;
	} finally {
		// The stored cursor moves only once the node's output is certain: after its last item, and
		// not when an item fails the whole node (n8n saves static data even for a failed execution,
		// so moving it earlier would skip chats that were never output).
		const last = itemIndex === this.getInputData().length - 1;
		if (last && run.cursor !== undefined && (!failed || this.continueOnFail()))
			staticData[STORED_CURSOR] = run.cursor;
	}
}

/** One export for one item: from the stored cursor when there is one, else from Start From. */
async function exportOnce(
	ctx: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
	stored: unknown,
): Promise<{ output: IDataObject[]; nextCursor: string | null }> {
	const limit = readLimit(ctx, itemIndex);
	let start: Pick<ExportOptions, 'startTime' | 'cursor'>;
	let startedFrom: string;
	if (stored !== undefined && stored !== null && stored !== '') {
		const cursor = cursorValue(stored);
		if (!cursor) {
			throw fieldError(
				ctx,
				itemIndex,
				`The cursor stored by Continue From Last Run is damaged (${quoteValue(stored)})`,
				'Rename the node to start a new export from Start From (its static data is kept per node name).',
			);
		}
		start = { cursor };
		startedFrom = 'storedCursor';
	} else if ((ctx.getNodeParameter('startFrom', itemIndex, 'startTime') as string) === 'cursor') {
		const given = ctx.getNodeParameter('cursor', itemIndex, '') as unknown;
		const cursor = cursorValue(given);
		if (!cursor) {
			throw fieldError(
				ctx,
				itemIndex,
				given === '' || given === undefined || given === null
					? 'Cursor is empty'
					: `Cursor ${quoteValue(given)} is not a cursor an export gave`,
				'Pass the nextCursor of an earlier export unchanged (e.g. {{ $json.nextCursor }}), or start from a Start Time.',
			);
		}
		start = { cursor };
		startedFrom = 'cursor';
	} else {
		const startTime = ctx.getNodeParameter('startTime', itemIndex, '') as unknown;
		if (
			startTime === undefined ||
			startTime === null ||
			(typeof startTime === 'string' && startTime.trim() === '')
		) {
			throw fieldError(
				ctx,
				itemIndex,
				'Start Time is empty',
				'Give the time the export starts from, at least 5 minutes in the past.',
			);
		}
		start = { startTime: dateValue(startTime, ctx.getTimezone()) as Date | string };
		startedFrom = 'startTime';
	}

	const rest = await resources.rest();
	const chats: Chat[] = [];
	let next: ExportCursor | undefined = start.cursor;
	let caughtUp = false;
	// One page per request, sized to what is still wanted, so a Limit never cuts a page in two and
	// the cursor stored or output always resumes right after the last chat given.
	await labelled(LABELS, async () => {
		for (;;) {
			const pageSize =
				limit === undefined ? EXPORT_MAX_LIMIT : Math.min(EXPORT_MAX_LIMIT, limit - chats.length);
			const pages = rest.exportChats({ ...start, limit: pageSize });
			const { value: page } = await pages.next();
			await pages.return?.(undefined);
			if (!page) {
				// The cursor is less than 5 minutes old: nothing to export yet (no request was sent).
				caughtUp = true;
				return;
			}
			chats.push(...page.chats);
			next = page.cursor;
			if (page.done) {
				caughtUp = true;
				return;
			}
			if (limit !== undefined && chats.length >= limit) return;
			start = { cursor: page.cursor };
		}
	});

	const nextCursor = next ? formatCursor(next) : null;
	const output =
		(ctx.getNodeParameter('output', itemIndex, 'chats') as string) === 'batch'
			? [{ chats: chats as IDataObject[], count: chats.length, nextCursor, caughtUp, startedFrom }]
			: (chats as IDataObject[]);
	return { output, nextCursor };
}

/**
 * A cursor as one short text, easy to keep in a field or a data store: `<start time>:<chat id>`
 * (chat ids have no ":"), or `<start time>` alone before the first chat.
 */
function formatCursor(cursor: ExportCursor): string {
	return cursor.startId === undefined
		? String(cursor.startTime)
		: `${cursor.startTime}:${cursor.startId}`;
}

/** The cursor text (or the object form an expression may pass on); undefined when it is not one. */
function cursorValue(value: unknown): ExportCursor | undefined {
	if (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ExportCursor).startTime === 'number'
	)
		return value as ExportCursor;
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
		return { startTime: value };
	if (typeof value !== 'string') return undefined;
	const match = /^(\d{1,12})(?::(.+))?$/.exec(value.trim());
	if (!match) return undefined;
	return match[2] === undefined
		? { startTime: Number(match[1]) }
		: { startTime: Number(match[1]), startId: match[2] };
}
