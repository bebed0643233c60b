import { z } from 'zod';

import { ProtocolError } from '../shared/errors';
import { tryParseJson } from './json';
import { conversationSchema, messageSchema, switchboardIntegrationRefSchema } from './schemas';

/**
 * The longest event id accepted. The spec's ids are 24 hex characters (eventSubSchema example
 * `0ca7d56ba7b2e081e479fe9e`); 128 leaves room for a longer id format without letting a caller who
 * holds the secret make the de-duplication memory hold megabytes per id (it keeps 10,000 ids per
 * trigger, so at most about 1.3 MB of ids per trigger).
 */
export const MAX_EVENT_ID_LENGTH = 128;

/** The longest event type accepted: the spec's longest trigger is 37 characters; 128 is headroom. */
export const MAX_EVENT_TYPE_LENGTH = 128;

/**
 * One webhook event (spec: "Webhook Events"). Event types are not a closed list: an event of a type
 * this package does not know is kept with its payload as is, so a new Zendesk trigger never makes
 * a delivery fail.
 */
const eventSchema = z
	.object({
		id: z
			.string()
			.min(1)
			.max(MAX_EVENT_ID_LENGTH, { message: `longer than ${MAX_EVENT_ID_LENGTH} characters` }),
		type: z
			.string()
			.min(1)
			.max(MAX_EVENT_TYPE_LENGTH, { message: `longer than ${MAX_EVENT_TYPE_LENGTH} characters` }),
		// Optional: the spec marks no event field required, and its conversationReferralEvent
		// example has none.
		createdAt: z.string().optional(),
		payload: z.record(z.unknown()).default({}),
	})
	.passthrough();

/** The envelope around the events: `{app:{id}, webhook:{id, version}, events:[…]}`. Events are read one by one. */
const envelopeSchema = z
	.object({
		app: z.object({ id: z.string().min(1) }).passthrough(),
		webhook: z.object({ id: z.string().min(1), version: z.string() }).passthrough(),
		events: z.array(z.unknown()),
	})
	.passthrough();

export type WebhookEvent = z.infer<typeof eventSchema>;
type EnvelopeShape = z.infer<typeof envelopeSchema>;
/** The envelope with the events that could be read (anything else Zendesk adds passes through). */
export interface WebhookEnvelope {
	app: EnvelopeShape['app'];
	webhook: EnvelopeShape['webhook'];
	events: WebhookEvent[];
	[key: string]: unknown;
}

/** An event of a delivery that could not be read, described for a log line (never the event itself). */
export interface RejectedWebhookEvent {
	/** Its place in `events`. */
	index: number;
	/** The start of its id, if it has a string id (an over-long id is cut short here). */
	id: string | null;
	/** The start of its type, likewise. */
	type: string | null;
	/** The field that is wrong ("id", "payload"), or null when the event is not an object at all. */
	field: string | null;
	/** What is wrong with it, e.g. "longer than 128 characters". */
	problem: string;
}

/** A delivery: the envelope with the events that could be read, and the ones that could not. */
export interface WebhookDelivery {
	envelope: WebhookEnvelope;
	rejected: RejectedWebhookEvent[];
}

/** How much of a bad event's id or type a log line shows. */
const PREVIEW_LENGTH = 40;

/**
 * Reads a webhook body event by event: the raw bytes or text as received, or JSON already parsed
 * by a framework. A bad event does not spoil the others: Zendesk never sends a delivery answered
 * 400 again, so refusing the whole delivery for one bad event would lose the good ones for good.
 * @throws ProtocolError (api "messaging") when the body is not JSON or not an envelope; answer 400.
 */
export function readWebhookDelivery(body: unknown): WebhookDelivery {
	let value = body;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		const parsed = tryParseJson(body.toString('utf8'));
		if (!parsed.ok) throw new ProtocolError('messaging', 'the webhook body is not JSON');
		value = parsed.value;
	}
	const result = envelopeSchema.safeParse(value);
	if (!result.success) throw notAnEnvelope(result.error.issues[0]);
	const events: WebhookEvent[] = [];
	const rejected: RejectedWebhookEvent[] = [];
	result.data.events.forEach((raw, index) => {
		const event = eventSchema.safeParse(raw);
		if (event.success) {
			events.push(event.data);
			return;
		}
		const issue = event.error.issues[0];
		const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
		rejected.push({
			index,
			id: preview(fields.id),
			type: preview(fields.type),
			field: issue.path.join('.') || null,
			problem: issue.message,
		});
	});
	return { envelope: { ...result.data, events }, rejected };
}

/**
 * Parses a webhook body whose every event must be readable (a strict reader for tests and tools;
 * the trigger uses readWebhookDelivery).
 * @throws ProtocolError (api "messaging") when it is not JSON, not an envelope, or an event is bad.
 */
export function parseWebhookEnvelope(body: unknown): WebhookEnvelope {
	const { envelope, rejected } = readWebhookDelivery(body);
	const [first] = rejected;
	if (first) {
		const path =
			first.field === null ? `events.${first.index}` : `events.${first.index}.${first.field}`;
		throw new ProtocolError(
			'messaging',
			`the webhook body is not a Sunshine Conversations envelope: ${path}: ${first.problem}`,
		);
	}
	return envelope;
}

function notAnEnvelope(issue: z.ZodIssue): ProtocolError {
	return new ProtocolError(
		'messaging',
		`the webhook body is not a Sunshine Conversations envelope: ${issue.path.join('.') || 'body'}: ${issue.message}`,
	);
}

function preview(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	return value.length > PREVIEW_LENGTH
		? `${value.slice(0, PREVIEW_LENGTH)}… (${value.length} characters)`
		: value;
}

const conversationMessagePayloadSchema = z
	.object({
		conversation: conversationSchema,
		message: messageSchema,
		recentNotifications: z.array(messageSchema).optional(),
	})
	.passthrough();

const releaseControlPayloadSchema = z
	.object({
		// The spec: the payload omits activeSwitchboardIntegration once no one is in control.
		conversation: z
			.object({
				id: z.string().min(1),
				type: z.string().optional(),
				metadata: z.record(z.unknown()).nullable().optional(),
			})
			.passthrough(),
		metadata: z.record(z.unknown()).nullable().optional(),
		/** ticketClosed or transferToEmail when the agent workspace released control. */
		reason: z.string().optional(),
	})
	.passthrough();

const passControlPayloadSchema = z
	.object({
		conversation: conversationSchema.extend({
			activeSwitchboardIntegration: switchboardIntegrationRefSchema.nullable().optional(),
		}),
		metadata: z.record(z.unknown()).nullable().optional(),
		reason: z.string().optional(),
	})
	.passthrough();

export type ConversationMessagePayload = z.infer<typeof conversationMessagePayloadSchema>;
export type ReleaseControlPayload = z.infer<typeof releaseControlPayloadSchema>;
export type PassControlPayload = z.infer<typeof passControlPayloadSchema>;

function typedPayload<T extends z.ZodTypeAny>(
	event: WebhookEvent,
	type: string,
	schema: T,
): z.infer<T> | undefined {
	if (event.type !== type) return undefined;
	const result = schema.safeParse(event.payload);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	throw new ProtocolError(
		'messaging',
		`webhook event ${event.id} (${type}) has an unexpected payload: ${issue.path.join('.') || 'payload'}: ${issue.message}`,
	);
}

/**
 * The payload of a `conversation:message` event, or undefined for another type.
 * @throws ProtocolError when the event is conversation:message but its payload does not match.
 */
export function conversationMessagePayload(
	event: WebhookEvent,
): ConversationMessagePayload | undefined {
	return typedPayload(event, 'conversation:message', conversationMessagePayloadSchema);
}

/**
 * The payload of a `switchboard:releaseControl` event (the agent ended the session), or undefined.
 * @throws ProtocolError when the payload does not match.
 */
export function releaseControlPayload(event: WebhookEvent): ReleaseControlPayload | undefined {
	return typedPayload(event, 'switchboard:releaseControl', releaseControlPayloadSchema);
}

/**
 * The payload of a `switchboard:passControl` event (who is now in control), or undefined.
 * @throws ProtocolError when the payload does not match.
 */
export function passControlPayload(event: WebhookEvent): PassControlPayload | undefined {
	return typedPayload(event, 'switchboard:passControl', passControlPayloadSchema);
}
