import { z } from 'zod';

/**
 * The Support API answers the pickers read, written from Zendesk's API reference (JSON format of
 * Groups, Users, Brands, Organizations, Ticket Forms, Ticket Fields; "Pagination"). Each checks only
 * what a picker shows (the id, the name and the few flags that hide a record) and passes the rest
 * through, so a field Zendesk adds later changes nothing.
 */

/**
 * Ids are JSON integers in Zendesk's answers; a proxy that turns them into digit strings is
 * accepted too. Kept as digit strings from here on (the handoff metadata sends them so).
 */
export const recordId = z
	.union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]{0,19}$/)])
	.transform((id) => String(id));

const flag = z.boolean().nullable().optional();
const text = z.string().nullable().optional();

export const groupSchema = z
	.object({ id: recordId, name: z.string(), deleted: flag, description: text })
	.passthrough();
export const userSchema = z
	.object({
		id: recordId,
		name: z.string(),
		email: text,
		role: z.string().optional(),
		active: flag,
		suspended: flag,
	})
	.passthrough();
export const brandSchema = z
	.object({ id: recordId, name: z.string(), active: flag, default: flag, subdomain: text })
	.passthrough();
export const organizationSchema = z.object({ id: recordId, name: z.string() }).passthrough();
export const ticketFormSchema = z
	.object({ id: recordId, name: z.string(), display_name: text, active: flag, default: flag })
	.passthrough();
export const ticketFieldSchema = z
	.object({
		id: recordId,
		title: z.string(),
		type: z.string(),
		active: flag,
		removable: flag,
		description: text,
	})
	.passthrough();

export type GroupRecord = z.infer<typeof groupSchema>;
export type UserRecord = z.infer<typeof userSchema>;
export type BrandRecord = z.infer<typeof brandSchema>;
export type OrganizationRecord = z.infer<typeof organizationSchema>;
export type TicketFormRecord = z.infer<typeof ticketFormSchema>;
export type TicketFieldRecord = z.infer<typeof ticketFieldSchema>;

/**
 * The page envelope around a list: cursor pagination's `meta` and `links` ("Using cursor
 * pagination": `meta.has_more`, `meta.after_cursor`, `links.next`) or offset pagination's
 * `next_page`. The list itself sits under the resource's own key and is read by the kind.
 */
export const pageEnvelopeSchema = z
	.object({
		meta: z
			.object({ has_more: z.boolean().optional(), after_cursor: z.string().nullable().optional() })
			.passthrough()
			.nullable()
			.optional(),
		links: z.object({ next: z.string().nullable().optional() }).passthrough().nullable().optional(),
		next_page: z.string().nullable().optional(),
	})
	.passthrough();

export type PageEnvelope = z.infer<typeof pageEnvelopeSchema>;
