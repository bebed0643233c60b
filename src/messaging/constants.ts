/**
 * Documented Sunshine Conversations v2 limits and names (the OpenAPI spec in shared/reference and
 * NOTES.md section 5). Kept in one place so that validation, the docs and the tests agree.
 */

/** `textMessage.text` maxLength in the spec (JSON Schema counts characters, i.e. code points). */
export const MAX_TEXT_LENGTH = 4096;

/** "The metadata is limited to 4KB in size", measured as the UTF-8 bytes of its JSON. */
export const MAX_METADATA_BYTES = 4096;

/** "Request Size Limits: JSON 100kb". */
export const MAX_JSON_BODY_BYTES = 100 * 1024;

/** `userCreateBody.externalId` maxLength. */
export const MAX_EXTERNAL_ID_LENGTH = 1024;

/** `page.size`: 1–100 (it does not apply to List Messages, whose page is fixed at 100). */
export const MAX_PAGE_SIZE = 100;

/** `displayName` (conversations, apps) maxLength; integration displayName shares it. */
export const MAX_DISPLAY_NAME_LENGTH = 100;

/** Switchboard integration `name`: "Restricted to alphanumeric characters, `-` and `_`", maxLength 128. */
export const MAX_SWITCHBOARD_INTEGRATION_NAME_LENGTH = 128;

/** The agent workspace's switchboard integration: passing control to it creates the Zendesk ticket. */
export const AGENT_WORKSPACE_NAME = 'zd-agentWorkspace';
export const AGENT_WORKSPACE_TYPE = 'zd:agentWorkspace';

/** "A webhook call will be attempted up to 5 times over a 15 minute window." */
export const WEBHOOK_RETRY_WINDOW_MS = 15 * 60_000;

/** Every webhook trigger in the spec's "Webhook Triggers" table (case sensitive). */
export const WEBHOOK_TRIGGERS = [
	'client:add',
	'client:remove',
	'client:update',
	'conversation:create',
	'conversation:join',
	'conversation:leave',
	'conversation:remove',
	'conversation:message',
	'conversation:message:delivery:channel',
	'conversation:message:delivery:failure',
	'conversation:message:delivery:user',
	'conversation:postback',
	'conversation:read',
	'conversation:referral',
	'passthrough:messaging',
	'conversation:typing',
	'switchboard:acceptControl',
	'switchboard:acceptControl:failure',
	'switchboard:offerControl',
	'switchboard:offerControl:failure',
	'switchboard:passControl',
	'switchboard:passControl:failure',
	'switchboard:releaseControl',
	'user:merge',
	'user:update',
	'user:remove',
] as const;

export type WebhookTrigger = (typeof WEBHOOK_TRIGGERS)[number];

/** The two triggers an escalation connector needs (seeds/messaging-escalation-connector.txt). */
export const ESCALATION_TRIGGERS: WebhookTrigger[] = [
	'conversation:message',
	'switchboard:releaseControl',
];

/** The metadata key that `originTag` stamps on every business message this client posts (echo filtering). */
export const ORIGIN_METADATA_KEY = 'n8n.origin';
