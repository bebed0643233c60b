import { InvalidInputError, ProtocolError, toZendeskError } from '../shared/errors';
import { quoteValue } from '../shared/excerpt';
import { toSupportHttpError } from './errors';
import {
	KIND_SPECS,
	type KindSpec,
	type QueryValue,
	type SupportKind,
	type SupportRecord,
} from './kinds';
import {
	decodePageToken,
	encodePageToken,
	MAX_PAGE_SIZE,
	nextCursor,
	nextOffsetPage,
	type PageToken,
} from './pagination';
import { pageEnvelopeSchema } from './schemas';

export interface SupportRequest {
	method: 'GET';
	/** Absolute, query string included. */
	url: string;
	signal?: AbortSignal;
}

/** Any HTTP answer, success or not: the client reads the status itself. */
export interface SupportResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON, or the raw text. */
	body: unknown;
}

/**
 * Sends one request with the credentials applied. Injected, so the client holds no secret and
 * needs no HTTP library: in n8n it is `httpRequestWithAuthentication` (which also renews an OAuth2
 * token), in tests anything. It resolves with non-2xx answers too; it rejects only when there is
 * no answer at all.
 */
export type SupportTransport = (request: SupportRequest) => Promise<SupportResponse>;

export interface SupportClientOptions {
	/** `https://{subdomain}.zendesk.com/api/v2` (see supportBaseUrl). */
	baseUrl: string;
	transport: SupportTransport;
	/** Records per request, 1 to 100. @default 100 (the documented maximum) */
	pageSize?: number;
}

export interface ListOptions {
	/** Search text: a server-side search where the kind has one, a name match otherwise. */
	filter?: string;
	/** The `next` of the previous page. */
	next?: string;
	signal?: AbortSignal;
}

export interface SupportPage {
	items: SupportRecord[];
	/** Hand back as `next` for the following page; absent on the last one. */
	next?: string;
}

/**
 * A page of records fills in one call even when a whole answer is left out (a search that finds only
 * end users): up to this many requests are made for one non-empty page, so a picker never shows an
 * empty page while more exist, and never walks a whole account for one keystroke.
 */
const MAX_REQUESTS_PER_PAGE = 5;

/**
 * Reads the Zendesk Support records the Escalate pickers offer (groups, agents, brands,
 * organizations, ticket forms, custom ticket fields), a page at a time. Read-only: GET requests
 * only, so the read scope is enough.
 */
export class SupportClient {
	private readonly baseUrl: string;
	private readonly pageSize: number;

	constructor(private readonly options: SupportClientOptions) {
		this.baseUrl = options.baseUrl.replace(/\/+$/, '');
		const size = options.pageSize ?? MAX_PAGE_SIZE;
		if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
			throw new InvalidInputError(
				'pageSize',
				`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${String(size)}`,
			);
		}
		this.pageSize = size;
	}

	/**
	 * One page of `kind`, filtered by `filter` where given.
	 * @throws HttpError (api "support") for a refusal, ProtocolError for an answer not shaped as
	 *   documented, InvalidInputError for a `next` this client did not make.
	 */
	async list(kind: SupportKind, options: ListOptions = {}): Promise<SupportPage> {
		const spec = KIND_SPECS[kind];
		if (!spec)
			throw new InvalidInputError('kind', `unknown Support record kind ${quoteValue(kind)}`);
		const filter = options.filter?.trim() ?? '';
		const searching = spec.search !== undefined && filter.length >= spec.search.minLength;
		let token = decodePageToken(options.next);
		if (token && token.type !== (searching ? 'offset' : 'cursor')) {
			throw new InvalidInputError(
				'paginationToken',
				'the page token belongs to another filter',
				'Start the list again from its first page.',
			);
		}
		// Without a server-side search, the filter matches names (as the editor would locally).
		const matches = (record: SupportRecord) =>
			searching || filter === '' || record.name.toLowerCase().includes(filter.toLowerCase());

		const items: SupportRecord[] = [];
		let requests = 0;
		do {
			const page = await this.fetchPage(
				spec,
				searching ? filter : undefined,
				token,
				options.signal,
			);
			items.push(
				...page.records
					.filter((record) => spec.keep(record))
					.map((record) => spec.present(record))
					.filter(matches),
			);
			token = page.next;
			requests++;
		} while (items.length === 0 && token !== undefined && requests < MAX_REQUESTS_PER_PAGE);
		return token === undefined ? { items } : { items, next: encodePageToken(token) };
	}

	private async fetchPage(
		spec: KindSpec,
		search: string | undefined,
		token: PageToken | undefined,
		signal?: AbortSignal,
	): Promise<{ records: unknown[]; next?: PageToken }> {
		const params = new URLSearchParams();
		let path: string;
		let key: string;
		let page = 1;
		if (search !== undefined && spec.search) {
			({ path, key } = spec.search);
			page = token?.type === 'offset' ? token.page : 1;
			params.set(spec.search.param, search);
			params.set('page', String(page));
			params.set('per_page', String(this.pageSize));
		} else {
			({ path, key } = spec.list);
			appendQuery(params, spec.list.query);
			if (spec.list.cursor) {
				params.set('page[size]', String(this.pageSize));
				if (token?.type === 'cursor') params.set('page[after]', token.after);
			}
		}
		const route = `GET ${path}`;
		const body = await this.get(`${path}?${params.toString()}`, route, spec.noun, signal);

		const envelope = pageEnvelopeSchema.safeParse(body);
		const list = (body as Record<string, unknown>)[key];
		if (!envelope.success || !Array.isArray(list)) {
			throw new ProtocolError(
				'support',
				`Zendesk Support ${route} answered without a "${key}" list`,
				body,
			);
		}
		const records = list.map((entry, i) => {
			const parsed = spec.schema.safeParse(entry);
			if (!parsed.success) {
				const issue = parsed.error.issues[0];
				throw new ProtocolError(
					'support',
					`Zendesk Support ${route} answered an unexpected ${key}[${i}]: ${[...(issue?.path ?? []), issue?.message].join(' ')}`,
					entry,
				);
			}
			return parsed.data;
		});
		if (search !== undefined) {
			const nextPage = nextOffsetPage(envelope.data, page);
			return nextPage === undefined
				? { records }
				: { records, next: { type: 'offset', page: nextPage } };
		}
		// An endpoint documented without pagination still gets its cursor followed, should it send one.
		const after = nextCursor(envelope.data);
		return after === undefined ? { records } : { records, next: { type: 'cursor', after } };
	}

	private async get(
		pathAndQuery: string,
		route: string,
		noun: string,
		signal?: AbortSignal,
	): Promise<Record<string, unknown>> {
		let response: SupportResponse;
		try {
			response = await this.options.transport({
				method: 'GET',
				url: `${this.baseUrl}${pathAndQuery}`,
				signal,
			});
		} catch (error) {
			throw toZendeskError(error, 'support', { what: `Zendesk Support ${route}`, signal });
		}
		const headers = lowerCaseKeys(response.headers);
		const body = typeof response.body === 'string' ? parseJsonText(response.body) : response.body;
		if (response.status < 200 || response.status > 299)
			throw toSupportHttpError(response.status, body, headers, route, noun);
		if (typeof body !== 'object' || body === null || Array.isArray(body)) {
			throw new ProtocolError(
				'support',
				`Zendesk Support ${route} answered ${response.status} without a JSON object`,
				body,
			);
		}
		return body as Record<string, unknown>;
	}
}

function appendQuery(params: URLSearchParams, query: Record<string, QueryValue> | undefined): void {
	for (const [name, value] of Object.entries(query ?? {})) {
		for (const entry of typeof value === 'string' ? [value] : value) params.append(name, entry);
	}
}

function parseJsonText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		// Not JSON (a proxy's error page): kept, shortened, for the error message.
		return text.slice(0, 2000);
	}
}

function lowerCaseKeys(
	headers: SupportResponse['headers'] | undefined,
): SupportResponse['headers'] {
	return Object.fromEntries(
		Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
	);
}
