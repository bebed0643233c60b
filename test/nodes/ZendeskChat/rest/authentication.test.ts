/**
 * Both ways to authenticate the REST operations: a pre-issued access token, and OAuth2 (client
 * credentials) whose token n8n fetches, stores and renews through its own OAuth2 machinery.
 */
import {
	ManualClock,
	SIM_DEPARTMENTS,
	SIM_OAUTH_CLIENT,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../../../simulator';
import { errorOf } from '../../../helpers/n8n/harness';
import { chatHarness, itemsOf, runNode } from './helpers';

let sim: Simulator;
let clock: ManualClock;
let chatId: string;

beforeAll(async () => {
	clock = new ManualClock(Date.now());
	sim = await startSimulator({ clock });
	chatId = sim.rest.control.seedChats({ count: 3 }).ids[0];
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.rest.control.resetBudget();
	sim.rest.control.clearRequestLog();
});

const departments = { resource: 'department', operation: 'getAll', returnAll: true };
const departmentIds = [SIM_DEPARTMENTS.sales, SIM_DEPARTMENTS.support, SIM_DEPARTMENTS.billing];

describe('Access Token', () => {
	it('reads with the token of the credential', async () => {
		const items = itemsOf(await runNode(chatHarness(sim), departments));
		expect(items.map((item) => item.json.id)).toEqual(departmentIds);
	});

	it('reports a revoked token as a NodeApiError with status 401', async () => {
		const run = await runNode(chatHarness(sim, { accessToken: SIM_TOKENS.revoked }), departments);
		expect(errorOf(run, 'Zendesk Chat')).toMatchObject({ name: 'NodeApiError', httpCode: '401' });
	});

	it('reports a change refused for a read-only token as a NodeApiError with status 403', async () => {
		const run = await runNode(chatHarness(sim, { accessToken: SIM_TOKENS.readOnly }), {
			resource: 'chat',
			operation: 'update',
			chatId,
			updateFields: { unread: true },
		});
		const error = errorOf(run, 'Zendesk Chat');
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '403' });
		expect(error.message).toContain('lacks the "write" scope');
	});
});

describe('OAuth2 (client credentials)', () => {
	it('gets the first token through n8n, stores it in the credential, and reuses it', async () => {
		const harness = chatHarness(sim);
		const first = itemsOf(await runNode(harness, departments, { authentication: 'oAuth2' }));
		expect(first.map((item) => item.json.id)).toEqual(departmentIds);
		expect(harness.credentialsHelper.updates).toHaveLength(1);
		const token = (
			harness.credentialsHelper.updates[0].data.oauthTokenData as { access_token: string }
		).access_token;
		expect(sim.world.authenticate(token)).toMatchObject({ agentId: SIM_OAUTH_CLIENT.agentId });

		const items = itemsOf(
			await runNode(
				harness,
				{ resource: 'chat', operation: 'get', chatId },
				{ authentication: 'oAuth2' },
			),
		);
		expect(items[0].json.id).toBe(chatId);
		expect(harness.credentialsHelper.updates).toHaveLength(1);
	});

	it('gets a new token from n8n once Zendesk refuses the stored one, and the operation goes through', async () => {
		const harness = chatHarness(sim);
		itemsOf(await runNode(harness, departments, { authentication: 'oAuth2' }));
		const old = (
			harness.credentialsHelper.updates[0].data.oauthTokenData as { access_token: string }
		).access_token;
		clock.advance((SIM_OAUTH_CLIENT.tokenLifetimeSeconds + 1) * 1000);
		expect(sim.world.authenticate(old)).toBeUndefined();
		sim.rest.control.resetBudget();
		sim.rest.control.clearRequestLog();

		const items = itemsOf(
			await runNode(
				harness,
				{ resource: 'agent', operation: 'getAll', limit: 1 },
				{ authentication: 'oAuth2' },
			),
		);
		expect(items).toHaveLength(1);
		const renewed = (
			harness.credentialsHelper.updates[harness.credentialsHelper.updates.length - 1].data
				.oauthTokenData as { access_token: string }
		).access_token;
		expect(renewed).not.toBe(old);
		expect(sim.world.authenticate(renewed)).toBeDefined();
		// Refused once with the old token, then answered with the new one.
		expect(
			sim.rest.control
				.requestLog()
				.filter((r: { path: string }) => r.path.includes('/agents?'))
				.map((r: { status: number }) => r.status),
		).toEqual([401, 200]);
	});
});
