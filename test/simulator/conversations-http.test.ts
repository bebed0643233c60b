import { getIntrospectionQuery } from 'graphql';

import {
	ManualClock,
	SIM_BOT_AGENT_ID,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../simulator';
import {
	control,
	postGraphql,
	START_MUTATION,
	startSessionHttp,
	UUID,
} from './conversations-helpers';

/** POST /graphql/request: startAgentSession, its limits and every way a request can be wrong. */
describe('conversations API over HTTP', () => {
	let sim: Simulator;
	let clock: ManualClock;

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await control(sim, 'reset');
		clock.advance(3_600_000);
	});

	function expectError(
		answer: { status: number; body: any },
		status: number,
		name: string,
		message: unknown = expect.any(String),
	) {
		expect(answer.status).toBe(status);
		expect(answer.body).toEqual({ errors: [{ name, message, UUID }] });
	}

	it('starts a session with the token as a variable and answers the documented body', async () => {
		const answer = await startSessionHttp(sim);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		const { session_id, client_id } = answer.body.data.startAgentSession;
		expect(answer.body).toEqual({
			data: {
				startAgentSession: {
					websocket_url: `${sim.urls.conversationsWs}${session_id}:${client_id}`,
					session_id: expect.stringMatching(/^[0-9a-z]{6}$/),
					client_id: expect.stringMatching(/^\d{10}$/),
				},
			},
		});
		expect(answer.body.data.startAgentSession.websocket_url).toMatch(
			/^ws:\/\/127\.0\.0\.1:\d+\/stream\/0\.1\/graphql\/[0-9a-z]{6}:\d{10}$/,
		);
	});

	it("accepts the getting-started sample's inline-literal form", async () => {
		// Copied from the doc's superagent sample, with the token substituted.
		const query = `mutation {  startAgentSession(access_token: "${SIM_TOKENS.bot}") {    websocket_url    session_id    client_id  }}`;
		const answer = await postGraphql(sim, { query });
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.body.data.startAgentSession).sort()).toEqual([
			'client_id',
			'session_id',
			'websocket_url',
		]);
	});

	it('selects only the requested fields, with aliases', async () => {
		const answer = await postGraphql(sim, {
			query: 'mutation($t: String!) { s: startAgentSession(access_token: $t) { session_id } }',
			variables: { t: SIM_TOKENS.bot },
		});
		expect(answer.body).toEqual({
			data: { s: { session_id: expect.stringMatching(/^[0-9a-z]{6}$/) } },
		});
	});

	describe('UNAUTHORIZED', () => {
		it('refuses an unknown token', async () => {
			expectError(await startSessionHttp(sim, 'no-such-token'), 401, 'UNAUTHORIZED');
		});

		it('refuses a revoked token', async () => {
			expectError(await startSessionHttp(sim, SIM_TOKENS.revoked), 401, 'UNAUTHORIZED');
		});

		it('refuses an expired token', async () => {
			sim.world.addToken({
				accessToken: 'expired-token',
				agentId: SIM_BOT_AGENT_ID,
				expiresAt: clock.now() - 1,
			});
			expectError(await startSessionHttp(sim, 'expired-token'), 401, 'UNAUTHORIZED');
			sim.world.addToken({
				accessToken: 'fresh-token',
				agentId: SIM_BOT_AGENT_ID,
				expiresAt: clock.now() + 60_000,
			});
			expect((await startSessionHttp(sim, 'fresh-token')).status).toBe(200);
		});

		it("refuses a disabled agent's token", async () => {
			sim.world.addAgent({ id: 1099, displayName: 'Disabled Agent', enabled: false });
			sim.world.addToken({ accessToken: 'disabled-agent-token', agentId: 1099 });
			expectError(await startSessionHttp(sim, 'disabled-agent-token'), 401, 'UNAUTHORIZED');
		});
	});

	it('answers FORBIDDEN to a token without the read, write and chat scopes', async () => {
		const answer = await startSessionHttp(sim, SIM_TOKENS.readOnly);
		expectError(answer, 403, 'FORBIDDEN');
		expect(answer.body.errors[0].message).toContain('write, chat');
		sim.world.addToken({
			accessToken: 'no-chat-scope',
			agentId: SIM_HUMAN_AGENT_ID,
			scopes: ['read', 'write'],
		});
		expectError(await startSessionHttp(sim, 'no-chat-scope'), 403, 'FORBIDDEN');
	});

	describe('RATE_LIMITED', () => {
		it('allows 1 start per second per agent, with Retry-After', async () => {
			expect((await startSessionHttp(sim)).status).toBe(200);
			const refused = await startSessionHttp(sim);
			expectError(refused, 429, 'RATE_LIMITED');
			expect(refused.headers.get('retry-after')).toBe('1');
			// Another agent has its own budget.
			expect((await startSessionHttp(sim, SIM_TOKENS.human)).status).toBe(200);
			clock.advance(999);
			expect((await startSessionHttp(sim)).status).toBe(429);
			clock.advance(1);
			expect((await startSessionHttp(sim)).status).toBe(200);
		});

		it('allows 50 starts per hour per agent', async () => {
			const first = clock.now();
			for (let i = 0; i < 50; i++) {
				expect((await startSessionHttp(sim)).status).toBe(200);
				clock.advance(1000);
			}
			const refused = await startSessionHttp(sim);
			expectError(refused, 429, 'RATE_LIMITED');
			expect(refused.body.errors[0].message).toContain('50 per hour');
			expect(Number(refused.headers.get('retry-after'))).toBe(3600 - 50);
			clock.advance(first + 3_600_000 - clock.now());
			expect((await startSessionHttp(sim)).status).toBe(200);
		});

		it('does not spend the budget on refused tokens', async () => {
			expect((await startSessionHttp(sim, SIM_TOKENS.revoked)).status).toBe(401);
			expect((await startSessionHttp(sim, SIM_TOKENS.readOnly)).status).toBe(403);
			expect((await startSessionHttp(sim)).status).toBe(200);
		});
	});

	describe('malformed requests', () => {
		it('answers GRAPHQL_EXEC_ERROR to a body that is not JSON', async () => {
			expectError(
				await postGraphql(sim, '{"query": "mutation {'),
				400,
				'GRAPHQL_EXEC_ERROR',
				'the request body is not valid JSON',
			);
		});

		it('answers GRAPHQL_EXEC_ERROR to an empty body, a missing query and bad variables', async () => {
			expectError(await postGraphql(sim, ''), 400, 'GRAPHQL_EXEC_ERROR');
			expectError(
				await postGraphql(sim, { variables: {} }),
				400,
				'GRAPHQL_EXEC_ERROR',
				'the request payload needs a "query" string',
			);
			expectError(await postGraphql(sim, [START_MUTATION]), 400, 'GRAPHQL_EXEC_ERROR');
			expectError(
				await postGraphql(sim, { query: START_MUTATION, variables: '{"access_token":"x"}' }),
				400,
				'GRAPHQL_EXEC_ERROR',
				'"variables" must be a JSON object',
			);
		});

		it("answers a syntax error with graphql's message", async () => {
			expectError(
				await postGraphql(sim, { query: 'mutation { startAgentSession(' }),
				400,
				'GRAPHQL_EXEC_ERROR',
				'Syntax Error: Expected Name, found <EOF>.',
			);
		});

		it('rejects what a GraphQL server would reject: unknown fields, wrong types, missing variables', async () => {
			expectError(
				await postGraphql(sim, {
					query:
						'mutation($t: String!) { startAgentSession(access_token: $t) { websocket_url token } }',
					variables: { t: 'x' },
				}),
				400,
				'GRAPHQL_EXEC_ERROR',
				'Cannot query field "token" on type "StartAgentSessionPayload".',
			);
			expectError(
				await postGraphql(sim, {
					query: 'mutation { startAgentSession(access_token: 42) { session_id } }',
				}),
				400,
				'GRAPHQL_EXEC_ERROR',
				'String cannot represent a non string value: 42',
			);
			expectError(
				await postGraphql(sim, { query: START_MUTATION }),
				400,
				'GRAPHQL_EXEC_ERROR',
				'Variable "$access_token" of required type "String!" was not provided.',
			);
			expectError(
				await postGraphql(sim, { query: START_MUTATION, variables: { access_token: 7 } }),
				400,
				'GRAPHQL_EXEC_ERROR',
				'Variable "$access_token" got invalid value 7; String cannot represent a non string value: 7',
			);
		});

		it("rejects the doc's own request-payload example (its $token is undefined) and honours operationName", async () => {
			const docExample = `mutation updateVisitor {    updateVisitorInfo(display_name: "jim", visitor_id: "2.jlgwAAseGzxwEr") {      success    }  }
  mutation startSession($access_token: String!)  {    startAgentSession(access_token: $token) {      websocket_url      session_id      client_id    }  }`;
			const asDocumented = await postGraphql(sim, {
				query: docExample,
				operationName: 'startSession',
				variables: { access_token: SIM_TOKENS.bot },
			});
			expect(asDocumented.status).toBe(400);
			expect(asDocumented.body).toEqual({
				errors: [
					{
						name: 'GRAPHQL_EXEC_ERROR',
						message: 'Variable "$token" is not defined by operation "startSession".',
						UUID,
					},
					{
						name: 'GRAPHQL_EXEC_ERROR',
						message: 'Variable "$access_token" is never used in operation "startSession".',
						UUID,
					},
				],
			});
			const fixed = docExample.replace('$token', '$access_token');
			const multiple = await postGraphql(sim, {
				query: fixed,
				variables: { access_token: SIM_TOKENS.bot },
			});
			expectError(
				multiple,
				400,
				'GRAPHQL_EXEC_ERROR',
				'Must provide operation name if query contains multiple operations.',
			);
			const chosen = await postGraphql(sim, {
				query: fixed,
				operationName: 'startSession',
				variables: { access_token: SIM_TOKENS.bot },
			});
			expect(chosen.status).toBe(200);
			expect(chosen.body.data.startAgentSession.session_id).toMatch(/^[0-9a-z]{6}$/);
			expectError(
				await postGraphql(sim, {
					query: fixed,
					operationName: 'nope',
					variables: { access_token: SIM_TOKENS.bot },
				}),
				400,
				'GRAPHQL_EXEC_ERROR',
				'Unknown operation named "nope".',
			);
		});

		it('answers 405 to a GET', async () => {
			expectError(await postGraphql(sim, undefined, 'GET'), 405, 'GRAPHQL_EXEC_ERROR');
		});
	});

	describe('other operations over HTTP', () => {
		it('refuses queries and mutations with UNAUTHORIZED: they need the WebSocket session', async () => {
			const query = await postGraphql(sim, { query: '{ departments { edges { node { id } } } }' });
			expectError(query, 401, 'UNAUTHORIZED');
			expect(query.body.errors[0].message).toContain('departments needs an agent session');
			const mutation = await postGraphql(sim, {
				query: 'mutation { sendMessage(channel_id: "x", msg: "hi") { success } }',
			});
			expectError(mutation, 401, 'UNAUTHORIZED');
		});

		it('does not run startAgentSession when the same document asks for more', async () => {
			const before = sim.conversations.control.sessionStarts().total;
			const mixed = await postGraphql(sim, {
				query: `mutation($t: String!) { startAgentSession(access_token: $t) { session_id } updateAgentStatus(status: ONLINE) { node { id } } }`,
				variables: { t: SIM_TOKENS.bot },
			});
			expectError(mixed, 401, 'UNAUTHORIZED');
			expect(sim.conversations.control.sessionStarts().total).toBe(before);
			expect(sim.conversations.control.sessions()).toEqual([]);
		});

		it('refuses subscriptions', async () => {
			expectError(
				await postGraphql(sim, { query: 'subscription { message { node { id } } }' }),
				400,
				'GRAPHQL_EXEC_ERROR',
			);
		});

		it('serves introspection (the doc points GraphQL IDEs at this endpoint)', async () => {
			const small = await postGraphql(sim, {
				query: '{ __schema { mutationType { name } subscriptionType { name } } }',
			});
			expect(small).toMatchObject({ status: 200 });
			expect(small.body).toEqual({
				data: {
					__schema: {
						mutationType: { name: 'Mutation' },
						subscriptionType: { name: 'Subscription' },
					},
				},
			});
			const full = await postGraphql(sim, { query: getIntrospectionQuery() });
			expect(full.status).toBe(200);
			const mutations = full.body.data.__schema.types
				.find((t: any) => t.name === 'Mutation')
				.fields.map((f: any) => f.name);
			expect(mutations).toEqual(
				expect.arrayContaining([
					'startAgentSession',
					'sendMessage',
					'sendQuickReplies',
					'transferToDepartment',
					'addTags',
				]),
			);
			expect(mutations).not.toContain('removeTags');
		});
	});

	describe('counting and injected failures', () => {
		it('counts every startAgentSession call, success or not, by agent and outcome', async () => {
			await startSessionHttp(sim);
			await startSessionHttp(sim);
			await startSessionHttp(sim, SIM_TOKENS.readOnly);
			await startSessionHttp(sim, 'unknown');
			await startSessionHttp(sim, SIM_TOKENS.human);
			await postGraphql(sim, 'not json');
			const counted = await control(sim, 'sessionStarts');
			expect(counted.status).toBe(200);
			expect(counted.body.result).toEqual({
				total: 5,
				succeeded: 2,
				byAgent: { [SIM_BOT_AGENT_ID]: 3, [SIM_HUMAN_AGENT_ID]: 1 },
				byOutcome: { ok: 2, RATE_LIMITED: 1, FORBIDDEN: 1, UNAUTHORIZED: 1 },
				httpRequests: 6,
			});
		});

		it('fails the next starts with an injected error name', async () => {
			expect(
				(await control(sim, 'failNextSessionStarts', { count: 2, name: 'UNAUTHORIZED' })).body
					.result,
			).toEqual({ queued: 2 });
			expectError(await startSessionHttp(sim), 401, 'UNAUTHORIZED', 'injected UNAUTHORIZED');
			expectError(await startSessionHttp(sim), 401, 'UNAUTHORIZED', 'injected UNAUTHORIZED');
			expect((await startSessionHttp(sim)).status).toBe(200);
			await control(sim, 'failNextSessionStarts', {});
			expectError(await startSessionHttp(sim), 429, 'RATE_LIMITED');
			expect(sim.conversations.control.sessionStarts().byOutcome).toEqual({
				UNAUTHORIZED: 2,
				ok: 1,
				RATE_LIMITED: 1,
			});
		});

		it('refuses an unknown error name in the control API', async () => {
			const refused = await control(sim, 'failNextSessionStarts', { name: 'TEAPOT' });
			expect(refused.status).toBe(400);
			expect(refused.body.description).toContain('UNAUTHORIZED, FORBIDDEN');
		});

		it('applies HTTP faults queued for the conversations API', async () => {
			sim.faults.failNextHttp({ api: 'conversations', status: 503, retryAfter: 2 });
			const res = await fetch(sim.urls.conversationsHttp, {
				method: 'POST',
				body: JSON.stringify({ query: START_MUTATION }),
			});
			expect(res.status).toBe(503);
			expect(res.headers.get('retry-after')).toBe('2');
			expect((await startSessionHttp(sim)).status).toBe(200);
		});
	});
});
