import { encodeRelayId } from '../../simulator/conversations';
import {
	ManualClock,
	SIM_BOT_AGENT_ID,
	SIM_DEPARTMENTS,
	SIM_HUMAN_AGENT_ID,
	SIM_TOKENS,
	startSimulator,
	type Simulator,
} from '../../simulator';
import type { WsProbe } from '../helpers/ws-probe';
import {
	control,
	dataFrames,
	decodeId,
	gql,
	openSession,
	relayId,
	subscribe,
	UUID,
	waitForData,
} from './conversations-helpers';

/** The schema's operations acting on the shared world, and the subscriptions publishing it. */
describe('conversations GraphQL operations', () => {
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
		// Each test starts with no open chats, so channel lists and subscriptions see only its own.
		for (const chat of sim.world.openChats()) sim.world.endChat(chat.id);
		probe = (await openSession(sim, clock)).probe;
	});
	afterEach(() => probe.close());

	function execError(message: unknown, id: unknown = expect.anything()) {
		return {
			errorCode: 400,
			payload: { errors: [{ name: 'GRAPHQL_EXEC_ERROR', message, UUID }] },
			id,
		};
	}

	const ok = (field: string) => ({
		payload: { data: { [field]: { success: true } } },
		id: expect.anything(),
	});

	function newChat(message = 'Hi') {
		const chat = sim.world.startChat({ message });
		return { chat, channelId: relayId('CHANNEL', chat.id) };
	}

	describe('Relay ids', () => {
		it("encodes ids exactly like NOTES.md's example", () => {
			expect(encodeRelayId('AGENT', '6717174888')).toBe(
				'W1sibG9jYWxJZCIsIjY3MTcxNzQ4ODgiXSxbInR5cGUiLCJBR0VOVCJdXQ==',
			);
		});
	});

	describe('queries', () => {
		it('lists departments as a Relay connection with global ids', async () => {
			const answer = await gql(
				probe,
				'{ departments { edges { node { id raw_id name status } } pageInfo { hasNextPage } } }',
			);
			expect(answer.payload.data.departments).toEqual({
				edges: [
					{
						node: {
							id: relayId('DEPARTMENT', 2001),
							raw_id: '2001',
							name: 'Sales',
							status: 'ONLINE',
						},
					},
					{
						node: {
							id: relayId('DEPARTMENT', 2002),
							raw_id: '2002',
							name: 'Support',
							status: 'ONLINE',
						},
					},
					{
						node: {
							id: relayId('DEPARTMENT', 2003),
							raw_id: '2003',
							name: 'Billing',
							status: 'OFFLINE',
						},
					},
				],
				pageInfo: { hasNextPage: false },
			});
			expect(decodeId(answer.payload.data.departments.edges[0].node.id)).toEqual([
				['localId', '2001'],
				['type', 'DEPARTMENT'],
			]);
			sim.world.setDepartmentStatus(SIM_DEPARTMENTS.billing, 'AWAY');
			const after = await gql(probe, '{ departments { edges { node { status } } } }');
			expect(after.payload.data.departments.edges[2].node.status).toBe('AWAY');
		});

		it('pages a connection with first and after', async () => {
			const page1 = await gql(
				probe,
				'{ departments(first: 2) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }',
			);
			const { edges, pageInfo } = page1.payload.data.departments;
			expect(edges.map((e: any) => e.node.name)).toEqual(['Sales', 'Support']);
			expect(pageInfo.hasNextPage).toBe(true);
			const page2 = await gql(
				probe,
				'query($after: String) { departments(first: 2, after: $after) { edges { node { name } } pageInfo { hasNextPage hasPreviousPage } } }',
				{ after: pageInfo.endCursor },
			);
			expect(page2.payload.data.departments).toEqual({
				edges: [{ node: { name: 'Billing' } }],
				pageInfo: { hasNextPage: false, hasPreviousPage: true },
			});
			expect(await gql(probe, '{ departments(after: "bogus") { edges { cursor } } }')).toEqual(
				execError('invalid cursor "bogus"'),
			);
		});

		it('lists agents', async () => {
			const answer = await gql(
				probe,
				'{ agents { edges { node { id raw_id name display_name status } } } }',
			);
			expect(answer.payload.data.agents.edges).toEqual([
				{
					node: {
						id: relayId('AGENT', SIM_BOT_AGENT_ID),
						raw_id: '1001',
						name: 'Ada Bot',
						display_name: 'Ada Bot',
						status: 'OFFLINE',
					},
				},
				{
					node: {
						id: relayId('AGENT', SIM_HUMAN_AGENT_ID),
						raw_id: '1002',
						name: 'Grace Hopper',
						display_name: 'Grace Hopper',
						status: 'ONLINE',
					},
				},
			]);
		});

		it('lists the channels this agent can see, with their agents (the BFlynn query)', async () => {
			const unserved = newChat();
			const mine = newChat();
			sim.world.agentJoins(mine.chat.id, SIM_BOT_AGENT_ID);
			const theirs = newChat();
			sim.world.agentJoins(theirs.chat.id, SIM_HUMAN_AGENT_ID);
			const ended = newChat();
			sim.world.endChat(ended.chat.id);
			const answer = await gql(
				probe,
				'{ channels { edges { node { id agents { edges { node { id status display_name } } } } } } }',
			);
			expect(answer.payload.data.channels.edges).toEqual([
				{ node: { id: unserved.channelId, agents: { edges: [] } } },
				{
					node: {
						id: mine.channelId,
						agents: {
							edges: [
								{
									node: {
										id: relayId('AGENT', SIM_BOT_AGENT_ID),
										status: 'OFFLINE',
										display_name: 'Ada Bot',
									},
								},
							],
						},
					},
				},
			]);
		});

		it('details a VisitorChannel and its visitor', async () => {
			const chat = sim.world.startChat({
				visitor: { name: 'Harry', email: 'harry@example.com', externalId: 'ext-7', tags: ['vip'] },
				message: 'Hi',
			});
			const answer = await gql(
				probe,
				`{ channels { edges { node { __typename id ... on VisitorChannel { raw_id ip user_agent visitor { __typename id raw_id display_name email external_id current_ip current_country current_region current_tags } } } } } }`,
			);
			expect(answer.payload.data.channels.edges).toEqual([
				{
					node: {
						__typename: 'VisitorChannel',
						id: relayId('CHANNEL', chat.id),
						raw_id: chat.id,
						ip: chat.visitor.ip,
						user_agent: chat.visitor.userAgent,
						visitor: {
							__typename: 'Visitor',
							id: relayId('VISITOR', chat.visitor.id),
							raw_id: chat.visitor.id,
							display_name: 'Harry',
							email: 'harry@example.com',
							external_id: 'ext-7',
							current_ip: chat.visitor.ip,
							current_country: 'Ireland',
							current_region: 'Leinster',
							current_tags: ['vip'],
						},
					},
				},
			]);
		});
	});

	describe('mutations', () => {
		it('updateAgentStatus(status: ONLINE) returns the agent node and changes the world', async () => {
			const answer = await gql(
				probe,
				'mutation { updateAgentStatus(status: ONLINE) { node { id display_name status } } }',
			);
			expect(answer.payload).toEqual({
				data: {
					updateAgentStatus: {
						node: {
							id: relayId('AGENT', SIM_BOT_AGENT_ID),
							display_name: 'Ada Bot',
							status: 'ONLINE',
						},
					},
				},
			});
			expect(sim.world.agents.get(SIM_BOT_AGENT_ID)!.status).toBe('ONLINE');
			for (const status of ['AWAY', 'INVISIBLE']) {
				await gql(
					probe,
					'mutation($s: AGENT_STATUS!) { updateAgentStatus(status: $s) { node { id } } }',
					{ s: status },
				);
				expect(sim.world.agents.get(SIM_BOT_AGENT_ID)!.status).toBe(status);
			}
			expect(
				await gql(probe, 'mutation { updateAgentStatus(status: OFFLINE) { node { id } } }'),
			).toEqual(execError('status OFFLINE cannot be set: use ONLINE, AWAY or INVISIBLE'));
			expect(
				(await gql(probe, 'mutation { updateAgentStatus(status: BUSY) { node { id } } }')).payload
					.errors[0].message,
			).toBe('Value "BUSY" does not exist in "AGENT_STATUS" enum.');
		});

		it('sendMessage delivers the text and its msg_id to the visitor', async () => {
			const { chat, channelId } = newChat();
			const answer = await gql(
				probe,
				'mutation($c: ID!, $m: String!, $id: String) { sendMessage(channel_id: $c, msg: $m, msg_id: $id, backoff: true) { success } }',
				{
					c: channelId,
					m: 'Hello there',
					id: 'client-42',
				},
			);
			expect(answer).toEqual(ok('sendMessage'));
			expect(sim.world.requireChat(chat.id).delivered).toEqual([
				{
					entryId: expect.any(String),
					timestamp: clock.now(),
					agentId: SIM_BOT_AGENT_ID,
					text: 'Hello there',
					msgId: 'client-42',
					structured: undefined,
				},
			]);
			expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_BOT_AGENT_ID]);
		});

		it('refuses channel ids that are not this API’s: a REST chat id, another type, garbage', async () => {
			const { chat } = newChat();
			const send = 'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "x") { success } }';
			expect(await gql(probe, send, { c: chat.id })).toEqual(
				execError(
					`channel_id ${JSON.stringify(chat.id)} is not a CHANNEL id of this API (ids from the Chat REST API do not work here)`,
				),
			);
			expect(
				(await gql(probe, send, { c: relayId('AGENT', chat.id) })).payload.errors[0].message,
			).toContain('is not a CHANNEL id');
			expect(await gql(probe, send, { c: relayId('CHANNEL', 'no-such-chat') })).toEqual(
				execError(`no channel ${relayId('CHANNEL', 'no-such-chat')}`),
			);
			sim.world.endChat(chat.id);
			expect(await gql(probe, send, { c: relayId('CHANNEL', chat.id) })).toEqual(
				execError(`chat ${chat.id} has ended`),
			);
			expect(sim.world.requireChat(chat.id).delivered).toEqual([]);
		});

		describe('structured messages', () => {
			const quickReply = (i: number) => ({ text: `Option ${i}`, action: { value: `value ${i}` } });
			const button = (i: number) => ({
				text: `Button ${i}`,
				action: {
					type: i % 2 ? 'LINK_ACTION' : 'QUICK_REPLY_ACTION',
					value: `https://example.com/${i}`,
				},
			});
			const panel = (i: number) => ({
				heading: `Panel ${i}`,
				paragraph: 'About it',
				image_url: 'https://example.com/i.png',
				action: { value: 'https://example.com' },
			});
			const fallback = { msg: 'Pick one', options: ['A', 'B'] };

			const QUICK =
				'mutation($c: ID!, $q: [QuickReplyInput!]!, $f: FallbackInput) { sendQuickReplies(channel_id: $c, msg: "Which?", quick_replies: $q, fallback: $f) { success } }';
			const BUTTONS =
				'mutation($c: ID!, $b: [ButtonInput!]!) { sendButtonTemplate(channel_id: $c, msg: "Go", buttons: $b) { success } }';
			const PANEL =
				'mutation($c: ID!, $p: PanelInput!, $b: [ButtonInput!], $f: FallbackInput) { sendPanelTemplate(channel_id: $c, panel: $p, buttons: $b, fallback: $f) { success } }';
			const CAROUSEL =
				'mutation($c: ID!, $i: [PanelTemplateInput!]!, $f: FallbackInput) { sendPanelTemplateCarousel(channel_id: $c, items: $i, fallback: $f) { success } }';
			const LIST =
				'mutation($c: ID!, $i: [ListItemInput!]!, $b: [ButtonInput!], $f: FallbackInput) { sendListTemplate(channel_id: $c, items: $i, buttons: $b, fallback: $f) { success } }';

			it('sends quick replies (up to 11) with a fallback', async () => {
				const { chat, channelId } = newChat();
				const replies = Array.from({ length: 11 }, (_, i) => quickReply(i));
				expect(await gql(probe, QUICK, { c: channelId, q: replies, f: fallback })).toEqual(
					ok('sendQuickReplies'),
				);
				expect(sim.world.requireChat(chat.id).delivered[0]).toMatchObject({
					text: 'Which?',
					structured: {
						kind: 'quick_replies',
						args: { channel_id: channelId, msg: 'Which?', quick_replies: replies, fallback },
					},
				});
				expect(await gql(probe, QUICK, { c: channelId, q: [...replies, quickReply(11)] })).toEqual(
					execError('sendQuickReplies accepts 1 to 11 quick_replies (got 12)'),
				);
				expect(await gql(probe, QUICK, { c: channelId, q: [] })).toEqual(
					execError('sendQuickReplies accepts 1 to 11 quick_replies (got 0)'),
				);
				expect(sim.world.requireChat(chat.id).delivered).toHaveLength(1);
			});

			it("accepts the getting-started doc's inline sendQuickReplies literally", async () => {
				const { chat, channelId } = newChat();
				const query = `mutation {      sendQuickReplies(        channel_id: "${channelId}",        msg: "We have the following options. Which one is your favorite?",        quick_replies: [          {            action: {              value: "My favorite is chocolate"            },            text: "Chocolate"          },          {            action: {              value: "My favorite is vanilla"            },            text: "Vanilla"          }        ],        fallback: {          msg: "We have the following options. Which one is your favorite?"          options: [            "Chocolate",            "Vanilla"          ]        }      ) {        success      }    }`;
				expect(await gql(probe, query)).toEqual(ok('sendQuickReplies'));
				expect(sim.world.requireChat(chat.id).delivered[0].structured?.args.quick_replies).toEqual([
					{ action: { value: 'My favorite is chocolate' }, text: 'Chocolate' },
					{ action: { value: 'My favorite is vanilla' }, text: 'Vanilla' },
				]);
			});

			it('sends a button template with 1 to 3 buttons', async () => {
				const { chat, channelId } = newChat();
				expect(
					await gql(probe, BUTTONS, { c: channelId, b: [button(1), button(2), button(3)] }),
				).toEqual(ok('sendButtonTemplate'));
				expect(sim.world.requireChat(chat.id).delivered[0].structured).toEqual({
					kind: 'buttons',
					args: { channel_id: channelId, msg: 'Go', buttons: [button(1), button(2), button(3)] },
				});
				expect(await gql(probe, BUTTONS, { c: channelId, b: [] })).toEqual(
					execError('sendButtonTemplate accepts 1 to 3 buttons (got 0)'),
				);
				expect(await gql(probe, BUTTONS, { c: channelId, b: [1, 2, 3, 4].map(button) })).toEqual(
					execError('sendButtonTemplate accepts 1 to 3 buttons (got 4)'),
				);
				const badType = await gql(probe, BUTTONS, {
					c: channelId,
					b: [{ text: 'x', action: { type: 'POSTBACK', value: 'v' } }],
				});
				expect(badType.payload.errors[0].message).toContain(
					'Value "POSTBACK" does not exist in "BUTTON_ACTION_TYPE" enum.',
				);
			});

			it('sends a panel template', async () => {
				const { chat, channelId } = newChat();
				expect(
					await gql(probe, PANEL, { c: channelId, p: panel(1), b: [button(1)], f: fallback }),
				).toEqual(ok('sendPanelTemplate'));
				expect(sim.world.requireChat(chat.id).delivered[0]).toMatchObject({
					text: 'Pick one',
					structured: { kind: 'panel', args: { panel: panel(1), buttons: [button(1)], fallback } },
				});
				expect(
					await gql(probe, PANEL, { c: channelId, p: panel(1), b: [1, 2, 3, 4].map(button) }),
				).toEqual(execError('sendPanelTemplate accepts at most 3 buttons (got 4)'));
			});

			it('sends a carousel of 2 to 10 items', async () => {
				const { chat, channelId } = newChat();
				const items = (n: number) =>
					Array.from({ length: n }, (_, i) => ({ panel: panel(i), buttons: [button(i)] }));
				expect(await gql(probe, CAROUSEL, { c: channelId, i: items(10), f: fallback })).toEqual(
					ok('sendPanelTemplateCarousel'),
				);
				expect(sim.world.requireChat(chat.id).delivered[0].structured).toEqual({
					kind: 'carousel',
					args: { channel_id: channelId, items: items(10), fallback },
				});
				expect(await gql(probe, CAROUSEL, { c: channelId, i: items(1) })).toEqual(
					execError('sendPanelTemplateCarousel accepts 2 to 10 items (got 1)'),
				);
				expect(await gql(probe, CAROUSEL, { c: channelId, i: items(11) })).toEqual(
					execError('sendPanelTemplateCarousel accepts 2 to 10 items (got 11)'),
				);
			});

			it('sends a list of 2 to 4 items with at most 1 button', async () => {
				const { chat, channelId } = newChat();
				const items = (n: number) => Array.from({ length: n }, (_, i) => panel(i));
				expect(
					await gql(probe, LIST, { c: channelId, i: items(4), b: [button(1)], f: fallback }),
				).toEqual(ok('sendListTemplate'));
				expect(sim.world.requireChat(chat.id).delivered[0].structured?.kind).toBe('list');
				expect(await gql(probe, LIST, { c: channelId, i: items(1) })).toEqual(
					execError('sendListTemplate accepts 2 to 4 items (got 1)'),
				);
				expect(await gql(probe, LIST, { c: channelId, i: items(5) })).toEqual(
					execError('sendListTemplate accepts 2 to 4 items (got 5)'),
				);
				expect(
					await gql(probe, LIST, { c: channelId, i: items(2), b: [button(1), button(2)] }),
				).toEqual(execError('sendListTemplate accepts at most 1 buttons (got 2)'));
				expect(sim.world.requireChat(chat.id).delivered).toHaveLength(1);
			});
		});

		it('transferToDepartment moves the chat to a department given by its Relay id, and can leave', async () => {
			const { chat, channelId } = newChat();
			sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
			const transfer =
				'mutation($c: ID!, $d: ID!, $l: Boolean) { transferToDepartment(channel_id: $c, department_id: $d, leave: $l) { success } }';
			expect(
				await gql(probe, transfer, {
					c: channelId,
					d: relayId('DEPARTMENT', SIM_DEPARTMENTS.support),
				}),
			).toEqual(ok('transferToDepartment'));
			expect(sim.world.requireChat(chat.id).departmentId).toBe(SIM_DEPARTMENTS.support);
			expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_BOT_AGENT_ID]);
			expect(
				await gql(probe, transfer, {
					c: channelId,
					d: relayId('DEPARTMENT', SIM_DEPARTMENTS.sales),
					l: true,
				}),
			).toEqual(ok('transferToDepartment'));
			expect(sim.world.requireChat(chat.id).departmentId).toBe(SIM_DEPARTMENTS.sales);
			expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([]);
		});

		it('transferToDepartment refuses a department id from the REST API (getting-started: it "will not work")', async () => {
			const { chat, channelId } = newChat();
			const transfer =
				'mutation($c: ID!, $d: ID!) { transferToDepartment(channel_id: $c, department_id: $d) { success } }';
			expect(
				await gql(probe, transfer, { c: channelId, d: String(SIM_DEPARTMENTS.support) }),
			).toEqual(
				execError(
					'department_id "2002" is not a DEPARTMENT id of this API (ids from the Chat REST API do not work here)',
				),
			);
			expect(
				(await gql(probe, transfer, { c: channelId, d: relayId('AGENT', 2002) })).payload.errors[0]
					.name,
			).toBe('GRAPHQL_EXEC_ERROR');
			expect(await gql(probe, transfer, { c: channelId, d: relayId('DEPARTMENT', 9999) })).toEqual(
				execError('no department 9999'),
			);
			expect(sim.world.requireChat(chat.id).departmentId).toBeNull();
		});

		it('inviteAgent brings another agent in, and leave takes this one out', async () => {
			const { chat, channelId } = newChat();
			sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
			const invite =
				'mutation($a: ID!, $c: ID!) { inviteAgent(agent_id: $a, channel_id: $c, leave: true) { success } }';
			expect(
				await gql(probe, invite, { a: relayId('AGENT', SIM_HUMAN_AGENT_ID), c: channelId }),
			).toEqual(ok('inviteAgent'));
			expect(sim.world.requireChat(chat.id).activeAgentIds).toEqual([SIM_HUMAN_AGENT_ID]);
			expect(
				(await gql(probe, invite, { a: String(SIM_HUMAN_AGENT_ID), c: channelId })).payload
					.errors[0].message,
			).toContain('is not a AGENT id');
		});

		it('addTags accepts letters, digits, - and _ only', async () => {
			const { chat, channelId } = newChat();
			const add =
				'mutation($c: ID!, $t: [String!]!) { addTags(channel_id: $c, tags: $t) { success } }';
			expect(await gql(probe, add, { c: channelId, t: ['vip', 'order-42', 'needs_help'] })).toEqual(
				ok('addTags'),
			);
			expect(sim.world.requireChat(chat.id).tags).toEqual(['vip', 'order-42', 'needs_help']);
			expect(await gql(probe, add, { c: channelId, t: ['ok', 'not ok', 'x!'] })).toEqual(
				execError(
					'invalid tag(s) "not ok", "x!": tags may only contain letters, digits, hyphens (-) and underscores (_)',
				),
			);
			expect((await gql(probe, add, { c: channelId, t: [''] })).payload.errors[0].name).toBe(
				'GRAPHQL_EXEC_ERROR',
			);
			expect(sim.world.requireChat(chat.id).tags).toEqual(['vip', 'order-42', 'needs_help']);
			const history = sim.world.requireChat(chat.id).history.filter((h) => h.type === 'chat.tag');
			expect(history).toEqual([
				expect.objectContaining({
					agentId: SIM_BOT_AGENT_ID,
					tags: ['vip', 'order-42', 'needs_help'],
				}),
			]);
		});

		it('removeTags does not exist (NOTES.md: unverified), so relying on it fails loudly', async () => {
			const { channelId } = newChat();
			const answer = await gql(
				probe,
				'mutation($c: ID!) { removeTags(channel_id: $c, tags: ["vip"]) { success } }',
				{ c: channelId },
			);
			expect(answer).toEqual(execError('Cannot query field "removeTags" on type "Mutation".'));
		});

		it('setTypingIndicator is recorded for the chat', async () => {
			const { chat, channelId } = newChat();
			const typing =
				'mutation($c: ID!, $t: Boolean!) { setTypingIndicator(channel_id: $c, typing: $t, backoff: false) { success } }';
			expect(await gql(probe, typing, { c: channelId, t: true })).toEqual(ok('setTypingIndicator'));
			await gql(probe, typing, { c: channelId, t: false });
			const recorded = await control(sim, 'typingIndicators', { chatId: chat.id });
			expect(recorded.body.result).toEqual([
				{
					chatId: chat.id,
					agentId: SIM_BOT_AGENT_ID,
					typing: true,
					backoff: false,
					timestamp: clock.now(),
				},
				{
					chatId: chat.id,
					agentId: SIM_BOT_AGENT_ID,
					typing: false,
					backoff: false,
					timestamp: clock.now(),
				},
			]);
		});

		it("updateVisitorInfo takes the doc's raw visitor id or a Relay id", async () => {
			const { chat } = newChat();
			const update =
				'mutation($v: ID!, $n: String) { updateVisitorInfo(visitor_id: $v, display_name: $n) { success } }';
			expect(await gql(probe, update, { v: chat.visitor.id, n: 'jim' })).toEqual(
				ok('updateVisitorInfo'),
			);
			expect(sim.world.requireChat(chat.id).visitor.name).toBe('jim');
			await gql(probe, update, { v: relayId('VISITOR', chat.visitor.id), n: 'jimmy' });
			expect(sim.world.requireChat(chat.id).visitor.name).toBe('jimmy');
			expect(await gql(probe, update, { v: '2.nobody', n: 'x' })).toEqual(
				execError('no visitor 2.nobody'),
			);
		});
	});

	describe('subscriptions', () => {
		const MESSAGE = `subscription { message { node { id msg_id content timestamp sender_name channel { id } from { __typename display_name ... on Visitor { current_tags } } } } }`;

		it('publishes exactly the selected fields of visitor and agent messages', async () => {
			const subscriptionId = await subscribe(probe, MESSAGE);
			const chat = sim.world.startChat({
				visitor: { name: 'Harry', tags: ['vip'] },
				message: 'Hi',
			});
			clock.advance(2000);
			const reply = sim.world.agentSays(chat.id, SIM_BOT_AGENT_ID, {
				text: 'Hello Harry',
				msgId: 'm-1',
			});
			const frames = await waitForData(probe, subscriptionId, 2);
			const visitorEntry = chat.history.find((h) => h.msg === 'Hi')!;
			expect(frames).toEqual([
				{
					payload: {
						data: {
							message: {
								node: {
									id: relayId('MESSAGE', visitorEntry.id),
									msg_id: visitorEntry.msgId,
									content: 'Hi',
									timestamp: visitorEntry.timestamp,
									sender_name: 'Harry',
									channel: { id: relayId('CHANNEL', chat.id) },
									from: { __typename: 'Visitor', display_name: 'Harry', current_tags: ['vip'] },
								},
							},
						},
					},
					sig: 'DATA',
					subscription_id: subscriptionId,
				},
				{
					payload: {
						data: {
							message: {
								node: {
									id: relayId('MESSAGE', reply.id),
									msg_id: 'm-1',
									content: 'Hello Harry',
									timestamp: reply.timestamp,
									sender_name: 'Ada Bot',
									channel: { id: relayId('CHANNEL', chat.id) },
									from: { __typename: 'Agent', display_name: 'Ada Bot' },
								},
							},
						},
					},
					sig: 'DATA',
					subscription_id: subscriptionId,
				},
			]);
		});

		it('delivers in order, to every matching subscription, with variables and fragments', async () => {
			const a = await subscribe(probe, 'subscription { message { node { content } } }');
			const b = await subscribe(
				probe,
				'subscription Named { message { ...M } } fragment M on MessagePayload { node { c: content } }',
			);
			const chat = sim.world.startChat({ message: 'm0' });
			for (let i = 1; i < 20; i++) sim.world.visitorSays(chat.id, `m${i}`);
			const framesA = await waitForData(probe, a, 20);
			const framesB = await waitForData(probe, b, 20);
			expect(framesA.map((f) => f.payload.data.message.node.content)).toEqual(
				Array.from({ length: 20 }, (_, i) => `m${i}`),
			);
			expect(framesB.map((f) => f.payload.data.message.node.c)).toEqual(
				Array.from({ length: 20 }, (_, i) => `m${i}`),
			);
		});

		it('delivers unserved chats and chats this agent serves, not chats another agent serves', async () => {
			const subscriptionId = await subscribe(
				probe,
				'subscription { message { node { content } } }',
			);
			const theirs = sim.world.startChat();
			sim.world.agentJoins(theirs.id, SIM_HUMAN_AGENT_ID);
			sim.world.visitorSays(theirs.id, 'to the human');
			sim.world.agentSays(theirs.id, SIM_HUMAN_AGENT_ID, { text: 'human reply' });
			const mine = sim.world.startChat();
			sim.world.agentJoins(mine.id, SIM_BOT_AGENT_ID);
			sim.world.visitorSays(mine.id, 'to the bot');
			sim.world.startChat({ message: 'unserved' });
			const frames = await waitForData(probe, subscriptionId, 2);
			await new Promise((r) => setTimeout(r, 50));
			expect(
				dataFrames(probe, subscriptionId).map((f) => f.payload.data.message.node.content),
			).toEqual(['to the bot', 'unserved']);
			expect(frames).toHaveLength(2);
		});

		it('listenVisitorChannel keeps a handed-off chat on this session', async () => {
			const subscriptionId = await subscribe(
				probe,
				'subscription { message { node { content } } }',
			);
			const { chat, channelId } = newChat('first');
			await gql(probe, 'mutation($c: ID!) { listenVisitorChannel(channel_id: $c) { success } }', {
				c: channelId,
			});
			const invite =
				'mutation($a: ID!, $c: ID!) { inviteAgent(agent_id: $a, channel_id: $c, leave: true) { success } }';
			await gql(
				probe,
				'mutation($c: ID!) { sendMessage(channel_id: $c, msg: "handing over") { success } }',
				{ c: channelId },
			);
			await gql(probe, invite, { a: relayId('AGENT', SIM_HUMAN_AGENT_ID), c: channelId });
			sim.world.visitorSays(chat.id, 'still heard');
			await waitForData(probe, subscriptionId, 3);
			expect(
				dataFrames(probe, subscriptionId).map((f) => f.payload.data.message.node.content),
			).toEqual(['first', 'handing over', 'still heard']);
			expect(sim.conversations.control.sessions()[0].listenedChats).toEqual([chat.id]);
		});

		it('chatActivity delivers MemberJoinLog and MemberLeaveLog, filtered by chat_activity_types', async () => {
			const fields = `node { __typename ... on MemberJoinLog { id user_name user { __typename id display_name } channel { id } } ... on MemberLeaveLog { id user_name user { __typename id display_name } } }`;
			const both = await subscribe(
				probe,
				`subscription { chatActivity(filter: {chat_activity_types: [MEMBER_LEAVE, MEMBER_JOIN]}) { ${fields} } }`,
			);
			const joins = await subscribe(
				probe,
				`subscription($f: ChatActivityFilter) { chatActivity(filter: $f) { ${fields} } }`,
				{ f: { chat_activity_types: ['MEMBER_JOIN'] } },
			);
			const leaves = await subscribe(
				probe,
				`subscription { chatActivity(filter: {chat_activity_types: [MEMBER_LEAVE]}) { node { __typename } } }`,
			);
			const all = await subscribe(probe, 'subscription { chatActivity { node { __typename } } }');

			const chat = sim.world.startChat({ visitor: { name: 'Harry' } });
			const botJoin = sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID)!;
			sim.world.agentLeaves(chat.id, SIM_BOT_AGENT_ID);
			const [visitorJoin] = chat.history;
			await waitForData(probe, both, 3);
			await waitForData(probe, all, 3);
			expect(dataFrames(probe, both).map((f) => f.payload)).toEqual([
				{
					data: {
						chatActivity: {
							node: {
								__typename: 'MemberJoinLog',
								id: relayId('CHAT_LOG', visitorJoin.id),
								user_name: 'Harry',
								user: {
									__typename: 'Visitor',
									id: relayId('VISITOR', chat.visitor.id),
									display_name: 'Harry',
								},
								channel: { id: relayId('CHANNEL', chat.id) },
							},
						},
					},
				},
				{
					data: {
						chatActivity: {
							node: {
								__typename: 'MemberJoinLog',
								id: relayId('CHAT_LOG', botJoin.id),
								user_name: 'Ada Bot',
								user: {
									__typename: 'Agent',
									id: relayId('AGENT', SIM_BOT_AGENT_ID),
									display_name: 'Ada Bot',
								},
								channel: { id: relayId('CHANNEL', chat.id) },
							},
						},
					},
				},
				{
					data: {
						chatActivity: {
							node: {
								__typename: 'MemberLeaveLog',
								id: expect.any(String),
								user_name: 'Ada Bot',
								user: {
									__typename: 'Agent',
									id: relayId('AGENT', SIM_BOT_AGENT_ID),
									display_name: 'Ada Bot',
								},
							},
						},
					},
				},
			]);
			expect(
				dataFrames(probe, joins).map((f) => f.payload.data.chatActivity.node.__typename),
			).toEqual(['MemberJoinLog', 'MemberJoinLog']);
			expect(
				dataFrames(probe, leaves).map((f) => f.payload.data.chatActivity.node.__typename),
			).toEqual(['MemberLeaveLog']);
			expect(
				dataFrames(probe, all).map((f) => f.payload.data.chatActivity.node.__typename),
			).toEqual(['MemberJoinLog', 'MemberJoinLog', 'MemberLeaveLog']);
		});

		it('refuses a filter with an unknown activity type or a bad variable', async () => {
			const literal = await gql(
				probe,
				'subscription { chatActivity(filter: {chat_activity_types: [MEMBER_KICK]}) { node { __typename } } }',
			);
			expect(literal.payload.errors[0]).toEqual({
				name: 'GRAPHQL_EXEC_ERROR',
				message:
					'Value "MEMBER_KICK" does not exist in "CHAT_ACTIVITY_TYPE" enum. Did you mean the enum value "MEMBER_JOIN" or "MEMBER_LEAVE"?',
				UUID,
			});
			const variable = await gql(
				probe,
				'subscription($f: ChatActivityFilter) { chatActivity(filter: $f) { node { __typename } } }',
				{ f: { chat_activity_types: ['NOPE'] } },
			);
			expect(variable.errorCode).toBe(400);
			expect(variable.payload.errors[0].message).toContain(
				'Value "NOPE" does not exist in "CHAT_ACTIVITY_TYPE" enum.',
			);
			expect(sim.conversations.control.sessions()[0].subscriptions).toEqual([]);
		});

		it('graphQLSubscriptions lists the session’s subscriptions', async () => {
			const query = 'subscription { message { node { id } } }';
			const subscriptionId = await subscribe(probe, query);
			expect((await gql(probe, '{ graphQLSubscriptions { id query } }')).payload).toEqual({
				data: { graphQLSubscriptions: [{ id: subscriptionId, query }] },
			});
		});

		it("does not publish to another agent's session what it cannot see", async () => {
			const human = (await openSession(sim, clock, SIM_TOKENS.human)).probe;
			const humanSub = await subscribe(human, 'subscription { message { node { content } } }');
			const botSub = await subscribe(probe, 'subscription { message { node { content } } }');
			const chat = sim.world.startChat({ message: 'both see this' });
			sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
			sim.world.visitorSays(chat.id, 'only the bot');
			await waitForData(probe, botSub, 2);
			await waitForData(human, humanSub, 1);
			await new Promise((r) => setTimeout(r, 50));
			expect(dataFrames(human, humanSub).map((f) => f.payload.data.message.node.content)).toEqual([
				'both see this',
			]);
			await human.close();
		});
	});
});
