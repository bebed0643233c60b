import { ClosedError, InvalidInputError, type Logger } from '../../shared';
import type { Operation, SubscriptionOperation } from '../operation';
import type { ConversationsTransport, RequestOptions, SubscriptionHandle, SubscriptionSink } from '../transport';
import type { AgentSlot } from './agent-slot';

/**
 * A lease's view of the agent's session in queue mode: requests go to the session here or to the
 * holder; releasing stops the lease's own subscriptions and refuses further use.
 */
export class ClusterTransport implements ConversationsTransport {
	private revoked = false;
	private readonly handles = new Set<SubscriptionHandle>();

	constructor(
		private readonly slot: AgentSlot,
		private readonly logger: Logger | undefined,
	) {}

	request<T>(operation: Operation<T>, options: RequestOptions = {}): Promise<T> {
		if (this.revoked) return Promise.reject(new ClosedError('conversations'));
		if (operation?.kind !== 'query' && operation?.kind !== 'mutation') {
			return Promise.reject(new InvalidInputError('operation', 'request() runs a query or a mutation; use subscribe() for a subscription'));
		}
		return this.slot.request(operation, options, this.logger);
	}

	subscribe<T>(operation: SubscriptionOperation<T>, sink: SubscriptionSink<T>): SubscriptionHandle {
		if (this.revoked) throw new ClosedError('conversations');
		const inner = this.slot.subscribe(operation, sink, this.logger);
		const handle: SubscriptionHandle = {
			ready: inner.ready,
			unsubscribe: async () => {
				this.handles.delete(handle);
				await inner.unsubscribe();
			},
		};
		this.handles.add(handle);
		return handle;
	}

	async revoke(): Promise<void> {
		this.revoked = true;
		const handles = [...this.handles];
		this.handles.clear();
		await Promise.all(handles.map((h) => h.unsubscribe()));
	}
}
