import { NodeOperationError, type IExecuteFunctions, type NodeApiError } from 'n8n-workflow';

import { InvalidInputError } from '../../../src/shared';
import { toNodeError } from '../../shared/errors';
import { invalidField, labelledMessage, labelOf, type FieldLabels } from '../../shared/fieldLabels';

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
	labels: FieldLabels = {},
): NodeApiError | NodeOperationError {
	const mapped = toNodeError(ctx.getNode(), error, itemIndex);
	if (error instanceof InvalidInputError) {
		const field = (error as InvalidInputError).field;
		const label = labelOf(field, labels);
		if (label) {
			mapped.message = labelledMessage(mapped.message, field, label, labels);
			// Other content paths the message mentions ("… as content.items[0].title") read as labels too.
			if (typeof labels === 'function')
				mapped.message = mapped.message.replace(
					/\bcontent(?:\.[A-Za-z]+|\[\d+\])+/g,
					(path) => labels(path) ?? path,
				);
			mapped.description = mapped.description?.replace(
				/^Field: ([^ ]+)\./,
				`Field: ${label} ($1).`,
			);
		}
	}
	return mapped;
}

/** Bad input the node itself finds (before any request), in the same words as the core's. */
export function invalidParameter(
	ctx: IExecuteFunctions,
	label: string,
	message: string,
	itemIndex: number,
	hint?: string,
): NodeOperationError {
	return invalidField(ctx.getNode(), label, `${label}: ${message}`, { itemIndex, fix: hint });
}
