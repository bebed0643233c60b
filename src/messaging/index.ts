export * from './api-error';
export * from './auth';
export * from './await-reply';
export * from './bot-handoff';
export * from './client';
export * from './content';
export * from './constants';
export * from './conversation-user';
export * from './echo-filter';
export * from './escalate';
export * from './event-dedupe';
export * from './first-message';
export { signAppJwt, type AppJwtClaims } from './jwt';
export { LookupCache, type LookupCacheOptions } from './lookup-cache';
export type {
	Conversation,
	Integration,
	Message,
	Participant,
	Switchboard,
	SwitchboardIntegration,
	SwitchboardIntegrationRef,
	User,
	Webhook,
} from './schemas';
export * from './ticket-metadata';
export * from './types';
export {
	optionalString,
	requireHttpUrl,
	requireId,
	requireString,
	requireText,
	validateMetadata,
	type Metadata,
} from './validate';
export * from './webhook-auth';
export * from './webhook-envelope';
export * from './webhook-media';
