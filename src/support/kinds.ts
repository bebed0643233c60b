import type { z } from 'zod';

import {
	brandSchema,
	groupSchema,
	organizationSchema,
	ticketFieldSchema,
	ticketFormSchema,
	userSchema,
	type BrandRecord,
	type GroupRecord,
	type OrganizationRecord,
	type TicketFieldRecord,
	type TicketFormRecord,
	type UserRecord,
} from './schemas';

/** What a picker lists: one kind per ticket field of the handoff. */
export type SupportKind =
	| 'group'
	| 'assignee'
	| 'brand'
	| 'organization'
	| 'ticketForm'
	| 'ticketField';

export const SUPPORT_KINDS: readonly SupportKind[] = [
	'group',
	'assignee',
	'brand',
	'organization',
	'ticketForm',
	'ticketField',
];

/** One entry of a picker. */
export interface SupportRecord {
	/** The numeric id, as digits. */
	id: string;
	name: string;
	description?: string;
}

export type QueryValue = string | readonly string[];

export interface KindSpec<T = unknown> {
	/** Plural, for messages: "groups". */
	noun: string;
	/** The list endpoint below /api/v2 and the key of its records. */
	list: {
		path: string;
		key: string;
		query?: Record<string, QueryValue>;
		/** Cursor pagination documented for the endpoint; otherwise every record comes in one answer. */
		cursor: boolean;
	};
	/** A server-side search (offset pagination only, as both documented ones are). */
	search?: {
		path: string;
		key: string;
		param: string;
		/** Shorter filters list instead of searching. */
		minLength: number;
	};
	schema: z.ZodType<T, z.ZodTypeDef, unknown>;
	/** Records a picker leaves out (deleted, inactive, of the wrong role). */
	keep(record: T): boolean;
	present(record: T): SupportRecord;
}

const isOn = (value: boolean | null | undefined) => value !== false;
const joined = (...parts: Array<string | null | undefined | false>) =>
	parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(' · ') ||
	undefined;

const group: KindSpec<GroupRecord> = {
	noun: 'groups',
	// Groups: "List Groups" GET /api/v2/groups, cursor pagination, exclude_deleted.
	list: { path: '/groups', key: 'groups', query: { exclude_deleted: 'true' }, cursor: true },
	schema: groupSchema,
	keep: (g) => g.deleted !== true,
	present: (g) => ({ id: g.id, name: g.name, description: joined(g.description) }),
};

/** Tickets are assigned to agents; admins are agents too (Users "role": end-user, agent or admin). */
const ASSIGNABLE_ROLES = ['agent', 'admin'];

const assignee: KindSpec<UserRecord> = {
	noun: 'agents',
	// Users: "List Users" GET /api/v2/users?role[]=agent&role[]=admin, cursor pagination.
	list: { path: '/users', key: 'users', query: { 'role[]': ASSIGNABLE_ROLES }, cursor: true },
	// "Search Users" GET /api/v2/users/search?query= (offset pagination only). It has no role
	// parameter, so end users it finds are left out here.
	search: { path: '/users/search', key: 'users', param: 'query', minLength: 1 },
	schema: userSchema,
	keep: (u) => ASSIGNABLE_ROLES.includes(u.role ?? '') && isOn(u.active) && u.suspended !== true,
	present: (u) => ({
		id: u.id,
		name: u.name,
		description: joined(u.email, u.role === 'admin' && 'admin'),
	}),
};

const brand: KindSpec<BrandRecord> = {
	noun: 'brands',
	// Brands: "List Brands" GET /api/v2/brands, cursor pagination.
	list: { path: '/brands', key: 'brands', cursor: true },
	schema: brandSchema,
	keep: (b) => isOn(b.active),
	present: (b) => ({
		id: b.id,
		name: b.name,
		description: joined(
			b.subdomain && `${b.subdomain}.zendesk.com`,
			b.default === true && 'default',
		),
	}),
};

const organization: KindSpec<OrganizationRecord> = {
	noun: 'organizations',
	// Organizations: "List Organizations" GET /api/v2/organizations, cursor pagination.
	list: { path: '/organizations', key: 'organizations', cursor: true },
	// "Autocomplete Organizations" GET /api/v2/organizations/autocomplete?name= ("whose name starts
	// with"; offset pagination only). One letter lists instead: it would match most of the account.
	search: {
		path: '/organizations/autocomplete',
		key: 'organizations',
		param: 'name',
		minLength: 2,
	},
	schema: organizationSchema,
	keep: () => true,
	present: (o) => ({ id: o.id, name: o.name }),
};

const ticketForm: KindSpec<TicketFormRecord> = {
	noun: 'ticket forms',
	// Ticket Forms: "List Ticket Forms" GET /api/v2/ticket_forms?active=true; no pagination is
	// documented ("Returns a list of all ticket forms"; an account has at most 300).
	list: { path: '/ticket_forms', key: 'ticket_forms', query: { active: 'true' }, cursor: false },
	schema: ticketFormSchema,
	keep: (f) => isOn(f.active),
	present: (f) => ({
		id: f.id,
		name: f.name,
		description: joined(
			f.display_name !== f.name && f.display_name,
			f.default === true && 'default',
		),
	}),
};

const ticketField: KindSpec<TicketFieldRecord> = {
	noun: 'ticket fields',
	// Ticket Fields: "List Ticket Fields" GET /api/v2/ticket_fields, cursor pagination. Only custom
	// fields are offered for dataCapture.ticketField.<id> (NOTES.md): the system ones (subject,
	// status, group, …) have fields of their own here or none, and `removable: false`.
	list: { path: '/ticket_fields', key: 'ticket_fields', cursor: true },
	schema: ticketFieldSchema,
	keep: (f) => f.removable !== false && isOn(f.active),
	present: (f) => ({ id: f.id, name: f.title, description: joined(f.type, f.description) }),
};

export const KIND_SPECS: Record<SupportKind, KindSpec> = {
	group: group as KindSpec,
	assignee: assignee as KindSpec,
	brand: brand as KindSpec,
	organization: organization as KindSpec,
	ticketForm: ticketForm as KindSpec,
	ticketField: ticketField as KindSpec,
};
