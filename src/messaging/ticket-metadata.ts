import { InvalidInputError } from '../shared/errors';
import { quoteValue } from '../shared/excerpt';
import {
	isPlainObject,
	optionalEnum,
	optionalString,
	requireNumericId,
	type Metadata,
} from './validate';

/**
 * Ticket fields for the agent-workspace handoff, turned into the pass-control metadata keys
 * Zendesk reads (NOTES.md "Zendesk handoff specifics"): `dataCapture.systemField.<name>` and
 * `dataCapture.ticketField.<fieldId>`, tags as one comma-separated string.
 */
export interface TicketFields {
	/** Each tag without spaces or commas (they are joined with commas). */
	tags?: string[];
	groupId?: number | string;
	assigneeId?: number | string;
	organizationId?: number | string;
	brandId?: number | string;
	/**
	 * The ticket form. (unverified) NOTES.md and the escalation seed list no metadata key for it;
	 * it is sent as `dataCapture.systemField.ticket_form_id`, after the Ticketing API's own
	 * `ticket_form_id`, as every documented system field key is named after the ticket property
	 * (group_id, assignee_id, organization_id, brand_id); one public Q&A answer (not Zendesk's) names
	 * the same key. Should Zendesk ignore it, the ticket gets the default form and nothing else changes.
	 */
	ticketFormId?: number | string;
	priority?: TicketPriority;
	requesterName?: string;
	requesterEmail?: string;
	/** Custom ticket fields by numeric field id. */
	customFields?: Record<string, string | number | boolean>;
}

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

const SYSTEM = 'dataCapture.systemField.';
const TICKET_FIELD = 'dataCapture.ticketField.';

/** The metadata entries for `fields` (ids as digit strings, so ids beyond 2^53 survive). */
export function ticketMetadata(fields: TicketFields | undefined, field = 'ticket'): Metadata {
	if (fields === undefined) return {};
	if (!isPlainObject(fields))
		throw new InvalidInputError(field, `${field} must be an object of ticket fields`);
	const out: Metadata = {};
	if (fields.tags !== undefined) {
		if (!Array.isArray(fields.tags))
			throw new InvalidInputError(`${field}.tags`, `${field}.tags must be a list of tags`);
		fields.tags.forEach((tag, i) => {
			if (typeof tag !== 'string' || tag.length === 0 || /[\s,]/.test(tag)) {
				throw new InvalidInputError(
					`${field}.tags[${i}]`,
					`${field}.tags[${i}] must be a non-empty tag without spaces or commas, got ${quoteValue(tag)}`,
					'Use e.g. "vip" or "order_issue".',
				);
			}
		});
		if (fields.tags.length > 0) out[`${SYSTEM}tags`] = fields.tags.join(',');
	}
	const ids: Array<[keyof TicketFields, string]> = [
		['groupId', 'group_id'],
		['assigneeId', 'assignee_id'],
		['organizationId', 'organization_id'],
		['brandId', 'brand_id'],
		['ticketFormId', 'ticket_form_id'],
	];
	for (const [key, name] of ids) {
		if (fields[key] !== undefined)
			out[SYSTEM + name] = requireNumericId(`${field}.${key}`, fields[key]);
	}
	const priority = optionalEnum(`${field}.priority`, fields.priority, TICKET_PRIORITIES);
	if (priority) out[`${SYSTEM}priority`] = priority;
	const name = optionalString(`${field}.requesterName`, fields.requesterName, 255);
	if (name !== undefined) out[`${SYSTEM}requester.name`] = name;
	const email = optionalString(`${field}.requesterEmail`, fields.requesterEmail, 254);
	if (email !== undefined) {
		if (!/^[^\s@]+@[^\s@]+$/.test(email))
			throw new InvalidInputError(
				`${field}.requesterEmail`,
				`${field}.requesterEmail is not an email address`,
			);
		out[`${SYSTEM}requester.email`] = email;
	}
	if (fields.customFields !== undefined) {
		if (!isPlainObject(fields.customFields))
			throw new InvalidInputError(
				`${field}.customFields`,
				`${field}.customFields must be an object keyed by ticket field id`,
			);
		for (const [id, value] of Object.entries(fields.customFields)) {
			const where = `${field}.customFields.${id}`;
			requireNumericId(where, id);
			if (
				typeof value !== 'string' &&
				typeof value !== 'boolean' &&
				!(typeof value === 'number' && Number.isFinite(value))
			) {
				throw new InvalidInputError(where, `${where} must be a string, number or boolean`);
			}
			out[TICKET_FIELD + id] = value;
		}
	}
	return out;
}
