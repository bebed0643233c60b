import type { IExecuteFunctions } from 'n8n-workflow';

import type { ConversationsTransport, SessionLease } from '../../../src/conversations';
import { ChatRestClient } from '../../../src/rest';
import { chatConnection, type ChatAuthentication, type ChatConnection } from '../../shared/connection';
import { leaseChatSession } from '../../shared/sessionPool';

/**
 * What one execution of the node holds, opened on first use and released once at the end: a REST
 * client, and a lease on the agent's pooled Conversations session (the same session an active
 * Zendesk Chat Trigger holds, so a send starts no new session).
 */
export class ExecutionResources {
	private connectionPromise: Promise<ChatConnection> | undefined;
	private restClient: ChatRestClient | undefined;
	private leasePromise: Promise<SessionLease> | undefined;

	constructor(private readonly fn: IExecuteFunctions) {}

	connection(): Promise<ChatConnection> {
		this.connectionPromise ??= chatConnection(this.fn, this.fn.getNodeParameter('authentication', 0) as ChatAuthentication);
		return this.connectionPromise;
	}

	async rest(): Promise<ChatRestClient> {
		if (!this.restClient) {
			const { endpoints, tokens, credentialKey } = await this.connection();
			this.restClient ??= new ChatRestClient({ baseUrl: endpoints.restBaseUrl, token: tokens, credentialKey });
		}
		return this.restClient;
	}

	async session(): Promise<ConversationsTransport> {
		this.leasePromise ??= this.connection().then((connection) => leaseChatSession(connection, { logger: this.fn.logger }));
		return (await this.leasePromise).session;
	}

	/** Releases the lease (the pool keeps the session warm) and closes the REST client. */
	async dispose(): Promise<void> {
		const lease = this.leasePromise;
		this.leasePromise = undefined;
		await Promise.allSettled([lease?.then((l) => l.release()), this.restClient?.close()]);
		this.restClient = undefined;
	}
}
