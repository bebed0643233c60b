import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { ZendeskMessaging } from '../../../nodes/ZendeskMessaging/ZendeskMessaging.node';
import { SIM_SUPPORT, startSimulator, type Simulator } from '../../../simulator';
import { SEED_IDS } from '../../../simulator/support';
import {
	apiTokenCredential,
	escalateNode,
	oauth2Credential,
	pick,
	pickAll,
	pickerHarness,
	type PickerMethod,
} from './pickers-helpers';

/**
 * The Escalate pickers through n8n-core (LoadOptionsContext, httpRequestWithAuthentication, the
 * OAuth2 machinery) against the simulated Support API over real sockets.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
	sim.support.control.reset();
	sim.faults.reset();
});

const supportRequests = () =>
	sim.support.control
		.requestLog()
		.map((r: { path: string; status: number }) => [r.path.split('?')[0], r.status]);
const ALL_METHODS: PickerMethod[] = [
	'searchGroups',
	'searchAssignees',
	'searchBrands',
	'searchOrganizations',
	'searchTicketForms',
	'searchTicketFields',
];

describe("with the API Token credential (n8n's zendeskApi)", () => {
	it('lists groups: names, numeric ids as values, the deleted one left out, no further page', async () => {
		const result = await pick(pickerHarness(sim), escalateNode({}, 'apiToken'), 'searchGroups');
		expect(result.paginationToken).toBeUndefined();
		expect(result.results.map((r) => r.name)).toEqual([
			'Support',
			'Billing',
			'Tier 2',
			'Technical',
			'Returns',
			'VIP',
			'Sales',
		]);
		expect(result.results[1]).toEqual({
			name: 'Billing',
			value: String(SEED_IDS.firstGroup + 1),
			description: 'Invoices, refunds and charges',
		});
		expect(supportRequests()).toEqual([['/api/v2/groups', 200]]);
	});

	it('pages organizations with paginationToken until the end: 130, each once', async () => {
		const { pages, values } = await pickAll(
			pickerHarness(sim),
			escalateNode({}, 'apiToken'),
			'searchOrganizations',
		);
		expect(pages.map((p) => p.results.length)).toEqual([100, 30]);
		expect(typeof pages[0].paginationToken).toBe('string');
		expect(new Set(values).size).toBe(130);
		expect(values[0]).toBe(String(SEED_IDS.firstOrganization));
	});

	it('pages agents and admins (113 of them, without the suspended and the deleted one)', async () => {
		const { pages, values } = await pickAll(
			pickerHarness(sim),
			escalateNode({}, 'apiToken'),
			'searchAssignees',
		);
		// The first 100 staff records hold the suspended and the deleted agent, left out of that page.
		expect(pages.map((p) => p.results.length)).toEqual([98, 15]);
		expect(new Set(values).size).toBe(113);
		expect(pages[0].results[0]).toEqual({
			name: 'Ada Admin',
			value: String(SEED_IDS.adminUser),
			description: `${SIM_SUPPORT.email} · admin`,
		});
	});

	it('searches agents by name (Search Users), leaving out the customers it also finds', async () => {
		const { values, pages } = await pickAll(
			pickerHarness(sim),
			escalateNode({}, 'apiToken'),
			'searchAssignees',
			'Hopper',
		);
		expect(values).toHaveLength(20);
		expect(
			pages.flatMap((p) => p.results.map((r) => r.name)).every((name) => /^\w+ Hopper$/.test(name)),
		).toBe(true);
		expect(supportRequests()).toEqual([['/api/v2/users/search', 200]]);
	});

	it('searches organizations by the start of their name (Autocomplete Organizations)', async () => {
		const result = await pick(
			pickerHarness(sim),
			escalateNode({}, 'apiToken'),
			'searchOrganizations',
			'Wonka',
		);
		expect(result.results.map((r) => r.name)).toEqual([
			'Wonka Foods',
			'Wonka Logistics',
			'Wonka Labs',
			'Wonka Travel',
			'Wonka Energy',
			'Wonka Bank',
			'Wonka Retail',
			'Wonka Health',
			'Wonka Media',
			'Wonka Games',
		]);
		expect(supportRequests()).toEqual([['/api/v2/organizations/autocomplete', 200]]);
	});

	it('lists brands, active ticket forms and active custom ticket fields', async () => {
		const harness = pickerHarness(sim);
		const node = escalateNode({}, 'apiToken');
		expect((await pick(harness, node, 'searchBrands')).results.map((r) => r.name)).toEqual([
			'Sim Support',
			'Sim Outdoor',
		]);
		expect((await pick(harness, node, 'searchTicketForms')).results.map((r) => r.name)).toEqual([
			'Default Ticket Form',
			'Refund Request',
			'Technical Issue',
		]);
		const fields = await pick(harness, node, 'searchTicketFields');
		expect(fields.results.map((r) => r.name)).toEqual([
			'Order Number',
			'Product',
			'Refund Amount',
			'Chatbot Session ID',
			'Escalated by Bot',
			'Purchase Date',
			'Customer Tier',
		]);
		expect(fields.results[3]).toEqual({
			name: 'Chatbot Session ID',
			value: String(SEED_IDS.firstTicketField + 10),
			description: 'text · Chatbot Session ID (custom field)',
		});
	});

	it("reports a refused API token as a NodeApiError 401 with Zendesk's words and what to check", async () => {
		const harness = pickerHarness(sim, {
			zendeskApi: apiTokenCredential(sim, { apiToken: 'wrong' }),
		});
		await expect(pick(harness, escalateNode({}, 'apiToken'), 'searchGroups')).rejects.toMatchObject(
			{
				name: 'NodeApiError',
				httpCode: '401',
				message:
					"Zendesk Support GET /groups failed with 401 (Couldn't authenticate you). Check the Zendesk Support credential: its email and API token, or reconnect it (OAuth2).",
			},
		);
	});

	it('reports a 403 for an agent restricted to their own organization, and a 429 with when to try again', async () => {
		const restricted = pickerHarness(sim, {
			zendeskApi: apiTokenCredential(sim, { email: SIM_SUPPORT.restrictedAgentEmail }),
		});
		await expect(
			pick(restricted, escalateNode({}, 'apiToken'), 'searchOrganizations'),
		).rejects.toMatchObject({ name: 'NodeApiError', httpCode: '403' });
		sim.faults.failNextHttp({ api: 'support', status: 429, retryAfter: 7 });
		const limited = await pick(
			pickerHarness(sim),
			escalateNode({}, 'apiToken'),
			'searchGroups',
		).catch((e: unknown) => e);
		expect(limited).toMatchObject({ name: 'NodeApiError', httpCode: '429' });
		expect((limited as Error).message).toContain(
			"Zendesk's rate limit was reached; try again in 7 seconds.",
		);
		expect((limited as { description?: string }).description).toBe(
			'Zendesk answered HTTP 429. Retrying later may help.',
		);
	});

	it('says what to fix when the Subdomain is neither a subdomain nor a URL', async () => {
		const harness = pickerHarness(sim, {
			zendeskApi: apiTokenCredential(sim, { subdomain: 'not a subdomain' }),
		});
		await expect(pick(harness, escalateNode({}, 'apiToken'), 'searchGroups')).rejects.toMatchObject(
			{
				name: 'NodeOperationError',
				message:
					'The Zendesk Support credential\'s Subdomain "not a subdomain" is neither a Zendesk subdomain nor an http(s) URL',
			},
		);
	});
});

describe("with the OAuth2 credential (n8n's zendeskOAuth2Api)", () => {
	it('lists with the bearer token n8n holds', async () => {
		const result = await pick(pickerHarness(sim), escalateNode({}, 'oAuth2'), 'searchGroups');
		expect(result.results.map((r) => r.name)).toEqual([
			'Support',
			'Billing',
			'Tier 2',
			'Technical',
			'Returns',
			'VIP',
			'Sales',
		]);
		const { pages } = await pickAll(
			pickerHarness(sim),
			escalateNode({}, 'oAuth2'),
			'searchOrganizations',
		);
		expect(pages.map((p) => p.results.length)).toEqual([100, 30]);
	});

	it('gets a new token through n8n when Zendesk refuses the stored one, stores it, and the list comes', async () => {
		// Connect as n8n would: the authorize page approves, the code becomes a token pair.
		const authorize = await fetch(
			`${sim.urls.base}/oauth/authorizations/new?client_id=${SIM_SUPPORT.oauthClient.clientId}&redirect_uri=http://localhost/cb&scope=read`,
			{ redirect: 'manual' },
		);
		const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
		const tokens = (await (
			await fetch(`${sim.urls.base}/oauth/tokens`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					grant_type: 'authorization_code',
					code,
					client_id: SIM_SUPPORT.oauthClient.clientId,
					client_secret: SIM_SUPPORT.oauthClient.clientSecret,
				}).toString(),
			})
		).json()) as { access_token: string; refresh_token?: string; token_type: string };
		sim.support.control.revokeToken({ token: tokens.access_token });
		sim.support.control.clearRequestLog();

		const harness = pickerHarness(sim, { zendeskOAuth2Api: oauth2Credential(sim, tokens) });
		const result = await pick(harness, escalateNode({}, 'oAuth2'), 'searchBrands');
		expect(result.results.map((r) => r.name)).toEqual(['Sim Support', 'Sim Outdoor']);
		expect(supportRequests()).toEqual([
			['/api/v2/brands', 401],
			['/api/v2/brands', 200],
		]);
		const stored = harness.credentialsHelper.updates.at(-1)?.data.oauthTokenData as
			| { access_token?: string }
			| undefined;
		expect(stored?.access_token).toBe(sim.support.control.issuedTokens().at(-1));
		expect(stored?.access_token).not.toBe(tokens.access_token);
	});

	it('reports a token without the read scope as a NodeApiError 403', async () => {
		const harness = pickerHarness(sim, {
			zendeskOAuth2Api: oauth2Credential(sim, {
				access_token: SIM_SUPPORT.writeOnlyOauthToken,
				token_type: 'bearer',
			}),
		});
		const error = await pick(harness, escalateNode({}, 'oAuth2'), 'searchTicketForms').catch(
			(e: unknown) => e,
		);
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '403' });
		expect((error as Error).message).toContain('may not read ticket forms');
	});

	it('says to connect an OAuth2 credential that has no token yet', async () => {
		const harness = pickerHarness(sim, {
			zendeskOAuth2Api: { ...oauth2Credential(sim), oauthTokenData: undefined as never },
		});
		await expect(pick(harness, escalateNode({}, 'oAuth2'), 'searchGroups')).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: 'The Zendesk Support credential cannot be used: OAuth credentials not connected',
		});
	});
});

describe('without a Support credential', () => {
	it.each(ALL_METHODS)(
		'%s says to choose a Support API Credential (or use By ID), and sends nothing',
		async (method) => {
			const error = await pick(pickerHarness(sim), escalateNode({}, 'none'), method).catch(
				(e: unknown) => e,
			);
			expect(error).toMatchObject({
				name: 'NodeOperationError',
				message:
					'No Support API Credential is chosen: this list comes from the Zendesk Support API',
				description:
					"Field: Support API Credential. Set Support API Credential to API Token or OAuth2 and select your Zendesk credential (n8n's Zendesk API or Zendesk OAuth2 API), or switch the field to By ID and type the numeric ID.",
			});
			expect(supportRequests()).toEqual([]);
		},
	);

	it('says so when API Token is chosen but no credential selected', async () => {
		await expect(
			pick(
				pickerHarness(sim),
				escalateNode({}, 'apiToken', { selectCredential: false }),
				'searchGroups',
			),
		).rejects.toMatchObject({
			name: 'NodeOperationError',
			message:
				'The Zendesk Support credential cannot be used: Node does not have any credentials set for "zendeskApi"',
		});
		expect(supportRequests()).toEqual([]);
	});
});

describe('the node description', () => {
	const description: INodeTypeDescription = new ZendeskMessaging().description;
	const ticketFields = description.properties.find(
		(p) => p.name === 'ticketFields',
	) as INodeProperties;
	const locators = [
		...(ticketFields.options as INodeProperties[]).filter((o) => o.type === 'resourceLocator'),
		...(
			(ticketFields.options as INodeProperties[]).find((o) => o.name === 'customFields')
				?.options as Array<{ values: INodeProperties[] }>
		)[0].values.filter((v) => v.type === 'resourceLocator'),
	];

	it("lists n8n's two Zendesk credentials, each shown only for its Support API Credential choice on Escalate", () => {
		expect(description.credentials?.filter((c) => c.name !== 'zendeskMessagingApi')).toEqual([
			{
				name: 'zendeskApi',
				required: true,
				displayOptions: {
					show: {
						resource: ['conversation'],
						operation: ['escalate'],
						supportAuthentication: ['apiToken'],
					},
				},
			},
			{
				name: 'zendeskOAuth2Api',
				required: true,
				displayOptions: {
					show: {
						resource: ['conversation'],
						operation: ['escalate'],
						supportAuthentication: ['oAuth2'],
					},
				},
			},
		]);
		const choice = description.properties.find((p) => p.name === 'supportAuthentication');
		expect(choice).toMatchObject({
			default: 'none',
			displayOptions: { show: { resource: ['conversation'], operation: ['escalate'] } },
		});
		expect(choice?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual([
			'none',
			'apiToken',
			'oAuth2',
		]);
	});

	it('makes six resource locators, each From List (a listSearch method the node has) or By ID (digits only)', () => {
		expect(locators.map((l) => [l.name, l.displayName])).toEqual([
			['assigneeId', 'Assignee'],
			['brandId', 'Brand'],
			['groupId', 'Group'],
			['organizationId', 'Organization'],
			['ticketFormId', 'Ticket Form'],
			['id', 'Field'],
		]);
		const methods = new ZendeskMessaging().methods.listSearch as Record<string, unknown>;
		for (const locator of locators) {
			const [list, byId] = locator.modes ?? [];
			expect(typeof methods[list.typeOptions?.searchListMethod as string]).toBe('function');
			const regex = new RegExp(
				(byId.validation?.[0] as unknown as { properties: { regex: string } }).properties.regex,
			);
			expect(['360000100001', '1'].every((id) => regex.test(id))).toBe(true);
			expect(['abc', '0', '12a', '', '-5'].some((id) => regex.test(id))).toBe(false);
		}
		expect(locators.filter((l) => l.modes?.[0].typeOptions?.searchable).map((l) => l.name)).toEqual(
			['assigneeId', 'organizationId'],
		);
	});
});
