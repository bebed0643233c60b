import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import {
	buildClientSchema,
	buildSchema,
	getIntrospectionQuery,
	printSchema,
	validateSchema,
	type GraphQLSchema,
} from 'graphql';

import {
	buildConversationsSchema,
	conversationsSdl,
	type SchemaVariant,
} from '../../simulator/conversations';
import {
	ManualClock,
	SIM_DEPARTMENTS,
	SIM_HUMAN_AGENT_ID,
	startSimulator,
	type Simulator,
} from '../../simulator';
import type { WsProbe } from '../helpers/ws-probe';
import {
	control,
	gql,
	openSession,
	relayId,
	subscribe,
	UUID,
	waitForData,
} from './conversations-helpers';

/**
 * The schema variants: readings of the parts the public schema pages do not show (the argument types
 * of sendMessage, the structured messages, transferToDepartment, setTypingIndicator, updateAgentStatus,
 * updateVisitorInfo), and fields a server may refuse. A client that writes values as string literals
 * and selects only confirmed fields works under every one of them.
 */
const ID_READINGS = ['ID', 'String'] as const;
const STRING_READINGS = ['String', 'ID'] as const;
const NULLABILITIES = ['asIs', 'nullable', 'nonNull'] as const;
const ALL_VARIANTS: SchemaVariant[] = ID_READINGS.flatMap((unseenIdArgs) =>
	STRING_READINGS.flatMap((unseenStringArgs) =>
		NULLABILITIES.map((unseenNullability) => ({
			unseenIdArgs,
			unseenStringArgs,
			unseenNullability,
		})),
	),
);
const SEEN_MUTATIONS = [
	'startAgentSession',
	'stopAgentSession',
	'addTags',
	'inviteAgent',
	'leaveChannel',
	'listenVisitorChannel',
];

function argType(schema: GraphQLSchema, mutation: string, argument: string): string {
	const fields = schema.getMutationType()!.getFields();
	const arg = fields[mutation].args.find((a) => a.name === argument);
	return String(arg?.type);
}

function inputFieldType(schema: GraphQLSchema, input: string, field: string): string {
	return String(
		(schema.getType(input) as { getFields(): Record<string, { type: unknown }> }).getFields()[field]
			.type,
	);
}

describe('conversations schema variants', () => {
	describe('building', () => {
		it.each(ALL_VARIANTS.map((v) => [JSON.stringify(v), v]))(
			'builds a valid schema for %s',
			(_label, variant) => {
				const schema = buildConversationsSchema(variant);
				expect(validateSchema(schema)).toEqual([]);
				// conversationsSdl is the same schema as SDL.
				expect(printSchema(buildSchema(conversationsSdl(variant)))).toBe(printSchema(schema));
			},
		);

		it('types the unseen arguments and input fields as the variant says, and leaves Booleans and enums their type', () => {
			const asIs = buildConversationsSchema();
			expect(argType(asIs, 'sendMessage', 'channel_id')).toBe('ID!');
			expect(argType(asIs, 'sendMessage', 'msg')).toBe('String!');
			expect(argType(asIs, 'sendMessage', 'msg_id')).toBe('String');
			expect(argType(asIs, 'sendMessage', 'options')).toBe('[String!]');

			const swapped = buildConversationsSchema({ unseenIdArgs: 'String', unseenStringArgs: 'ID' });
			expect(argType(swapped, 'sendMessage', 'channel_id')).toBe('String!');
			expect(argType(swapped, 'transferToDepartment', 'department_id')).toBe('String!');
			expect(argType(swapped, 'updateVisitorInfo', 'visitor_id')).toBe('String!');
			expect(argType(swapped, 'sendMessage', 'msg')).toBe('ID!');
			expect(argType(swapped, 'sendMessage', 'msg_id')).toBe('ID');
			expect(argType(swapped, 'sendMessage', 'options')).toBe('[ID!]');
			expect(inputFieldType(swapped, 'QuickReplyInput', 'text')).toBe('ID!');
			expect(inputFieldType(swapped, 'QuickReplyActionInput', 'value')).toBe('ID!');
			expect(inputFieldType(swapped, 'PanelInput', 'heading')).toBe('ID!');
			expect(inputFieldType(swapped, 'FallbackInput', 'options')).toBe('[ID!]');
			expect(argType(swapped, 'sendMessage', 'backoff')).toBe('Boolean');
			expect(argType(swapped, 'updateAgentStatus', 'status')).toBe('AGENT_STATUS!');
			expect(inputFieldType(swapped, 'ButtonActionInput', 'type')).toBe('BUTTON_ACTION_TYPE!');

			const nullable = buildConversationsSchema({ unseenNullability: 'nullable' });
			expect(argType(nullable, 'sendMessage', 'channel_id')).toBe('ID');
			expect(argType(nullable, 'sendQuickReplies', 'quick_replies')).toBe('[QuickReplyInput!]');
			expect(argType(nullable, 'setTypingIndicator', 'typing')).toBe('Boolean');
			expect(argType(nullable, 'updateAgentStatus', 'status')).toBe('AGENT_STATUS');
			expect(inputFieldType(nullable, 'ButtonInput', 'action')).toBe('ButtonActionInput');

			const nonNull = buildConversationsSchema({ unseenNullability: 'nonNull' });
			expect(argType(nonNull, 'updateVisitorInfo', 'email')).toBe('String!');
			expect(argType(nonNull, 'sendMessage', 'channel_id')).toBe('ID!');
			expect(inputFieldType(nonNull, 'PanelInput', 'heading')).toBe('String!');
			// What public code leaves out, or a card's optional parts, stay optional in every reading.
			expect(argType(nonNull, 'sendMessage', 'msg_id')).toBe('String');
			expect(argType(nonNull, 'sendMessage', 'backoff')).toBe('Boolean');
			expect(argType(nonNull, 'sendPanelTemplate', 'fallback')).toBe('FallbackInput');
			expect(inputFieldType(nonNull, 'PanelInput', 'paragraph')).toBe('String');
		});

		it.each(ALL_VARIANTS.map((v) => [JSON.stringify(v), v]))(
			'never varies the seen mutations, nor what is not an argument (%s)',
			(_label, variant) => {
				const asIs = buildConversationsSchema().getMutationType()!.getFields();
				const schema = buildConversationsSchema(variant);
				const fields = schema.getMutationType()!.getFields();
				for (const name of SEEN_MUTATIONS) {
					expect(fields[name].args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(
						asIs[name].args.map((a) => `${a.name}: ${String(a.type)}`),
					);
				}
				expect(inputFieldType(schema, 'ChatActivityFilter', 'chat_activity_types')).toBe(
					'[CHAT_ACTIVITY_TYPE!]',
				);
				const queryArgs = Object.values(schema.getQueryType()!.getFields()).flatMap((f) =>
					f.args.map((a) => `${f.name}.${a.name}: ${String(a.type)}`),
				);
				expect(queryArgs).toEqual([
					'departments.first: Int',
					'departments.after: String',
					'agents.first: Int',
					'agents.after: String',
					'channels.first: Int',
					'channels.after: String',
				]);
			},
		);

		it('builds once per variant, whatever the order of the refused fields', () => {
			expect(buildConversationsSchema({})).toBe(buildConversationsSchema());
			expect(buildConversationsSchema({ unseenIdArgs: 'ID', unseenNullability: 'asIs' })).toBe(
				buildConversationsSchema(),
			);
			expect(buildConversationsSchema({ refuseFields: ['Visitor.id', 'Agent.id'] })).toBe(
				buildConversationsSchema({ refuseFields: ['Agent.id', 'Visitor.id', 'Agent.id'] }),
			);
			expect(buildConversationsSchema({ unseenIdArgs: 'String' })).not.toBe(
				buildConversationsSchema(),
			);
		});

		it('removes refused fields from the schema, even one an interface declares', () => {
			const schema = buildConversationsSchema({
				refuseFields: ['Visitor.id', 'Agent.id', 'MemberJoinLog.channel', 'MemberLeaveLog.channel'],
			});
			const fieldsOf = (name: string) =>
				Object.keys((schema.getType(name) as { getFields(): object }).getFields());
			expect(fieldsOf('Visitor')).not.toContain('id');
			expect(fieldsOf('Agent')).not.toContain('id');
			expect(fieldsOf('MemberJoinLog')).toEqual(['id', 'timestamp', 'user_name', 'user']);
			expect(fieldsOf('MemberLeaveLog')).toEqual(['id', 'timestamp', 'user_name', 'user']);
			expect(fieldsOf('User')).toEqual(['id', 'display_name']);
		});

		it('refuses unknown option values and fields', () => {
			expect(() => buildConversationsSchema({ refuseFields: ['Visitor.nope'] })).toThrow(
				'refuseFields: "Visitor.nope" is not a field of the schema ("Type.field", e.g. "Visitor.id")',
			);
			expect(() => buildConversationsSchema({ refuseFields: ['Visitor'] })).toThrow(
				'is not a field of the schema',
			);
			expect(() => buildConversationsSchema({ unseenIdArgs: 'Int' as never })).toThrow(
				'unseenIdArgs must be one of ID, String (got "Int")',
			);
			expect(() =>
				buildConversationsSchema({
					refuseFields: [
						'PageInfo.hasNextPage',
						'PageInfo.hasPreviousPage',
						'PageInfo.startCursor',
						'PageInfo.endCursor',
					],
				}),
			).toThrow('the schema variant is not a valid schema');
		});
	});

	describe.each(ALL_VARIANTS.map((v) => [JSON.stringify(v), v]))(
		'a simulator serving %s',
		(_label, variant) => {
			let sim: Simulator;
			let clock: ManualClock;
			let probe: WsProbe;

			beforeAll(async () => {
				clock = new ManualClock('2026-01-05T09:00:00Z');
				sim = await startSimulator({ clock, conversations: { schemaVariant: variant } });
				probe = (await openSession(sim, clock)).probe;
			});
			afterAll(async () => {
				await probe.close();
				await sim.close();
			});

			it('accepts every unseen mutation with its values written as string literals, and runs it', async () => {
				const chat = sim.world.startChat({ message: 'Hi' });
				const c = JSON.stringify(relayId('CHANNEL', chat.id));
				const department = JSON.stringify(relayId('DEPARTMENT', SIM_DEPARTMENTS.support));
				const fallback = '{msg: "Pick one", options: ["A", "B"]}';
				const button = '{text: "Go", action: {type: LINK_ACTION, value: "https://example.com"}}';
				const panel = (i: number) =>
					`{heading: "Panel ${i}", paragraph: "About", image_url: "https://example.com/i.png", action: {value: "https://example.com"}}`;
				const documents: Array<[string, string]> = [
					[
						'sendMessage',
						`mutation { sendMessage(backoff: false, channel_id: ${c}, msg: "Hello", msg_id: "m-1", options: ["Yes", "No"]) { success } }`,
					],
					[
						'sendQuickReplies',
						`mutation { sendQuickReplies(channel_id: ${c}, fallback: ${fallback}, msg: "Which?", quick_replies: [{text: "A", action: {value: "a"}}]) { success } }`,
					],
					[
						'sendButtonTemplate',
						`mutation { sendButtonTemplate(buttons: [${button}], channel_id: ${c}, fallback: ${fallback}, msg: "Go") { success } }`,
					],
					[
						'sendPanelTemplate',
						`mutation { sendPanelTemplate(buttons: [${button}], channel_id: ${c}, fallback: ${fallback}, panel: ${panel(1)}) { success } }`,
					],
					[
						'sendPanelTemplateCarousel',
						`mutation { sendPanelTemplateCarousel(channel_id: ${c}, fallback: ${fallback}, items: [{panel: ${panel(1)}, buttons: [${button}]}, {panel: ${panel(2)}, buttons: [${button}]}]) { success } }`,
					],
					[
						'sendListTemplate',
						`mutation { sendListTemplate(buttons: [${button}], channel_id: ${c}, fallback: ${fallback}, items: [${panel(1)}, ${panel(2)}]) { success } }`,
					],
					[
						'setTypingIndicator',
						`mutation { setTypingIndicator(backoff: false, channel_id: ${c}, typing: true) { success } }`,
					],
					[
						'updateVisitorInfo',
						`mutation { updateVisitorInfo(display_name: "jim", email: "jim@example.com", notes: "n", phone: "1", visitor_id: ${JSON.stringify(chat.visitor.id)}) { success } }`,
					],
					[
						'transferToDepartment',
						`mutation { transferToDepartment(channel_id: ${c}, department_id: ${department}, leave: false) { success } }`,
					],
				];
				for (const [field, document] of documents) {
					expect(await gql(probe, document)).toEqual({
						payload: { data: { [field]: { success: true } } },
						id: expect.anything(),
					});
				}
				expect(
					await gql(probe, 'mutation { updateAgentStatus(status: ONLINE) { node { id } } }'),
				).toEqual({
					payload: { data: { updateAgentStatus: { node: { id: expect.any(String) } } } },
					id: expect.anything(),
				});
				const record = sim.world.requireChat(chat.id);
				expect(record.delivered.map((d) => d.structured?.kind ?? d.text)).toEqual([
					'Hello',
					'quick_replies',
					'buttons',
					'panel',
					'carousel',
					'list',
				]);
				expect(record.delivered[0]).toMatchObject({
					text: 'Hello',
					msgId: 'm-1',
					options: ['Yes', 'No'],
				});
				expect(record.visitor.name).toBe('jim');
				expect(record.departmentId).toBe(SIM_DEPARTMENTS.support);
			});

			it('accepts the seen mutations with typed variables as the schema pages give them', async () => {
				const chat = sim.world.startChat({ message: 'Hi' });
				const c = relayId('CHANNEL', chat.id);
				const ok = (field: string) => ({
					payload: { data: { [field]: { success: true } } },
					id: expect.anything(),
				});
				expect(
					await gql(
						probe,
						'mutation($c: ID!, $t: [String!]!) { addTags(channel_id: $c, tags: $t) { success } }',
						{ c, t: ['vip'] },
					),
				).toEqual(ok('addTags'));
				expect(
					await gql(
						probe,
						'mutation($c: ID!) { listenVisitorChannel(channel_id: $c) { success } }',
						{ c },
					),
				).toEqual(ok('listenVisitorChannel'));
				expect(
					await gql(probe, 'mutation($c: ID!) { leaveChannel(channel_id: $c) { success } }', { c }),
				).toEqual(ok('leaveChannel'));
				const invite =
					'mutation($a: ID!, $c: ID!) { inviteAgent(agent_id: $a, channel_id: $c, leave: false) { success } }';
				expect(await gql(probe, invite, { a: relayId('AGENT', SIM_HUMAN_AGENT_ID), c })).toEqual(
					ok('inviteAgent'),
				);
				expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_HUMAN_AGENT_ID]);
			});
		},
	);

	describe('typed variables whose type differs from the served one (what the client must avoid)', () => {
		let sim: Simulator;
		let clock: ManualClock;

		beforeEach(() => {
			clock = new ManualClock('2026-01-05T09:00:00Z');
		});
		afterEach(() => sim.close());

		async function sendWith(
			variant: SchemaVariant,
			document: string,
			variables: Record<string, unknown>,
		) {
			sim = await startSimulator({ clock, conversations: { schemaVariant: variant } });
			const { probe } = await openSession(sim, clock);
			const chat = sim.world.startChat({ message: 'Hi' });
			const answer = await gql(probe, document, { c: relayId('CHANNEL', chat.id), ...variables });
			await probe.close();
			return { answer, chat };
		}

		const refused = (message: string) => ({
			errorCode: 400,
			payload: { errors: [{ name: 'GRAPHQL_EXEC_ERROR', message, UUID }] },
			id: expect.anything(),
		});

		it('refuses $c: ID! to a channel_id served as String', async () => {
			const document = 'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "hi") { success } }';
			const { answer, chat } = await sendWith({ unseenIdArgs: 'String' }, document, {});
			expect(answer).toEqual(
				refused('Variable "$c" of type "ID!" used in position expecting type "String!".'),
			);
			expect(sim.world.requireChat(chat.id).delivered).toEqual([]);
		});

		it('refuses $m: String! to a msg served as ID', async () => {
			const document =
				'mutation($c: ID!, $m: String!) { sendMessage(channel_id: $c, msg: $m) { success } }';
			const { answer } = await sendWith({ unseenStringArgs: 'ID' }, document, { m: 'hi' });
			expect(answer).toEqual(
				refused('Variable "$m" of type "String!" used in position expecting type "ID!".'),
			);
		});

		it('refuses a nullable $e: String to an email served as non-null', async () => {
			const document =
				'mutation($e: String) { updateVisitorInfo(display_name: "d", email: $e, notes: "n", phone: "p", visitor_id: "v") { success } }';
			const { answer } = await sendWith({ unseenNullability: 'nonNull' }, document, { e: 'x' });
			expect(answer).toEqual(
				refused('Variable "$e" of type "String" used in position expecting type "String!".'),
			);
			// Every other unseen argument is then required: leaving one out is refused too.
			const probe = (await openSession(sim, clock)).probe;
			expect(
				await gql(
					probe,
					'mutation { updateVisitorInfo(display_name: "d", email: "e", notes: "n", visitor_id: "v") { success } }',
				),
			).toEqual(
				refused(
					'Field "updateVisitorInfo" argument "phone" of type "String!" is required, but it was not provided.',
				),
			);
			await probe.close();
		});

		it('accepts the same typed variable where the types agree', async () => {
			const document = 'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "hi") { success } }';
			const { answer, chat } = await sendWith(
				{ unseenStringArgs: 'ID', unseenNullability: 'nullable' },
				document,
				{},
			);
			expect(answer).toEqual({
				payload: { data: { sendMessage: { success: true } } },
				id: expect.anything(),
			});
			expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['hi']);
		});

		it('answers GRAPHQL_EXEC_ERROR, not an internal error, when a variant lets a needed argument be left out', async () => {
			const { answer } = await sendWith(
				{ unseenNullability: 'nullable' },
				'mutation($c: ID) { sendMessage(channel_id: $c) { success } }',
				{},
			);
			expect(answer).toEqual(refused('sendMessage needs msg'));
			const probe = (await openSession(sim, clock)).probe;
			expect(await gql(probe, 'mutation { updateAgentStatus { node { id } } }')).toEqual(
				refused('updateAgentStatus needs status'),
			);
			expect(
				await gql(probe, 'mutation { sendPanelTemplate(channel_id: "x") { success } }'),
			).toEqual(refused('sendPanelTemplate needs panel'));
			await probe.close();
		});
	});

	describe('refused fields over a real WebSocket', () => {
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
			probe = (await openSession(sim, clock)).probe;
		});
		afterEach(() => probe.close());

		const WITH_VISITOR_ID =
			'subscription { message { node { content channel { ... on VisitorChannel { visitor { id display_name } } } } } }';
		const WITHOUT_VISITOR_ID =
			'subscription { message { node { content channel { ... on VisitorChannel { visitor { display_name } } } } } }';

		it('refuses a message subscription selecting visitor { id } once Visitor.id is refused, and serves the same without it', async () => {
			expect(await control(sim, 'refuseFields', { fields: ['Visitor.id'] })).toEqual({
				status: 200,
				body: {
					result: {
						unseenIdArgs: 'ID',
						unseenStringArgs: 'String',
						unseenNullability: 'asIs',
						refuseFields: ['Visitor.id'],
					},
				},
			});
			const refusedAnswer = await gql(probe, WITH_VISITOR_ID);
			expect(refusedAnswer).toEqual({
				errorCode: 400,
				payload: {
					errors: [
						{
							name: 'GRAPHQL_EXEC_ERROR',
							message: 'Cannot query field "id" on type "Visitor".',
							UUID,
						},
					],
				},
				id: expect.anything(),
			});
			const subscriptionId = await subscribe(probe, WITHOUT_VISITOR_ID);
			sim.world.startChat({ visitor: { name: 'Harry' }, message: 'Hi' });
			const [frame] = await waitForData(probe, subscriptionId, 1);
			expect(frame.payload).toEqual({
				data: {
					message: { node: { content: 'Hi', channel: { visitor: { display_name: 'Harry' } } } },
				},
			});
			expect(sim.conversations.control.sessions()[0].subscriptions).toHaveLength(1);
		});

		it('accepts the field again when the refusal is lifted, and after a reset', async () => {
			await control(sim, 'refuseFields', { fields: ['Visitor.id'] });
			expect((await gql(probe, WITH_VISITOR_ID)).errorCode).toBe(400);
			expect((await control(sim, 'refuseFields', { fields: [] })).body.result.refuseFields).toEqual(
				[],
			);
			const subscriptionId = await subscribe(probe, WITH_VISITOR_ID);
			const chat = sim.world.startChat({ visitor: { name: 'Harry' }, message: 'Hi' });
			const [frame] = await waitForData(probe, subscriptionId, 1);
			expect(frame.payload.data.message.node.channel.visitor).toEqual({
				id: relayId('VISITOR', chat.visitor.id),
				display_name: 'Harry',
			});
			await control(sim, 'refuseFields', { fields: ['Visitor.id'] });
			await control(sim, 'reset');
			expect((await control(sim, 'schemaVariant')).body.result.refuseFields).toEqual([]);
		});

		it('refuses ... on Agent { id } and channel { id } on the member logs', async () => {
			await control(sim, 'refuseFields', {
				fields: ['Agent.id', 'MemberJoinLog.channel', 'MemberLeaveLog.channel'],
			});
			const agentId = await gql(
				probe,
				'subscription { message { node { from { __typename ... on Agent { id } } } } }',
			);
			expect(agentId.payload.errors[0]).toEqual({
				name: 'GRAPHQL_EXEC_ERROR',
				message: 'Cannot query field "id" on type "Agent".',
				UUID,
			});
			const logChannel = await gql(
				probe,
				'subscription { chatActivity { node { ... on MemberJoinLog { id channel { id } } } } }',
			);
			expect(logChannel.payload.errors[0].message).toBe(
				'Cannot query field "channel" on type "MemberJoinLog".',
			);
			const confirmed = await subscribe(
				probe,
				'subscription { chatActivity { node { __typename ... on MemberJoinLog { id user_name user { id display_name } } } } }',
			);
			sim.world.startChat({ visitor: { name: 'Harry' } });
			const [frame] = await waitForData(probe, confirmed, 1);
			expect(frame.payload.data.chatActivity.node).toMatchObject({
				__typename: 'MemberJoinLog',
				user_name: 'Harry',
				user: { display_name: 'Harry' },
			});
		});

		it('refuses a bad refuseFields call with 400 and keeps what it served', async () => {
			await control(sim, 'refuseFields', { fields: ['Visitor.id'] });
			expect(await control(sim, 'refuseFields', { fields: ['Visitor.nope'] })).toEqual({
				status: 400,
				body: {
					error: 'invalid',
					description:
						'refuseFields: "Visitor.nope" is not a field of the schema ("Type.field", e.g. "Visitor.id")',
				},
			});
			expect((await control(sim, 'refuseFields', { fields: 'Visitor.id' })).status).toBe(400);
			expect((await control(sim, 'schemaVariant')).body.result.refuseFields).toEqual([
				'Visitor.id',
			]);
		});
	});

	describe('a simulator started with refused fields', () => {
		it('refuses them from the start, and a reset keeps refusing them', async () => {
			const clock = new ManualClock('2026-01-05T09:00:00Z');
			const sim = await startSimulator({
				clock,
				conversations: { schemaVariant: { refuseFields: ['Visitor.id'] } },
			});
			try {
				const { probe } = await openSession(sim, clock);
				expect(
					(await gql(probe, 'subscription { message { node { from { ... on Visitor { id } } } } }'))
						.payload.errors[0].message,
				).toBe('Cannot query field "id" on type "Visitor".');
				await control(sim, 'refuseFields', { fields: [] });
				await control(sim, 'reset');
				expect((await control(sim, 'schemaVariant')).body.result.refuseFields).toEqual([
					'Visitor.id',
				]);
				await probe.close();
			} finally {
				await sim.close();
			}
		});
	});

	describe('the CLI', () => {
		let child: ChildProcess | undefined;

		afterEach(async () => {
			if (child && child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((resolve) => child!.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			child = undefined;
		});

		/** Starts `npm run sim`'s script with `args` and resolves with its base URL once it listens. */
		function startCli(args: string[]): Promise<string> {
			const root = path.resolve(__dirname, '../..');
			child = spawn(
				process.execPath,
				['--import', 'tsx', 'simulator/cli.ts', '--port', '0', '--quiet', ...args],
				{ cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
			);
			const started = child;
			return new Promise((resolve, reject) => {
				let output = '';
				const onData = (chunk: Buffer) => {
					output += chunk.toString();
					const match = /listening on (http:\/\/\S+)/.exec(output);
					if (match) resolve(match[1]);
				};
				started.stdout!.on('data', onData);
				started.stderr!.on('data', onData);
				started.once('exit', (code) => reject(new Error(`the CLI exited with ${code}: ${output}`)));
			});
		}

		it('starts a simulator serving the variant of --schema-variant and --refuse-field', async () => {
			const base = await startCli([
				'--schema-variant',
				'id-as-string,string-as-id,non-null',
				'--refuse-field',
				'Visitor.id',
				'--refuse-field',
				'Agent.id',
			]);
			const res = await fetch(`${base}/graphql/request`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ query: getIntrospectionQuery() }),
			});
			expect(res.status).toBe(200);
			const served = buildClientSchema(((await res.json()) as any).data);
			const variant: SchemaVariant = {
				unseenIdArgs: 'String',
				unseenStringArgs: 'ID',
				unseenNullability: 'nonNull',
				refuseFields: ['Visitor.id', 'Agent.id'],
			};
			expect(printSchema(served)).toBe(printSchema(buildConversationsSchema(variant)));
			expect(argType(served, 'sendMessage', 'channel_id')).toBe('String!');
			expect(argType(served, 'sendMessage', 'msg')).toBe('ID!');
			expect(argType(served, 'sendMessage', 'msg_id')).toBe('ID');
			const current = await fetch(`${base}/_sim/conversations/schemaVariant`);
			expect(await current.json()).toEqual({
				result: {
					unseenIdArgs: 'String',
					unseenStringArgs: 'ID',
					unseenNullability: 'nonNull',
					refuseFields: ['Agent.id', 'Visitor.id'],
				},
			});
		}, 30_000);

		it('refuses an unknown word or field and exits with 1', async () => {
			await expect(startCli(['--schema-variant', 'ids-as-strings'])).rejects.toThrow(
				'--schema-variant: unknown word "ids-as-strings"',
			);
			await expect(startCli(['--refuse-field', 'Visitor.nope'])).rejects.toThrow(
				'the CLI exited with 1: refuseFields: "Visitor.nope" is not a field of the schema',
			);
			await expect(startCli(['--schema-variant', 'nullable,non-null'])).rejects.toThrow(
				'nullable and non-null exclude each other',
			);
		}, 30_000);
	});
});
