import { NodeOperationError, type IExecuteFunctions, type NodeApiError } from 'n8n-workflow';

import { InvalidInputError } from '../../../src/shared';
import { toNodeError } from '../../shared/errors';

/**
 * The parameters' display names by the field paths the core reports (`summary`, `ticket.tags`,
 * `content.text`, …). A path matches its own entry or the entry of its nearest parent
 * (`ticket.tags[2]` → `ticket.tags`).
 */
export type FieldLabels = Record<string, string>;

/** The label of the parameter a core field path belongs to, if the operation named it. */
export function labelOf(field: string, labels: FieldLabels): string | undefined {
	let path = field;
	for (;;) {
		if (Object.prototype.hasOwnProperty.call(labels, path)) return labels[path];
		const parent = path.replace(/(\[[^\]]*\]|\.[^.[]*)$/, '');
		if (parent === path || parent === '') return undefined;
		path = parent;
	}
}

/**
 * The editor's name for a core field path, for operations whose paths are nested (message content:
 * `content.items[1].actions[0].uri` → "Items › Item 2 › Buttons › Button 1 › URL").
 */
export type FieldLabeler = (field: string) => string | undefined;

/**
 * `toNodeError`, with the parameter's display name in a bad-input message, so the user knows which
 * field to fix. With a label map the name is put in front ("Tags: ticket.tags[1] must be a
 * non-empty tag …"); with a labeler, the core's path at the start of the message (and any other
 * content path in it) is replaced by the name ("Items › Item 2 › Title must be a non-empty string").
 * The description keeps the core's path for JSON input: "Field: Items › Item 2 › Title (content.items[1].title)."
 */
export function nodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	labels: FieldLabels | FieldLabeler = {},
): NodeApiError | NodeOperationError {
	const mapped = toNodeError(ctx.getNode(), error, itemIndex);
	if (error instanceof InvalidInputError) {
		const field = (error as InvalidInputError).field;
		const label = typeof labels === 'function' ? labels(field) : labelOf(field, labels);
		if (label) {
			if (typeof labels === 'function') {
				const message = mapped.message.startsWith(`${field} `) ? `${label}${mapped.message.slice(field.length)}` : `${label}: ${mapped.message}`;
				mapped.message = message.replace(/\bcontent(?:\.[A-Za-z]+|\[\d+\])+/g, (path) => labels(path) ?? path);
			} else {
				mapped.message = `${label}: ${mapped.message}`;
			}
			mapped.description = mapped.description?.replace(/^Field: ([^ ]+)\./, `Field: ${label} ($1).`);
		}
	}
	return mapped;
}

/** Bad input the node itself finds (before any request), in the same words as the core's. */
export function invalidParameter(ctx: IExecuteFunctions, label: string, message: string, itemIndex: number, hint?: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${label}: ${message}`, {
		itemIndex,
		description: [`Field: ${label}.`, hint].filter(Boolean).join(' '),
		level: 'warning',
	});
}
