import { z } from 'zod';

import { ProtocolError } from '../shared/errors';

/**
 * Response shapes, written from the OpenAPI spec's components. They check only what the client
 * relies on (ids, types, cursors) and pass everything else through, so a field Zendesk adds later
 * reaches the user instead of failing the parse.
 */

const metadata = z.record(z.unknown()).nullable().optional();

export const switchboardIntegrationRefSchema = z
	.object({
		id: z.string(),
		name: z.string().optional(),
		integrationId: z.string().optional(),
		integrationType: z.string().optional(),
	})
	.passthrough();

export const userSchema = z
	.object({
		id: z.string().min(1),
		externalId: z.string().nullable().optional(),
		zendeskId: z.string().nullable().optional(),
		signedUpAt: z.string().optional(),
		profile: z.record(z.unknown()).optional(),
		metadata,
	})
	.passthrough();

export const conversationSchema = z
	.object({
		id: z.string().min(1),
		type: z.string(),
		isDefault: z.boolean().optional(),
		displayName: z.string().nullable().optional(),
		metadata,
		activeSwitchboardIntegration: switchboardIntegrationRefSchema.nullable().optional(),
		pendingSwitchboardIntegration: switchboardIntegrationRefSchema.nullable().optional(),
		lastUpdatedAt: z.string().nullable().optional(),
		createdAt: z.string().optional(),
	})
	.passthrough();

export const messageAuthorSchema = z
	.object({
		type: z.string(),
		subtypes: z.array(z.string()).optional(),
		userId: z.string().optional(),
		displayName: z.string().optional(),
		avatarUrl: z.string().optional(),
		user: z.record(z.unknown()).optional(),
	})
	.passthrough();

export const messageSourceSchema = z
	.object({
		type: z.string().optional(),
		integrationId: z.string().nullable().optional(),
		originalMessageId: z.string().nullable().optional(),
	})
	.passthrough();

export const messageSchema = z
	.object({
		id: z.string().min(1),
		received: z.string().optional(),
		author: messageAuthorSchema,
		content: z.object({ type: z.string(), text: z.string().optional() }).passthrough(),
		source: messageSourceSchema.optional(),
		metadata,
	})
	.passthrough();

export const participantSchema = z
	.object({
		id: z.string().min(1),
		userId: z.string().min(1),
		userExternalId: z.string().nullable().optional(),
		unreadCount: z.number().optional(),
		lastRead: z.string().nullable().optional(),
		clientAssociations: z.array(z.record(z.unknown())).optional(),
	})
	.passthrough();

const meta = z
	.object({
		hasMore: z.boolean().optional(),
		afterCursor: z.string().optional(),
		beforeCursor: z.string().optional(),
	})
	.passthrough()
	.optional();

export const switchboardSchema = z
	.object({
		id: z.string().min(1),
		enabled: z.boolean(),
		defaultSwitchboardIntegrationId: z.string().nullable().optional(),
	})
	.passthrough();

export const switchboardIntegrationSchema = z
	.object({
		id: z.string().min(1),
		name: z.string(),
		integrationId: z.string().optional(),
		integrationType: z.string(),
		deliverStandbyEvents: z.boolean().optional(),
		nextSwitchboardIntegrationId: z.string().nullable().optional(),
		messageHistoryCount: z.number().nullable().optional(),
	})
	.passthrough();

export const webhookSchema = z
	.object({
		id: z.string().min(1),
		version: z.string().optional(),
		target: z.string(),
		triggers: z.array(z.string()),
		/** The shared secret Zendesk sends back as X-API-Key; treat it like a password. */
		secret: z.string().optional(),
		includeFullUser: z.boolean().optional(),
		includeFullSource: z.boolean().optional(),
	})
	.passthrough();

export const integrationSchema = z
	.object({
		id: z.string().min(1),
		type: z.string(),
		status: z.string().optional(),
		displayName: z.string().nullable().optional(),
		webhooks: z.array(webhookSchema).optional(),
	})
	.passthrough();

export const responses = {
	user: z.object({ user: userSchema }),
	conversation: z.object({ conversation: conversationSchema }),
	conversationList: z.object({ conversations: z.array(conversationSchema), meta }),
	messages: z.object({ messages: z.array(messageSchema), meta }),
	participantList: z.object({ participants: z.array(participantSchema), meta }),
	switchboard: z.object({ switchboard: switchboardSchema }),
	switchboards: z.object({ switchboards: z.array(switchboardSchema) }),
	switchboardIntegration: z.object({ switchboardIntegration: switchboardIntegrationSchema }),
	switchboardIntegrations: z.object({
		switchboardIntegrations: z.array(switchboardIntegrationSchema),
	}),
	integration: z.object({ integration: integrationSchema }),
	integrationList: z.object({ integrations: z.array(integrationSchema), meta }),
	webhook: z.object({ webhook: webhookSchema }),
	webhooks: z.object({ webhooks: z.array(webhookSchema) }),
};

export type User = z.infer<typeof userSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type Message = z.infer<typeof messageSchema>;
export type Participant = z.infer<typeof participantSchema>;
export type Switchboard = z.infer<typeof switchboardSchema>;
export type SwitchboardIntegration = z.infer<typeof switchboardIntegrationSchema>;
export type SwitchboardIntegrationRef = z.infer<typeof switchboardIntegrationRefSchema>;
export type Integration = z.infer<typeof integrationSchema>;
export type Webhook = z.infer<typeof webhookSchema>;

/** Parses a response body, or throws ProtocolError naming the route and the first mismatch. */
export function parseResponse<T extends z.ZodTypeAny>(
	schema: T,
	body: unknown,
	route: string,
): z.infer<T> {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const where = issue.path.length > 0 ? issue.path.join('.') : 'the body';
	throw new ProtocolError(
		'messaging',
		`Sunshine Conversations ${route} answered an unexpected body: ${where}: ${issue.message}`,
		body,
	);
}
