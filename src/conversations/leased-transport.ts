import { ClosedError } from '../shared';
import type { Operation, SubscriptionOperation } from './operation';
import type { SessionLease } from './session-pool';
import type {
	ConversationsTransport,
	RequestOptions,
	SubscribeOptions,
	SubscriptionHandle,
	SubscriptionSink,
} from './transport';

/**
 * A lease's view of a shared session (in this process, or the agent's session anywhere in queue
 * mode): requests and subscriptions go through, and revoking the lease stops its own subscriptions
 * and refuses further use (a released lease cannot reach a session someone else may now hold).
 */
export class LeasedTransport implements ConversationsTransport {
	private revoked = false;
	private readonly handles = new Set<SubscriptionHandle>();

	constructor(private readonly target: ConversationsTransport) {}

	request<T>(operation: Operation<T>, options?: RequestOptions): Promise<T> {
		if (this.revoked) return Promise.reject(new ClosedError('conversations'));
		return this.target.request(operation, options);
	}

	subscribe<T>(
		operation: SubscriptionOperation<T>,
		sink: SubscriptionSink<T>,
		options?: SubscribeOptions,
	): SubscriptionHandle {
		if (this.revoked) throw new ClosedError('conversations');
		const inner = this.target.subscribe(operation, sink, options);
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

/** A lease over `target`: releasing it (once, however often it is called) revokes the transport, then calls `onReleased`. */
export function leaseOver(target: ConversationsTransport, onReleased: () => void): SessionLease {
	const transport = new LeasedTransport(target);
	let released = false;
	return {
		session: transport,
		release: async () => {
			if (released) return;
			released = true;
			await transport.revoke();
			onReleased();
		},
	};
}
