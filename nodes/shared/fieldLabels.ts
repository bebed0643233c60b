import { NodeOperationError, type INode } from 'n8n-workflow';

import { InvalidInputError } from '../../src/shared';

/**
 * The one way every node names a field in a bad-input error. The core (src/) names its own
 * arguments (`query.visitorEmail`, `ticket.tags[1]`, `items[0].panel.heading`); the editor shows
 * "Filters › Visitor Email", "Tags", "Items › Item 1 › Heading". An operation says how its core
 * paths read in the editor, either as a map from a path to a label (a path matches its own entry
 * or its nearest parent's: `ticket.tags[2]` → `ticket.tags`) or as a labeler function for nested
 * input such as message content.
 */
export type FieldLabels = Readonly<Record<string, string>> | FieldLabeler;

/** A labeler for nested paths (message content: `content.items[1].actions[0].uri` → "Items › Item 2 › Buttons › Button 1 › URL"). */
export type FieldLabeler = (field: string) => string | undefined;

/** The editor's name for a core field path, if the operation gives one. */
export function labelOf(field: string, labels: FieldLabels): string | undefined {
	if (typeof labels === 'function') return labels(field);
	let path = field;
	for (;;) {
		if (Object.prototype.hasOwnProperty.call(labels, path)) return labels[path];
		const parent = path.replace(/(\[[^\]]*\]|\.[^.[]*)$/, '');
		if (parent === path || parent === '') return undefined;
		path = parent;
	}
}

/**
 * The core's message in the editor's words. A labeler names the path itself, so the path (or its
 * last name) the message starts with is replaced ("items[0].heading is required" → "Items › Item 1
 * › Heading is required"). A map names the parameter a path belongs to, so the label goes in front
 * and the message keeps the path, which may say more ("Tags: ticket.tags[1] must be …").
 */
export function labelledMessage(
	message: string,
	field: string,
	label: string,
	labels: FieldLabels,
): string {
	if (typeof labels !== 'function') return `${label}: ${message}`;
	const leaf = /([A-Za-z]+)(\[\d+\])?$/.exec(field)?.[1];
	const named = [field, leaf].find((name) => name && message.startsWith(`${name} `));
	return named ? `${label}${message.slice(named.length)}` : `${label}: ${message}`;
}

/**
 * A core InvalidInputError renamed to the editor's field (its field becomes the label, its message
 * says the label, its hint is kept or taken from `hintFor`); any other error, or a field the
 * operation does not label, is returned unchanged.
 */
export function relabel(
	error: unknown,
	labels: FieldLabels,
	hintFor?: (field: string) => string | undefined,
): unknown {
	if (!(error instanceof InvalidInputError)) return error;
	const input = error as InvalidInputError;
	const label = labelOf(input.field, labels);
	if (label === undefined) return error;
	return new InvalidInputError(
		label,
		labelledMessage(input.message, input.field, label, labels),
		input.hint ?? hintFor?.(input.field),
	);
}

/** Runs `make` (a core call that checks its input), renaming a bad input's field (see relabel). */
export function labelledSync<T>(
	labels: FieldLabels,
	make: () => T,
	hintFor?: (field: string) => string | undefined,
): T {
	try {
		return make();
	} catch (error) {
		throw relabel(error, labels, hintFor);
	}
}

/** The same for an async core call. */
export async function labelled<T>(labels: FieldLabels, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw relabel(error, labels);
	}
}

/**
 * Bad input the node finds itself, before any request: the message names the field, the
 * description says which field and how to fix it ("Field: Timeout (Seconds). Give …").
 */
export function invalidField(
	node: INode,
	label: string,
	message: string,
	options: { itemIndex?: number; fix?: string } = {},
): NodeOperationError {
	return new NodeOperationError(node, message, {
		...(options.itemIndex === undefined ? {} : { itemIndex: options.itemIndex }),
		description: [`Field: ${label}.`, options.fix].filter(Boolean).join(' '),
		level: 'warning',
	});
}
