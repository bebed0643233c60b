import type { IExecuteFunctions } from 'n8n-workflow';

import { MAX_PAGE_SIZE, type CursorPage } from '../../../src/messaging';
import { quoteValue } from '../../../src/shared/excerpt';
import { invalidParameter } from './errors';

/** How many results Return All / Limit asks for: undefined for all. Checked before any request. */
export function limitParameter(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as number;
	if (!Number.isInteger(limit) || limit < 1) {
		throw invalidParameter(
			ctx,
			'Limit',
			`must be a whole number of at least 1, got ${quoteValue(limit)}`,
			itemIndex,
			'Set Limit to 1 or more, or turn on Return All.',
		);
	}
	return limit;
}

/**
 * The results of a cursor-paginated list (`page[after]`): pages of up to 100 until `limit` results
 * (asking only for as many as are still missing) or the last page. A cursor that repeats ends the walk.
 */
export async function collectPages<T>(
	fetch: (page: { pageSize: number; after?: string }) => Promise<CursorPage<T>>,
	limit: number | undefined,
): Promise<T[]> {
	const results: T[] = [];
	const seen = new Set<string>();
	let after: string | undefined;
	for (;;) {
		const pageSize =
			limit === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit - results.length);
		const page = await fetch(after === undefined ? { pageSize } : { pageSize, after });
		results.push(...page.items);
		if (limit !== undefined && results.length >= limit) return results.slice(0, limit);
		if (!page.hasMore || !page.afterCursor || seen.has(page.afterCursor)) return results;
		seen.add(page.afterCursor);
		after = page.afterCursor;
	}
}
