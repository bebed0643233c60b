import { startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { SunshineApi, UNKNOWN_ID } from './sunshine-helpers';

/** Sunshine Conversations: integrations, their API keys and their webhooks, with their limits. */
describe('sunshine integrations and webhooks', () => {
	let sim: Simulator;
	let api: SunshineApi;
	const hook = (n = 0) => ({
		target: `http://127.0.0.1:9/hook-${n}`,
		triggers: ['conversation:message', 'switchboard:releaseControl'],
	});
	const webhookShape = (
		target: string,
		triggers: string[],
		extra: Record<string, unknown> = {},
	) => ({
		id: expect.stringMatching(/^[0-9a-f]{24}$/),
		version: 'v2',
		target,
		triggers,
		secret: expect.stringMatching(/^[0-9a-f]{32}$/),
		includeFullUser: false,
		includeFullSource: false,
		...extra,
	});

	beforeAll(async () => {
		sim = await startSimulator();
		api = new SunshineApi(sim);
	});
	afterAll(() => sim.close());

	it('lists the seeded integrations, filtered by type and in pages', async () => {
		const all = await api.get('/integrations');
		expect(all.status).toBe(200);
		expect(all.body).toEqual({
			integrations: [
				{
					id: SUNSHINE_SEED.webIntegrationId,
					type: 'web',
					status: 'active',
					displayName: 'Web Widget',
				},
				{
					id: SUNSHINE_SEED.botIntegrationId,
					type: 'custom',
					status: 'active',
					displayName: 'bot',
					webhooks: [],
				},
				{
					id: SUNSHINE_SEED.agentWorkspaceIntegrationId,
					type: 'zd:agentWorkspace',
					status: 'active',
					displayName: 'Zendesk Agent Workspace',
				},
			],
			meta: { hasMore: false },
		});
		const custom = await api.get('/integrations?filter[types]=custom,web&page[size]=1');
		expect(custom.body.integrations.map((i: any) => i.id)).toEqual([
			SUNSHINE_SEED.webIntegrationId,
		]);
		expect(custom.body.meta).toEqual({
			hasMore: true,
			afterCursor: SUNSHINE_SEED.webIntegrationId,
		});
		expect(custom.body.links.next).toBe(
			`${api.base}/integrations?filter[types]=custom%2Cweb&page[after]=${SUNSHINE_SEED.webIntegrationId}&page[size]=1`,
		);
	});

	it('creates a custom integration with exactly one webhook (201)', async () => {
		const res = await api.post('/integrations', {
			type: 'custom',
			status: 'active',
			displayName: 'My bot',
			webhooks: [{ ...hook(1), includeFullUser: true }],
		});
		expect(res.status).toBe(201);
		expect(res.body).toEqual({
			integration: {
				id: expect.stringMatching(/^[0-9a-f]{24}$/),
				type: 'custom',
				status: 'active',
				displayName: 'My bot',
				webhooks: [webhookShape(hook(1).target, hook(1).triggers, { includeFullUser: true })],
			},
		});
		const got = await api.get(`/integrations/${res.body.integration.id}`);
		expect(got.body).toEqual(res.body);
	});

	it('refuses other integration bodies', async () => {
		const cases: Array<[unknown, string[]]> = [
			[{ type: 'custom' }, ['webhooks must be an array of exactly 1 webhook']],
			[{ type: 'custom', webhooks: [] }, ['webhooks must be an array of exactly 1 webhook']],
			[
				{ type: 'custom', webhooks: [hook(1), hook(2)] },
				['webhooks must be an array of exactly 1 webhook'],
			],
			[
				{ type: 'custom', webhooks: [{ target: 'ftp://x', triggers: ['conversation:Message'] }] },
				[
					'webhooks[0].target must be an http(s) URL',
					'webhooks[0].triggers: unknown trigger conversation:Message',
				],
			],
			[
				{ type: 'custom', webhooks: [{ triggers: [] }] },
				[
					'webhooks[0].target is required',
					'webhooks[0].triggers must be a non-empty array of trigger names',
				],
			],
			[
				{ type: 'custom', displayName: 'x'.repeat(101), webhooks: [hook()] },
				['displayName must be at most 100 characters long'],
			],
			[{ type: 'carrier-pigeon' }, ['Invalid integration type']],
			[{}, ['type is required']],
			[
				{ type: 'messenger' },
				[
					"The simulator creates custom integrations only, not messenger (they need the channel's own credentials)",
				],
			],
		];
		for (const [body, titles] of cases) {
			const res = await api.post('/integrations', body);
			expect({ body, status: res.status, errors: res.body.errors }).toEqual({
				body,
				status: 400,
				errors: titles.map((title) => ({ code: 'bad_request', title })),
			});
		}
	});

	it('renames and deletes custom integrations; Admin Center and linked ones cannot be deleted', async () => {
		const id = (await api.post('/integrations', { type: 'custom', webhooks: [hook(3)] })).body
			.integration.id;
		const renamed = await api.patch(`/integrations/${id}`, { displayName: 'Renamed' });
		expect(renamed.body.integration.displayName).toBe('Renamed');
		expect(
			(await api.patch(`/integrations/${id}`, { displayName: null })).body.integration.displayName,
		).toBeNull();
		expect((await api.delete(`/integrations/${id}`)).body).toEqual({});
		const gone = await api.get(`/integrations/${id}`);
		expect(gone.status).toBe(404);
		expect(gone.body).toEqual({
			errors: [{ code: 'integration_not_found', title: 'Integration not found' }],
		});
		const web = await api.delete(`/integrations/${SUNSHINE_SEED.webIntegrationId}`);
		expect(web.status).toBe(400);
		expect(web.body).toEqual({
			errors: [
				{
					code: 'bad_request',
					title: 'SDK integrations configured on Admin Center cannot be deleted',
				},
			],
		});
		const linked = await api.delete(`/integrations/${SUNSHINE_SEED.botIntegrationId}`);
		expect(linked.status).toBe(400);
		expect(linked.body.errors[0].title).toBe(
			'Integration is linked to switchboard integration bot: delete that first',
		);
	});

	describe('webhooks', () => {
		const path = `/integrations/${SUNSHINE_SEED.botIntegrationId}/webhooks`;

		it("creates, lists, gets, updates and deletes the bot integration's webhook", async () => {
			const created = await api.post(path, {
				target: 'http://127.0.0.1:9/bot',
				triggers: ['conversation:message'],
				includeFullSource: true,
			});
			expect(created.status).toBe(201);
			const webhook = created.body.webhook;
			expect(webhook).toEqual(
				webhookShape('http://127.0.0.1:9/bot', ['conversation:message'], {
					includeFullSource: true,
				}),
			);
			expect((await api.get(path)).body).toEqual({ webhooks: [webhook] });
			expect((await api.get(`${path}/${webhook.id}`)).body).toEqual({ webhook });
			const patched = await api.patch(`${path}/${webhook.id}`, {
				triggers: ['conversation:message', 'switchboard:releaseControl'],
				includeFullUser: true,
			});
			expect(patched.status).toBe(200);
			expect(patched.body).toEqual({
				webhook: {
					...webhook,
					triggers: ['conversation:message', 'switchboard:releaseControl'],
					includeFullUser: true,
				},
			});
			const badPatch = await api.patch(`${path}/${webhook.id}`, {
				target: 'nope',
				includeFullUser: 'yes',
			});
			expect(badPatch.body.errors).toEqual([
				{ code: 'bad_request', title: 'target must be an http(s) URL' },
				{ code: 'bad_request', title: 'includeFullUser must be a boolean' },
			]);
			// The integration shows its webhook too.
			expect(
				(await api.get(`/integrations/${SUNSHINE_SEED.botIntegrationId}`)).body.integration
					.webhooks,
			).toEqual([patched.body.webhook]);
			expect((await api.delete(`${path}/${webhook.id}`)).body).toEqual({});
			for (const res of [
				await api.get(`${path}/${webhook.id}`),
				await api.delete(`${path}/${webhook.id}`),
				await api.patch(`${path}/${webhook.id}`, {}),
			]) {
				expect(res.status).toBe(404);
				expect(res.body).toEqual({ errors: [{ code: 'not_found', title: 'Resource not found' }] });
			}
		});

		it('replaces the one webhook of a custom integration when another is created', async () => {
			const first = (await api.post(path, hook(10))).body.webhook;
			const second = (await api.post(path, hook(11))).body.webhook;
			expect(second.secret).not.toBe(first.secret);
			expect((await api.get(path)).body).toEqual({ webhooks: [second] });
			await api.delete(`${path}/${second.id}`);
		});

		it('refuses webhooks on integrations that are not custom, and on unknown integrations', async () => {
			const web = await api.post(
				`/integrations/${SUNSHINE_SEED.webIntegrationId}/webhooks`,
				hook(),
			);
			expect(web.status).toBe(400);
			expect(web.body.errors[0].title).toBe(
				'API keys and webhooks are available only for custom integrations',
			);
			const unknown = await api.post(`/integrations/${UNKNOWN_ID}/webhooks`, hook());
			expect(unknown.status).toBe(404);
			expect(unknown.body).toEqual({
				errors: [{ code: 'integration_not_found', title: 'Integration not found' }],
			});
			expect((await api.get('/integrations/me/webhooks')).body.errors[0].code).toBe(
				'integration_not_found',
			);
		});

		it('allows 10 webhooks per app', async () => {
			const existing = [...(await api.get('/integrations')).body.integrations].reduce(
				(n: number, i: any) => n + (i.webhooks?.length ?? 0),
				0,
			);
			const made: string[] = [];
			for (let i = existing; i < 10; i++) {
				const res = await api.post('/integrations', { type: 'custom', webhooks: [hook(100 + i)] });
				expect(res.status).toBe(201);
				made.push(res.body.integration.id);
			}
			const eleventh = await api.post('/integrations', { type: 'custom', webhooks: [hook(200)] });
			expect(eleventh.status).toBe(400);
			expect(eleventh.body).toEqual({
				errors: [{ code: 'bad_request', title: 'An app is limited to 10 webhooks' }],
			});
			expect((await api.post(path, hook(201))).status).toBe(400);
			// Replacing a custom integration's own webhook does not need room.
			const replaced = await api.post(`/integrations/${made[0]}/webhooks`, hook(202));
			expect(replaced.status).toBe(201);
			for (const id of made) await api.delete(`/integrations/${id}`);
		});
	});

	describe('custom integration keys', () => {
		const path = `/integrations/${SUNSHINE_SEED.botIntegrationId}/keys`;

		it('creates, lists, gets and deletes keys, up to 10 per integration', async () => {
			const created = await api.post(path, { displayName: 'My custom key' });
			expect(created.status).toBe(201);
			expect(created.body).toEqual({
				key: {
					id: expect.stringMatching(/^int_[0-9a-f]{24}$/),
					displayName: 'My custom key',
					secret: expect.any(String),
				},
			});
			expect((await api.get(`${path}/${created.body.key.id}`)).body).toEqual(created.body);
			expect((await api.get(path)).body).toEqual({ keys: [created.body.key] });
			for (let i = 1; i < 10; i++)
				expect((await api.post(path, { displayName: `k${i}` })).status).toBe(201);
			const eleventh = await api.post(path, { displayName: 'k10' });
			expect(eleventh.status).toBe(400);
			expect(eleventh.body.errors[0].title).toBe('An integration can have a maximum of 10 keys');
			expect((await api.delete(`${path}/${created.body.key.id}`)).body).toEqual({});
			expect((await api.get(`${path}/${created.body.key.id}`)).status).toBe(404);
			expect((await api.post(path, {})).body.errors[0].title).toBe('displayName is required');
			const web = await api.post(`/integrations/${SUNSHINE_SEED.webIntegrationId}/keys`, {
				displayName: 'x',
			});
			expect(web.body.errors[0].title).toBe(
				'API keys and webhooks are available only for custom integrations',
			);
		});
	});
});
