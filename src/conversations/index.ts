export * from './agent-session';
export * from './constants';
export {
	defaultShouldRetry,
	errorFromPayload,
	FATAL_ERROR_NAMES,
	isFatal,
	type RetryContext,
	type ShouldRetry,
} from './errors';
export { booleanLiteral, enumLiteral, stringLiteral } from './literals';
export {
	parseWith,
	type AnyOperation,
	type Operation,
	type SubscriptionOperation,
} from './operation';
export * from './operations';
export { RecentIds } from './recent-ids';
export * from './session-pool';
export { UpgradeRejectedError } from './socket';
export { acquireStartSlot, createStartBudget, startBudgetFor } from './start-budget';
export { START_DOCUMENT, type AgentSessionInfo } from './start-session';
export * from './transport';
export { sendAndWaitForReply, type ReplyWaitInput, type ReplyWaitResult } from './reply-wait';
