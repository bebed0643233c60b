import { z } from 'zod';

import { InvalidInputError } from '../../shared';

/**
 * Input checks shared by the operation builders. Everything is checked before any request is
 * sent, and a failure names the field (in the caller's terms, e.g. `quickReplies[2].text`) and says
 * how to fix it.
 */

/** Text the visitor reads: any characters at all (it travels as a GraphQL variable), but not blank. */
export function text(what: string) {
	return z
		.string({
			required_error: `${what} is required`,
			invalid_type_error: `${what} must be a string`,
		})
		.refine((s) => s.trim() !== '', { message: `${what} must not be empty` });
}

/** An optional text: absent, or a string (an empty string counts as absent). */
export function optionalText(what: string) {
	return z
		.string({ invalid_type_error: `${what} must be a string` })
		.optional()
		.transform((s) => (s === undefined || s === '' ? undefined : s));
}

/**
 * A Relay global id of the Conversations API (base64, e.g. of `[["localId","6717"],["type","AGENT"]]`).
 * Opaque: passed on exactly as given. Not the numeric ids of the Chat REST API.
 */
export function relayId(what: string) {
	return z
		.string({
			required_error: `${what} is required`,
			invalid_type_error: `${what} must be a string`,
		})
		.refine((s) => s.trim() !== '', { message: `${what} must not be empty` });
}

export function httpUrl(what: string) {
	return z
		.string({
			required_error: `${what} is required`,
			invalid_type_error: `${what} must be a string`,
		})
		.refine(isHttpUrl, {
			message: `${what} must be an absolute http(s) URL, e.g. https://example.com/page`,
		});
}

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

export function flag(what: string) {
	return z.boolean({ invalid_type_error: `${what} must be true or false` }).optional();
}

/** A list with documented bounds, e.g. "quick replies: at most 11" (a max of MAX_SAFE_INTEGER: no upper bound). */
export function list<T extends z.ZodTypeAny>(item: T, what: string, min: number, max: number) {
	const unbounded = max === Number.MAX_SAFE_INTEGER;
	const bounds =
		min === max
			? `exactly ${min}`
			: min === 0
				? `at most ${max}`
				: unbounded
					? `at least ${min}`
					: `${min} to ${max}`;
	const noun = / 1$/.test(` ${bounds}`) ? 'entry' : 'entries';
	const why = unbounded ? '' : " (Zendesk's limit)";
	return z
		.array(item, {
			required_error: `${what} is required`,
			invalid_type_error: `${what} must be a list`,
		})
		.refine(
			(items) => items.length >= min && items.length <= max,
			(items) => ({
				message: `${what} must have ${bounds} ${noun}${why}, got ${items.length}`,
			}),
		);
}

/**
 * Parses `input` with `schema`, or throws InvalidInputError for the first problem, naming the field
 * as a path (`items[1].panel.heading`).
 */
export function parseInput<S extends z.ZodTypeAny>(
	operation: string,
	schema: S,
	input: unknown,
): z.output<S> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const field = formatPath(issue.path);
	let message = issue.message;
	if (issue.code === 'invalid_type' && issue.received === 'undefined')
		message = `${field || 'input'} is required`;
	else if (issue.code === 'unrecognized_keys')
		message = `unknown field(s) ${issue.keys.join(', ')}`;
	throw new InvalidInputError(field || 'input', `${operation}: ${message}`, hintFor(issue));
}

function formatPath(path: Array<string | number>): string {
	let out = '';
	for (const part of path)
		out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
	return out;
}

function hintFor(issue: z.ZodIssue): string | undefined {
	if (issue.code === 'unrecognized_keys')
		return 'remove the unknown field(s); check the spelling of the field names';
	return undefined;
}
