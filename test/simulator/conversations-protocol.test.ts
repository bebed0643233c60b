import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import type { WsProbe } from '../helpers/ws-probe';
import { control, gql, openSession, sleep, subscribe, UUID } from './conversations-helpers';

const MESSAGE_SUBSCRIPTION = 'subscription { message { node { id } } }';

/**
 * The WebSocket frames of getting-started "WebSocket request and response body structure", and the
 * per-session limits of the overview's "Rate limits", compared field by field.
 */
describe('conversations WebSocket protocol', () => {
	let sim: Simulator;
	let clock: ManualClock;
	let probe: WsProbe;

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await control(sim, 'reset');
		sim.faults.reset();
		probe = (await openSession(sim, clock)).probe;
	});
	afterEach(() => probe.close());

	function execError(
		id: number | string,
		message: unknown = expect.any(String),
		name = 'GRAPHQL_EXEC_ERROR',
		errorCode = 400,
	) {
		return { errorCode, payload: { errors: [{ name, message, UUID }] }, id };
	}

	describe('query and mutation frames', () => {
		it('answers {payload: graphQLResponse, id}, echoing a number id', async () => {
			const answer = await gql(
				probe,
				'query { departments { edges { node { name status } } } }',
				undefined,
				{ id: 17 },
			);
			expect(answer).toEqual({
				payload: {
					data: {
						departments: {
							edges: [
								{ node: { name: 'Sales', status: 'ONLINE' } },
								{ node: { name: 'Support', status: 'ONLINE' } },
								{ node: { name: 'Billing', status: 'OFFLINE' } },
							],
						},
					},
				},
				id: 17,
			});
		});

		it('echoes a string id', async () => {
			const answer = await gql(probe, '{ agents { edges { node { display_name } } } }', undefined, {
				id: 'req-a',
			});
			expect(answer).toEqual({
				payload: {
					data: {
						agents: {
							edges: [
								{ node: { display_name: 'Ada Bot' } },
								{ node: { display_name: 'Grace Hopper' } },
							],
						},
					},
				},
				id: 'req-a',
			});
		});

		it('answers in the order the requests were sent', async () => {
			const from = probe.frames.length;
			for (let id = 100; id < 110; id++)
				probe.send({ type: 'request', id, payload: { query: '{ graphQLSubscriptions { id } }' } });
			await probe.next((f) => f.id === 109, { from });
			expect(probe.frames.slice(from).map((f: any) => f.id)).toEqual([
				100, 101, 102, 103, 104, 105, 106, 107, 108, 109,
			]);
		});

		it('runs the named operation of a multi-operation document', async () => {
			const query =
				'query A { agents { edges { node { display_name } } } } query B { departments { edges { node { name } } } }';
			const answer = await gql(probe, query, undefined, { operationName: 'B', id: 3 });
			expect(Object.keys(answer.payload.data)).toEqual(['departments']);
			expect(await gql(probe, query, undefined, { id: 4 })).toEqual(
				execError(4, 'Must provide operation name if query contains multiple operations.'),
			);
		});

		it("rejects with GRAPHQL_EXEC_ERROR and graphql's message: unknown field, wrong argument type, missing variable", async () => {
			expect(
				await gql(probe, '{ agents { edges { node { email } } } }', undefined, { id: 1 }),
			).toEqual(execError(1, 'Cannot query field "email" on type "Agent".'));
			expect(
				await gql(
					probe,
					'mutation { updateAgentStatus(status: "ONLINE") { node { id } } }',
					undefined,
					{ id: 2 },
				),
			).toEqual(
				execError(
					2,
					'Enum "AGENT_STATUS" cannot represent non-enum value: "ONLINE". Did you mean the enum value "ONLINE" or "OFFLINE"?',
				),
			);
			expect(
				await gql(
					probe,
					'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "x") { success } }',
					{},
					{ id: 3 },
				),
			).toEqual(execError(3, 'Variable "$c" of required type "ID!" was not provided.'));
			expect(
				await gql(
					probe,
					'mutation($c: String!) { sendMessage(channel_id: $c, msg: "x") { success } }',
					{ c: 'x' },
					{ id: 4 },
				),
			).toEqual(
				execError(4, 'Variable "$c" of type "String!" used in position expecting type "ID!".'),
			);
			expect(await gql(probe, '{ removeTags }', undefined, { id: 5 })).toEqual(
				execError(5, 'Cannot query field "removeTags" on type "Query".'),
			);
		});

		it('rejects a payload without a query string', async () => {
			probe.send({ type: 'request', id: 9, payload: { variables: {} } });
			expect(await probe.next((f) => f.id === 9)).toEqual(
				execError(9, 'the request payload needs a "query" string'),
			);
			probe.send({ type: 'request', id: 10 });
			expect(await probe.next((f) => f.id === 10)).toEqual(execError(10));
		});

		it('refuses startAgentSession over the socket', async () => {
			const answer = await gql(
				probe,
				'mutation { startAgentSession(access_token: "sim-token-bot") { session_id } }',
				undefined,
				{ id: 11 },
			);
			expect(answer).toEqual(
				execError(11, 'startAgentSession runs over HTTP: POST /graphql/request'),
			);
			expect(sim.conversations.control.sessionStarts().total).toBe(1);
		});
	});

	describe('maximum query depth 11', () => {
		// departments(1) edges(2) node(3) agents(4) edges(5) node(6) departments(7) edges(8) node(9) agents(10) ...
		const depth11 =
			'{ departments { edges { node { agents { edges { node { departments { edges { node { agents { __typename } } } } } } } } } } }';
		const depth12 =
			'{ departments { edges { node { agents { edges { node { departments { edges { node { agents { edges { cursor } } } } } } } } } } } }';

		it('runs a query of depth 11', async () => {
			const answer = await gql(probe, depth11, undefined, { id: 1 });
			expect(
				answer.payload.data.departments.edges[0].node.agents.edges[0].node.departments.edges[0].node
					.agents,
			).toEqual({ __typename: 'AgentConnection' });
		});

		it('refuses depth 12 with GRAPHQL_EXEC_ERROR, fragments included', async () => {
			expect(await gql(probe, depth12, undefined, { id: 2 })).toEqual(
				execError(2, 'query depth 12 exceeds the maximum depth of 11'),
			);
			const viaFragment = `query { departments { ...Deep } } fragment Deep on DepartmentConnection { edges { node { agents { edges { node { departments { edges { node { agents { edges { cursor } } } } } } } } } } }`;
			expect(await gql(probe, viaFragment, undefined, { id: 3 })).toEqual(
				execError(3, 'query depth 12 exceeds the maximum depth of 11'),
			);
		});
	});

	describe('PING and PONG', () => {
		it('echoes the payload of a PING', async () => {
			for (const payload of [1767603600000, 'keepalive', { at: 5, nested: ['x'] }]) {
				expect(await probe.request({ sig: 'PING', payload }, (f) => f.sig === 'PONG')).toEqual({
					sig: 'PONG',
					payload,
				});
			}
		});

		it('leaves PINGs unanswered while pings are silenced', async () => {
			sim.faults.setPingSilenced({ api: 'conversations', silenced: true });
			const from = probe.frames.length;
			probe.send({ sig: 'PING', payload: 'anyone?' });
			expect(await probe.framesAfter(from, 150)).toEqual([]);
			sim.faults.setPingSilenced({ api: 'conversations', silenced: false });
			expect(
				await probe.request({ sig: 'PING', payload: 'back' }, (f) => f.sig === 'PONG'),
			).toEqual({ sig: 'PONG', payload: 'back' });
		});
	});

	describe('malformed frames get a protocolErrorPayload and the socket lives on', () => {
		it.each([
			[
				'text that is not JSON',
				'hello?',
				{ errorCode: 400, payload: { body: 'the frame is not valid JSON' } },
			],
			[
				'a JSON array',
				'[1,2]',
				{ errorCode: 400, payload: { body: 'the frame must be a JSON object' } },
			],
			[
				'JSON null',
				'null',
				{ errorCode: 400, payload: { body: 'the frame must be a JSON object' } },
			],
			[
				'an unknown type',
				'{"type":"hello","id":5}',
				{
					errorCode: 400,
					payload: {
						body: 'unknown frame type "hello": expected "request" or "stop_subscription"',
					},
					id: 5,
				},
			],
			[
				'no type at all',
				'{"id":"x"}',
				{
					errorCode: 400,
					payload: {
						body: 'unknown frame type undefined: expected "request" or "stop_subscription"',
					},
					id: 'x',
				},
			],
			[
				'a request without id',
				'{"type":"request","payload":{"query":"{ agents { edges { cursor } } }"}}',
				{ errorCode: 400, payload: { body: 'a "request" frame needs an "id" (number or string)' } },
			],
			[
				'an unknown sig',
				'{"sig":"HELLO","id":6}',
				{
					errorCode: 400,
					payload: { body: 'unknown sig "HELLO": only "PING" is sent by clients' },
					id: 6,
				},
			],
		])('%s', async (_label, text, expected) => {
			const from = probe.frames.length;
			probe.send(text);
			expect(await probe.next((f) => f.errorCode !== undefined, { from })).toEqual(expected);
			expect(
				await gql(probe, '{ graphQLSubscriptions { id } }', undefined, { id: 'after' }),
			).toEqual({ payload: { data: { graphQLSubscriptions: [] } }, id: 'after' });
		});
	});

	describe('subscriptions', () => {
		it('acknowledges with {payload: {data: {subscription_id}}, id} and stops with {payload: {data: {success: true}}, id}', async () => {
			const ack = await gql(probe, MESSAGE_SUBSCRIPTION, undefined, { id: 456 });
			expect(ack).toEqual({
				payload: { data: { subscription_id: expect.stringMatching(/^[0-9a-z]{11}$/) } },
				id: 456,
			});
			const subscriptionId = ack.payload.data.subscription_id;
			const stop = await probe.request(
				{ type: 'stop_subscription', id: 457, payload: { subscription_id: subscriptionId } },
				(f) => f.id === 457,
			);
			expect(stop).toEqual({ payload: { data: { success: true } }, id: 457 });
			const from = probe.frames.length;
			sim.world.startChat({ message: 'nobody listens' });
			expect(await probe.framesAfter(from, 100)).toEqual([]);
			const again = await probe.request(
				{ type: 'stop_subscription', id: 458, payload: { subscription_id: subscriptionId } },
				(f) => f.id === 458,
			);
			expect(again).toEqual(execError(458, `no subscription ${subscriptionId} in this session`));
			const noId = await probe.request(
				{ type: 'stop_subscription', id: 459, payload: {} },
				(f) => f.id === 459,
			);
			expect(noId).toEqual(
				execError(459, 'stop_subscription needs payload.subscription_id (a string)'),
			);
		});

		it('allows 10 subscriptions per session; the 11th gets MAX_SUB', async () => {
			const ids: string[] = [];
			for (let i = 0; i < 10; i++) ids.push(await subscribe(probe, MESSAGE_SUBSCRIPTION));
			expect(new Set(ids).size).toBe(10);
			expect(await gql(probe, MESSAGE_SUBSCRIPTION, undefined, { id: 'eleventh' })).toEqual(
				execError(
					'eleventh',
					'this session already has 10 subscriptions, the maximum',
					'MAX_SUB',
					400,
				),
			);
			await probe.request(
				{ type: 'stop_subscription', id: 'stop', payload: { subscription_id: ids[0] } },
				(f) => f.id === 'stop',
			);
			expect((await gql(probe, MESSAGE_SUBSCRIPTION)).payload.data.subscription_id).toMatch(
				/^[0-9a-z]{11}$/,
			);
		});

		it('refuses a subscription with two root fields or an unknown one', async () => {
			const two = await gql(
				probe,
				'subscription { message { node { id } } chatActivity { node { __typename } } }',
				undefined,
				{ id: 1 },
			);
			expect(two).toEqual(
				execError(1, 'Anonymous Subscription must select only one top level field.'),
			);
			const unknown = await gql(probe, 'subscription { agentStatus { node { id } } }', undefined, {
				id: 2,
			});
			expect(unknown).toEqual(
				execError(2, 'Cannot query field "agentStatus" on type "Subscription".'),
			);
		});

		it('fails injected subscription starts with GRAPHQL_SUB_START_ERROR, then starts again', async () => {
			expect((await control(sim, 'failNextSubscriptionStarts', { count: 2 })).body.result).toEqual({
				queued: 2,
			});
			const message = 'injected GRAPHQL_SUB_START_ERROR: the subscription could not start';
			expect(await gql(probe, MESSAGE_SUBSCRIPTION, undefined, { id: 1 })).toEqual(
				execError(1, message, 'GRAPHQL_SUB_START_ERROR', 500),
			);
			expect(await gql(probe, MESSAGE_SUBSCRIPTION, undefined, { id: 2 })).toEqual(
				execError(2, message, 'GRAPHQL_SUB_START_ERROR', 500),
			);
			expect(
				(await gql(probe, MESSAGE_SUBSCRIPTION, undefined, { id: 3 })).payload.data.subscription_id,
			).toBeDefined();
			expect(sim.conversations.control.sessions()[0].subscriptions).toHaveLength(1);
		});
	});

	describe('100 requests per second per session', () => {
		it('answers RATE_LIMITED to the 101st request in a second, not counting PINGs', async () => {
			const from = probe.frames.length;
			for (let id = 1; id <= 99; id++)
				probe.send({ type: 'request', id, payload: { query: '{ graphQLSubscriptions { id } }' } });
			probe.send({ type: 'stop_subscription', id: 100, payload: { subscription_id: 'none' } });
			for (let i = 0; i < 5; i++) probe.send({ sig: 'PING', payload: i });
			probe.send({
				type: 'request',
				id: 101,
				payload: { query: '{ graphQLSubscriptions { id } }' },
			});
			probe.send({ type: 'request', id: 102, payload: { query: MESSAGE_SUBSCRIPTION } });
			await probe.next((f) => f.id === 102, { from });
			const frames = probe.frames.slice(from) as any[];
			expect(frames.filter((f) => f.payload?.data?.graphQLSubscriptions)).toHaveLength(99);
			expect(frames.find((f) => f.id === 100)).toEqual(
				execError(100, 'no subscription none in this session'),
			);
			expect(frames.filter((f) => f.sig === 'PONG').map((f) => f.payload)).toEqual([0, 1, 2, 3, 4]);
			const limited = execError(
				101,
				'more than 100 requests per second in this session',
				'RATE_LIMITED',
				429,
			);
			expect(frames.find((f) => f.id === 101)).toEqual(limited);
			expect(frames.find((f) => f.id === 102)).toEqual({ ...limited, id: 102 });

			clock.advance(999);
			expect(
				(await gql(probe, '{ graphQLSubscriptions { id } }', undefined, { id: 103 })).errorCode,
			).toBe(429);
			clock.advance(1);
			expect(await gql(probe, '{ graphQLSubscriptions { id } }', undefined, { id: 104 })).toEqual({
				payload: { data: { graphQLSubscriptions: [] } },
				id: 104,
			});
		});

		it('counts each session separately', async () => {
			for (let id = 1; id <= 100; id++)
				probe.send({ type: 'request', id, payload: { query: '{ graphQLSubscriptions { id } }' } });
			await probe.next((f) => f.id === 100);
			const other = (await openSession(sim, undefined, 'sim-token-human')).probe;
			expect((await gql(other, '{ graphQLSubscriptions { id } }')).payload.data).toBeDefined();
			await other.close();
		});
	});

	describe('injected request failures', () => {
		it('fails the next requests with the injected name and errorCode', async () => {
			await control(sim, 'failNextRequests', { count: 2, name: 'RATE_LIMITED' });
			expect(await gql(probe, '{ graphQLSubscriptions { id } }', undefined, { id: 1 })).toEqual(
				execError(1, 'injected RATE_LIMITED', 'RATE_LIMITED', 429),
			);
			expect(await gql(probe, MESSAGE_SUBSCRIPTION, undefined, { id: 2 })).toEqual(
				execError(2, 'injected RATE_LIMITED', 'RATE_LIMITED', 429),
			);
			expect(await gql(probe, '{ graphQLSubscriptions { id } }', undefined, { id: 3 })).toEqual({
				payload: { data: { graphQLSubscriptions: [] } },
				id: 3,
			});
			await control(sim, 'failNextRequests', {
				name: 'UNAUTHORIZED',
				message: 'token revoked',
				errorCode: 401,
			});
			expect(await gql(probe, '{ graphQLSubscriptions { id } }', undefined, { id: 4 })).toEqual(
				execError(4, 'token revoked', 'UNAUTHORIZED', 401),
			);
			await control(sim, 'failNextRequests', {});
			expect(await gql(probe, '{ graphQLSubscriptions { id } }', undefined, { id: 5 })).toEqual(
				execError(5, 'injected GRAPHQL_EXEC_ERROR'),
			);
			expect((await control(sim, 'failNextRequests', { count: 0 })).status).toBe(400);
			expect((await control(sim, 'failNextRequests', { name: 'NOPE' })).status).toBe(400);
		});
	});

	describe('injected delays', () => {
		it('delays answers and PONGs but keeps the order of every frame', async () => {
			sim.faults.setDelay({ api: 'conversations', ms: 150 });
			const subscriptionId = await subscribe(
				probe,
				'subscription { message { node { content } } }',
			);
			const from = probe.frames.length;
			const started = Date.now();
			probe.send({
				type: 'request',
				id: 'slow',
				payload: { query: '{ graphQLSubscriptions { id } }' },
			});
			probe.send({ sig: 'PING', payload: 'p' });
			await sleep(20);
			sim.world.startChat({ message: 'queued behind' });
			await probe.next((f) => f.sig === 'DATA', { from });
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
			expect(probe.frames.slice(from)).toEqual([
				{ payload: { data: { graphQLSubscriptions: [{ id: subscriptionId }] } }, id: 'slow' },
				{ sig: 'PONG', payload: 'p' },
				{
					payload: { data: { message: { node: { content: 'queued behind' } } } },
					sig: 'DATA',
					subscription_id: subscriptionId,
				},
			]);
			sim.faults.setDelay({ api: 'conversations', ms: 0 });
		});
	});
});
