import { InvalidInputError, type Logger } from '../../shared';
import type { ConversationsTransport } from '../transport';
import type { AgentSlot } from './agent-slot';

/** The agent's session in queue mode as a transport: requests go to the session here or to the holder (leaseOver makes the lease of it). */
export function clusterTransport(
	slot: AgentSlot,
	logger: Logger | undefined,
): ConversationsTransport {
	return {
		request: (operation, options = {}) => {
			// Only queries and mutations can be relayed: a subscription stays in the holding process.
			if (operation?.kind !== 'query' && operation?.kind !== 'mutation') {
				return Promise.reject(
					new InvalidInputError(
						'operation',
						'request() runs a query or a mutation; use subscribe() for a subscription',
					),
				);
			}
			return slot.request(operation, options, logger);
		},
		subscribe: (operation, sink, options) => slot.subscribe(operation, sink, logger, options),
	};
}
