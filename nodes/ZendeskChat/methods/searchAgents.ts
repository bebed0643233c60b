import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { matchesFilter, withRestClient } from './withRestClient';

/** Matches given per page of the list; the agents API itself pages 100 at a time. */
const PAGE_SIZE = 100;

/**
 * Agents for a resource locator, by display name, first or last name, or email, from the Chat REST
 * API. The value is the agent's numeric REST id, as text. Pages follow the API's `since_id`, so a
 * pagination token is the id the next page starts from.
 */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const sinceId =
		paginationToken && /^\d+$/.test(paginationToken) ? Number(paginationToken) : undefined;
	return await withRestClient(this, async (rest) => {
		const results: INodeListSearchResult['results'] = [];
		for await (const agent of rest.listAgents({ sinceId })) {
			const name =
				typeof agent.display_name === 'string' && agent.display_name
					? agent.display_name
					: `Agent ${agent.id}`;
			if (
				!matchesFilter(
					filter,
					name,
					agent.first_name as string | undefined,
					agent.last_name as string | undefined,
					agent.email,
					agent.id,
				)
			)
				continue;
			results.push({
				name: agent.email ? `${name} (${agent.email})` : name,
				value: String(agent.id),
			});
			if (results.length >= PAGE_SIZE) return { results, paginationToken: String(agent.id + 1) };
		}
		return { results };
	});
}
