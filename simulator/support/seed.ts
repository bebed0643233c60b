import { SIM_SUPPORT } from '../defaults';
import type { ResourceName, SupportRecord } from './types';

/**
 * A believable mid-size Zendesk Support account: enough agents (more than 100) and organizations
 * (130) that the 100-record pages really page, a few of each thing a picker must leave out (a
 * deleted group, a suspended and a deleted agent, an inactive brand, form and field), and system
 * ticket fields beside the custom ones. Deterministic, so tests can name records.
 */
const CREATED = '2024-03-04T09:15:00Z';
const UPDATED = '2026-10-01T12:00:00Z';

const FIRST = [
	'Ada',
	'Grace',
	'Alan',
	'Katherine',
	'Linus',
	'Margaret',
	'Dennis',
	'Barbara',
	'Ken',
	'Radia',
	'Tim',
	'Frances',
	'John',
	'Hedy',
	'Edsger',
	'Sophie',
	'Niklaus',
	'Karen',
	'Donald',
	'Lynn',
];
const LAST = [
	'Lovelace',
	'Hopper',
	'Turing',
	'Johnson',
	'Torvalds',
	'Hamilton',
	'Ritchie',
	'Liskov',
	'Thompson',
	'Perlman',
	'Berners',
	'Allen',
	'Backus',
	'Lamarr',
	'Dijkstra',
	'Wilson',
	'Wirth',
	'Jones',
	'Knuth',
	'Conway',
];
const COMPANY_A = [
	'Acme',
	'Globex',
	'Initech',
	'Umbrella',
	'Hooli',
	'Vandelay',
	'Stark',
	'Wayne',
	'Wonka',
	'Tyrell',
	'Cyberdyne',
	'Soylent',
	'Oscorp',
];
const COMPANY_B = [
	'Foods',
	'Logistics',
	'Labs',
	'Travel',
	'Energy',
	'Bank',
	'Retail',
	'Health',
	'Media',
	'Games',
];

export const SEED_IDS = {
	adminUser: 362_000_000_001,
	firstGroup: 360_000_100_001,
	firstBrand: 360_000_200_001,
	firstOrganization: 360_000_300_001,
	firstTicketForm: 360_000_400_001,
	firstTicketField: 360_000_500_001,
} as const;

function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '.')
		.replace(/^\.|\.$/g, '');
}

function groups(): SupportRecord[] {
	const names: Array<[string, string, boolean?]> = [
		['Support', 'First line: every new ticket'],
		['Billing', 'Invoices, refunds and charges'],
		['Tier 2', 'Escalations from first line'],
		['Technical', 'Bugs, outages and integrations'],
		['Returns', 'Returns and exchanges'],
		['VIP', 'Key accounts'],
		['Sales', 'Quotes and upgrades'],
		['Old Escalations', 'Replaced by Tier 2', true],
	];
	return names.map(([name, description, deleted], i) => ({
		id: SEED_IDS.firstGroup + i,
		name,
		description,
		default: i === 0,
		deleted: deleted === true,
		is_public: true,
		created_at: CREATED,
		updated_at: UPDATED,
	}));
}

function person(
	id: number,
	name: string,
	email: string,
	role: string,
	extra: Record<string, unknown> = {},
): SupportRecord {
	return {
		id,
		name,
		email,
		role,
		active: true,
		suspended: false,
		verified: true,
		time_zone: 'Europe/London',
		locale: 'en-US',
		organization_id: null,
		created_at: CREATED,
		updated_at: UPDATED,
		...extra,
	};
}

function users(): SupportRecord[] {
	const list: SupportRecord[] = [
		person(SEED_IDS.adminUser, 'Ada Admin', SIM_SUPPORT.email, 'admin'),
		person(SEED_IDS.adminUser + 1, 'Alan Owner', 'alan.owner@sim-support.example', 'admin'),
		person(SEED_IDS.adminUser + 2, 'Rita Restricted', SIM_SUPPORT.restrictedAgentEmail, 'agent', {
			organization_id: SEED_IDS.firstOrganization,
		}),
		person(SEED_IDS.adminUser + 3, 'Sam Suspended', 'sam.suspended@sim-support.example', 'agent', {
			suspended: true,
		}),
		person(SEED_IDS.adminUser + 4, 'Dora Deleted', 'dora.deleted@sim-support.example', 'agent', {
			active: false,
		}),
	];
	// 110 agents: First Last, first.last.N@…
	for (let i = 0; i < 110; i++) {
		const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
		list.push(
			person(
				SEED_IDS.adminUser + 10 + i,
				name,
				`${slug(name)}.${i + 1}@sim-support.example`,
				'agent',
			),
		);
	}
	// End users: customers, among them one who shares an agent's first name, so a search finds both.
	list.push(person(SEED_IDS.adminUser + 200, 'Eve Enduser', SIM_SUPPORT.endUserEmail, 'end-user'));
	for (let i = 0; i < 60; i++) {
		const name = `${FIRST[(i * 7) % FIRST.length]} ${LAST[(i * 3) % LAST.length]}-Customer`;
		list.push(
			person(
				SEED_IDS.adminUser + 201 + i,
				name,
				`${slug(name)}.${i + 1}@customer.example`,
				'end-user',
				{ organization_id: SEED_IDS.firstOrganization + (i % 130) },
			),
		);
	}
	return list;
}

function brands(): SupportRecord[] {
	const names: Array<[string, string, boolean]> = [
		['Sim Support', 'sim', true],
		['Sim Outdoor', 'sim-outdoor', true],
		['Sim Kids', 'sim-kids', false],
	];
	return names.map(([name, subdomain, active], i) => ({
		id: SEED_IDS.firstBrand + i,
		name,
		subdomain,
		brand_url: `https://${subdomain}.zendesk.com`,
		host_mapping: null,
		active,
		default: i === 0,
		has_help_center: true,
		created_at: CREATED,
		updated_at: UPDATED,
	}));
}

function organizations(): SupportRecord[] {
	const list: SupportRecord[] = [];
	for (let i = 0; i < 130; i++) {
		const name = `${COMPANY_A[i % COMPANY_A.length]} ${COMPANY_B[Math.floor(i / COMPANY_A.length) % COMPANY_B.length]}`;
		list.push({
			id: SEED_IDS.firstOrganization + i,
			name,
			domain_names: [`${slug(name).replace(/\./g, '-')}.example`],
			details: '',
			notes: '',
			group_id: null,
			shared_tickets: false,
			shared_comments: false,
			tags: [],
			created_at: CREATED,
			updated_at: UPDATED,
		});
	}
	return list;
}

function ticketForms(): SupportRecord[] {
	const forms: Array<[string, string, boolean]> = [
		['Default Ticket Form', 'Default Ticket Form', true],
		['Refund Request', 'Ask for a refund', true],
		['Technical Issue', 'Something is not working', true],
		['Legacy Complaint Form', 'Complaint', false],
	];
	return forms.map(([name, displayName, active], i) => ({
		id: SEED_IDS.firstTicketForm + i,
		name,
		display_name: displayName,
		raw_name: name,
		raw_display_name: displayName,
		position: i + 1,
		active,
		default: i === 0,
		end_user_visible: true,
		in_all_brands: true,
		ticket_field_ids: [],
		created_at: CREATED,
		updated_at: UPDATED,
	}));
}

function ticketFields(): SupportRecord[] {
	const fields: Array<[string, string, boolean, boolean]> = [
		// [title, type, removable (custom), active]
		['Subject', 'subject', false, true],
		['Description', 'description', false, true],
		['Status', 'status', false, true],
		['Type', 'tickettype', false, true],
		['Priority', 'priority', false, true],
		['Group', 'group', false, true],
		['Assignee', 'assignee', false, true],
		['Order Number', 'text', true, true],
		['Product', 'tagger', true, true],
		['Refund Amount', 'decimal', true, true],
		['Chatbot Session ID', 'text', true, true],
		['Escalated by Bot', 'checkbox', true, true],
		['Purchase Date', 'date', true, true],
		['Customer Tier', 'tagger', true, true],
		['Legacy Region', 'text', true, false],
	];
	return fields.map(([title, type, removable, active], i) => ({
		id: SEED_IDS.firstTicketField + i,
		title,
		raw_title: title,
		type,
		description: removable ? `${title} (custom field)` : '',
		position: i + 1,
		active,
		required: false,
		removable,
		visible_in_portal: removable,
		editable_in_portal: removable,
		created_at: CREATED,
		updated_at: UPDATED,
	}));
}

export function seedSupport(): Record<ResourceName, SupportRecord[]> {
	return {
		groups: groups(),
		users: users(),
		brands: brands(),
		organizations: organizations(),
		ticket_forms: ticketForms(),
		ticket_fields: ticketFields(),
	};
}
