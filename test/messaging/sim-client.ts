import { MessagingClient, type MessagingClientOptions } from '../../src/messaging';
import { InvalidInputError } from '../../src/shared';
import { SIM_SUNSHINE, type Simulator } from '../../simulator';

/** A client of the simulator's app; retries wait 1 ms, not half a second. */
export function simClient(
	sim: Simulator,
	options: Partial<MessagingClientOptions> = {},
): MessagingClient {
	return new MessagingClient({
		baseUrl: sim.urls.sunshine,
		appId: SIM_SUNSHINE.appId,
		auth: { type: 'basic', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
		backoff: () => 1,
		...options,
	});
}

export async function caught(promise: Promise<unknown>): Promise<Error> {
	const outcome = await promise.then(
		() => undefined,
		(error: Error) => error,
	);
	if (!outcome) throw new Error('expected a rejection');
	return outcome;
}

let counter = 0;
export const unique = (prefix: string): string => `${prefix}-${Date.now()}-${++counter}`;

/**
 * Runs `call`, expects an InvalidInputError, and that the simulator answered no request while it
 * ran: bad input is refused before anything is sent.
 */
export async function refusedBeforeSending(
	sim: Simulator,
	call: () => Promise<unknown>,
): Promise<InvalidInputError> {
	const served = sim.faults.served.sunshine;
	const error = await caught(call());
	if (!(error instanceof InvalidInputError))
		throw new Error(`expected an InvalidInputError, got ${error.name}: ${error.message}`);
	expect(sim.faults.served.sunshine).toBe(served);
	return error;
}
