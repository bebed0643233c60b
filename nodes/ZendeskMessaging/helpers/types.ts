import type { IExecuteFunctions } from 'n8n-workflow';

import type { ExecutionScope } from '../../shared/actionRuntime';
import { LazyMessagingClient } from './clients';

/**
 * What every operation gets for one execution: the Messaging client (opened on first use) and the
 * execution's cancel signal, passed to every request.
 */
export class OperationContext implements ExecutionScope {
	readonly messaging: LazyMessagingClient;

	constructor(
		ctx: IExecuteFunctions,
		readonly signal: AbortSignal | undefined,
	) {
		this.messaging = new LazyMessagingClient(ctx, signal);
	}

	async dispose(): Promise<void> {
		await this.messaging.close();
	}
}
