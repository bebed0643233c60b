import type { LazyMessagingClient } from './clients';

/** What the router hands every operation for one execution. */
export interface OperationContext {
	messaging: LazyMessagingClient;
	/** Aborted when the execution is cancelled; passed to every request. */
	signal?: AbortSignal;
}
