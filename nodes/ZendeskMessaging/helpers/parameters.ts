import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	MAX_EXTERNAL_ID_LENGTH,
	requireId,
	requireString,
	type Metadata,
	type TicketFields,
	type TicketPriority,
	type TranscriptEntry,
	type UserRef,
} from '../../../src/messaging';
import { locatorValue } from '../../shared/supportLocator';
import { quoteValue } from '../../../src/shared/excerpt';
import { invalidParameter } from './errors';

/**
 * Reads a JSON parameter: typed JSON arrives as a string, an expression's result as a value.
 * Empty text means "not given".
 */
export function jsonParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	fallback: unknown,
): unknown {
	const raw = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (typeof raw !== 'string') return raw;
	if (raw.trim() === '') return undefined;
	try {
		return JSON.parse(raw) as unknown;
	} catch (error) {
		throw invalidParameter(
			ctx,
			label,
			`not valid JSON (${(error as Error).message})`,
			itemIndex,
			'Check quotes, commas and brackets, or build the value with an expression.',
		);
	}
}

/**
 * Optional flat metadata from a JSON parameter; `{}` counts as none. Its values are checked by
 * the core (flat strings, numbers and booleans, 4 KB).
 */
export function metadataParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): Metadata | undefined {
	const value = jsonParameter(ctx, name, label, itemIndex, '{}');
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
		return undefined;
	return value as Metadata;
}

/** A parameter that is a string in the editor; an expression may still hand over a number. */
export function stringParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback = '',
): string {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	return typeof value === 'number' ? String(value) : (value as string);
}

/** An optional string from an options collection: empty means "not set". */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = typeof value === 'number' ? String(value) : value;
	return text === '' ? undefined : (text as string);
}

export type TranscriptRole = 'user' | 'bot';
export interface TranscriptLine {
	role: TranscriptRole;
	text: string;
}

/**
 * The transcript as a list of {role, text}: from the JSON parameter (an array, or an object with
 * a `messages` array, as chat memories often export it) or from the fixed collection. Roles are
 * checked here; texts are checked by the core with the rest of the escalation.
 */
export function transcriptParameter(ctx: IExecuteFunctions, itemIndex: number): TranscriptLine[] {
	const source = ctx.getNodeParameter('transcriptSource', itemIndex, 'none') as string;
	if (source === 'fields') {
		const collection = ctx.getNodeParameter('transcriptMessages', itemIndex, {}) as {
			message?: IDataObject[];
		};
		return (collection.message ?? []).map((entry, i) => transcriptLine(ctx, entry, i, itemIndex));
	}
	if (source !== 'json') return [];
	let value = jsonParameter(ctx, 'transcriptJson', 'Transcript (JSON)', itemIndex, '[]');
	if (value === undefined || value === null) return [];
	if (
		typeof value === 'object' &&
		!Array.isArray(value) &&
		Array.isArray((value as IDataObject).messages)
	) {
		value = (value as IDataObject).messages;
	}
	if (!Array.isArray(value)) {
		throw invalidParameter(
			ctx,
			'Transcript (JSON)',
			'must be a list of {"role": "user" or "bot", "text": "…"}',
			itemIndex,
			'e.g. [{"role": "user", "text": "Hi"}, {"role": "bot", "text": "Hello!"}].',
		);
	}
	return value.map((entry, i) => transcriptLine(ctx, entry, i, itemIndex));
}

function transcriptLine(
	ctx: IExecuteFunctions,
	entry: unknown,
	i: number,
	itemIndex: number,
): TranscriptLine {
	const label = `Transcript [${i}]`;
	if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
		throw invalidParameter(
			ctx,
			label,
			'must be an object {"role": "user" or "bot", "text": "…"}',
			itemIndex,
		);
	}
	const { role, text } = entry as IDataObject;
	if (role !== 'user' && role !== 'bot') {
		throw invalidParameter(
			ctx,
			label,
			`role must be "user" or "bot", got ${quoteValue(role ?? null)}`,
			itemIndex,
			'Use "user" for what the customer wrote and "bot" for the bot\'s answers.',
		);
	}
	return { role, text: text as string };
}

/**
 * The lines as business messages with the author name of each role: posting the customer's lines
 * as user messages would reach the bot's own webhook as new customer messages (and the bot would
 * answer its own transcript), while business messages carry the origin tag and are dropped.
 */
export function transcriptEntries(
	lines: TranscriptLine[],
	names: { user: string; bot?: string },
): TranscriptEntry[] {
	return lines.map((line) => {
		const displayName = line.role === 'user' ? names.user : names.bot;
		return displayName ? { text: line.text, displayName } : { text: line.text };
	});
}

/** Tags from a comma-separated string (or a list, from an expression). */
export function tagList(value: unknown): unknown[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return [value];
	const tags = value
		.split(',')
		.map((tag) => tag.trim())
		.filter((tag) => tag.length > 0);
	return tags.length > 0 ? tags : undefined;
}

/**
 * The ticket fields of the Escalate operation's "Ticket Fields" collection. The ids are resource
 * locators now; a workflow saved when they were plain text fields still reads the same.
 */
export function ticketFieldsParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
): TicketFields | undefined {
	const raw = ctx.getNodeParameter('ticketFields', itemIndex, {}) as IDataObject;
	const fields: TicketFields = {};
	const tags = tagList(raw.tags);
	if (tags) fields.tags = tags as string[];
	for (const key of [
		'groupId',
		'assigneeId',
		'organizationId',
		'brandId',
		'ticketFormId',
	] as const) {
		const id = optionalText(locatorValue(raw[key]));
		if (id !== undefined) fields[key] = id;
	}
	if (optionalText(raw.priority)) fields.priority = raw.priority as TicketPriority;
	const requesterName = optionalText(raw.requesterName);
	if (requesterName !== undefined) fields.requesterName = requesterName;
	const requesterEmail = optionalText(raw.requesterEmail);
	if (requesterEmail !== undefined) fields.requesterEmail = requesterEmail;
	const custom = (raw.customFields as { field?: IDataObject[] } | undefined)?.field ?? [];
	if (custom.length > 0) {
		fields.customFields = Object.fromEntries(
			custom.map((entry) => [String(locatorValue(entry.id) ?? ''), entry.value as string]),
		);
	}
	return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * The user of the "Find User By" fields, checked before any request: `{userExternalId}` or
 * `{userId}` as the core's UserRef.
 */
export function userRefParameter(ctx: IExecuteFunctions, itemIndex: number): UserRef {
	if (ctx.getNodeParameter('userBy', itemIndex, 'userExternalId') === 'userId') {
		return { userId: requireId('userId', stringParameter(ctx, 'userId', itemIndex)) };
	}
	return {
		userExternalId: requireString(
			'userExternalId',
			stringParameter(ctx, 'userExternalId', itemIndex),
			MAX_EXTERNAL_ID_LENGTH,
		),
	};
}
