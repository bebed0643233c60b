import { z } from 'zod';

import { ProtocolError } from '../shared/errors';
import { tryParseJson } from './json';
import { conversationSchema, messageSchema, switchboardIntegrationRefSchema } from './schemas';

/**
 * The webhook request body (spec: "Webhook Events"): `{app:{id}, webhook:{id, version}, events:[…]}`.
 * Event types are not a closed list: an event of a type this package does not know is kept with
 * its payload as is, so a new Zendesk trigger never makes a whole delivery fail.
 */
const eventSchema = z
	.object({
		id: z.string().min(1),
		type: z.string().min(1),
		// Optional: the spec marks no event field required, and its conversationReferralEvent
		// example has none; refusing it would 400 the whole delivery, which Zendesk never retries.
		createdAt: z.string().optional(),
		payload: z.record(z.unknown()).default({}),
	})
	.passthrough();

const envelopeSchema = z
	.object({
		app: z.object({ id: z.string().min(1) }).passthrough(),
		webhook: z.object({ id: z.string().min(1), version: z.string() }).passthrough(),
		events: z.array(eventSchema),
	})
	.passthrough();

export type WebhookEvent = z.infer<typeof eventSchema>;
export type WebhookEnvelope = z.infer<typeof envelopeSchema>;

/**
 * Parses a webhook body: the raw bytes or text as received, or JSON already parsed by a framework.
 * @throws ProtocolError (api "messaging") when it is not JSON or not an envelope; answer 400.
 */
export function parseWebhookEnvelope(body: unknown): WebhookEnvelope {
	let value = body;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		const parsed = tryParseJson(body.toString('utf8'));
		if (!parsed.ok) throw new ProtocolError('messaging', 'the webhook body is not JSON');
		value = parsed.value;
	}
	const result = envelopeSchema.safeParse(value);
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new ProtocolError('messaging', `the webhook body is not a Sunshine Conversations envelope: ${issue.path.join('.') || 'body'}: ${issue.message}`);
	}
	return result.data;
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
		conversation: z.object({ id: z.string().min(1), type: z.string().optional(), metadata: z.record(z.unknown()).nullable().optional() }).passthrough(),
		metadata: z.record(z.unknown()).nullable().optional(),
		/** ticketClosed or transferToEmail when the agent workspace released control. */
		reason: z.string().optional(),
	})
	.passthrough();

const passControlPayloadSchema = z
	.object({
		conversation: conversationSchema.extend({ activeSwitchboardIntegration: switchboardIntegrationRefSchema.nullable().optional() }),
		metadata: z.record(z.unknown()).nullable().optional(),
		reason: z.string().optional(),
	})
	.passthrough();

export type ConversationMessagePayload = z.infer<typeof conversationMessagePayloadSchema>;
export type ReleaseControlPayload = z.infer<typeof releaseControlPayloadSchema>;
export type PassControlPayload = z.infer<typeof passControlPayloadSchema>;

function typedPayload<T extends z.ZodTypeAny>(event: WebhookEvent, type: string, schema: T): z.infer<T> | undefined {
	if (event.type !== type) return undefined;
	const result = schema.safeParse(event.payload);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	throw new ProtocolError('messaging', `webhook event ${event.id} (${type}) has an unexpected payload: ${issue.path.join('.') || 'payload'}: ${issue.message}`);
}

/**
 * The payload of a `conversation:message` event, or undefined for another type.
 * @throws ProtocolError when the event is conversation:message but its payload does not match.
 */
export function conversationMessagePayload(event: WebhookEvent): ConversationMessagePayload | undefined {
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
