import {
	autocompleteQueryError,
	forbidden,
	invalidEndpoint,
	invalidSearch,
	methodNotAllowed,
	recordNotFound,
} from './errors';
import { requireRead } from './auth';
import { cursorPage, offsetPage, wantsCursor } from './pages';
import type { SupportStore } from './store';
import {
	RESOURCE_NAMES,
	SINGULAR,
	type ResourceName,
	type SupportCaller,
	type SupportRecord,
} from './types';

export interface SupportRequest {
	method: string;
	/** Segments after /api/v2, without a trailing ".json". */
	segments: string[];
	query: URLSearchParams;
	/** The full URL asked, for `links.next` and `next_page`. */
	url: URL;
	caller: SupportCaller;
}

export interface SupportAnswer {
	status: number;
	body: unknown;
}

/**
 * The read-only slice of the Support API the Escalate pickers use, each from its API reference page:
 * List Groups, List Users (`role`, `role[]`), Search Users, Autocomplete Users, List Brands, List
 * Organizations, Autocomplete Organizations, List Ticket Forms (`active`), List Ticket Fields, and
 * each resource's Show.
 */
export function answer(store: SupportStore, request: SupportRequest, base: string): SupportAnswer {
	if (request.method !== 'GET') throw methodNotAllowed();
	const [first, second, ...rest] = request.segments;
	const resource = RESOURCE_NAMES.find((name) => name === first);
	if (!resource || rest.length > 0) throw invalidEndpoint();
	requireRead(request.caller, resource);
	const render = (record: SupportRecord) => ({
		url: `${base}/api/v2/${resource}/${record.id}.json`,
		...record,
	});

	if (second === undefined) return list(store, resource, request, render);
	if (resource === 'users' && second === 'search') return searchUsers(store, request, render);
	if (resource === 'users' && second === 'autocomplete')
		return autocomplete(store, 'users', request, render, false);
	if (resource === 'organizations' && second === 'autocomplete') {
		guardOrganizations(request.caller);
		return autocomplete(store, 'organizations', request, render, true);
	}
	if (!/^\d+$/.test(second)) throw recordNotFound();
	const record = store.find(resource, Number(second));
	if (!record) throw recordNotFound();
	return { status: 200, body: { [SINGULAR[resource]]: render(record) } };
}

function list(
	store: SupportStore,
	resource: ResourceName,
	request: SupportRequest,
	render: (record: SupportRecord) => unknown,
): SupportAnswer {
	const { query } = request;
	let records = store.records[resource];
	if (resource === 'organizations') guardOrganizations(request.caller);
	if (resource === 'groups' && query.get('exclude_deleted') === 'true')
		records = records.filter((group) => group.deleted !== true);
	if (resource === 'users') {
		const roles = [...query.getAll('role'), ...query.getAll('role[]')];
		if (roles.length > 0) records = records.filter((user) => roles.includes(String(user.role)));
	}
	if (resource === 'ticket_forms') {
		// "List Ticket Forms" documents no pagination: every form, filtered by `active` when given.
		const active = query.get('active');
		if (active === 'true' || active === 'false')
			records = records.filter((form) => form.active === (active === 'true'));
		return {
			status: 200,
			body: {
				ticket_forms: records.map(render),
				next_page: null,
				previous_page: null,
				count: records.length,
			},
		};
	}
	if (wantsCursor(query)) {
		const page = cursorPage(records, query, request.url);
		return {
			status: 200,
			body: { [resource]: page.items.map(render), meta: page.meta, links: page.links },
		};
	}
	// "List Ticket Fields": without cursor pagination, "every field is returned".
	if (resource === 'ticket_fields')
		return {
			status: 200,
			body: {
				ticket_fields: records.map(render),
				next_page: null,
				previous_page: null,
				count: records.length,
			},
		};
	const page = offsetPage(records, query, request.url);
	return {
		status: 200,
		body: {
			[resource]: page.items.map(render),
			next_page: page.next_page,
			previous_page: page.previous_page,
			count: page.count,
		},
	};
}

/** "Search Users": `query` matches part of any user property (name and email here); offset pagination only. */
function searchUsers(
	store: SupportStore,
	request: SupportRequest,
	render: (record: SupportRecord) => unknown,
): SupportAnswer {
	const text = (request.query.get('query') ?? '').trim().toLowerCase();
	const externalId = request.query.get('external_id');
	if (!text && !externalId) throw invalidSearch('query or external_id is required');
	const found = store.records.users.filter((user) =>
		externalId
			? user.external_id === externalId
			: [user.name, user.email].some((value) =>
					String(value ?? '')
						.toLowerCase()
						.includes(text),
				),
	);
	const page = offsetPage(found, request.query, request.url);
	return {
		status: 200,
		body: {
			users: page.items.map(render),
			next_page: page.next_page,
			previous_page: page.previous_page,
			count: page.count,
		},
	};
}

/**
 * "Autocomplete Users" / "Autocomplete Organizations": records whose name starts with `name`. The
 * organizations one pages by offset. (unverified) a name under 2 characters is refused.
 */
function autocomplete(
	store: SupportStore,
	resource: 'users' | 'organizations',
	request: SupportRequest,
	render: (record: SupportRecord) => unknown,
	paged: boolean,
): SupportAnswer {
	const name = (request.query.get('name') ?? '').trim().toLowerCase();
	if (name.length < 2) {
		if (resource === 'organizations')
			throw autocompleteQueryError('name must be at least 2 characters');
		throw invalidSearch('name must be at least 2 characters');
	}
	const found = store.records[resource].filter((record) =>
		String(record.name).toLowerCase().startsWith(name),
	);
	if (!paged)
		return {
			status: 200,
			body: {
				users: found.slice(0, 100).map(render),
				next_page: null,
				previous_page: null,
				count: Math.min(found.length, 100),
			},
		};
	const page = offsetPage(found, request.query, request.url);
	return {
		status: 200,
		body: {
			[resource]: page.items.map(render),
			next_page: page.next_page,
			previous_page: page.previous_page,
			count: page.count,
		},
	};
}

/**
 * "List Organizations", Allowed For: an agent whose custom role restricts them to users of their own
 * organization gets 403 Forbidden.
 */
function guardOrganizations(caller: SupportCaller): void {
	if (caller.restrictedToOwnOrganization) throw forbidden();
}
