import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_CALL_DEADLINE_MS } from '../../src/shared/abort';
import { quoteValue } from '../../src/shared/excerpt';

/** The most a user may give one request: longer than any sensible retry sequence, shorter than "hung". */
export const MAX_TIMEOUT_SECONDS = 600;
const TIMEOUT_LABEL = 'Timeout (Seconds)';

/**
 * Request Options › Timeout, the same on both action nodes (Zendesk Chat and Zendesk Messaging):
 * how long one request to Zendesk may take, its retries included. Not shown for the operations in
 * `hideFor`, which have a timeout of their own (Send and Wait: how long to wait for the reply).
 */
export function requestOptionsProperty(hideFor: string[]): INodeProperties {
	return {
		displayName: 'Request Options',
		name: 'requestOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: hideFor.length > 0 ? { hide: { operation: hideFor } } : undefined,
		options: [
			{
				displayName: TIMEOUT_LABEL,
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
				// DEFAULT_CALL_DEADLINE_MS in seconds, written out for n8n's lint (a test checks they agree).
				default: 60,
				description:
					'How long one request to Zendesk may take, its retries included, before the item fails with a timeout error. Stopping the execution ends a request at once.',
			},
		],
	};
}

/**
 * The Timeout the user gave, in ms, or undefined when they gave none (each client then keeps its
 * default). Read from the first item: one execution's clients are opened once, for every item.
 * @throws NodeOperationError when it is not a number from 1 to MAX_TIMEOUT_SECONDS.
 */
export function requestTimeoutMs(ctx: IExecuteFunctions): number | undefined {
	const options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const raw = options?.timeout;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const seconds = typeof raw === 'string' ? Number(raw) : raw;
	if (
		typeof seconds !== 'number' ||
		!Number.isFinite(seconds) ||
		seconds < 1 ||
		seconds > MAX_TIMEOUT_SECONDS
	) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Request Options › ${TIMEOUT_LABEL} must be a number from 1 to ${MAX_TIMEOUT_SECONDS}`,
			{
				description: `Got ${quoteValue(raw)}. Leave it out for the default of ${DEFAULT_CALL_DEADLINE_MS / 1000} seconds.`,
				level: 'warning',
			},
		);
	}
	return Math.round(seconds * 1000);
}
