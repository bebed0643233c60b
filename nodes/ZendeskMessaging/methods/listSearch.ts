import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { SupportKind } from '../../../src/support';
import { toNodeError } from '../../shared/errors';
import { supportClient, type SupportAuthentication } from '../../shared/supportApi';

/**
 * The Escalate pickers (Ticket Fields), from the Zendesk Support API through the node's optional
 * Support API Credential. All six read the same way, so one function serves them: a page of
 * records, `paginationToken` for the next (the Support API's cursor, or a search's page number).
 */
async function listSupport(
	ctx: ILoadOptionsFunctions,
	kind: SupportKind,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	try {
		const authentication = ctx.getNodeParameter(
			'supportAuthentication',
			'none',
		) as SupportAuthentication;
		const client = await supportClient(ctx, authentication);
		const page = await client.list(kind, { filter, next: paginationToken });
		const results = page.items.map(({ id, name, description }) =>
			description ? { name, value: id, description } : { name, value: id },
		);
		return page.next === undefined ? { results } : { results, paginationToken: page.next };
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	}
}

/** Groups (not deleted). */
export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listSupport(this, 'group', filter, paginationToken);
}

/** Agents and admins (active, not suspended); searched by name or email. */
export async function searchAssignees(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listSupport(this, 'assignee', filter, paginationToken);
}

/** Active brands. */
export async function searchBrands(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listSupport(this, 'brand', filter, paginationToken);
}

/** Organizations; searched by the start of the name. */
export async function searchOrganizations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listSupport(this, 'organization', filter, paginationToken);
}

/** Active ticket forms. */
export async function searchTicketForms(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listSupport(this, 'ticketForm', filter, paginationToken);
}

/** Active custom ticket fields. */
export async function searchTicketFields(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listSupport(this, 'ticketField', filter, paginationToken);
}
