import { ManualClock, SIM_OAUTH_CLIENT, startSimulator, type Simulator } from '../../simulator';

/** Chat OAuth endpoints (NOTES.md section 2) on the simulator. */
describe('simulator: Chat OAuth', () => {
	let sim: Simulator;
	let clock: ManualClock;
	beforeAll(async () => {
		clock = new ManualClock();
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());

	const tokenRequest = (fields: Record<string, string>) =>
		fetch(`${sim.urls.base}/oauth2/chat/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(fields).toString(),
		});
	const client = {
		client_id: SIM_OAUTH_CLIENT.clientId,
		client_secret: SIM_OAUTH_CLIENT.clientSecret,
	};

	it('issues a working Chat token for client credentials, which expires after its lifetime', async () => {
		const res = await tokenRequest({
			grant_type: 'client_credentials',
			scope: 'read write chat',
			...client,
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as any;
		expect(body).toEqual({
			access_token: expect.stringMatching(/^sim-oauth-/),
			token_type: 'Bearer',
			expires_in: 36000,
			refresh_token: expect.stringMatching(/^sim-refresh-/),
			scope: 'read write chat',
		});
		expect(sim.world.authenticate(body.access_token)).toMatchObject({
			agentId: SIM_OAUTH_CLIENT.agentId,
			scopes: ['read', 'write', 'chat'],
		});
		clock.advance(36_000_000);
		expect(sim.world.authenticate(body.access_token)).toBeUndefined();
	});

	it('runs the authorization code flow (auto-approved) and refreshes once per refresh token', async () => {
		const authorize = await fetch(
			`${sim.urls.base}/oauth2/chat/authorizations/new?response_type=code&client_id=${client.client_id}&redirect_uri=${encodeURIComponent('http://localhost:5678/rest/oauth2-credential/callback')}&scope=read%20write%20chat&state=xyz`,
			{ redirect: 'manual' },
		);
		expect(authorize.status).toBe(302);
		const location = new URL(authorize.headers.get('location')!);
		expect(location.origin + location.pathname).toBe(
			'http://localhost:5678/rest/oauth2-credential/callback',
		);
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = location.searchParams.get('code')!;
		const first = (await (
			await tokenRequest({ grant_type: 'authorization_code', code, ...client })
		).json()) as any;
		expect(first.scope).toBe('read write chat');
		expect((await tokenRequest({ grant_type: 'authorization_code', code, ...client })).status).toBe(
			400,
		);
		const refreshed = await tokenRequest({
			grant_type: 'refresh_token',
			refresh_token: first.refresh_token,
			...client,
		});
		expect(refreshed.status).toBe(200);
		expect(((await refreshed.json()) as any).access_token).not.toBe(first.access_token);
		const again = await tokenRequest({
			grant_type: 'refresh_token',
			refresh_token: first.refresh_token,
			...client,
		});
		expect(again.status).toBe(400);
		expect(await again.json()).toEqual({
			error: 'invalid_grant',
			error_description: 'unknown refresh token',
		});
	});

	it('refuses a wrong client secret and an unknown grant', async () => {
		const wrong = await tokenRequest({
			grant_type: 'client_credentials',
			client_id: client.client_id,
			client_secret: 'nope',
		});
		expect(wrong.status).toBe(401);
		expect(((await wrong.json()) as any).error).toBe('invalid_client');
		const grant = await tokenRequest({ grant_type: 'password', ...client });
		expect(grant.status).toBe(400);
		expect(((await grant.json()) as any).error).toBe('unsupported_grant_type');
	});
});
