import { request as httpRequest } from 'node:http';

import { SIM_SUNSHINE, startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { SunshineApi, appJwt, basicAuth, signJwt } from './sunshine-helpers';

/** Sunshine Conversations: Basic and JWT auth, scopes, and the request-level errors. */
describe('sunshine auth and request errors', () => {
	let sim: Simulator;
	let api: SunshineApi;
	const now = () => Math.floor(Date.now() / 1000);

	beforeAll(async () => {
		sim = await startSimulator();
		api = new SunshineApi(sim);
	});
	afterAll(() => sim.close());

	const switchboards = (authorization: string | null) =>
		api.withAuth(authorization).get('/switchboards');

	it('accepts the app key with basic auth', async () => {
		const res = await switchboards(basicAuth());
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			switchboards: [
				{
					id: SUNSHINE_SEED.switchboardId,
					enabled: true,
					defaultSwitchboardIntegrationId: SUNSHINE_SEED.botSwitchboardIntegrationId,
				},
			],
		});
	});

	it('answers 401 unauthorized without credentials, with a wrong secret, an unknown key or another scheme', async () => {
		for (const authorization of [
			null,
			basicAuth(SIM_SUNSHINE.keyId, 'wrong-secret'),
			basicAuth('app_000000000000000000000000', SIM_SUNSHINE.keySecret),
			`Basic ${Buffer.from('no-colon').toString('base64')}`,
			'Token abc',
		]) {
			const res = await switchboards(authorization);
			expect(res.status).toBe(401);
			expect(res.body.errors).toHaveLength(1);
			expect(Object.keys(res.body.errors[0]).sort()).toEqual(['code', 'title']);
			expect(res.body.errors[0].code).toBe('unauthorized');
		}
		// The exact documented body (openapi.yaml Introduction "Errors").
		expect((await switchboards(null)).body).toEqual({
			errors: [{ code: 'unauthorized', title: 'Authorization is required' }],
		});
	});

	it('accepts an app-scope HS256 JWT with kid = key id, with or without exp', async () => {
		expect((await switchboards(appJwt({ scope: 'app' }))).status).toBe(200);
		expect((await switchboards(appJwt({ scope: 'app', exp: now() + 3600 }))).status).toBe(200);
	});

	it('refuses a JWT with a bad signature, an unknown kid, an expired exp or another alg with 401', async () => {
		const cases = [
			signJwt(
				{ alg: 'HS256', typ: 'JWT', kid: SIM_SUNSHINE.keyId },
				{ scope: 'app' },
				'not-the-secret',
			),
			signJwt(
				{ alg: 'HS256', typ: 'JWT', kid: 'app_ffffffffffffffffffffffff' },
				{ scope: 'app' },
				SIM_SUNSHINE.keySecret,
			),
			signJwt({ alg: 'HS256', typ: 'JWT' }, { scope: 'app' }, SIM_SUNSHINE.keySecret),
			signJwt(
				{ alg: 'HS256', typ: 'JWT', kid: SIM_SUNSHINE.keyId },
				{ scope: 'app', exp: now() - 1 },
				SIM_SUNSHINE.keySecret,
			),
			signJwt(
				{ alg: 'HS512', typ: 'JWT', kid: SIM_SUNSHINE.keyId },
				{ scope: 'app' },
				SIM_SUNSHINE.keySecret,
			),
			`${Buffer.from(JSON.stringify({ alg: 'none', kid: SIM_SUNSHINE.keyId })).toString('base64url')}.${Buffer.from('{"scope":"app"}').toString('base64url')}.`,
			signJwt({ alg: 'HS256', typ: 'JWT', kid: SIM_SUNSHINE.keyId }, {}, SIM_SUNSHINE.keySecret),
			'not.a.jwt',
			'onlyonepart',
		];
		for (const token of cases) {
			const res = await switchboards(`Bearer ${token}`);
			expect({ token, status: res.status, code: res.body.errors[0].code }).toEqual({
				token,
				status: 401,
				code: 'unauthorized',
			});
		}
	});

	it("refuses a JWT whose scope is not the key's with 403 forbidden", async () => {
		for (const scope of ['account', 'integration', 'user']) {
			const res = await switchboards(appJwt({ scope }));
			expect(res.status).toBe(403);
			expect(res.body.errors).toEqual([{ code: 'forbidden', title: expect.any(String) }]);
		}
	});

	it('answers 404 app_not_found for another app id, after authentication', async () => {
		const res = await api.forApp('ffffffffffffffffffffffff').get('/switchboards');
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ errors: [{ code: 'app_not_found', title: 'App not found' }] });
		expect(
			(await api.forApp('ffffffffffffffffffffffff').withAuth(null).get('/switchboards')).status,
		).toBe(401);
	});

	it('answers 404 not_found for unknown paths and 405 for a wrong method', async () => {
		const unknown = await api.get('/nothing/here');
		expect(unknown.status).toBe(404);
		expect(unknown.body).toEqual({ errors: [{ code: 'not_found', title: 'Resource not found' }] });
		const outside = await fetch(`${sim.urls.sunshine}/v1/whatever`);
		expect(outside.status).toBe(404);
		expect(await outside.json()).toEqual({
			errors: [{ code: 'not_found', title: 'Resource not found' }],
		});
		const wrongMethod = await api.request('PUT', '/users');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.body.errors[0].code).toBe('method_not_allowed');
	});

	it('answers 400 bad_request for malformed JSON, a body not declared as JSON, a non-object or a missing body', async () => {
		const malformed = await api.request('POST', '/users', '{"externalId": ', {
			'content-type': 'application/json',
		});
		expect(malformed.status).toBe(400);
		expect(malformed.body).toEqual({
			errors: [{ code: 'bad_request', title: 'The request body is not valid JSON' }],
		});
		const undeclared = await api.request('POST', '/users', '{}', { 'content-type': 'text/plain' });
		expect(undeclared.status).toBe(400);
		expect(undeclared.body.errors[0]).toEqual({
			code: 'bad_request',
			title: 'The content-type: application/json header is required',
		});
		const array = await api.post('/users', [1, 2]);
		expect(array.status).toBe(400);
		expect(array.body.errors[0]).toEqual({
			code: 'bad_request',
			title: 'The request body must be a JSON object',
		});
		const missing = await api.post('/users');
		expect(missing.status).toBe(400);
		expect(missing.body.errors[0]).toEqual({
			code: 'bad_request',
			title: 'A JSON request body is required',
		});
	});

	it('accepts a JSON body of exactly 100kb and answers 413 above it', async () => {
		const limit = 100 * 1024;
		const frame = (size: number) => {
			const skeleton = JSON.stringify({ externalId: 'big-user', metadata: {}, padding: '' });
			return JSON.stringify({
				externalId: `big-user-${size}`,
				metadata: {},
				padding: 'x'.repeat(size - skeleton.length - String(size).length - 1),
			});
		};
		const atLimit = frame(limit);
		expect(Buffer.byteLength(atLimit)).toBe(limit);
		expect((await api.post('/users', atLimit)).status).toBe(201);
		const over = frame(limit + 1);
		expect(Buffer.byteLength(over)).toBe(limit + 1);
		const res = await api.post('/users', over);
		expect(res.status).toBe(413);
		expect(res.body).toEqual({
			errors: [
				{
					code: 'payload_too_large',
					title: 'The request body is larger than the 100kb JSON limit',
				},
			],
		});
	});

	it('keeps serving after a client aborts mid-body', async () => {
		await new Promise<void>((resolve) => {
			const req = httpRequest(`${api.base}/users`, {
				method: 'POST',
				headers: {
					authorization: basicAuth(),
					'content-type': 'application/json',
					'content-length': '1000',
				},
			});
			req.on('error', () => resolve());
			req.write('{"externalId":');
			setTimeout(() => {
				req.destroy();
				resolve();
			}, 50);
		});
		expect((await api.get('/switchboards')).status).toBe(200);
	});

	describe('integration scope', () => {
		let key: { id: string; secret: string };
		let otherIntegrationId: string;

		beforeAll(async () => {
			const created = await api.post(`/integrations/${SUNSHINE_SEED.botIntegrationId}/keys`, {
				displayName: 'bot key',
			});
			expect(created.status).toBe(201);
			key = created.body.key;
			const other = await api.post('/integrations', {
				type: 'custom',
				displayName: 'Other',
				webhooks: [{ target: 'http://127.0.0.1:9/other', triggers: ['conversation:message'] }],
			});
			otherIntegrationId = other.body.integration.id;
		});

		it('mints int_ keys that authenticate with basic auth and with integration-scope JWTs', async () => {
			expect(key.id).toMatch(/^int_[0-9a-f]{24}$/);
			const basic = api.withAuth(basicAuth(key.id, key.secret));
			expect((await basic.post('/users', { externalId: 'int-basic' })).status).toBe(201);
			const jwt = api.withAuth(
				`Bearer ${signJwt({ alg: 'HS256', typ: 'JWT', kid: key.id }, { scope: 'integration' }, key.secret)}`,
			);
			expect((await jwt.get('/users/int-basic')).status).toBe(200);
			// An integration key cannot sign an app-scope token.
			const appScope = api.withAuth(
				`Bearer ${signJwt({ alg: 'HS256', typ: 'JWT', kid: key.id }, { scope: 'app' }, key.secret)}`,
			);
			expect((await appScope.get('/users/int-basic')).status).toBe(403);
		});

		it("is refused integrations and switchboards (403 forbidden), and other integrations' webhooks", async () => {
			const asIntegration = api.withAuth(basicAuth(key.id, key.secret));
			for (const path of [
				'/integrations',
				`/integrations/${SUNSHINE_SEED.botIntegrationId}`,
				'/switchboards',
			]) {
				const res = await asIntegration.get(path);
				expect(res.status).toBe(403);
				expect(res.body).toEqual({ errors: [{ code: 'forbidden', title: 'Forbidden' }] });
			}
			expect((await asIntegration.get(`/integrations/${otherIntegrationId}/webhooks`)).status).toBe(
				403,
			);
			const own = await asIntegration.get('/integrations/me/webhooks');
			expect(own.status).toBe(200);
			expect(own.body).toEqual({ webhooks: [] });
			expect(
				(await asIntegration.get(`/integrations/${SUNSHINE_SEED.botIntegrationId}/webhooks`))
					.status,
			).toBe(200);
		});

		it('stops authenticating a deleted key', async () => {
			const spare = (
				await api.post(`/integrations/${SUNSHINE_SEED.botIntegrationId}/keys`, {
					displayName: 'spare',
				})
			).body.key;
			expect(
				(await api.withAuth(basicAuth(spare.id, spare.secret)).get('/users/int-basic')).status,
			).toBe(200);
			expect(
				(await api.delete(`/integrations/${SUNSHINE_SEED.botIntegrationId}/keys/${spare.id}`))
					.status,
			).toBe(200);
			expect(
				(await api.withAuth(basicAuth(spare.id, spare.secret)).get('/users/int-basic')).status,
			).toBe(401);
		});
	});
});
