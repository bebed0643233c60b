import type { IExecuteFunctions } from 'n8n-workflow';

import type { MessagingClient } from '../../../src/messaging';
import { messagingConnection } from '../../shared/connection';
import { MESSAGING_ORIGIN_TAG } from '../../shared/messagingOrigin';
import { requestTimeoutMs } from '../../shared/requestOptions';

/**
 * The Messaging client of one execution, opened on first use. It stamps the package's origin tag
 * on every business message (summary, transcript, every Message › Send), which is what the Zendesk
 * Messaging Trigger drops so that a bot never answers itself. Every call is made with the
 * execution's cancel signal and within Request Options › Timeout. `close()` releases it: call it in
 * a finally block.
 */
export class LazyMessagingClient {
	private client: Promise<MessagingClient> | undefined;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly signal?: AbortSignal,
	) {}

	async get(): Promise<MessagingClient> {
		this.client ??= Promise.resolve()
			.then(() =>
				messagingConnection(this.ctx, {
					originTag: MESSAGING_ORIGIN_TAG,
					deadlineMs: requestTimeoutMs(this.ctx),
					signal: this.signal,
				}),
			)
			.then((connection) => connection.client);
		return await this.client;
	}

	async close(): Promise<void> {
		const opening = this.client;
		this.client = undefined;
		if (!opening) return;
		const client = await opening.catch(() => undefined);
		await client?.close();
	}
}
