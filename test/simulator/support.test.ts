import { SIM_SUPPORT, startSimulator, type Simulator } from '../../simulator';
import { SEED_IDS } from '../../simulator/support';
import { apiTokenAuth, bearer, supportGet } from './support-helpers';

/**
 * The simulated Support API's authentication, errors, resources and OAuth endpoints, over real
 * sockets. Pagination is in support-pagination.test.ts.
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

const AUTH_FAILED = { error: "Couldn't authenticate you" };

describe('authentication', () => {
	it('lets in an agent or admin with the account API token as {email}/token, and an OAuth bearer token', async () => {
		expect((await supportGet(sim, '/groups')).status).toBe(200);
		expect(
			(await supportGet(sim, '/groups', apiTokenAuth(SIM_SUPPORT.restrictedAgentEmail))).status,
		).toBe(200);
		expect((await supportGet(sim, '/groups', bearer())).status).toBe(200);
	});

	it('answers 401 {"error": "Couldn\'t authenticate you"} to a wrong token, a password instead of a token, an end user, a suspended agent, no header, an unknown bearer', async () => {
		const refused = [
			apiTokenAuth(SIM_SUPPORT.email, 'wrong-token'),
			`Basic ${Buffer.from(`${SIM_SUPPORT.email}:${SIM_SUPPORT.apiToken}`).toString('base64')}`,
			apiTokenAuth(SIM_SUPPORT.endUserEmail),
			apiTokenAuth('sam.suspended@sim-support.example'),
			apiTokenAuth('nobody@nowhere.example'),
			null,
			bearer('not-a-token'),
			'Token abc',
		];
		for (const authorization of refused) {
			const answer = await supportGet(sim, '/groups', authorization);
			expect({ authorization, status: answer.status, body: answer.body }).toEqual({
				authorization,
				status: 401,
				body: AUTH_FAILED,
			});
		}
	});

	it('answers 401 to a revoked OAuth token, and 403 to one without the read scope', async () => {
		sim.support.control.revokeToken({ token: SIM_SUPPORT.oauthToken });
		expect(await supportGet(sim, '/groups', bearer())).toMatchObject({
			status: 401,
			body: AUTH_FAILED,
		});
		const forbidden = await supportGet(sim, '/groups', bearer(SIM_SUPPORT.writeOnlyOauthToken));
		expect(forbidden.status).toBe(403);
		expect(forbidden.body).toEqual({
			error: 'Forbidden',
			description: 'This OAuth token lacks the read scope needed to read groups',
		});
	});

	it('answers 403 to an agent restricted to their own organization listing or autocompleting organizations (List Organizations, Allowed For)', async () => {
		const restricted = apiTokenAuth(SIM_SUPPORT.restrictedAgentEmail);
		expect((await supportGet(sim, '/organizations', restricted)).status).toBe(403);
		expect(
			(await supportGet(sim, '/organizations/autocomplete?name=acme', restricted)).status,
		).toBe(403);
		expect((await supportGet(sim, '/organizations')).status).toBe(200);
	});
});

describe('resources', () => {
	it('lists groups, leaving deleted ones out with exclude_deleted=true', async () => {
		const all = (await supportGet(sim, '/groups')).body.groups;
		const kept = (await supportGet(sim, '/groups?exclude_deleted=true')).body.groups;
		expect(all.map((g: any) => g.name)).toContain('Old Escalations');
		expect(kept.map((g: any) => g.name)).toEqual([
			'Support',
			'Billing',
			'Tier 2',
			'Technical',
			'Returns',
			'VIP',
			'Sales',
		]);
		expect(kept[0]).toMatchObject({
			id: SEED_IDS.firstGroup,
			url: `${sim.urls.support}/groups/${SEED_IDS.firstGroup}.json`,
			default: true,
			deleted: false,
		});
	});

	it('filters users by role (role and role[]), and serves paths with and without .json', async () => {
		const staff = (await supportGet(sim, '/users.json?role[]=agent&role[]=admin&page[size]=100'))
			.body;
		expect(new Set(staff.users.map((u: any) => u.role))).toEqual(new Set(['agent', 'admin']));
		const admins = (await supportGet(sim, '/users?role=admin')).body.users;
		expect(admins.map((u: any) => u.email)).toEqual([
			SIM_SUPPORT.email,
			'alan.owner@sim-support.example',
		]);
		const endUsers = (await supportGet(sim, '/users?role=end-user')).body;
		expect(endUsers.count).toBe(61);
	});

	it('searches users by part of the name or email (offset pages), and autocompletes organizations by the start of the name', async () => {
		const found = (await supportGet(sim, '/users/search?query=hopper')).body;
		expect(found.users.length).toBeGreaterThan(0);
		expect(
			found.users.every((u: any) => `${u.name} ${u.email}`.toLowerCase().includes('hopper')),
		).toBe(true);
		expect(found).toMatchObject({ next_page: null, previous_page: null });
		const orgs = (await supportGet(sim, '/organizations/autocomplete?name=glob')).body;
		expect(orgs.organizations.length).toBe(10);
		expect(orgs.organizations.every((o: any) => o.name.startsWith('Globex '))).toBe(true);
	});

	it('refuses a search without its text: 400, the autocomplete in its documented {"errors": [...]} shape', async () => {
		expect(await supportGet(sim, '/users/search')).toMatchObject({
			status: 400,
			body: { error: 'InvalidSearch' },
		});
		expect(await supportGet(sim, '/organizations/autocomplete?name=a')).toMatchObject({
			status: 400,
			body: { errors: [{ code: 'QueryError', title: 'name must be at least 2 characters' }] },
		});
	});

	it('lists every ticket form in one answer (no pagination documented), filtered by active', async () => {
		const all = (await supportGet(sim, '/ticket_forms?page[size]=2')).body;
		expect(all.ticket_forms).toHaveLength(4);
		const active = (await supportGet(sim, '/ticket_forms?active=true')).body.ticket_forms;
		expect(active.map((f: any) => f.name)).toEqual([
			'Default Ticket Form',
			'Refund Request',
			'Technical Issue',
		]);
	});

	it('lists every ticket field without page[size], system fields (removable false) and custom ones', async () => {
		const fields = (await supportGet(sim, '/ticket_fields')).body.ticket_fields;
		expect(fields).toHaveLength(15);
		expect(fields.filter((f: any) => f.removable === false).map((f: any) => f.type)).toEqual([
			'subject',
			'description',
			'status',
			'tickettype',
			'priority',
			'group',
			'assignee',
		]);
	});

	it('shows one record, and answers 404 RecordNotFound for an unknown id', async () => {
		expect(await supportGet(sim, `/brands/${SEED_IDS.firstBrand}.json`)).toMatchObject({
			status: 200,
			body: { brand: { id: SEED_IDS.firstBrand, name: 'Sim Support' } },
		});
		expect(await supportGet(sim, '/groups/42')).toMatchObject({
			status: 404,
			body: { error: 'RecordNotFound', description: 'Not found' },
		});
		expect(await supportGet(sim, '/groups/abc')).toMatchObject({
			status: 404,
			body: { error: 'RecordNotFound' },
		});
	});

	it('answers 404 to an unknown endpoint and 405 to a write, and leaves /api/v2/chat to the Chat REST API', async () => {
		expect(await supportGet(sim, '/macros')).toMatchObject({
			status: 404,
			body: { error: 'InvalidEndpoint' },
		});
		const post = await fetch(`${sim.urls.support}/groups`, {
			method: 'POST',
			headers: { authorization: apiTokenAuth() },
		});
		expect(post.status).toBe(405);
		const chat = await fetch(`${sim.urls.rest}/departments`, {
			headers: { authorization: apiTokenAuth() },
		});
		expect(chat.status).toBe(401);
		expect(await chat.json()).toMatchObject({ error: 'Unauthorized' });
	});
});

describe('faults and control', () => {
	it('answers an injected 429 with Retry-After and a rate-limit body, then serves again', async () => {
		sim.faults.failNextHttp({ api: 'support', status: 429, retryAfter: 7 });
		const limited = await supportGet(sim, '/groups');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(limited.body).toEqual({
			error: 'APIRateLimitExceeded',
			description: 'Number of allowed API requests per minute exceeded',
		});
		expect((await supportGet(sim, '/groups')).status).toBe(200);
		expect(sim.faults.served.support).toBe(1);
	});

	it('adds records and logs each request it answered', async () => {
		sim.support.control.clearRequestLog();
		const { added } = sim.support.control.addRecords({
			resource: 'groups',
			records: [{ name: 'Night Shift', deleted: false }],
		});
		const groups = (await supportGet(sim, '/groups?exclude_deleted=true')).body.groups;
		expect(groups.at(-1)).toMatchObject({ id: added[0], name: 'Night Shift' });
		expect(sim.support.control.requestLog().map((r: any) => [r.method, r.path, r.status])).toEqual([
			['GET', '/api/v2/groups?exclude_deleted=true', 200],
		]);
	});
});

describe("OAuth endpoints (as n8n's zendeskOAuth2Api uses them)", () => {
	const client = SIM_SUPPORT.oauthClient;

	async function authorize(): Promise<string> {
		const url = new URL(`${sim.urls.base}/oauth/authorizations/new`);
		url.search = new URLSearchParams({
			response_type: 'code',
			client_id: client.clientId,
			redirect_uri: 'http://localhost:5678/rest/oauth2-credential/callback',
			scope: 'read',
			state: 'xyz',
		}).toString();
		const res = await fetch(url, { redirect: 'manual' });
		expect(res.status).toBe(302);
		const location = new URL(res.headers.get('location') ?? '');
		expect(location.searchParams.get('state')).toBe('xyz');
		return location.searchParams.get('code') ?? '';
	}

	const token = (body: Record<string, string>) =>
		fetch(`${sim.urls.base}/oauth/tokens`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(body).toString(),
		});

	it('approves at once, exchanges the code for a token that reads, and refreshes it', async () => {
		const code = await authorize();
		const first = await token({
			grant_type: 'authorization_code',
			code,
			client_id: client.clientId,
			client_secret: client.clientSecret,
			redirect_uri: 'x',
		});
		expect(first.status).toBe(200);
		const issued = (await first.json()) as any;
		expect(issued).toMatchObject({ token_type: 'bearer', scope: 'read' });
		expect((await supportGet(sim, '/brands', bearer(issued.access_token))).status).toBe(200);

		const again = await token({
			grant_type: 'authorization_code',
			code,
			client_id: client.clientId,
			client_secret: client.clientSecret,
		});
		expect(await again.json()).toMatchObject({ error: 'invalid_grant' });

		const refreshed = (await (
			await token({
				grant_type: 'refresh_token',
				refresh_token: issued.refresh_token,
				client_id: client.clientId,
				client_secret: client.clientSecret,
			})
		).json()) as any;
		expect(refreshed.access_token).not.toBe(issued.access_token);
		expect(sim.support.control.issuedTokens()).toEqual([
			issued.access_token,
			refreshed.access_token,
		]);
	});

	it('refuses a wrong client secret with 401 invalid_client', async () => {
		const answer = await token({
			grant_type: 'refresh_token',
			refresh_token: 'x',
			client_id: client.clientId,
			client_secret: 'wrong',
		});
		expect(answer.status).toBe(401);
		expect(await answer.json()).toMatchObject({ error: 'invalid_client' });
	});
});
