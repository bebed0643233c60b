import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';

import { buildConversationsSchema } from '../../simulator/conversations';
import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import { control, gql, openSession, postGraphql, UUID } from './conversations-helpers';

/**
 * Introspection of the instance's schema. getting-started: GraphQL IDEs can be pointed at
 * https://chat-api.zopim.com/graphql/request "to help you construct your GraphQL queries with
 * autocompletion and error detection ... you can't use them to make actual requests since they don't
 * have your authentication information": so the HTTP endpoint answers introspection without a token.
 */
describe('conversations introspection', () => {
	let sim: Simulator;
	let clock: ManualClock;

	beforeAll(async () => {
		clock = new ManualClock('2026-01-05T09:00:00Z');
		sim = await startSimulator({ clock });
	});
	afterAll(() => sim.close());
	beforeEach(() => control(sim, 'reset'));

	describe('over HTTP, without a token', () => {
		it("answers graphql's full introspection query with the served schema, and starts no session", async () => {
			const answer = await postGraphql(sim, { query: getIntrospectionQuery() });
			expect(answer.status).toBe(200);
			expect(answer.body.errors).toBeUndefined();
			expect(printSchema(buildClientSchema(answer.body.data))).toBe(
				printSchema(buildConversationsSchema()),
			);
			expect(sim.conversations.control.sessionStarts().total).toBe(0);
			expect(sim.conversations.control.sessions()).toEqual([]);
		});

		it('answers __type', async () => {
			const answer = await postGraphql(sim, {
				query: '{ __type(name: "Message") { kind interfaces { name } fields { name } } }',
			});
			expect(answer).toMatchObject({ status: 200 });
			expect(answer.body).toEqual({
				data: {
					__type: {
						kind: 'OBJECT',
						interfaces: [],
						fields: [
							'channel',
							'content',
							'from',
							'id',
							'msg_id',
							'options',
							'sender_name',
							'timestamp',
						].map((name) => ({ name })),
					},
				},
			});
		});

		it('follows the refused fields as they change', async () => {
			const visitorFields = async () =>
				(
					await postGraphql(sim, { query: '{ __type(name: "Visitor") { fields { name } } }' })
				).body.data.__type.fields.map((f: { name: string }) => f.name);
			expect(await visitorFields()).toContain('id');
			await control(sim, 'refuseFields', { fields: ['Visitor.id'] });
			expect(await visitorFields()).not.toContain('id');
			expect(await visitorFields()).toContain('display_name');
			await control(sim, 'refuseFields', { fields: [] });
			expect(await visitorFields()).toContain('id');
		});

		it("refuses an invalid introspection query with graphql's message", async () => {
			const answer = await postGraphql(sim, { query: '{ __schema { nope } }' });
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				errors: [
					{
						name: 'GRAPHQL_EXEC_ERROR',
						message: 'Cannot query field "nope" on type "__Schema".',
						UUID,
					},
				],
			});
		});

		it('keeps refusing anything else without a session, even beside introspection', async () => {
			const mixed = await postGraphql(sim, {
				query: '{ __schema { queryType { name } } agents { edges { node { id } } } }',
			});
			expect(mixed.status).toBe(401);
			expect(mixed.body.errors).toEqual([
				{
					name: 'UNAUTHORIZED',
					message:
						'agents needs an agent session: call startAgentSession here, then send agents over the WebSocket at websocket_url',
					UUID,
				},
			]);
			const mutation = await postGraphql(sim, {
				query: 'mutation { leaveChannel(channel_id: "x") { success } }',
			});
			expect(mutation.status).toBe(401);
			expect(mutation.body.errors[0].name).toBe('UNAUTHORIZED');
		});
	});

	describe('over the agent WebSocket', () => {
		it('answers the full introspection query in a response frame', async () => {
			const { probe } = await openSession(sim, clock);
			const answer = await gql(probe, getIntrospectionQuery());
			expect(answer.errorCode).toBeUndefined();
			expect(printSchema(buildClientSchema(answer.payload.data))).toBe(
				printSchema(buildConversationsSchema()),
			);
			await probe.close();
		});
	});

	describe('of a simulator serving a variant', () => {
		it('is that variant, over HTTP and over the WebSocket', async () => {
			const variant = {
				unseenIdArgs: 'String',
				unseenNullability: 'nullable',
				refuseFields: ['MemberJoinLog.channel'],
			} as const;
			const other = await startSimulator({
				clock,
				conversations: { schemaVariant: { ...variant, refuseFields: [...variant.refuseFields] } },
			});
			try {
				const expected = printSchema(
					buildConversationsSchema({ ...variant, refuseFields: [...variant.refuseFields] }),
				);
				expect(expected).not.toBe(printSchema(buildConversationsSchema()));
				const overHttp = await postGraphql(other, { query: getIntrospectionQuery() });
				expect(printSchema(buildClientSchema(overHttp.body.data))).toBe(expected);
				const { probe } = await openSession(other, clock);
				const overSocket = await gql(probe, getIntrospectionQuery());
				expect(printSchema(buildClientSchema(overSocket.payload.data))).toBe(expected);
				await probe.close();
			} finally {
				await other.close();
			}
		});
	});
});
