import { InvalidInputError } from '../../shared/errors';
import { quoteValue } from '../../shared/excerpt';
import { MAX_TEXT_LENGTH } from '../constants';
import { isPlainObject, validateMetadata, type Metadata } from '../validate';

/**
 * The checks content builders share. Each names the field as a path from the content
 * (`content.items[2].actions[0].uri`) and, where the rule is the spec's, the schema it comes from.
 */

export const at = (path: string, key: string): string => `${path}.${key}`;
export const item = (path: string, index: number): string => `${path}[${index}]`;

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** JSON Schema's maxLength counts code points, not UTF-16 units. */
function codePoints(text: string): number {
	let count = 0;
	for (const _ of text) count++;
	return count;
}

export function requireObject(
	path: string,
	value: unknown,
	shape: string,
): Record<string, unknown> {
	if (!isPlainObject(value))
		throw new InvalidInputError(
			path,
			`${path} must be an object such as ${shape}, got ${describe(value)}`,
		);
	return value;
}

/**
 * Refuses keys the builder does not know: a misspelt field (`titel`) would otherwise be dropped
 * without a word and the message would arrive without it.
 */
export function onlyKeys(
	path: string,
	value: Record<string, unknown>,
	allowed: readonly string[],
	what: string,
): void {
	for (const key of Object.keys(value)) {
		if (value[key] !== undefined && !allowed.includes(key)) {
			throw new InvalidInputError(
				at(path, key),
				`${at(path, key)} is not a field of ${what}`,
				`Use ${allowed.join(', ')}.`,
			);
		}
	}
}

/** A non-empty string of at most `max` characters (code points); `rule` names the spec limit. */
export function requireText(path: string, value: unknown, max: number, rule: string): string {
	if (typeof value !== 'string' || value.length === 0)
		throw new InvalidInputError(path, `${path} must be a non-empty string, got ${describe(value)}`);
	if (value.length > max) {
		const length = codePoints(value);
		if (length > max)
			throw new InvalidInputError(
				path,
				`${path} is ${length} characters long; the limit is ${max} (spec: ${rule})`,
				'Shorten it.',
			);
	}
	return value;
}

export function optionalText(
	path: string,
	value: unknown,
	max: number,
	rule: string,
): string | undefined {
	return value === undefined ? undefined : requireText(path, value, max, rule);
}

/** Message text: 1–4096 characters (spec textMessage.text, htmlText, markdownText maxLength 4096). */
export function messageText(path: string, value: unknown): string {
	return requireText(path, value, MAX_TEXT_LENGTH, 'maxLength 4096');
}

/** A button label: the spec sets no length; an empty one "some channels may not support" (spec: reply.text). */
export function buttonText(path: string, value: unknown): string {
	return requireText(path, value, Number.MAX_SAFE_INTEGER, '');
}

/** A list of `min`–`max` entries; `what` reads "a carousel has" and `rule` the spec's words. */
export function requireList(
	path: string,
	value: unknown,
	limits: { min: number; max: number; what: string; unit: string; rule: string },
): unknown[] {
	const { min, max, what, unit, rule } = limits;
	if (!Array.isArray(value))
		throw new InvalidInputError(path, `${path} must be a list of ${unit}, got ${describe(value)}`);
	if (value.length < min || value.length > max) {
		throw new InvalidInputError(
			path,
			`${what} ${min} to ${max} ${unit} (spec: ${rule}), got ${value.length}`,
			value.length > max ? `Send at most ${max}.` : undefined,
		);
	}
	return value;
}

export function optionalBoolean(path: string, value: unknown): boolean | undefined {
	if (value === undefined || typeof value === 'boolean') return value;
	throw new InvalidInputError(path, `${path} must be true or false, got ${describe(value)}`);
}

export function optionalEnum<T extends string>(
	path: string,
	value: unknown,
	allowed: readonly T[],
	rule: string,
): T | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	throw new InvalidInputError(
		path,
		`${path} must be one of ${allowed.join(', ')} (spec: ${rule}), got ${typeof value === 'string' ? quoteValue(value) : describe(value)}`,
	);
}

/**
 * An absolute URL whose scheme is one of `schemes` (http and https unless said otherwise), at
 * most 2048 characters (spec: item.mediaUrl, icon maxLength 2048).
 */
export function requireUrl(
	path: string,
	value: unknown,
	schemes: readonly string[] = ['http:', 'https:'],
): string {
	const text = requireText(path, value, 2048, 'maxLength 2048');
	if (!URL.canParse(text))
		throw new InvalidInputError(
			path,
			`${path} is not an absolute URL`,
			'Use a URL such as https://example.com/page.',
		);
	const { protocol } = new URL(text);
	if (!schemes.includes(protocol)) {
		const names = schemes.map((s) => s.slice(0, -1));
		const list =
			names.length > 1
				? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
				: names[0];
		throw new InvalidInputError(
			path,
			`${path} must be an ${list} URL, got ${protocol.slice(0, -1)}`,
		);
	}
	return text;
}

export function optionalMetadata(path: string, value: unknown): Metadata | undefined {
	return validateMetadata(path, value);
}

export function dropUndefined<T extends Record<string, unknown>>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
