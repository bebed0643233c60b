import { InvalidInputError, type Logger } from '../../shared';
import { LeasedTransport } from '../leased-transport';
import type { ConversationsTransport } from '../transport';
import type { AgentSlot } from './agent-slot';

/**
 * A lease's view of the agent's session in queue mode: requests go to the session here or to the
 * holder; releasing stops the lease's own subscriptions and refuses further use (LeasedTransport).
 */
export function clusterTransport(slot: AgentSlot, logger: Logger | undefined): LeasedTransport {
	const target: ConversationsTransport = {
		request: (operation, options = {}) => {
			// Only queries and mutations can be relayed: a subscription stays in the holding process.
			if (operation?.kind !== 'query' && operation?.kind !== 'mutation') {
				return Promise.reject(new InvalidInputError('operation', 'request() runs a query or a mutation; use subscribe() for a subscription'));
			}
			return slot.request(operation, options, logger);
		},
		subscribe: (operation, sink) => slot.subscribe(operation, sink, logger),
	};
	return new LeasedTransport(target);
}
