/**
 * Department › Get Many, Agent › Get Many, and the resource-locator lists searchDepartments and
 * searchAgents, called through n8n-core's own LoadOptionsContext as the editor calls them.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	SIM_BOT_AGENT_ID,
	SIM_DEPARTMENTS,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../../../simulator';
import type { N8nHarness } from '../../../helpers/n8n/harness';
import { chatHarness, chatNode, inputs, itemsOf, restRequests, runNode } from './helpers';

let sim: Simulator;
const EXTRA_AGENTS = 250;

beforeAll(async () => {
	sim = await startSimulator();
	for (let n = 1; n <= EXTRA_AGENTS; n++) {
		sim.world.addAgent({
			id: 3000 + n,
			displayName: `Helper ${n}`,
			email: `helper${n}@example.com`,
		});
	}
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

const allAgentIds = () => [
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	...Array.from({ length: EXTRA_AGENTS }, (_, i) => 3001 + i),
];

describe('Department › Get Many', () => {
	it('with Return All, gives every department as the API sends it', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), {
				resource: 'department',
				operation: 'getAll',
				returnAll: true,
			}),
		);
		expect(items.map((item) => [item.json.id, item.json.name, item.pairedItem])).toEqual([
			[SIM_DEPARTMENTS.sales, 'Sales', { item: 0 }],
			[SIM_DEPARTMENTS.support, 'Support', { item: 0 }],
			[SIM_DEPARTMENTS.billing, 'Billing', { item: 0 }],
		]);
		expect(items[0].json).toMatchObject({
			description: 'New customers',
			enabled: true,
			members: [SIM_BOT_AGENT_ID, SIM_HUMAN_AGENT_ID],
		});
		expect(restRequests(sim)).toEqual(['GET /departments']);
	});

	it('with a Limit, gives the first ones; one list per input item, paired', async () => {
		const items = itemsOf(
			await runNode(
				chatHarness(sim),
				{ resource: 'department', operation: 'getAll', limit: 2 },
				{ items: inputs({}, {}) },
			),
		);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[SIM_DEPARTMENTS.sales, { item: 0 }],
			[SIM_DEPARTMENTS.support, { item: 0 }],
			[SIM_DEPARTMENTS.sales, { item: 1 }],
			[SIM_DEPARTMENTS.support, { item: 1 }],
		]);
	});
});

describe('Agent › Get Many', () => {
	it('with Return All, pages through every agent with since_id', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), { resource: 'agent', operation: 'getAll', returnAll: true }),
		);
		expect(items.map((item) => item.json.id)).toEqual(allAgentIds());
		expect(items[1].json).toMatchObject({
			display_name: 'Grace Hopper',
			email: 'grace@sim.example.com',
			enabled: true,
		});
		expect(restRequests(sim)).toEqual([
			'GET /agents?limit=100',
			'GET /agents?since_id=3099&limit=100',
			'GET /agents?since_id=3199&limit=100',
		]);
	});

	it('with a Limit, asks only for that many', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), { resource: 'agent', operation: 'getAll', limit: 5 }),
		);
		expect(items.map((item) => item.json.id)).toEqual(allAgentIds().slice(0, 5));
		expect(restRequests(sim)).toEqual(['GET /agents?limit=5']);
	});

	it('with a Limit above a page, stops once it has enough', async () => {
		const items = itemsOf(
			await runNode(chatHarness(sim), { resource: 'agent', operation: 'getAll', limit: 150 }),
		);
		expect(items.map((item) => item.json.id)).toEqual(allAgentIds().slice(0, 150));
		expect(restRequests(sim)).toHaveLength(2);
	});
});

/** Calls a listSearch method the way the editor does: through n8n-core's LoadOptionsContext. */
async function listSearch(
	harness: N8nHarness,
	method: string,
	filter?: string,
	paginationToken?: string,
	parameters: IDataObject = {},
): Promise<INodeListSearchResult> {
	const node = chatNode(
		{ resource: 'agent', ...parameters },
		parameters.authentication === 'oAuth2' ? { authentication: 'oAuth2' } : {},
	);
	const workflow = harness.workflow({ nodes: [node] });
	const context = new LoadOptionsContext(
		workflow,
		node,
		harness.additionalData('manual', workflow),
		'parameters.department',
	);
	const nodeType = harness.nodeTypes.getByNameAndVersion(node.type, 1) as {
		methods: {
			listSearch: Record<
				string,
				(
					this: ILoadOptionsFunctions,
					filter?: string,
					token?: string,
				) => Promise<INodeListSearchResult>
			>;
		};
	};
	return await nodeType.methods.listSearch[method].call(context, filter, paginationToken);
}

describe('listSearch: searchDepartments', () => {
	it('lists every department by name, the REST id as the value', async () => {
		expect(await listSearch(chatHarness(sim), 'searchDepartments')).toEqual({
			results: [
				{ name: 'Billing', value: String(SIM_DEPARTMENTS.billing) },
				{ name: 'Sales', value: String(SIM_DEPARTMENTS.sales) },
				{ name: 'Support', value: String(SIM_DEPARTMENTS.support) },
			],
		});
	});

	it('filters by name, in any case', async () => {
		expect(await listSearch(chatHarness(sim), 'searchDepartments', 'SUPP')).toEqual({
			results: [{ name: 'Support', value: String(SIM_DEPARTMENTS.support) }],
		});
		expect(await listSearch(chatHarness(sim), 'searchDepartments', 'nothing like it')).toEqual({
			results: [],
		});
	});
});

describe('listSearch: searchAgents', () => {
	it('filters by name or email, the REST id as the value', async () => {
		expect(await listSearch(chatHarness(sim), 'searchAgents', 'grace')).toEqual({
			results: [
				{ name: 'Grace Hopper (grace@sim.example.com)', value: String(SIM_HUMAN_AGENT_ID) },
			],
		});
		expect(await listSearch(chatHarness(sim), 'searchAgents', 'bot@sim')).toEqual({
			results: [{ name: 'Ada Bot (bot@sim.example.com)', value: String(SIM_BOT_AGENT_ID) }],
		});
	});

	it('pages 100 matches at a time, the token continuing after the last agent given', async () => {
		const harness = chatHarness(sim);
		const first = await listSearch(harness, 'searchAgents');
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({
			name: 'Ada Bot (bot@sim.example.com)',
			value: String(SIM_BOT_AGENT_ID),
		});
		expect(first.paginationToken).toBe('3099');
		const second = await listSearch(
			harness,
			'searchAgents',
			undefined,
			first.paginationToken as string,
		);
		expect(second.results.map((r) => r.value)).toEqual(allAgentIds().slice(100, 200).map(String));
		const third = await listSearch(
			harness,
			'searchAgents',
			undefined,
			second.paginationToken as string,
		);
		expect(third.results.map((r) => r.value)).toEqual(allAgentIds().slice(200).map(String));
		expect(third.paginationToken).toBeUndefined();
	});

	it('with a filter, reads on through the pages for matches', async () => {
		const result = await listSearch(chatHarness(sim), 'searchAgents', 'helper25');
		expect(result.results.map((r) => r.name)).toEqual([
			'Helper 25 (helper25@example.com)',
			'Helper 250 (helper250@example.com)',
		]);
		expect(result.paginationToken).toBeUndefined();
	});

	it('works with the OAuth2 credential', async () => {
		const result = await listSearch(chatHarness(sim), 'searchDepartments', 'sales', undefined, {
			authentication: 'oAuth2',
		});
		expect(result).toEqual({ results: [{ name: 'Sales', value: String(SIM_DEPARTMENTS.sales) }] });
	});

	it('reports a refused token as the API error', async () => {
		await expect(
			listSearch(chatHarness(sim, { accessToken: SIM_TOKENS.revoked }), 'searchAgents'),
		).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
		});
	});
});
