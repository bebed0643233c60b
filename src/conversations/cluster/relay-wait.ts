import { AbortedError, TimeoutError } from '../../shared';
import type { RelayAnswer } from './relay-messages';

/** Waits for the holder's answer within `ms`, or until `signal` aborts. */
export function untilAnswered(
	answered: Promise<RelayAnswer>,
	ms: number,
	signal: AbortSignal | undefined,
	fence: number,
): Promise<RelayAnswer> {
	if (signal?.aborted) return Promise.reject(new AbortedError('conversations'));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			cleanup();
			reject(
				new TimeoutError(
					'conversations',
					`the n8n process holding the agent's Zendesk Chat session (fence ${fence}) did not answer within ${ms} ms; ` +
						'the request may have reached Zendesk, so it was not sent again',
				),
			);
		}, ms);
		const onAbort = () => {
			cleanup();
			reject(new AbortedError('conversations'));
		};
		const cleanup = () => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
		answered.then((answer) => {
			cleanup();
			resolve(answer);
		}, reject);
	});
}
