import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	NodeOperationError,
	type ICredentialType,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
} from 'n8n-workflow';

import { errorOf, N8nHarness, outputOf } from '../helpers/n8n/harness';

/** The harness itself: a real n8n-core engine runs small nodes defined here. */
const echoCredential: ICredentialType = {
	name: 'echoApi',
	displayName: 'Echo API',
	properties: [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	},
};

const base: Omit<
	INodeTypeDescription,
	'name' | 'displayName' | 'inputs' | 'outputs' | 'properties'
> = {
	group: ['transform'],
	version: 1,
	description: 'test',
	defaults: {},
};

class EchoNode implements INodeType {
	description: INodeTypeDescription = {
		...base,
		name: 'echo',
		displayName: 'Echo',
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'echoApi', required: true }],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions) {
		const url = this.getNodeParameter('url', 0) as string;
		if (!url)
			throw new NodeOperationError(this.getNode(), 'URL is empty', {
				description: 'Set the URL field',
			});
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const body = await this.helpers.httpRequestWithAuthentication.call(this, 'echoApi', {
				url,
				json: true,
			});
			out.push({ json: { seen: body, index: i }, pairedItem: { item: i } });
		}
		return [out];
	}
}

class TickTrigger implements INodeType {
	description: INodeTypeDescription = {
		...base,
		group: ['trigger'],
		name: 'tick',
		displayName: 'Tick Trigger',
		inputs: [],
		outputs: ['main'],
		properties: [],
	};

	async trigger(this: ITriggerFunctions) {
		let n = 0;
		const timer = setInterval(() => this.emit([[{ json: { tick: ++n } }]]), 20);
		return {
			closeFunction: async () => clearInterval(timer),
			manualTriggerFunction: async () => undefined,
		};
	}
}

describe('N8nHarness (n8n-core WorkflowExecute and TriggerContext)', () => {
	let server: Server;
	let url: string;

	beforeAll(async () => {
		server = createServer((req, res) => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	});
	afterAll(() => new Promise<void>((r) => server.close(() => r())));

	const harness = () =>
		new N8nHarness({
			nodeTypes: { 'test.echo': new EchoNode(), 'test.tick': new TickTrigger() },
			credentialTypes: { echoApi: echoCredential },
			credentials: { echoApi: { token: 't-123' } },
		});

	const echoNode = (params: Record<string, unknown>) => ({
		id: 'e',
		name: 'Echo',
		type: 'test.echo',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: params as never,
		credentials: { echoApi: { id: '1', name: 'echo' } },
	});

	it('runs a node whose request is authenticated by the credential type', async () => {
		const run = await harness().run({
			nodes: [echoNode({ url })],
			startNode: 'Echo',
			items: [{ json: {} }, { json: {} }],
		});
		expect(outputOf(run, 'Echo')).toEqual([
			{ seen: { authorization: 'Bearer t-123' }, index: 0 },
			{ seen: { authorization: 'Bearer t-123' }, index: 1 },
		]);
	});

	it('reports a node error with its description', async () => {
		const run = await harness().run({ nodes: [echoNode({ url: '' })], startNode: 'Echo' });
		const error = errorOf(run, 'Echo');
		expect(error.message).toBe('URL is empty');
		expect(error.description).toBe('Set the URL field');
	});

	it('activates a trigger whose emits run the downstream node, and closes it', async () => {
		const h = harness();
		const active = await h.activate({
			nodes: [
				{
					id: 't',
					name: 'Tick',
					type: 'test.tick',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				echoNode({ url }),
			],
			connections: { Tick: { main: [[{ node: 'Echo', type: 'main' as never, index: 0 }]] } },
			triggerNode: 'Tick',
		});
		await active.waitForEmits(2);
		await active.close();
		const runs = await Promise.all(active.emits.map((e) => e.run));
		const countAfterClose = active.emits.length;
		await new Promise((r) => setTimeout(r, 60));
		expect(active.emits.length).toBe(countAfterClose);
		expect(outputOf(runs[0], 'Tick')).toEqual([{ tick: 1 }]);
		expect(outputOf(runs[1], 'Echo')).toEqual([
			{ seen: { authorization: 'Bearer t-123' }, index: 0 },
		]);
	});

	it('runs a trigger in manual mode: its first emit is its output', async () => {
		const run = await harness().run({
			nodes: [
				{
					id: 't',
					name: 'Tick',
					type: 'test.tick',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
			],
			startNode: 'Tick',
		});
		expect(outputOf(run, 'Tick')).toEqual([{ tick: 1 }]);
	});
});
