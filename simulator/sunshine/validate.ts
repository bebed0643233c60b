import { badRequest } from './errors';
import type { Metadata } from './types';

/**
 * Small body validators that collect every problem, so one 400 lists them all (openapi.yaml
 * Introduction "Errors": "Multiple errors can only be included in a 400 Bad Request").
 */
export class Issues {
	readonly list: string[] = [];

	add(message: string): void {
		this.list.push(message);
	}

	throwIfAny(): void {
		if (this.list.length > 0) throw badRequest(this.list);
	}
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON body as an object, or the 400 the spec's `requestBody: required: true` implies. */
export function objectBody(body: unknown, required = true): Json {
	if (body === undefined && !required) return {};
	if (body === undefined) throw badRequest('A JSON request body is required');
	if (!isObject(body)) throw badRequest('The request body must be a JSON object');
	return body;
}

interface StringRule {
	min?: number;
	max?: number;
	nullable?: boolean;
	required?: boolean;
	pattern?: RegExp;
	patternHint?: string;
	oneOf?: readonly string[];
}

export function stringField(
	obj: Json,
	key: string,
	path: string,
	issues: Issues,
	rule: StringRule = {},
): string | null | undefined {
	const value = obj[key];
	const where = path ? `${path}.${key}` : key;
	if (value === undefined) {
		if (rule.required) issues.add(`${where} is required`);
		return undefined;
	}
	if (value === null) {
		if (!rule.nullable) issues.add(`${where} must not be null`);
		return null;
	}
	if (typeof value !== 'string') {
		issues.add(`${where} must be a string`);
		return undefined;
	}
	// JSON Schema minLength/maxLength count characters (code points, RFC 8259), not UTF-16 units.
	const length = value.length <= (rule.max ?? Infinity) ? value.length : [...value].length;
	if (rule.min !== undefined && [...value].length < rule.min)
		issues.add(`${where} must be at least ${rule.min} characters long`);
	if (rule.max !== undefined && length > rule.max)
		issues.add(`${where} must be at most ${rule.max} characters long`);
	if (rule.pattern && !rule.pattern.test(value))
		issues.add(`${where} ${rule.patternHint ?? 'has an invalid format'}`);
	if (rule.oneOf && !rule.oneOf.includes(value))
		issues.add(`${where} must be one of ${rule.oneOf.join(', ')}`);
	return value;
}

export function booleanField(
	obj: Json,
	key: string,
	path: string,
	issues: Issues,
	required = false,
): boolean | undefined {
	const value = obj[key];
	const where = path ? `${path}.${key}` : key;
	if (value === undefined) {
		if (required) issues.add(`${where} is required`);
		return undefined;
	}
	if (typeof value !== 'boolean') {
		issues.add(`${where} must be a boolean`);
		return undefined;
	}
	return value;
}

export function integerField(
	obj: Json,
	key: string,
	path: string,
	issues: Issues,
	rule: { min?: number; max?: number; nullable?: boolean } = {},
): number | null | undefined {
	const value = obj[key];
	const where = path ? `${path}.${key}` : key;
	if (value === undefined) return undefined;
	if (value === null && rule.nullable) return null;
	if (typeof value !== 'number' || !Number.isInteger(value)) {
		issues.add(`${where} must be an integer`);
		return undefined;
	}
	if (rule.min !== undefined && value < rule.min)
		issues.add(`${where} must be at least ${rule.min}`);
	if (rule.max !== undefined && value > rule.max)
		issues.add(`${where} must be at most ${rule.max}`);
	return value;
}

/** A URI (`format: uri`): absolute, with a scheme. */
export function uriField(
	obj: Json,
	key: string,
	path: string,
	issues: Issues,
	rule: StringRule = {},
): string | null | undefined {
	const value = stringField(obj, key, path, issues, { max: 2048, ...rule });
	if (typeof value === 'string' && !isUri(value))
		issues.add(`${path ? `${path}.${key}` : key} must be an absolute URI`);
	return value;
}

export function isUri(value: string): boolean {
	try {
		return new URL(value).protocol.length > 1;
	} catch {
		return false;
	}
}

const METADATA_LIMIT_BYTES = 4096;

/**
 * openapi.yaml `metadata`: "Flat object containing custom properties. Strings, numbers and booleans
 * are the only supported format ... limited to 4KB in size." Null is allowed (nullable).
 */
export function metadataField(
	obj: Json,
	key: string,
	path: string,
	issues: Issues,
): Metadata | null | undefined {
	const value = obj[key];
	const where = path ? `${path}.${key}` : key;
	if (value === undefined) return undefined;
	if (value === null) return null;
	if (!isObject(value)) {
		issues.add(`${where} must be a flat object`);
		return undefined;
	}
	for (const [name, item] of Object.entries(value)) {
		if (!['string', 'number', 'boolean'].includes(typeof item)) {
			issues.add(`${where}.${name} must be a string, a number or a boolean (metadata is flat)`);
		}
	}
	if (Buffer.byteLength(JSON.stringify(value)) > METADATA_LIMIT_BYTES)
		issues.add(`${where} is larger than 4KB`);
	return value as Metadata;
}

/** Names of switchboard integrations: "Restricted to alphanumeric characters, `-` and `_`", ≤128 (openapi.yaml `name`). */
export const NAME_RULE: StringRule = {
	min: 1,
	max: 128,
	pattern: /^[A-Za-z0-9_-]+$/,
	patternHint: 'may only contain letters, digits, - and _',
};
