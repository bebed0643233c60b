/**
 * The incremental chat export (NOTES.md section 3): `GET /incremental/chats?start_time&start_id&limit`
 * answers `{chats, count, end_id, end_time, next_page}`; the next page starts at
 * `start_time=end_time&start_id=end_id`, and the export is caught up when `count < limit`.
 * Pages are yielded with the cursor that resumes *after* them, so a caller that stores the cursor
 * once it has handled a page never loses or repeats a page across runs.
 *
 * `start_time` "must be at least 5 min in the past", and a cursor is often more recent than that
 * (end_time is the last chat's update time). Such a cursor is not sent: the export is caught up for
 * now, and the same cursor continues it a few minutes later.
 */
import { InvalidInputError, ProtocolError } from '../shared';
import { EXPORT_DEFAULT_FIELDS, EXPORT_MAX_LIMIT, EXPORT_MIN_AGE_MS } from './constants';
import type { RestTransport } from './rest-transport';
import { exportPageSchema, type Chat } from './schemas';
import { chatId, dateInput, integerIn } from './validate';

export const EXPORT_PATH = '/incremental/chats';

/** Where an export resumes: `start_time` (epoch seconds) and `start_id`, as the API gave them. */
export interface ExportCursor {
	startTime: number;
	startId?: string;
}

export interface ExportOptions {
	/** Where a new export starts: at least 5 minutes in the past. Give this or `cursor`. */
	startTime?: Date | string;
	/** Where a previous export stopped (an `ExportPage.cursor`). Give this or `startTime`. */
	cursor?: ExportCursor;
	/** Chats per page, 1–1000. @default 1000 */
	limit?: number;
	/** The API's `fields` selector. @default "chats(*)" (every field) */
	fields?: string;
	signal?: AbortSignal;
}

export interface ExportPage {
	chats: Chat[];
	/** The page's `count`, as the API sent it. */
	count: number;
	/** Store this after handling the page; pass it back as `cursor` to continue from here. */
	cursor: ExportCursor;
	/**
	 * The export has caught up: `count < limit`, or the cursor is less than 5 minutes old. This is the
	 * last page for now; resume from `cursor` later.
	 */
	done: boolean;
}

export interface ExportPlan {
	cursor: ExportCursor;
	/** Epoch milliseconds now. */
	now: () => number;
	limit: number;
	fields: string;
	signal?: AbortSignal;
}

/** Validates export options. @throws InvalidInputError */
export function planExport(options: ExportOptions, now: () => number): ExportPlan {
	if (typeof options !== 'object' || options === null)
		throw new InvalidInputError('options', 'export options must be an object');
	const hasStart = options.startTime !== undefined;
	const hasCursor = options.cursor !== undefined;
	if (hasStart === hasCursor) {
		throw new InvalidInputError(
			'startTime',
			'give either startTime (a new export) or cursor (resume one), not both or neither',
		);
	}
	let cursor: ExportCursor;
	if (hasStart) {
		const startMs = dateInput(options.startTime, 'startTime');
		if (startMs > now() - EXPORT_MIN_AGE_MS) {
			throw new InvalidInputError(
				'startTime',
				'the start time must be at least 5 minutes in the past',
				'Pick an earlier start time.',
			);
		}
		cursor = { startTime: Math.max(0, Math.floor(startMs / 1000)) };
	} else {
		cursor = checkCursor(options.cursor);
	}
	const limit =
		options.limit === undefined
			? EXPORT_MAX_LIMIT
			: integerIn(options.limit, 'limit', 1, EXPORT_MAX_LIMIT);
	const fields = options.fields === undefined ? EXPORT_DEFAULT_FIELDS : options.fields;
	if (typeof fields !== 'string' || !/^[A-Za-z0-9_.,()*]{1,500}$/.test(fields)) {
		throw new InvalidInputError(
			'fields',
			'fields is a field selector such as chats(*)',
			'Leave it out to get every field.',
		);
	}
	return { cursor, now, limit, fields, signal: options.signal };
}

export async function* exportPages(
	transport: RestTransport,
	plan: ExportPlan,
): AsyncGenerator<ExportPage> {
	let cursor = plan.cursor;
	const tooRecent = (c: ExportCursor) => c.startTime > (plan.now() - EXPORT_MIN_AGE_MS) / 1000;
	if (tooRecent(cursor)) return;
	for (;;) {
		const page = await transport.request({
			method: 'GET',
			path: EXPORT_PATH,
			query: {
				start_time: cursor.startTime,
				start_id: cursor.startId,
				limit: plan.limit,
				fields: plan.fields,
			},
			schema: exportPageSchema,
			signal: plan.signal,
		});
		const next: ExportCursor =
			page.end_time === null || page.end_time === undefined
				? cursor
				: { startTime: page.end_time, ...(page.end_id ? { startId: page.end_id } : {}) };
		const done = page.count < plan.limit || tooRecent(next);
		if (!done && next.startTime === cursor.startTime && next.startId === cursor.startId) {
			throw new ProtocolError(
				'rest',
				'the incremental export answered a full page without moving its cursor',
				{ end_time: page.end_time, end_id: page.end_id },
			);
		}
		yield { chats: page.chats as Chat[], count: page.count, cursor: next, done };
		if (done) return;
		cursor = next;
	}
}

function checkCursor(value: unknown): ExportCursor {
	const cursor = value as Partial<ExportCursor> | null;
	if (
		typeof cursor !== 'object' ||
		cursor === null ||
		typeof cursor.startTime !== 'number' ||
		!Number.isFinite(cursor.startTime) ||
		cursor.startTime < 0
	) {
		throw new InvalidInputError(
			'cursor',
			'the cursor is not one an export gave',
			'Pass back an ExportPage.cursor unchanged, or start again from a startTime.',
		);
	}
	return cursor.startId === undefined
		? { startTime: cursor.startTime }
		: { startTime: cursor.startTime, startId: chatId(cursor.startId, 'cursor.startId') };
}
