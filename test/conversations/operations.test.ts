import {
	addTags,
	chatActivitySubscription,
	departments,
	inviteAgent,
	leaveChannel,
	listenVisitorChannel,
	messageSubscription,
	sendButtonTemplate,
	sendListTemplate,
	sendMessage,
	sendPanelTemplate,
	sendPanelTemplateCarousel,
	sendQuickReplies,
	setTypingIndicator,
	transferToDepartment,
	updateAgentStatus,
} from '../../src/conversations';
import { InvalidInputError, ProtocolError } from '../../src/shared';
import { parseDocument } from './document-args';

const CHANNEL = 'W1sibG9jYWxJZCIsIjEifSxbInR5cGUiLCJDSEFOTkVMIl1d';
const HOSTILE = 'a "quote", a \\ backslash, "){ injection }, a\nnewline and 🎉';

function invalid(fn: () => unknown): InvalidInputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInputError);
		return error as InvalidInputError;
	}
	throw new Error('expected an InvalidInputError');
}

describe('documents carry user text only as escaped string literals', () => {
	it('sendMessage: every argument is a literal, nothing is a variable', () => {
		const op = sendMessage({
			channelId: CHANNEL,
			message: HOSTILE,
			msgId: HOSTILE,
			options: ['Yes', 'No'],
		});
		expect(op.document).toBe(
			`mutation SendMessage { sendMessage(channel_id: "${CHANNEL}", msg: ${JSON.stringify(HOSTILE)}, msg_id: ${JSON.stringify(HOSTILE)}, options: ["Yes", "No"]) { success } }`,
		);
		expect(op.variables).toEqual({});
		expect(parseDocument(op)).toEqual({
			operations: 1,
			variableDefinitions: 0,
			rootFields: ['sendMessage'],
			field: 'sendMessage',
			args: { channel_id: CHANNEL, msg: HOSTILE, msg_id: HOSTILE, options: ['Yes', 'No'] },
		});
		expect(op.idempotent).toBe(true);
		expect(op.name).toBe('SendMessage');
	});

	it('sendMessage generates a msg_id when none is given, and reports it with the result', () => {
		const op = sendMessage({ channelId: CHANNEL, message: 'hi' });
		const msgId = parseDocument(op).args.msg_id as string;
		expect(msgId).toMatch(/^[0-9a-f-]{36}$/);
		expect(op.parse({ sendMessage: { success: true } })).toEqual({ success: true, msgId });
		expect(op.delivery?.msgId).toBe(msgId);
		expect(parseDocument(sendMessage({ channelId: CHANNEL, message: 'hi' })).args.msg_id).not.toBe(
			msgId,
		);
	});

	it('sendMessage options: a "/" is refused, since Zendesk splits an option there', () => {
		const error = invalid(() =>
			sendMessage({ channelId: CHANNEL, message: 'm', options: ['yes/no'] }),
		);
		expect(error.field).toBe('options[0]');
		expect(error.message).toContain('"/"');
	});

	it('a lone surrogate becomes U+FFFD (GraphQL refuses one even escaped); a valid pair is kept', () => {
		const op = sendMessage({ channelId: CHANNEL, message: 'a \ud800 b \udc00 c 🎉' });
		expect(parseDocument(op).args.msg).toBe('a \ufffd b \ufffd c 🎉');
	});

	it('booleans and enum values are checked literals; optional ones are left out', () => {
		expect(parseDocument(setTypingIndicator({ channelId: CHANNEL, typing: true })).args).toEqual({
			channel_id: CHANNEL,
			typing: true,
		});
		expect(
			parseDocument(setTypingIndicator({ channelId: CHANNEL, typing: false, backoff: true })).args,
		).toEqual({
			channel_id: CHANNEL,
			typing: false,
			backoff: true,
		});
		expect(transferToDepartment({ channelId: CHANNEL, departmentId: 'D' }).document).not.toContain(
			'leave',
		);
		expect(inviteAgent({ channelId: CHANNEL, agentId: 'A', leave: true }).document).toContain(
			`inviteAgent(agent_id: "A", channel_id: "${CHANNEL}", leave: true)`,
		);
		expect(updateAgentStatus({ status: 'AWAY' }).document).toBe(
			'mutation UpdateAgentStatus { updateAgentStatus(status: AWAY) { node { id display_name } } }',
		);
	});

	it('structured arguments are object literals with every text escaped', () => {
		const op = sendQuickReplies({
			channelId: CHANNEL,
			message: HOSTILE,
			quickReplies: [{ text: HOSTILE, value: 'v"1' }, { text: 'Two' }],
		});
		expect(op.document).toBe(
			`mutation SendQuickReplies { sendQuickReplies(channel_id: "${CHANNEL}", msg: ${JSON.stringify(HOSTILE)}, ` +
				`quick_replies: [{text: ${JSON.stringify(HOSTILE)}, action: {value: "v\\"1"}}, {text: "Two", action: {value: "Two"}}], ` +
				`fallback: {msg: ${JSON.stringify(HOSTILE)}, options: [${JSON.stringify(HOSTILE)}, "Two"]}) { success } }`,
		);
		expect(parseDocument(op).args).toEqual({
			channel_id: CHANNEL,
			msg: HOSTILE,
			quick_replies: [
				{ text: HOSTILE, action: { value: 'v"1' } },
				{ text: 'Two', action: { value: 'Two' } },
			],
			fallback: { msg: HOSTILE, options: [HOSTILE, 'Two'] },
		});
		expect(op.idempotent).toBe(false);
	});

	it('an injection attempt stays one argument value in every operation (checked on the AST)', () => {
		const injection = '"){ success } } mutation Evil { stopAgentSession { success } } #';
		const ops = [
			sendMessage({
				channelId: injection,
				message: injection,
				msgId: injection,
				options: [injection.replace('/', '')],
			}),
			sendButtonTemplate({
				channelId: injection,
				message: injection,
				buttons: [{ text: injection, action: 'reply', value: injection }],
			}),
			sendPanelTemplate({
				channelId: injection,
				panel: { heading: injection, paragraph: injection },
				fallback: { message: injection, options: [injection] },
			}),
			sendPanelTemplateCarousel({
				channelId: injection,
				items: [
					{ panel: { heading: injection } },
					{
						panel: { heading: injection },
						buttons: [{ text: injection, action: 'reply', value: injection }],
					},
				],
			}),
			sendListTemplate({
				channelId: injection,
				items: [{ heading: injection }, { heading: injection, paragraph: injection }],
			}),
			transferToDepartment({ channelId: injection, departmentId: injection }),
			inviteAgent({ channelId: injection, agentId: injection }),
			leaveChannel({ channelId: injection }),
			listenVisitorChannel({ channelId: injection }),
			setTypingIndicator({ channelId: injection, typing: true }),
			addTags({ channelId: injection, tags: ['ok'] }),
		];
		for (const op of ops) {
			const parsed = parseDocument(op);
			expect(parsed.operations).toBe(1);
			expect(parsed.variableDefinitions).toBe(0);
			expect(parsed.rootFields).toHaveLength(1);
			expect(parsed.args.channel_id).toBe(injection);
		}
	});
});

describe('generated fallbacks', () => {
	it('buttons: the message, with link buttons showing their URL', () => {
		const op = sendButtonTemplate({
			channelId: CHANNEL,
			message: 'Pick one',
			buttons: [
				{ text: 'Yes', action: 'reply', value: 'yes' },
				{ text: 'Docs', action: 'link', value: 'https://example.com/docs' },
			],
		});
		const args = parseDocument(op).args;
		expect(args.fallback).toEqual({
			msg: 'Pick one',
			options: ['Yes', 'Docs: https://example.com/docs'],
		});
		expect(op.document).toContain(
			'{text: "Yes", action: {type: QUICK_REPLY_ACTION, value: "yes"}}',
		);
		expect(op.document).toContain(
			'{text: "Docs", action: {type: LINK_ACTION, value: "https://example.com/docs"}}',
		);
	});

	it('panel, carousel and list: a plain-text rendering of the cards', () => {
		const panel = sendPanelTemplate({
			channelId: CHANNEL,
			panel: { heading: 'Shoes', paragraph: 'Red', linkUrl: 'https://example.com/s' },
		});
		expect(parseDocument(panel).args.fallback).toEqual({
			msg: 'Shoes - Red - https://example.com/s',
		});
		expect(panel.document).toContain(
			'panel: {heading: "Shoes", paragraph: "Red", action: {value: "https://example.com/s"}}',
		);
		expect(panel.document).not.toContain('buttons');

		const carousel = sendPanelTemplateCarousel({
			channelId: CHANNEL,
			items: [
				{ panel: { heading: 'A' } },
				{
					panel: { heading: 'B', paragraph: 'b' },
					buttons: [{ text: 'Buy', action: 'reply', value: 'buy B' }],
				},
			],
		});
		expect(parseDocument(carousel).args.fallback).toEqual({
			msg: '1. A\n2. B - b',
			options: ['Buy'],
		});

		const list = sendListTemplate({
			channelId: CHANNEL,
			items: [{ heading: 'One' }, { heading: 'Two' }],
		});
		expect(parseDocument(list).args.fallback).toEqual({ msg: '1. One\n2. Two' });
		expect(list.document).toContain('fallback: {msg: "1. One\\n2. Two"})');
	});

	it('a caller-given fallback is sent as given', () => {
		const op = sendQuickReplies({
			channelId: CHANNEL,
			message: 'm',
			quickReplies: [{ text: 'x' }],
			fallback: { message: 'plain' },
		});
		expect(parseDocument(op).args.fallback).toEqual({ msg: 'plain' });
	});
});

describe('input validation happens before anything is sent', () => {
	const qr = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `Option ${i}` }));
	const button = { text: 'B', action: 'reply' as const, value: 'b' };

	it('quick replies: 1 to 11', () => {
		const eleven = parseDocument(
			sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: qr(11) }),
		).args.quick_replies as Array<{ text: string }>;
		expect(eleven[10].text).toBe('Option 10');
		const tooMany = invalid(() =>
			sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: qr(12) }),
		);
		expect(tooMany.field).toBe('quickReplies');
		expect(tooMany.message).toBe(
			"sendQuickReplies: quickReplies must have 1 to 11 entries (Zendesk's limit), got 12",
		);
		expect(
			invalid(() => sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: [] })).field,
		).toBe('quickReplies');
		expect(
			invalid(() =>
				sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: [{ text: ' ' }] }),
			).field,
		).toBe('quickReplies[0].text');
	});

	it('button template: 1 to 3 buttons; a link button needs an http(s) URL', () => {
		expect(
			invalid(() => sendButtonTemplate({ channelId: CHANNEL, message: 'm', buttons: [] })).field,
		).toBe('buttons');
		expect(
			invalid(() =>
				sendButtonTemplate({
					channelId: CHANNEL,
					message: 'm',
					buttons: [button, button, button, button],
				}),
			).field,
		).toBe('buttons');
		const link = invalid(() =>
			sendButtonTemplate({
				channelId: CHANNEL,
				message: 'm',
				buttons: [{ text: 'x', action: 'link', value: 'javascript:alert(1)' }],
			}),
		);
		expect(link.field).toBe('buttons[0].value');
		expect(link.message).toContain('http(s) URL');
		const action = invalid(() =>
			sendButtonTemplate({
				channelId: CHANNEL,
				message: 'm',
				buttons: [{ text: 'x', action: 'jump' as never, value: 'v' }],
			}),
		);
		expect(action.field).toBe('buttons[0].action');
	});

	it('carousel: 2 to 10 items; list: 2 to 4 items and at most 1 button', () => {
		const item = { panel: { heading: 'h' } };
		expect(
			invalid(() => sendPanelTemplateCarousel({ channelId: CHANNEL, items: [item] })).field,
		).toBe('items');
		expect(
			invalid(() => sendPanelTemplateCarousel({ channelId: CHANNEL, items: Array(11).fill(item) }))
				.field,
		).toBe('items');
		const ten = parseDocument(
			sendPanelTemplateCarousel({ channelId: CHANNEL, items: Array(10).fill(item) }),
		).args.items as unknown[];
		expect(ten).toHaveLength(10);
		const row = { heading: 'r' };
		expect(invalid(() => sendListTemplate({ channelId: CHANNEL, items: [row] })).field).toBe(
			'items',
		);
		expect(
			invalid(() => sendListTemplate({ channelId: CHANNEL, items: [row, row, row, row, row] }))
				.field,
		).toBe('items');
		const twoButtons = invalid(() =>
			sendListTemplate({ channelId: CHANNEL, items: [row, row], buttons: [button, button] }),
		);
		expect(twoButtons.field).toBe('buttons');
		expect(twoButtons.message).toBe(
			"sendListTemplate: buttons must have at most 1 entry (Zendesk's limit), got 2",
		);
		expect(
			invalid(() =>
				sendPanelTemplate({ channelId: CHANNEL, panel: { heading: 'h', imageUrl: 'not a url' } }),
			).field,
		).toBe('panel.imageUrl');
	});

	it('tags: letters, digits, - and _ only', () => {
		const op = addTags({ channelId: CHANNEL, tags: ['vip', 'order-42', 'a_b', 'vip'] });
		expect(op.document).toBe(
			`mutation AddTags { addTags(channel_id: "${CHANNEL}", tags: ["vip", "order-42", "a_b"]) { success } }`,
		);
		for (const bad of ['two words', 'é', 'a,b', '']) {
			const error = invalid(() => addTags({ channelId: CHANNEL, tags: ['ok', bad] }));
			expect(error.field).toBe('tags[1]');
			expect(error.message).toContain('letters, digits, - and _');
		}
		const none = invalid(() => addTags({ channelId: CHANNEL, tags: [] }));
		expect(none.field).toBe('tags');
		expect(none.message).toBe('addTags: tags must have at least 1 entry, got 0');
	});

	it('required fields, types, unknown fields and enum values', () => {
		expect(invalid(() => sendMessage({ channelId: '', message: 'm' })).field).toBe('channelId');
		const missing = invalid(() => sendMessage({ channelId: CHANNEL } as never));
		expect(missing.field).toBe('message');
		expect(missing.message).toBe('sendMessage: message is required');
		expect(invalid(() => sendMessage({ channelId: CHANNEL, message: 42 } as never)).message).toBe(
			'sendMessage: message must be a string',
		);
		const typo = invalid(() =>
			sendMessage({ channelId: CHANNEL, message: 'm', mesage: 'x' } as never),
		);
		expect(typo.message).toBe('sendMessage: unknown field(s) mesage');
		expect(invalid(() => setTypingIndicator({ channelId: CHANNEL } as never)).field).toBe('typing');
		expect(invalid(() => updateAgentStatus({ status: 'OFFLINE' as never })).message).toBe(
			'updateAgentStatus: status must be one of ONLINE, AWAY, INVISIBLE',
		);
		expect(
			invalid(() => chatActivitySubscription({ types: ['MEMBER_DANCE' as never] })).field,
		).toBe('types[0]');
	});
});

describe('results and events', () => {
	it('a query answer with the wrong shape is a ProtocolError naming the operation', () => {
		const op = departments();
		expect(
			op.parse({
				departments: { edges: [{ node: { id: 'D', name: 'Sales', status: 'ONLINE' } }] },
			}),
		).toEqual([{ id: 'D', raw_id: null, name: 'Sales', status: 'ONLINE' }]);
		expect(
			op.parse({
				departments: {
					edges: [{ node: { id: 'D', raw_id: '2001', name: 'Sales', status: 'ONLINE' } }],
				},
			}),
		).toEqual([{ id: 'D', raw_id: '2001', name: 'Sales', status: 'ONLINE' }]);
		expect(() => op.parse({ departments: { edges: [{ node: { name: 'x' } }] } })).toThrow(
			ProtocolError,
		);
		expect(() => op.parse(undefined)).toThrow('unexpected answer to departments');
	});

	it("a { success } answer is read by hand, and one of another shape is the schema's ProtocolError", () => {
		const op = sendMessage({ channelId: CHANNEL, message: 'hi', msgId: 'm-1' });
		expect(op.parse({ sendMessage: { success: false } })).toEqual({ success: false, msgId: 'm-1' });
		expect(() => op.parse({ sendMessage: { success: 'yes' } })).toThrow(
			'unexpected answer to sendMessage: sendMessage.success: Expected boolean, received string',
		);
		expect(() => op.parse({ sendMessage: null })).toThrow(ProtocolError);
		expect(() => op.parse([])).toThrow(ProtocolError);
	});

	it('sendMessage reads its input by hand as the schema would: an empty msgId is generated, options copied', () => {
		const options = ['Yes', 'No'];
		const op = sendMessage({
			channelId: CHANNEL,
			message: 'hi',
			msgId: '',
			options,
			backoff: true,
		});
		const args = parseDocument(op).args;
		expect(args.msg_id).toMatch(/^[0-9a-f-]{36}$/);
		expect(args.options).toEqual(['Yes', 'No']);
		expect(args.backoff).toBe(true);
		// Not a plain object: the schema decides (and accepts a class instance with the same fields).
		class Input {
			channelId = CHANNEL;
			message = 'hi';
		}
		expect(parseDocument(sendMessage(new Input())).args.msg).toBe('hi');
		expect(invalid(() => sendMessage({ channelId: CHANNEL, message: '   ' })).message).toBe(
			'sendMessage: message must not be empty',
		);
		expect(
			invalid(() => sendMessage({ channelId: CHANNEL, message: 'm', options: ['ok', 1 as never] }))
				.field,
		).toBe('options[1]');
	});

	it('subscriptions select the node cheaply and identify it by id', () => {
		const op = messageSubscription();
		const node = { id: 'M1', content: 'hi', channel: { id: 'C' }, from: { __typename: 'Visitor' } };
		expect(op.select({ message: { node } })).toBe(node);
		expect(op.eventId(node)).toBe('M1');
		expect(op.select({ message: { node: { content: 'no id' } } })).toBeUndefined();
		expect(op.select({ message: null })).toBeUndefined();
		expect(op.select('garbage')).toBeUndefined();
		const activity = chatActivitySubscription({ types: ['MEMBER_JOIN'] });
		expect(activity.document).toContain(
			'chatActivity(filter: {chat_activity_types: [MEMBER_JOIN]})',
		);
		expect(chatActivitySubscription().document).toContain('[MEMBER_JOIN, MEMBER_LEAVE]');
	});
});
