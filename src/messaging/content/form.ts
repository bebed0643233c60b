import { InvalidInputError } from '../../shared/errors';
import { quoteValue } from '../../shared/excerpt';
import {
	at,
	buttonText,
	dropUndefined,
	item,
	onlyKeys,
	optionalBoolean,
	optionalEnum,
	optionalText,
	requireList,
	requireObject,
	requireText,
} from './checks';

/** One question of a form (spec: formMessageField). */
export interface FormField {
	type: 'text' | 'email' | 'select';
	/** The key of the answer; 1–128 characters, unique in the form. */
	name: string;
	/** What the user sees; 1–128 characters. */
	label: string;
	/** 1–128 characters. */
	placeholder?: string;
	/** Text fields only: the shortest answer, 1–256. @default 1 (the server's) */
	minSize?: number;
	/** Text fields only: the longest answer, 1–256. @default 128 (the server's) */
	maxSize?: number;
	/** Text fields only: a number answer. */
	format?: 'integer' | 'decimal';
	/** Select fields only, and required there: 1 to 200 options, each name unique in the field. */
	options?: Array<{ name: string; label: string }>;
}

/** A form the user fills in (spec: formMessage); the answers come back as a formResponse message. */
export interface FormContent {
	type: 'form';
	/** 1 to 20 fields. */
	fields: FormField[];
	/** Disables the chat input while this is the latest message, on clients that support it. */
	blockChatInput?: boolean;
	/** Shown above the form's link on social channels (spec: formMessage.text). */
	text?: string;
}

const FORM_FIELDS = ['type', 'fields', 'blockChatInput', 'text'];
const FIELD_FIELDS = [
	'type',
	'name',
	'label',
	'placeholder',
	'minSize',
	'maxSize',
	'format',
	'options',
];
const FIELD_TYPES = ['text', 'email', 'select'] as const;
/** Spec formMessageField.maxSize "default: 128". */
const DEFAULT_MAX_SIZE = 128;

export function buildForm(path: string, content: Record<string, unknown>): Record<string, unknown> {
	onlyKeys(path, content, FORM_FIELDS, 'a form message');
	const list = requireList(at(path, 'fields'), content.fields, {
		min: 1,
		max: 20,
		what: 'a form has',
		unit: 'fields',
		rule: 'formMessage.fields minItems 1, maxItems 20',
	});
	const fields = list.map((entry, i) => buildField(item(at(path, 'fields'), i), entry));
	// Spec field.name: "Must be unique per form or formResponse."
	fields.forEach((field, i) => {
		if (fields.findIndex((f) => f.name === field.name) !== i) {
			throw new InvalidInputError(
				at(item(at(path, 'fields'), i), 'name'),
				`field name ${quoteValue(field.name)} is used twice; names are unique in a form (spec: field.name)`,
			);
		}
	});
	return dropUndefined({
		type: 'form',
		fields,
		blockChatInput: optionalBoolean(at(path, 'blockChatInput'), content.blockChatInput),
		text: content.text === undefined ? undefined : buttonText(at(path, 'text'), content.text),
	});
}

function buildField(path: string, value: unknown): Record<string, unknown> {
	const field = requireObject(
		path,
		value,
		'{type: "text", name: "full_name", label: "Your name?"}',
	);
	onlyKeys(path, field, FIELD_FIELDS, 'a form field');
	const type = optionalEnum(at(path, 'type'), field.type, FIELD_TYPES, 'field.type');
	if (type === undefined)
		throw new InvalidInputError(
			at(path, 'type'),
			`${at(path, 'type')} must be one of ${FIELD_TYPES.join(', ')}`,
		);
	const onlyFor = (key: string, allowedType: string) => {
		if (field[key] !== undefined && type !== allowedType) {
			throw new InvalidInputError(
				at(path, key),
				`${at(path, key)} applies to ${allowedType} fields only, and this one is ${type} (spec: formMessageField.${key})`,
			);
		}
	};
	onlyFor('minSize', 'text');
	onlyFor('maxSize', 'text');
	onlyFor('format', 'text');
	onlyFor('options', 'select');
	const minSize = size(at(path, 'minSize'), field.minSize);
	const maxSize = size(at(path, 'maxSize'), field.maxSize);
	if (minSize !== undefined && minSize > (maxSize ?? DEFAULT_MAX_SIZE)) {
		throw new InvalidInputError(
			at(path, 'minSize'),
			`${at(path, 'minSize')} is ${minSize}, more than maxSize (${maxSize ?? `the default ${DEFAULT_MAX_SIZE}`}): no answer could fit`,
		);
	}
	return dropUndefined({
		type,
		name: requireText(at(path, 'name'), field.name, 128, 'field.name minLength 1, maxLength 128'),
		label: requireText(
			at(path, 'label'),
			field.label,
			128,
			'field.label minLength 1, maxLength 128',
		),
		placeholder: optionalText(
			at(path, 'placeholder'),
			field.placeholder,
			128,
			'formMessageField.placeholder minLength 1, maxLength 128',
		),
		minSize,
		maxSize,
		format: optionalEnum(
			at(path, 'format'),
			field.format,
			['integer', 'decimal'] as const,
			'field.format',
		),
		options: type === 'select' ? buildOptions(at(path, 'options'), field.options) : undefined,
	});
}

/** Spec formMessageField.minSize / maxSize: integer, minimum 1, maximum 256. */
function size(path: string, value: unknown): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 256) {
		throw new InvalidInputError(
			path,
			`${path} must be a whole number from 1 to 256 (spec: formMessageField), got ${quoteValue(value)}`,
		);
	}
	return value;
}

/** Spec formOptions: at most 200, label and name 1–128, name "unique per field"; a select without options cannot be answered. */
function buildOptions(path: string, value: unknown): Record<string, unknown>[] {
	const list = requireList(path, value, {
		min: 1,
		max: 200,
		what: 'a select field has',
		unit: 'options',
		rule: 'formOptions maxItems 200',
	});
	const options = list.map((entry, i) => {
		const option = requireObject(item(path, i), entry, '{name: "small", label: "Small"}');
		onlyKeys(item(path, i), option, ['name', 'label'], 'a select option');
		return {
			name: requireText(
				at(item(path, i), 'name'),
				option.name,
				128,
				'formOptions.name minLength 1, maxLength 128',
			),
			label: requireText(
				at(item(path, i), 'label'),
				option.label,
				128,
				'formOptions.label minLength 1, maxLength 128',
			),
		};
	});
	options.forEach((option, i) => {
		if (options.findIndex((o) => o.name === option.name) !== i) {
			throw new InvalidInputError(
				at(item(path, i), 'name'),
				`option name ${quoteValue(option.name)} is used twice; names are unique in a field (spec: formOptions.name)`,
			);
		}
	});
	return options;
}
