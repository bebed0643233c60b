import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { quoteValue } from '../../../src/shared/excerpt';

export { returnAllOrLimit } from '../../shared/listFields';

/**
 * The number of results wanted, or undefined for all. Read before any request, so a limit below 1
 * (possible through an expression) fails the item instead of returning nothing.
 */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Limit must be a whole number of at least 1 (it is ${quoteValue(limit)})`,
			{
				itemIndex,
				description: 'Set Limit to 1 or more, or turn on Return All.',
				level: 'warning',
			},
		);
	}
	return limit;
}

/** The first `limit` values of a paged list (all of them when limit is undefined); stops paging once enough are read. */
export async function takeUpTo<T>(
	values: AsyncIterable<T>,
	limit: number | undefined,
): Promise<T[]> {
	const out: T[] = [];
	if (limit === 0) return out;
	for await (const value of values) {
		out.push(value);
		if (limit !== undefined && out.length >= limit) break;
	}
	return out;
}
