import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { chatConnection } from '../../nodes/shared/connection';
import { ManualClock, SIM_OAUTH_CLIENT, startSimulator, type Simulator } from '../../simulator';
import { chatCredentialsFor, chatCredentialTypes } from '../helpers/chat-credentials';
import { N8nHarness, outputOf } from '../helpers/n8n/harness';

/**
 * The OAuth2 token provider through n8n's own OAuth2 machinery (n8n-core's requestOAuth2) against
 * the simulator's Chat OAuth endpoints: the first token of a client-credentials grant, then a new
 * one when Zendesk refuses the old one.
 */
class TokenProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Token Probe',
		name: 'tokenProbe',
		group: ['transform'],
		version: 1,
		description: 'test',
		defaults: {},
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'zendeskChatOAuth2Api', required: true }],
		properties: [{ displayName: 'Refresh', name: 'refresh', type: 'boolean', default: false }],
	};

	async execute(this: IExecuteFunctions) {
		const connection = await chatConnection(this, 'oAuth2');
		const first = await connection.tokens.getToken();
		const refreshed = this.getNodeParameter('refresh', 0)
			? await connection.tokens.refresh!()
			: undefined;
		return [[{ json: { first, refreshed: refreshed ?? null, key: connection.credentialKey } }]];
	}
}

describe('chatConnection with an OAuth2 credential', () => {
	let sim: Simulator;
	let clock: ManualClock;
	beforeAll(async () => {
		clock = new ManualClock(Date.now());
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());

	function harness() {
		return new N8nHarness({
			nodeTypes: { 'test.tokenProbe': new TokenProbe() },
			credentialTypes: chatCredentialTypes(),
			credentials: chatCredentialsFor(sim),
		});
	}

	const probe = (refresh: boolean) => ({
		nodes: [
			{
				id: 'p',
				name: 'Probe',
				type: 'test.tokenProbe',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: { refresh },
				credentials: { zendeskChatOAuth2Api: { id: 'cred-1', name: 'chat oauth' } },
			},
		],
		startNode: 'Probe',
	});

	it('fetches the first client-credentials token through n8n and stores it in the credential', async () => {
		const h = harness();
		const run = await h.run(probe(false));
		const [out] = outputOf(run, 'Probe');
		expect(out.first).toMatch(/^sim-oauth-/);
		expect(sim.world.authenticate(out.first as string)).toMatchObject({
			scopes: ['read', 'write', 'chat'],
		});
		expect(h.credentialsHelper.updates).toHaveLength(1);
		expect((h.credentialsHelper.updates[0].data.oauthTokenData as any).access_token).toBe(
			out.first,
		);
		expect(out.key).toMatch(/^[0-9a-f]{32}$/);
	});

	it('gets a new token from n8n once Zendesk refuses the stored one', async () => {
		const h = harness();
		const first = outputOf(await h.run(probe(false)), 'Probe')[0].first as string;
		clock.advance((SIM_OAUTH_CLIENT.tokenLifetimeSeconds + 1) * 1000);
		expect(sim.world.authenticate(first)).toBeUndefined();
		const [out] = outputOf(await h.run(probe(true)), 'Probe');
		expect(out.first).toBe(first);
		expect(out.refreshed).toMatch(/^sim-oauth-/);
		expect(out.refreshed).not.toBe(first);
		expect(sim.world.authenticate(out.refreshed as string)).toBeDefined();
	});
});
