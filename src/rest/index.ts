export { ChatRestClient } from './client';
export { RestBudgetSpentError, type RestBudget } from './budget';
export type { RestClock } from './clock';
export { chatId as checkChatId } from './validate';
export type {
	CallOptions,
	ChatRestClientOptions,
	ChatsByIds,
	ChatsByIdsOptions,
	ListAgentsOptions,
	QueryTextOptions,
	SearchOptions,
} from './client';
export type { ExportCursor, ExportOptions, ExportPage } from './incremental-export';
export type { Agent, Chat, Department, SearchResult } from './schemas';
export { buildSearchQuery, checkQueryText, searchTerm } from './search-query';
export type { ChatRating, ChatSearchCriteria, ChatType, TimeRange } from './search-query';
export type { ChatChanges } from './update-chat';
export { leaseRestRateLimiter, type LimiterLease } from './limiter-registry';
export * from './constants';
