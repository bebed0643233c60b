import { InvalidInputError } from '../shared/errors';
import { quoteValue } from '../shared/excerpt';
import { MAX_METADATA_BYTES, MAX_PAGE_SIZE, MAX_TEXT_LENGTH } from './constants';

/**
 * Input checks that run before any request is sent. Each throws InvalidInputError naming the
 * field and saying how to fix it, so the n8n layer can point at the parameter.
 */

/** A flat metadata object, as the spec allows: strings, numbers and booleans only. */
export type Metadata = Record<string, string | number | boolean>;

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'string') return 'a string';
	return typeof value === 'object' || typeof value === 'undefined'
		? `an ${typeof value}`
		: `a ${typeof value}`;
}

/** A non-empty string of at most `max` characters. */
export function requireString(field: string, value: unknown, max = 1024): string {
	if (typeof value !== 'string' || value.length === 0) {
		throw new InvalidInputError(
			field,
			`${field} must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : describe(value)}`,
		);
	}
	if (value.length > max) {
		throw new InvalidInputError(
			field,
			`${field} is ${value.length} characters long; the limit is ${max}`,
			'Shorten it.',
		);
	}
	return value;
}

/** Like requireString, but `undefined` passes through. */
export function optionalString(field: string, value: unknown, max = 1024): string | undefined {
	return value === undefined ? undefined : requireString(field, value, max);
}

/**
 * An id that travels as one URL path segment. Any character is fine (it is percent-encoded), except
 * the segments "." and "..", which URL parsers collapse even when encoded, so they would address
 * another resource.
 */
export function requireId(field: string, value: unknown, max = 1024): string {
	const id = requireString(field, value, max);
	if (id === '.' || id === '..') {
		throw new InvalidInputError(
			field,
			`${field} cannot be "${id}"`,
			'Use the id Zendesk returned.',
		);
	}
	return id;
}

/** Message text: non-empty, at most 4096 characters (counted as code points, as JSON Schema does). */
export function requireText(field: string, value: unknown): string {
	if (typeof value !== 'string' || value.length === 0) {
		throw new InvalidInputError(
			field,
			`${field} must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : describe(value)}`,
		);
	}
	// Cheap bound first: a string with at most MAX UTF-16 units has at most MAX code points.
	if (value.length > MAX_TEXT_LENGTH) {
		let codePoints = 0;
		for (const _ of value) codePoints++;
		if (codePoints > MAX_TEXT_LENGTH) {
			throw new InvalidInputError(
				field,
				`${field} is ${codePoints} characters long; Sunshine Conversations accepts at most ${MAX_TEXT_LENGTH}`,
				'Split the text into several messages or shorten it.',
			);
		}
	}
	return value;
}

/**
 * Text a person is meant to read, such as an escalation summary: requireText, and not only
 * whitespace (Zendesk would take "   ", and the agent would read nothing).
 */
export function requireVisibleText(field: string, value: unknown): string {
	const text = requireText(field, value);
	if (text.trim() === '') {
		throw new InvalidInputError(
			field,
			`${field} must contain some text, got only whitespace`,
			'Write what the reader needs to know.',
		);
	}
	return text;
}

/** A plain object (not an array, not null, not a class instance such as Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

/**
 * Metadata as the spec defines it: a flat object of strings, finite numbers and booleans whose JSON
 * is at most 4 KB. `undefined` passes through.
 */
export function validateMetadata(field: string, value: unknown): Metadata | undefined {
	if (value === undefined) return undefined;
	if (!isPlainObject(value)) {
		throw new InvalidInputError(
			field,
			`${field} must be a flat object, got ${describe(value)}`,
			'Pass an object such as {"lang": "en"}.',
		);
	}
	for (const [key, entry] of Object.entries(value)) {
		if (key.length === 0)
			throw new InvalidInputError(
				field,
				`${field} has an empty key`,
				'Give every metadata entry a name.',
			);
		const ok =
			typeof entry === 'string' ||
			typeof entry === 'boolean' ||
			(typeof entry === 'number' && Number.isFinite(entry));
		if (!ok) {
			throw new InvalidInputError(
				`${field}.${key}`,
				`${field}.${key} is ${typeof entry === 'number' ? 'not a finite number' : describe(entry)}; metadata values must be strings, numbers or booleans`,
				'Flatten nested values, e.g. {"order.id": "123"} instead of {"order": {"id": "123"}}.',
			);
		}
	}
	const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
	if (bytes > MAX_METADATA_BYTES) {
		throw new InvalidInputError(
			field,
			`${field} is ${bytes} bytes as JSON; the limit is ${MAX_METADATA_BYTES}`,
			'Send fewer or shorter metadata values.',
		);
	}
	return value as Metadata;
}

/** A page size for cursor pagination: an integer from 1 to 100. */
export function optionalPageSize(field: string, value: unknown): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
		throw new InvalidInputError(
			field,
			`${field} must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${quoteValue(value)}`,
		);
	}
	return value;
}

/** An absolute http(s) URL (webhook targets, avatar and icon URLs). */
export function requireHttpUrl(field: string, value: unknown): string {
	const text = requireString(field, value, 2048);
	if (!URL.canParse(text)) {
		throw new InvalidInputError(
			field,
			`${field} is not a valid URL`,
			'Use an absolute URL such as https://example.com/hook.',
		);
	}
	const url = new URL(text);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InvalidInputError(
			field,
			`${field} must be an http or https URL, got ${url.protocol}`,
		);
	}
	return text;
}

/** A boolean, or undefined. */
export function optionalBoolean(field: string, value: unknown): boolean | undefined {
	if (value === undefined || typeof value === 'boolean') return value;
	throw new InvalidInputError(field, `${field} must be true or false, got ${describe(value)}`);
}

/** One of `allowed`, or undefined. */
export function optionalEnum<T extends string>(
	field: string,
	value: unknown,
	allowed: readonly T[],
): T | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	throw new InvalidInputError(
		field,
		`${field} must be one of ${allowed.join(', ')}, got ${typeof value === 'string' ? quoteValue(value) : describe(value)}`,
	);
}

/** A Zendesk numeric id (group, assignee, organization, brand, ticket field), as a string of digits. */
export function requireNumericId(field: string, value: unknown): string {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
	if (typeof value === 'string' && /^[1-9][0-9]{0,19}$/.test(value)) return value;
	throw new InvalidInputError(
		field,
		`${field} must be a positive integer id, got ${typeof value === 'string' ? quoteValue(value) : describe(value)}`,
		'Copy the numeric id from Zendesk Admin Center.',
	);
}
