/** The Support API resources the simulator serves (read-only), by their URL segment. */
export type ResourceName =
	| 'groups'
	| 'users'
	| 'brands'
	| 'organizations'
	| 'ticket_forms'
	| 'ticket_fields';

export const RESOURCE_NAMES: readonly ResourceName[] = [
	'groups',
	'users',
	'brands',
	'organizations',
	'ticket_forms',
	'ticket_fields',
];

/** The singular key of a show answer: `{"group": {...}}`. */
export const SINGULAR: Record<ResourceName, string> = {
	groups: 'group',
	users: 'user',
	brands: 'brand',
	organizations: 'organization',
	ticket_forms: 'ticket_form',
	ticket_fields: 'ticket_field',
};

/** A record as the API renders it (without `url`, which depends on the host asked). */
export interface SupportRecord {
	id: number;
	[field: string]: unknown;
}

/** Who a request acts as, and what it may do. */
export interface SupportCaller {
	userId: number;
	role: 'admin' | 'agent';
	/** OAuth scopes; an API token may do everything its user may. */
	scopes: string[];
	/** A custom agent role restricted to the agent's own organization's users. */
	restrictedToOwnOrganization: boolean;
	via: 'api_token' | 'oauth';
}

export interface OAuthTokenRecord {
	userId: number;
	scopes: string[];
	revoked: boolean;
}
