import { setMaxListeners } from 'node:events';

import {
	ClosedError,
	credentialKey as makeCredentialKey,
	DEFAULT_CALL_DEADLINE_MS,
	exponentialBackoff,
	InvalidInputError,
	ProtocolError,
	silentLogger,
	type Backoff,
	type Logger,
	type RateLimit,
	type TokenProvider,
} from '../shared';
import { parseRestBase, type RestBase } from './base-url';
import type { RestBudget } from './budget';
import type { RestClock } from './clock';
import { AGENTS_MAX_LIMIT, IDS_PER_REQUEST, REST_RATE_LIMIT } from './constants';
import { leasePool, type PoolLease } from '../shared/http';
import { exportPages, planExport, type ExportOptions, type ExportPage } from './incremental-export';
import { leaseRateLimiter, type LimiterLease } from './limiter-registry';
import { nextPageRequest, pageKey, type PageRequest } from './next-page';
import { RestTransport } from './rest-transport';
import {
	agentListSchema,
	agentSchema,
	anyBodySchema,
	chatListPageSchema,
	chatSchema,
	chatsByIdSchema,
	departmentListSchema,
	departmentSchema,
	type Agent,
	type Chat,
	type Department,
	type SearchResult,
} from './schemas';
import { checkQueryText, normalizeSearchCriteria, type ChatSearchCriteria } from './search-query';
import { walkQueryText, walkSearch } from './search-walk';
import { chatChangesBody, type ChatChanges } from './update-chat';
import { chatId, chatIds, email, integerIn, numericId, pathText } from './validate';

export interface ChatRestClientOptions {
	/**
	 * The Chat REST API base, e.g. `https://acme.zendesk.com/api/v2/chat` (use `chatEndpoints()`
	 * from src/shared to build it from a credential). The token is only ever sent here.
	 */
	baseUrl: string;
	/** Where the access token comes from; `refresh()` is asked once after a 401. */
	token: TokenProvider;
	/**
	 * Names the credential for the shared rate limiter and for logs (a `credentialKey(...)` hash,
	 * never a token). Clients with the same key share one 200 requests/min budget in the process.
	 * @default credentialKey(baseUrl): the limit is the account's, so clients of one account share it
	 */
	credentialKey?: string;
	/** @default [{ limit: 200, windowMs: 60_000 }] (the documented 200 requests per minute) */
	rateLimits?: RateLimit[];
	/** Tries per call when it fails with 429, 5xx, a connection reset or a timeout. @default 5 */
	maxAttempts?: number;
	/** The wait before retrying a 5xx or a connection failure. @default exponentialBackoff({ initialMs: 500, maxMs: 30_000 }) */
	backoff?: Backoff;
	/** A Retry-After longer than this fails the call at once (HttpError with retryAfterMs). @default 120_000 */
	maxRetryAfterMs?: number;
	/** Time allowed for the headers, then for the body, of each answer. @default 30_000 */
	timeoutMs?: number;
	/**
	 * Time allowed for a whole call, its retries and their waits included (from its first attempt;
	 * a wait for the shared budget before it does not count). It then fails with TimeoutError, and
	 * a retry wait that would outlast it is not started: the call fails with its last error at once.
	 * @default 60_000
	 */
	deadlineMs?: number;
	/** Accept plain http:// on hosts other than localhost (never needed with Zendesk). @default false */
	allowHttp?: boolean;
	/** @default silentLogger */
	logger?: Logger;
	/**
	 * The time the client paces itself by (its share of the rate limit, search slicing's "now", the
	 * export's 5-minute rule). For tests and benches on a simulated clock. @default the system clock
	 */
	clock?: RestClock;
}

export interface CallOptions {
	signal?: AbortSignal;
}

export interface SearchOptions extends CallOptions {
	/** Yield whole chats (fetched by id, 50 per request) instead of search hits. @default false */
	hydrate?: boolean;
	/**
	 * Split a search matching more than 10,000 chats into time slices, so every match is given. When
	 * false, a search gives at most its first 10,000 matches (what one query can page through).
	 * @default true
	 */
	sliceLargeResults?: boolean;
}

export interface QueryTextOptions extends CallOptions {
	/** Yield whole chats (fetched by id, 50 per request) instead of search hits. @default false */
	hydrate?: boolean;
}

export interface ListAgentsOptions extends CallOptions {
	/** Agents per request, 1–100. @default 100 */
	limit?: number;
	/** Start after agents with smaller ids (the API's `since_id`). */
	sinceId?: number;
}

export interface ChatsByIdsOptions extends CallOptions {
	/**
	 * false: only if the credential's budget has room now. A request that would have to wait for a
	 * turn, or that Zendesk refuses with 429, is not waited for or retried: the call fails with
	 * RestBudgetSpentError (an HttpError 429). Each 50 ids are one request, so give at most 50 ids
	 * to have all or nothing. @default true
	 */
	waitForBudget?: boolean;
}

export interface ChatsByIds {
	/** The chats found, in the order their ids were given. */
	chats: Chat[];
	/** The ids given that no chat has (deleted, or never existed). */
	missingIds: string[];
}

/**
 * A client for the Zendesk Chat REST API (seeds/chat-rest-api-chats.txt, NOTES.md section 3).
 * Lists are async iterators that page on demand; every input is checked before a request is sent;
 * requests share a keep-alive pool per origin and a 200/min limiter per credential. Call `close()`
 * when done: it aborts calls in flight (they reject with ClosedError) and frees the pool.
 */
export class ChatRestClient {
	private readonly base: RestBase;
	private readonly transport: RestTransport;
	private readonly pool: PoolLease;
	private readonly limiter: LimiterLease;
	private readonly closer = new AbortController();
	private readonly rateLimits: RateLimit[];
	private readonly now: () => number;

	/** @throws InvalidInputError when an option is invalid. */
	constructor(options: ChatRestClientOptions) {
		if (typeof options !== 'object' || options === null)
			throw new InvalidInputError('options', 'client options are required');
		this.base = parseRestBase(options.baseUrl, options.allowHttp === true);
		if (typeof options.token?.getToken !== 'function') {
			throw new InvalidInputError(
				'token',
				'a token provider is required',
				'Pass staticToken("…") or an object with getToken() (and refresh()).',
			);
		}
		const key =
			options.credentialKey ??
			makeCredentialKey('chat-rest', `${this.base.origin}${this.base.basePath}`);
		if (typeof key !== 'string' || key.length === 0)
			throw new InvalidInputError('credentialKey', 'the credential key must be a non-empty text');
		const rateLimits = options.rateLimits ?? [REST_RATE_LIMIT];
		rateLimits.forEach((limit, i) => {
			integerIn(limit?.limit, `rateLimits[${i}].limit`, 1, 1_000_000);
			integerIn(limit?.windowMs, `rateLimits[${i}].windowMs`, 1, 86_400_000);
		});
		this.rateLimits = rateLimits.map((l) => ({ limit: l.limit, windowMs: l.windowMs }));
		const maxAttempts =
			options.maxAttempts === undefined ? 5 : integerIn(options.maxAttempts, 'maxAttempts', 1, 20);
		const maxRetryAfterMs =
			options.maxRetryAfterMs === undefined
				? 120_000
				: integerIn(options.maxRetryAfterMs, 'maxRetryAfterMs', 0, 3_600_000);
		const timeoutMs =
			options.timeoutMs === undefined
				? 30_000
				: integerIn(options.timeoutMs, 'timeoutMs', 1, 600_000);
		const deadlineMs =
			options.deadlineMs === undefined
				? DEFAULT_CALL_DEADLINE_MS
				: integerIn(options.deadlineMs, 'deadlineMs', 1, 3_600_000);
		// Every call in flight listens on the close signal: as many listeners as calls is expected.
		setMaxListeners(0, this.closer.signal);
		// Leases last: nothing above may throw once a pool or limiter share is held.
		this.pool = leasePool(this.base.origin);
		const clock = options.clock;
		this.now = clock ? () => clock.now() : Date.now;
		this.limiter = leaseRateLimiter(key, rateLimits, clock);
		this.transport = new RestTransport({
			base: this.base,
			tokens: options.token,
			pool: this.pool,
			limiter: this.limiter.limiter,
			maxAttempts,
			backoff: options.backoff ?? exponentialBackoff({ initialMs: 500, maxMs: 30_000 }),
			maxRetryAfterMs,
			timeoutMs,
			deadlineMs,
			logger: options.logger ?? silentLogger,
			credentialKey: key,
			closeSignal: this.closer.signal,
		});
	}

	/**
	 * The credential's budget as this process sees it (every client of the credential shares it):
	 * for callers that would rather skip an optional request than wait for a turn.
	 */
	budget(): RestBudget {
		if (this.rateLimits.length === 0)
			return { remaining: Number.POSITIVE_INFINITY, limit: Number.POSITIVE_INFINITY, windowMs: 0 };
		const tightest = this.rateLimits.reduce((a, b) => (b.limit < a.limit ? b : a));
		return {
			remaining: this.limiter.limiter.room(),
			limit: tightest.limit,
			windowMs: tightest.windowMs,
		};
	}

	get closed(): boolean {
		return this.closer.signal.aborted;
	}

	/** Every chat of the account, page by page (`GET /chats`, following `next_url`). */
	listChats(options: CallOptions = {}): AsyncIterableIterator<Chat> {
		this.ensureOpen();
		return this.pageThroughChats({ path: '/chats', query: new URLSearchParams() }, options.signal);
	}

	/** One chat (`GET /chats/{id}`). @throws HttpError 404 when there is none. */
	async getChat(id: string, options: CallOptions = {}): Promise<Chat> {
		const path = `/chats/${encodeURIComponent(chatId(id))}`;
		this.ensureOpen();
		return (await this.transport.request({
			method: 'GET',
			path,
			schema: chatSchema,
			signal: options.signal,
		})) as Chat;
	}

	/** Several chats by id (`GET /chats?ids=`, 50 ids a request), in the order given. */
	async getChats(ids: string[], options: ChatsByIdsOptions = {}): Promise<ChatsByIds> {
		const wanted = chatIds(ids);
		this.ensureOpen();
		const found = await this.fetchByIds(wanted, options.signal, options.waitForBudget);
		return {
			chats: wanted.flatMap((id) => found.get(id) ?? []),
			missingIds: wanted.filter((id) => !found.has(id)),
		};
	}

	/** Changes a chat's comment, rating, tags or unread flag (`PUT /chats/{id}`); returns the chat as saved. */
	async updateChat(id: string, changes: ChatChanges, options: CallOptions = {}): Promise<Chat> {
		const path = `/chats/${encodeURIComponent(chatId(id))}`;
		const body = chatChangesBody(changes);
		this.ensureOpen();
		return (await this.transport.request({
			method: 'PUT',
			path,
			body,
			schema: chatSchema,
			signal: options.signal,
		})) as Chat;
	}

	/** Deletes a chat (`DELETE /chats/{id}`). */
	async deleteChat(id: string, options: CallOptions = {}): Promise<void> {
		const path = `/chats/${encodeURIComponent(chatId(id))}`;
		this.ensureOpen();
		await this.transport.request({
			method: 'DELETE',
			path,
			schema: anyBodySchema,
			signal: options.signal,
		});
	}

	/** Deletes several chats (`DELETE /chats?ids=`, 50 ids a request). */
	async deleteChats(ids: string[], options: CallOptions = {}): Promise<void> {
		const wanted = chatIds(ids);
		this.ensureOpen();
		for (const batch of batches(wanted, IDS_PER_REQUEST)) {
			await this.transport.request({
				method: 'DELETE',
				path: '/chats',
				query: { ids: batch.join(',') },
				schema: anyBodySchema,
				signal: options.signal,
			});
		}
	}

	/**
	 * Every chat matching `criteria` (`GET /chats/search`), each once. Past 10,000 matches the search
	 * is split into time slices (unless `sliceLargeResults` is false). With `hydrate`, whole chats are
	 * fetched 50 at a time instead of the search hits `{id, type, timestamp, preview, url}`.
	 * @throws InvalidInputError (at call time) when the criteria are invalid.
	 */
	searchChats(
		criteria: ChatSearchCriteria,
		options: SearchOptions & { hydrate: true },
	): AsyncIterableIterator<Chat>;
	searchChats(
		criteria: ChatSearchCriteria,
		options?: SearchOptions & { hydrate?: false },
	): AsyncIterableIterator<SearchResult>;
	searchChats(
		criteria: ChatSearchCriteria,
		options?: SearchOptions,
	): AsyncIterableIterator<SearchResult | Chat>;
	searchChats(
		criteria: ChatSearchCriteria,
		options: SearchOptions = {},
	): AsyncIterableIterator<SearchResult | Chat> {
		const spec = normalizeSearchCriteria(criteria);
		this.ensureOpen();
		const results = walkSearch(this.transport, this.base, spec, {
			signal: options.signal,
			slice: options.sliceLargeResults !== false,
			now: this.now,
		});
		return options.hydrate === true ? this.hydrate(results, options.signal) : results;
	}

	/**
	 * Every chat matching a query written in the search syntax (`GET /chats/search?q=`), sent as
	 * written: for what the criteria of `searchChats` cannot say. Not split into time slices, so at
	 * most the first 10,000 matches. Prefer `searchChats`, which escapes every value.
	 * @throws InvalidInputError (at call time) when the query is empty or holds control characters.
	 */
	searchChatsByQuery(
		query: string,
		options: QueryTextOptions & { hydrate: true },
	): AsyncIterableIterator<Chat>;
	searchChatsByQuery(
		query: string,
		options?: QueryTextOptions & { hydrate?: false },
	): AsyncIterableIterator<SearchResult>;
	searchChatsByQuery(
		query: string,
		options?: QueryTextOptions,
	): AsyncIterableIterator<SearchResult | Chat>;
	searchChatsByQuery(
		query: string,
		options: QueryTextOptions = {},
	): AsyncIterableIterator<SearchResult | Chat> {
		const text = checkQueryText(query);
		this.ensureOpen();
		const results = walkQueryText(this.transport, this.base, text, options.signal);
		return options.hydrate === true ? this.hydrate(results, options.signal) : results;
	}

	/**
	 * The incremental export (`GET /incremental/chats`), one page at a time, each with the cursor
	 * to resume after it. Ends when the export has caught up (`count < limit`).
	 * @throws InvalidInputError (at call time) when the options are invalid.
	 */
	exportChats(options: ExportOptions): AsyncIterableIterator<ExportPage> {
		const plan = planExport(options, this.now);
		this.ensureOpen();
		return exportPages(this.transport, plan);
	}

	/** Every department (`GET /departments`). */
	async listDepartments(options: CallOptions = {}): Promise<Department[]> {
		this.ensureOpen();
		return (await this.transport.request({
			method: 'GET',
			path: '/departments',
			schema: departmentListSchema,
			signal: options.signal,
		})) as Department[];
	}

	/** One department (`GET /departments/{id}`). */
	async getDepartment(id: number, options: CallOptions = {}): Promise<Department> {
		const path = `/departments/${numericId(id, 'departmentId')}`;
		this.ensureOpen();
		return (await this.transport.request({
			method: 'GET',
			path,
			schema: departmentSchema,
			signal: options.signal,
		})) as Department;
	}

	/** One department by its name (`GET /departments/name/{name}`). */
	async getDepartmentByName(name: string, options: CallOptions = {}): Promise<Department> {
		const path = `/departments/name/${encodeURIComponent(pathText(name, 'departmentName'))}`;
		this.ensureOpen();
		return (await this.transport.request({
			method: 'GET',
			path,
			schema: departmentSchema,
			signal: options.signal,
		})) as Department;
	}

	/** Every agent (`GET /agents`, paged with `since_id` and `limit`). */
	listAgents(options: ListAgentsOptions = {}): AsyncIterableIterator<Agent> {
		const limit =
			options.limit === undefined
				? AGENTS_MAX_LIMIT
				: integerIn(options.limit, 'limit', 1, AGENTS_MAX_LIMIT);
		const sinceId =
			options.sinceId === undefined
				? undefined
				: integerIn(options.sinceId, 'sinceId', 0, Number.MAX_SAFE_INTEGER);
		this.ensureOpen();
		return this.pageThroughAgents(limit, sinceId, options.signal);
	}

	/** One agent (`GET /agents/{id}`). */
	async getAgent(id: number, options: CallOptions = {}): Promise<Agent> {
		const path = `/agents/${numericId(id, 'agentId')}`;
		this.ensureOpen();
		return (await this.transport.request({
			method: 'GET',
			path,
			schema: agentSchema,
			signal: options.signal,
		})) as Agent;
	}

	/** One agent by email (`GET /agents/email/{email}`). */
	async getAgentByEmail(address: string, options: CallOptions = {}): Promise<Agent> {
		const path = `/agents/email/${encodeURIComponent(email(address, 'agentEmail'))}`;
		this.ensureOpen();
		return (await this.transport.request({
			method: 'GET',
			path,
			schema: agentSchema,
			signal: options.signal,
		})) as Agent;
	}

	/** The agent the token belongs to (`GET /agents/me`). */
	async getCurrentAgent(options: CallOptions = {}): Promise<Agent> {
		this.ensureOpen();
		return (await this.transport.request({
			method: 'GET',
			path: '/agents/me',
			schema: agentSchema,
			signal: options.signal,
		})) as Agent;
	}

	/** Aborts calls in flight (ClosedError) and lets go of the pool and the limiter. Safe to call twice. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closer.abort();
		this.limiter.release();
		await this.pool.release();
	}

	private ensureOpen(): void {
		if (this.closed) throw new ClosedError('rest');
	}

	private async *pageThroughChats(
		first: PageRequest,
		signal: AbortSignal | undefined,
	): AsyncGenerator<Chat> {
		const visited = new Set([pageKey(first)]);
		let request = first;
		for (;;) {
			const page = await this.transport.request({
				method: 'GET',
				path: request.path,
				query: request.query,
				schema: chatListPageSchema,
				signal,
			});
			yield* page.chats as Chat[];
			if (!page.next_url) return;
			request = nextPageRequest(page.next_url, this.base, '/chats');
			if (visited.has(pageKey(request)))
				throw new ProtocolError(
					'rest',
					'the chat list answered with a next_url that does not move forward',
					page.next_url,
				);
			visited.add(pageKey(request));
		}
	}

	private async *pageThroughAgents(
		limit: number,
		firstSinceId: number | undefined,
		signal: AbortSignal | undefined,
	): AsyncGenerator<Agent> {
		let sinceId = firstSinceId;
		for (;;) {
			const agents = (await this.transport.request({
				method: 'GET',
				path: '/agents',
				query: { since_id: sinceId, limit },
				schema: agentListSchema,
				signal,
			})) as Agent[];
			yield* agents;
			if (agents.length < limit) return;
			// The next page starts after the highest id seen (NOTES.md: since_id = last.id + 1).
			const next = Math.max(...agents.map((agent) => agent.id)) + 1;
			if (sinceId !== undefined && next <= sinceId)
				throw new ProtocolError('rest', 'the agent list did not move past since_id', {
					since_id: sinceId,
				});
			sinceId = next;
		}
	}

	private async *hydrate(
		results: AsyncIterable<SearchResult>,
		signal: AbortSignal | undefined,
	): AsyncGenerator<Chat> {
		let batch: string[] = [];
		const flush = async () => {
			const ids = batch;
			batch = [];
			const found = await this.fetchByIds(ids, signal);
			// A chat deleted between the search and now is simply not there any more.
			return ids.flatMap((id) => found.get(id) ?? []);
		};
		for await (const result of results) {
			batch.push(result.id);
			if (batch.length === IDS_PER_REQUEST) yield* await flush();
		}
		if (batch.length > 0) yield* await flush();
	}

	private async fetchByIds(
		ids: string[],
		signal: AbortSignal | undefined,
		waitForBudget?: boolean,
	): Promise<Map<string, Chat>> {
		const found = new Map<string, Chat>();
		for (const batch of batches(ids, IDS_PER_REQUEST)) {
			const query = { ids: batch.join(',') };
			const page = await this.transport.request({
				method: 'GET',
				path: '/chats',
				query,
				schema: chatsByIdSchema,
				signal,
				waitForBudget,
			});
			for (const [id, chat] of Object.entries(page.docs ?? {}))
				if (chat) found.set(id, { ...chat, id: chat.id ?? id } as Chat);
		}
		return found;
	}
}

function batches<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
