import {
	buildClientSchema,
	getIntrospectionQuery,
	getNamedType,
	isEnumType,
	isInputObjectType,
	isInterfaceType,
	isObjectType,
	isUnionType,
	type GraphQLField,
	type GraphQLNamedType,
	type GraphQLSchema,
} from 'graphql';

import { buildConversationsSchema } from '../../simulator/conversations';
import { startSimulator, type Simulator } from '../../simulator';
import { postGraphql } from './conversations-helpers';

/**
 * Every exact fact of /work/shared/reference/conversations-api-schema.md (what Zendesk's public schema
 * pages show), checked with graphql-js on the schema the simulator builds and on the one it serves
 * over HTTP introspection. Facts marked [inferred] there (the "Required by" lists) are checked too:
 * graphdoc lists every type that references the page's type in a field, an argument or an implements.
 */
describe('conversations schema: what the public schema pages show', () => {
	let sim: Simulator;
	let served: GraphQLSchema;

	beforeAll(async () => {
		sim = await startSimulator();
		const answer = await postGraphql(sim, { query: getIntrospectionQuery() });
		expect(answer.status).toBe(200);
		served = buildClientSchema(answer.body.data);
	});
	afterAll(() => sim.close());

	/** "name(arg: Type, ...): Type" of a field, as the pages print it. */
	function signature(field: GraphQLField<unknown, unknown>): string {
		const args = field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ');
		return `${field.name}${args ? `(${args})` : ''}: ${String(field.type)}`;
	}

	/** Every named type that references `target` in a field's type, an argument's type, an implements or a union member. */
	function requiredBy(schema: GraphQLSchema, target: string): string[] {
		const referencing = (type: GraphQLNamedType): boolean => {
			if (isObjectType(type) || isInterfaceType(type)) {
				if (type.getInterfaces().some((i) => i.name === target)) return true;
				return Object.values(type.getFields()).some(
					(f) =>
						getNamedType(f.type).name === target ||
						f.args.some((a) => getNamedType(a.type).name === target),
				);
			}
			if (isInputObjectType(type))
				return Object.values(type.getFields()).some((f) => getNamedType(f.type).name === target);
			if (isUnionType(type)) return type.getTypes().some((t) => t.name === target);
			return false;
		};
		return Object.values(schema.getTypeMap())
			.filter((t) => !t.name.startsWith('__') && t.name !== target && referencing(t))
			.map((t) => t.name)
			.sort();
	}

	describe.each([
		['built by the simulator', () => buildConversationsSchema()],
		['served over HTTP introspection', () => served],
	])('the schema %s', (_label, schemaOf) => {
		const schema = () => schemaOf();
		const mutationFields = () => schema().getMutationType()!.getFields();

		describe('Mutation (mutation.doc.html, lines 1-53)', () => {
			it('lists the seen fields first, in the page order', () => {
				expect(Object.keys(mutationFields()).slice(0, 7)).toEqual([
					'startAgentSession',
					'stopAgentSession',
					'addTags',
					'inviteAgent',
					'leaveChannel',
					'listenVisitorChannel',
					'sendMessage',
				]);
			});

			it('has the seen signatures exactly (arguments alphabetical, types and nullability)', () => {
				const fields = mutationFields();
				expect(signature(fields.startAgentSession)).toBe(
					'startAgentSession(access_token: String!): StartAgentSessionPayload!',
				);
				expect(signature(fields.stopAgentSession)).toBe(
					'stopAgentSession: StopAgentSessionPayload!',
				);
				expect(signature(fields.addTags)).toBe(
					'addTags(channel_id: ID!, tags: [String!]!): AddTagsPayload!',
				);
				expect(signature(fields.inviteAgent)).toBe(
					'inviteAgent(agent_id: ID!, channel_id: ID!, leave: Boolean): InviteAgentPayload!',
				);
				expect(signature(fields.leaveChannel)).toBe(
					'leaveChannel(channel_id: ID!): LeaveChannelPayload!',
				);
				expect(signature(fields.listenVisitorChannel)).toBe(
					'listenVisitorChannel(channel_id: ID!): ListenVisitorChannelPayload!',
				);
			});

			it("has sendMessage's argument names in the page's order", () => {
				expect(mutationFields().sendMessage.args.map((a) => a.name)).toEqual([
					'backoff',
					'channel_id',
					'msg',
					'msg_id',
					'options',
				]);
			});

			it('returns a non-null <MutationName>Payload from every mutation', () => {
				for (const field of Object.values(mutationFields())) {
					const payload = `${field.name[0].toUpperCase()}${field.name.slice(1)}Payload`;
					expect(`${field.name}: ${String(field.type)}`).toBe(`${field.name}: ${payload}!`);
				}
			});

			it('lists the arguments of every field alphabetically, as in every seen case', () => {
				for (const field of Object.values(mutationFields())) {
					const names = field.args.map((a) => a.name);
					expect(`${field.name}(${names.join(', ')})`).toBe(
						`${field.name}(${[...names].sort().join(', ')})`,
					);
				}
			});
		});

		describe('Message (message.doc.html, complete)', () => {
			it('has exactly the eight fields of the page, with their types and nullability', () => {
				const message = schema().getType('Message');
				expect(isObjectType(message)).toBe(true);
				if (!isObjectType(message)) return;
				expect(Object.values(message.getFields()).map(signature)).toEqual([
					'channel: Channel!',
					'content: String!',
					'from: User!',
					'id: ID!',
					'msg_id: String',
					'options: [String!]',
					'sender_name: String!',
					'timestamp: Float',
				]);
			});

			it('implements nothing', () => {
				const message = schema().getType('Message');
				expect(isObjectType(message) && message.getInterfaces()).toEqual([]);
			});
		});

		describe('Channel (channel.doc.html)', () => {
			it('is an interface with agents: AgentConnection (no arguments, nullable) and id: ID!', () => {
				const channel = schema().getType('Channel');
				expect(isInterfaceType(channel)).toBe(true);
				if (!isInterfaceType(channel)) return;
				const fields = channel.getFields();
				expect(signature(fields.agents)).toBe('agents: AgentConnection');
				expect(signature(fields.id)).toBe('id: ID!');
			});

			it('leaves out the chat-log field whose name the page does not show', () => {
				const channel = schema().getType('Channel');
				if (!isInterfaceType(channel)) throw new Error('Channel is not an interface');
				expect(Object.keys(channel.getFields())).toEqual(['agents', 'id']);
				expect(schema().getType('ChatLogConnection')).toBeUndefined();
			});

			it('is required by exactly the types of its "Required by" list', () => {
				expect(requiredBy(schema(), 'Channel')).toEqual(
					[
						'AgentChannel',
						'ChannelEdge',
						'MemberChangeLog',
						'MemberJoinLog',
						'MemberLeaveLog',
						'Message',
						'VisitorChannel',
					].sort(),
				);
			});

			it('is implemented by VisitorChannel and AgentChannel', () => {
				expect(
					schema()
						.getPossibleTypes(schema().getType('Channel') as never)
						.map((t) => t.name)
						.sort(),
				).toEqual(['AgentChannel', 'VisitorChannel']);
			});
		});

		describe('CHANNEL_STATE (channel_state.doc.html, complete)', () => {
			it('is an enum of exactly the five values of the page', () => {
				const state = schema().getType('CHANNEL_STATE');
				expect(isEnumType(state)).toBe(true);
				if (!isEnumType(state)) return;
				expect(state.getValues().map((v) => v.name)).toEqual([
					'ASSIGNED',
					'CLOSED',
					'CLOSING',
					'INCOMING',
					'ONGOING',
				]);
			});
		});

		describe('ID (id.doc.html, its "Required by" list)', () => {
			it('is used by exactly the types of the list: no Node interface, no input or payload type, no Query or Subscription argument', () => {
				expect(requiredBy(schema(), 'ID')).toEqual(
					[
						'Agent',
						'AgentChannel',
						'Channel',
						'Department',
						'GraphQLSubscription',
						'MemberChangeLog',
						'MemberJoinLog',
						'MemberLeaveLog',
						'Message',
						'Mutation',
						'User',
						'Visitor',
						'VisitorChannel',
					].sort(),
				);
				expect(schema().getType('Node')).toBeUndefined();
			});

			it('gives each type of the list the kind the page describes', () => {
				const kinds = Object.fromEntries(
					[
						'Agent',
						'AgentChannel',
						'Channel',
						'Department',
						'GraphQLSubscription',
						'MemberChangeLog',
						'MemberJoinLog',
						'MemberLeaveLog',
						'Message',
						'Mutation',
						'User',
						'Visitor',
						'VisitorChannel',
					].map((name) => {
						const type = schema().getType(name);
						return [
							name,
							isInterfaceType(type) ? 'interface' : isObjectType(type) ? 'object' : 'other',
						];
					}),
				);
				expect(kinds).toEqual({
					Agent: 'object',
					AgentChannel: 'object',
					Channel: 'interface',
					Department: 'object',
					GraphQLSubscription: 'object',
					MemberChangeLog: 'object',
					MemberJoinLog: 'object',
					MemberLeaveLog: 'object',
					Message: 'object',
					Mutation: 'object',
					User: 'interface',
					Visitor: 'object',
					VisitorChannel: 'object',
				});
			});
		});

		describe('type names in the seen signatures', () => {
			it('are all defined, the payloads as object types', () => {
				for (const name of [
					'StartAgentSessionPayload',
					'StopAgentSessionPayload',
					'AddTagsPayload',
					'InviteAgentPayload',
					'LeaveChannelPayload',
					'ListenVisitorChannelPayload',
				]) {
					expect(`${name}: ${isObjectType(schema().getType(name))}`).toBe(`${name}: true`);
				}
				for (const name of ['AgentConnection', 'ChannelEdge'])
					expect(`${name}: ${isObjectType(schema().getType(name))}`).toBe(`${name}: true`);
			});
		});
	});
});
