import type { IExecuteFunctions } from 'n8n-workflow';

import type {
	ConversationsTransport,
	Operation,
	RequestOptions,
	SessionLease,
} from '../../../src/conversations';
import { ChatRestClient } from '../../../src/rest';
import {
	chatConnection,
	type ChatAuthentication,
	type ChatConnection,
} from '../../shared/connection';
import type { ExecutionScope } from '../../shared/actionRuntime';
import { requestTimeoutMs } from '../../shared/requestOptions';
import { leaseChatSession } from '../../shared/sessionPool';

/** The REST client's calls (everything but `close`, `budget` and `closed`, which the execution owns). */
type RestCall = Exclude<
	{
		[K in keyof ChatRestClient]: ChatRestClient[K] extends (...args: never[]) => unknown
			? K
			: never;
	}[keyof ChatRestClient],
	'close' | 'budget'
>;

/**
 * Where each REST call takes its options, the argument that carries `signal` (src/rest/client.ts).
 * The type makes a call the core adds (or moves) a compile error here until it is listed.
 */
const REST_OPTIONS_ARGUMENT = {
	listChats: 0,
	searchChats: 1,
	searchChatsByQuery: 1,
	exportChats: 0,
	getChat: 1,
	getChats: 1,
	updateChat: 2,
	deleteChat: 1,
	deleteChats: 1,
	listDepartments: 0,
	getDepartment: 1,
	getDepartmentByName: 1,
	listAgents: 0,
	getAgent: 1,
	getAgentByEmail: 1,
	getCurrentAgent: 0,
} satisfies Record<RestCall, number>;

/** The REST client of an execution: the same calls, each made with the execution's cancel signal. */
export type ExecutionRestClient = Pick<ChatRestClient, RestCall>;

/** Call options with the execution's signal, keeping a signal the caller gave too. */
function withSignal(options: unknown, signal: AbortSignal): Record<string, unknown> {
	const given = (typeof options === 'object' && options !== null ? options : {}) as {
		signal?: AbortSignal;
	};
	return { ...given, signal: given.signal ? AbortSignal.any([given.signal, signal]) : signal };
}

function restWithSignal(
	client: ChatRestClient,
	signal: AbortSignal | undefined,
): ExecutionRestClient {
	if (!signal) return client;
	const calls: Record<string, (...args: unknown[]) => unknown> = {};
	for (const [name, at] of Object.entries(REST_OPTIONS_ARGUMENT)) {
		const call = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
		calls[name] = (...args: unknown[]) => {
			args[at] = withSignal(args[at], signal);
			return call.apply(client, args);
		};
	}
	return calls as unknown as ExecutionRestClient;
}

/** Session requests with the execution's signal and, when the user gave one, Request Options › Timeout. */
function sessionWithSignal(
	session: ConversationsTransport,
	signal: AbortSignal | undefined,
	timeoutMs: number | undefined,
): ConversationsTransport {
	if (!signal && timeoutMs === undefined) return session;
	const optionsOf = (options: RequestOptions | undefined): RequestOptions => {
		const given = signal ? (withSignal(options, signal) as RequestOptions) : { ...options };
		return timeoutMs === undefined || given.timeoutMs !== undefined
			? given
			: { ...given, timeoutMs };
	};
	return {
		request: <T>(operation: Operation<T>, options?: RequestOptions) =>
			session.request(operation, optionsOf(options)),
		subscribe: (operation, sink, options) => session.subscribe(operation, sink, options),
	};
}

/**
 * What one execution of the node holds, opened on first use and released once at the end: a REST
 * client, and a lease on the agent's pooled Conversations session (the same session an active
 * Zendesk Chat Trigger holds, so a send starts no new session). Every REST call and every session
 * request is made with the execution's cancel signal, so stopping the execution stops them, and
 * within Request Options › Timeout.
 */
export class ExecutionResources implements ExecutionScope {
	private connectionPromise: Promise<ChatConnection> | undefined;
	private restClient: ChatRestClient | undefined;
	private restCalls: ExecutionRestClient | undefined;
	private leasePromise: Promise<SessionLease> | undefined;
	private sessionCalls: ConversationsTransport | undefined;

	constructor(
		private readonly fn: IExecuteFunctions,
		readonly signal: AbortSignal | undefined = undefined,
	) {}

	connection(): Promise<ChatConnection> {
		this.connectionPromise ??= chatConnection(
			this.fn,
			this.fn.getNodeParameter('authentication', 0) as ChatAuthentication,
		);
		return this.connectionPromise;
	}

	async rest(): Promise<ExecutionRestClient> {
		if (!this.restCalls) {
			const { endpoints, tokens, credentialKey } = await this.connection();
			this.restClient ??= new ChatRestClient({
				baseUrl: endpoints.restBaseUrl,
				token: tokens,
				credentialKey,
				deadlineMs: requestTimeoutMs(this.fn),
			});
			this.restCalls = restWithSignal(this.restClient, this.signal);
		}
		return this.restCalls;
	}

	async session(): Promise<ConversationsTransport> {
		this.leasePromise ??= this.connection().then((connection) =>
			leaseChatSession(connection, { signal: this.signal, logger: this.fn.logger }),
		);
		const { session } = await this.leasePromise;
		this.sessionCalls ??= sessionWithSignal(session, this.signal, requestTimeoutMs(this.fn));
		return this.sessionCalls;
	}

	/** Releases the lease (the pool keeps the session warm) and closes the REST client. */
	async dispose(): Promise<void> {
		const lease = this.leasePromise;
		this.leasePromise = undefined;
		this.sessionCalls = undefined;
		await Promise.allSettled([lease?.then((l) => l.release()), this.restClient?.close()]);
		this.restClient = undefined;
		this.restCalls = undefined;
	}
}
