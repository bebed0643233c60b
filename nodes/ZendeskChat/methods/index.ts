import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchAgents } from './searchAgents';
import { searchDepartments } from './searchDepartments';

type ListSearch = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

/** Resource-locator lists (one function per file beside this one). */
export const listSearch: Record<string, ListSearch> = { searchAgents, searchDepartments };
