import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { matchesFilter, withRestClient } from './withRestClient';

/**
 * Departments for a resource locator, by name (or id), from the Chat REST API. The value is the
 * department's numeric REST id, as text (what the locator's ID mode holds too).
 */
export async function searchDepartments(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const departments = await withRestClient(this, (rest) => rest.listDepartments());
	const results = departments
		.filter((department) => matchesFilter(filter, department.name, department.id))
		.map((department) => ({
			name: department.name ?? `Department ${department.id}`,
			value: String(department.id),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
