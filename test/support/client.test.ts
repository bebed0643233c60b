import { SIM_SUPPORT, startSimulator, type Simulator } from '../../simulator';
import { SEED_IDS } from '../../simulator/support';
import { HttpError, InvalidInputError, ProtocolError, ZendeskError } from '../../src/shared/errors';
import {
	decodePageToken,
	supportBaseUrl,
	supportErrorDetail,
	SupportClient,
	type SupportKind,
	type SupportPage,
	type SupportRequest,
	type SupportResponse,
	type SupportTransport,
} from '../../src/support';

/**
 * The framework-free Support client: against the simulator over real sockets (a fetch transport
 * that applies the credential as n8n's zendeskApi does), and against scripted transports for
 * answers the simulator does not give.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());
afterEach(() => {
	sim.faults.reset();
	sim.support.control.reset();
});

/** Basic `{email}/token:{apiToken}`, as n8n's zendeskApi credential authenticates. */
function fetchTransport(
	authorization = `Basic ${Buffer.from(`${SIM_SUPPORT.email}/token:${SIM_SUPPORT.apiToken}`).toString('base64')}`,
): SupportTransport & { urls: string[] } {
	const urls: string[] = [];
	const transport = async ({ url, signal }: SupportRequest): Promise<SupportResponse> => {
		urls.push(url);
		const res = await fetch(url, { headers: { authorization }, signal });
		return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
	};
	return Object.assign(transport, { urls });
}

function simClient(
	transport: SupportTransport = fetchTransport(),
	pageSize?: number,
): SupportClient {
	return new SupportClient({ baseUrl: supportBaseUrl(sim.urls.base), transport, pageSize });
}

/** Every page of `kind`, following `next` to the end. */
async function walk(
	client: SupportClient,
	kind: SupportKind,
	filter?: string,
): Promise<SupportPage[]> {
	const pages: SupportPage[] = [];
	let next: string | undefined;
	do {
		const page = await client.list(kind, { filter, next });
		pages.push(page);
		next = page.next;
	} while (next !== undefined);
	return pages;
}

describe('supportBaseUrl', () => {
	it("builds https://{subdomain}.zendesk.com/api/v2, as n8n's Zendesk node does, from a subdomain or its host name", () => {
		expect(supportBaseUrl('acme')).toBe('https://acme.zendesk.com/api/v2');
		expect(supportBaseUrl(' Acme.zendesk.com ')).toBe('https://acme.zendesk.com/api/v2');
	});

	it('takes an http(s) URL as the host (a proxy, a test server, the simulator), adding /api/v2 unless it is there', () => {
		expect(supportBaseUrl('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010/api/v2');
		expect(supportBaseUrl('https://proxy.example/zendesk/')).toBe(
			'https://proxy.example/zendesk/api/v2',
		);
		expect(supportBaseUrl('https://proxy.example/zendesk/api/v2/')).toBe(
			'https://proxy.example/zendesk/api/v2',
		);
	});

	it("refuses anything else, naming the credential's Subdomain", () => {
		for (const bad of ['', 'acme corp', 'ftp://acme.example', 'http://', 'acme.example.com']) {
			const error = (() => {
				try {
					supportBaseUrl(bad);
				} catch (e) {
					return e;
				}
			})();
			expect(error).toBeInstanceOf(InvalidInputError);
			expect((error as InvalidInputError).field).toBe('Subdomain (Zendesk Support credential)');
		}
	});
});

describe('lists against the simulator', () => {
	it('asks for the documented 100 a page with page[size], and follows the cursor until has_more is false', async () => {
		const transport = fetchTransport();
		const pages = await walk(simClient(transport), 'organization');
		expect(pages.map((p) => p.items.length)).toEqual([100, 30]);
		expect(pages[1].next).toBeUndefined();
		const ids = pages.flatMap((p) => p.items.map((i) => i.id));
		expect(new Set(ids).size).toBe(130);
		expect(ids[0]).toBe(String(SEED_IDS.firstOrganization));
		const second = new URL(transport.urls[1]);
		expect(second.pathname).toBe('/api/v2/organizations');
		expect(second.searchParams.get('page[size]')).toBe('100');
		expect(second.searchParams.get('page[after]')).toBeTruthy();
	});

	it('pages agents and admins (role[] on the list) and leaves suspended and deleted agents out', async () => {
		const transport = fetchTransport();
		const pages = await walk(simClient(transport, 40), 'assignee');
		const names = pages.flatMap((p) => p.items.map((i) => i.name));
		expect(names).toHaveLength(113);
		expect(names).toContain('Ada Admin');
		expect(names).not.toContain('Sam Suspended');
		expect(names).not.toContain('Dora Deleted');
		expect(new URL(transport.urls[0]).searchParams.getAll('role[]')).toEqual(['agent', 'admin']);
		expect(pages[0].items[0]).toEqual({
			id: String(SEED_IDS.adminUser),
			name: 'Ada Admin',
			description: `${SIM_SUPPORT.email} · admin`,
		});
	});

	it('searches agents with Search Users (offset pages) and keeps only agents and admins among the matches', async () => {
		const transport = fetchTransport();
		const pages = await walk(simClient(transport, 10), 'assignee', 'Hopper');
		const items = pages.flatMap((p) => p.items);
		expect(items).toHaveLength(20);
		expect(items.every((i) => i.name.endsWith('Hopper'))).toBe(true);
		const first = new URL(transport.urls[0]);
		expect(first.pathname).toBe('/api/v2/users/search');
		expect(first.searchParams.get('query')).toBe('Hopper');
		expect(first.searchParams.get('per_page')).toBe('10');
		// 23 users match (20 agents, 3 customers), 10 a page: three pages, the customers left out.
		expect(pages.map((p) => p.next)).toEqual(['page:2', 'page:3', undefined]);
		expect(transport.urls).toHaveLength(3);
	});

	it('autocompletes organizations by the start of the name, and lists instead for a one-letter filter', async () => {
		const transport = fetchTransport();
		const client = simClient(transport);
		const found = await client.list('organization', { filter: 'Glob' });
		expect(found.items.map((i) => i.name)).toEqual(
			Array.from(
				{ length: 10 },
				(_, i) =>
					`Globex ${['Foods', 'Logistics', 'Labs', 'Travel', 'Energy', 'Bank', 'Retail', 'Health', 'Media', 'Games'][i]}`,
			),
		);
		expect(new URL(transport.urls[0]).pathname).toBe('/api/v2/organizations/autocomplete');
		const short = await client.list('organization', { filter: 'G' });
		expect(new URL(transport.urls[1]).pathname).toBe('/api/v2/organizations');
		expect(short.items.every((i) => i.name.toLowerCase().includes('g'))).toBe(true);
	});

	it('lists groups without the deleted one, brands without the inactive one, active forms, and active custom fields only', async () => {
		const client = simClient();
		expect((await client.list('group')).items.map((i) => i.name)).toEqual([
			'Support',
			'Billing',
			'Tier 2',
			'Technical',
			'Returns',
			'VIP',
			'Sales',
		]);
		expect(await client.list('brand')).toEqual({
			items: [
				{
					id: String(SEED_IDS.firstBrand),
					name: 'Sim Support',
					description: 'sim.zendesk.com · default',
				},
				{
					id: String(SEED_IDS.firstBrand + 1),
					name: 'Sim Outdoor',
					description: 'sim-outdoor.zendesk.com',
				},
			],
		});
		const forms = await client.list('ticketForm');
		expect(forms.items.map((i) => i.name)).toEqual([
			'Default Ticket Form',
			'Refund Request',
			'Technical Issue',
		]);
		expect(forms.next).toBeUndefined();
		const fields = await client.list('ticketField');
		expect(fields.items.map((i) => i.name)).toEqual([
			'Order Number',
			'Product',
			'Refund Amount',
			'Chatbot Session ID',
			'Escalated by Bot',
			'Purchase Date',
			'Customer Tier',
		]);
		expect(fields.items[0]).toEqual({
			id: String(SEED_IDS.firstTicketField + 7),
			name: 'Order Number',
			description: 'text · Order Number (custom field)',
		});
	});

	it('matches names itself where the API has no search', async () => {
		expect((await simClient().list('group', { filter: 'TECH' })).items.map((i) => i.name)).toEqual([
			'Technical',
		]);
		expect((await simClient().list('group', { filter: 'i' })).items.map((i) => i.name)).toEqual([
			'Billing',
			'Tier 2',
			'Technical',
			'VIP',
		]);
	});

	it('fills a page across answers that are all left out, without walking the whole account', async () => {
		sim.support.control.addRecords({
			resource: 'groups',
			records: Array.from({ length: 12 }, (_, i) => ({ name: `Archived ${i + 1}`, deleted: true })),
		});
		sim.support.control.addRecords({
			resource: 'groups',
			records: [{ name: 'Night Shift', deleted: false }],
		});
		// exclude_deleted leaves the 12 out server-side; a page size of 2 then needs 4 pages after the first 7.
		const transport = fetchTransport();
		const pages = await walk(simClient(transport, 2), 'group');
		expect(pages.flatMap((p) => p.items.map((i) => i.name)).at(-1)).toBe('Night Shift');
		expect(pages.every((p) => p.items.length > 0)).toBe(true);
	});
});

describe('errors', () => {
	it("reports a refused credential as HttpError 401 with Zendesk's words and what to check", async () => {
		const client = simClient(
			fetchTransport(`Basic ${Buffer.from(`${SIM_SUPPORT.email}/token:wrong`).toString('base64')}`),
		);
		const error = await client.list('group').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(HttpError);
		expect(error).toMatchObject({
			api: 'support',
			statusCode: 401,
			retryable: false,
			body: { error: "Couldn't authenticate you" },
		});
		expect((error as Error).message).toBe(
			"Zendesk Support GET /groups failed with 401 (Couldn't authenticate you). Check the Zendesk Support credential: its email and API token, or reconnect it (OAuth2).",
		);
	});

	it('reports a token without the read scope as 403, naming what it could not read', async () => {
		const error = await simClient(fetchTransport(`Bearer ${SIM_SUPPORT.writeOnlyOauthToken}`))
			.list('brand')
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ statusCode: 403 });
		expect((error as Error).message).toContain(
			'may not read brands: the pickers need an agent or admin and the read scope',
		);
	});

	it('reports a 429 as retryable with the Retry-After seconds', async () => {
		sim.faults.failNextHttp({ api: 'support', status: 429, retryAfter: 7 });
		const error = await simClient()
			.list('group')
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ statusCode: 429, retryable: true, retryAfterMs: 7000 });
		expect((error as Error).message).toBe(
			"Zendesk Support GET /groups failed with 429 (APIRateLimitExceeded: Number of allowed API requests per minute exceeded). Zendesk's rate limit was reached; try again in 7 seconds.",
		);
	});

	it('reads every documented error body shape into one line', () => {
		expect(supportErrorDetail({ error: 'RecordNotFound', description: 'Not found' })).toBe(
			'RecordNotFound: Not found',
		);
		expect(
			supportErrorDetail({ error: { title: 'Forbidden', message: 'You do not have access' } }),
		).toBe('Forbidden: You do not have access');
		expect(
			supportErrorDetail({
				errors: [{ code: 'TooManyRequests', title: 'Too many requests to autocomplete' }],
			}),
		).toBe('TooManyRequests: Too many requests to autocomplete');
		expect(supportErrorDetail('<html>Bad gateway</html>')).toBeUndefined();
		expect(supportErrorDetail(null)).toBeUndefined();
	});

	it('reports a wrong Subdomain (a host without the Support API) as 404 with what to check', async () => {
		const client = new SupportClient({
			baseUrl: `${sim.urls.base}/elsewhere/api/v2`,
			transport: fetchTransport(),
		});
		const error = await client.list('group').catch((e: unknown) => e);
		expect(error).toMatchObject({ statusCode: 404 });
		expect((error as Error).message).toContain("Check the Zendesk Support credential's Subdomain.");
	});
});

describe('answers the simulator does not give', () => {
	const scripted = (...answers: SupportResponse[]): SupportTransport & { urls: string[] } => {
		const urls: string[] = [];
		return Object.assign(
			async ({ url }: SupportRequest) => {
				urls.push(url);
				const next = answers.shift();
				if (!next) throw new Error('no more answers');
				return next;
			},
			{ urls },
		);
	};
	const ok = (body: unknown): SupportResponse => ({ status: 200, headers: {}, body });
	const client = (transport: SupportTransport) =>
		new SupportClient({ baseUrl: 'https://acme.zendesk.com/api/v2', transport });

	it('takes the cursor from links.next when meta has no after_cursor, reading it rather than following the link', async () => {
		const transport = scripted(
			ok({
				groups: [{ id: 1, name: 'A' }],
				meta: { has_more: true },
				links: { next: 'https://elsewhere.example/api/v2/groups?page[size]=100&page[after]=abc' },
			}),
			ok({ groups: [{ id: 2, name: 'B' }], meta: { has_more: false } }),
		);
		const c = client(transport);
		const first = await c.list('group');
		expect(first).toEqual({ items: [{ id: '1', name: 'A' }], next: 'after:abc' });
		await c.list('group', { next: first.next });
		expect(new URL(transport.urls[1]).origin).toBe('https://acme.zendesk.com');
		expect(new URL(transport.urls[1]).searchParams.get('page[after]')).toBe('abc');
	});

	it('stops when has_more is false even though after_cursor is given', async () => {
		const page = await client(
			scripted(
				ok({ brands: [{ id: 5, name: 'X' }], meta: { has_more: false, after_cursor: 'zzz' } }),
			),
		).list('brand');
		expect(page).toEqual({ items: [{ id: '5', name: 'X' }] });
	});

	it('accepts ids as digit strings (a proxy), and refuses an answer whose records lack what a picker shows', async () => {
		expect(
			(
				await client(scripted(ok({ organizations: [{ id: '360000000009', name: 'P' }] }))).list(
					'organization',
				)
			).items,
		).toEqual([{ id: '360000000009', name: 'P' }]);
		const missingName = await client(scripted(ok({ groups: [{ id: 1 }] })))
			.list('group')
			.catch((e: unknown) => e);
		expect(missingName).toBeInstanceOf(ProtocolError);
		expect((missingName as Error).message).toBe(
			'Zendesk Support GET /groups answered an unexpected groups[0]: name Required',
		);
		const noList = await client(scripted(ok({ something: [] })))
			.list('group')
			.catch((e: unknown) => e);
		expect((noList as Error).message).toBe(
			'Zendesk Support GET /groups answered without a "groups" list',
		);
		const notJson = await client(scripted(ok('<html>proxy</html>')))
			.list('group')
			.catch((e: unknown) => e);
		expect(notJson).toBeInstanceOf(ProtocolError);
	});

	it('turns a transport that gets no answer into a retryable connection error', async () => {
		const error = await client(async () => {
			throw new Error('ECONNREFUSED');
		})
			.list('group')
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ZendeskError);
		expect(error).toMatchObject({ code: 'ZCHAT_ERR_CONNECTION', api: 'support', retryable: true });
		expect((error as Error).message).toBe('Zendesk Support GET /groups: ECONNREFUSED');
	});

	it('refuses a page token it did not make, or one from the other mode', async () => {
		expect(() => decodePageToken('xyz')).toThrow(InvalidInputError);
		await expect(client(scripted()).list('organization', { next: 'page:2' })).rejects.toThrow(
			'the page token belongs to another filter',
		);
		await expect(
			client(scripted()).list('organization', { filter: 'acme', next: 'after:abc' }),
		).rejects.toThrow('the page token belongs to another filter');
	});

	it('refuses a page size over the documented 100', () => {
		expect(
			() =>
				new SupportClient({
					baseUrl: 'https://acme.zendesk.com/api/v2',
					transport: scripted(),
					pageSize: 101,
				}),
		).toThrow('pageSize must be an integer from 1 to 100');
	});
});
