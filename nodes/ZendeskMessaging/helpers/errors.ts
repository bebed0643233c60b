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
 * `toNodeError`, with the parameter's display name put in front of a bad-input message, so the
 * user reads "Tags: ticket.tags[1] must be a non-empty tag …" and knows which field to fix.
 */
export function nodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number, labels: FieldLabels = {}): NodeApiError | NodeOperationError {
	const mapped = toNodeError(ctx.getNode(), error, itemIndex);
	if (error instanceof InvalidInputError) {
		const label = labelOf((error as InvalidInputError).field, labels);
		if (label) {
			mapped.message = `${label}: ${mapped.message}`;
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
