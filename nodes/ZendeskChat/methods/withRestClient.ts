import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { ChatRestClient } from '../../../src/rest';
import { chatConnection, type ChatAuthentication } from '../../shared/connection';
import { toNodeError } from '../../shared/errors';

/**
 * Runs `fn` with a REST client on the node's selected credential, closed afterwards; a failure
 * reaches the editor as the same NodeApiError / NodeOperationError an execution would show.
 */
export async function withRestClient<T>(
	ctx: ILoadOptionsFunctions,
	fn: (rest: ChatRestClient) => Promise<T>,
): Promise<T> {
	let rest: ChatRestClient | undefined;
	try {
		const authentication = ctx.getNodeParameter(
			'authentication',
			'accessToken',
		) as ChatAuthentication;
		const { endpoints, tokens, credentialKey } = await chatConnection(ctx, authentication);
		rest = new ChatRestClient({ baseUrl: endpoints.restBaseUrl, token: tokens, credentialKey });
		return await fn(rest);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	} finally {
		await rest?.close();
	}
}

/** Whether `filter` (any case, anywhere) is in one of the texts; an empty filter matches everything. */
export function matchesFilter(
	filter: string | undefined,
	...texts: Array<string | number | undefined | null>
): boolean {
	const needle = filter?.trim().toLowerCase();
	if (!needle) return true;
	return texts.some(
		(text) => text !== undefined && text !== null && String(text).toLowerCase().includes(needle),
	);
}
