import {
	addTags,
	chatActivitySubscription,
	departments,
	inviteAgent,
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

describe('documents carry user text only as variables', () => {
	it('sendMessage: the text and ids are variables, the document is fixed', () => {
		const op = sendMessage({ channelId: CHANNEL, message: HOSTILE, msgId: HOSTILE });
		expect(op.document).toBe(
			'mutation SendMessage($channel_id: ID!, $msg: String!, $msg_id: String!) { sendMessage(channel_id: $channel_id, msg: $msg, msg_id: $msg_id) { success } }',
		);
		expect(op.variables).toEqual({ channel_id: CHANNEL, msg: HOSTILE, msg_id: HOSTILE });
		expect(op.idempotent).toBe(true);
		expect(op.name).toBe('SendMessage');
	});

	it('sendMessage generates a msg_id when none is given, and reports it with the result', () => {
		const op = sendMessage({ channelId: CHANNEL, message: 'hi' });
		expect(op.variables.msg_id).toMatch(/^[0-9a-f-]{36}$/);
		expect(op.parse({ sendMessage: { success: true } })).toEqual({ success: true, msgId: op.variables.msg_id });
		expect(sendMessage({ channelId: CHANNEL, message: 'hi' }).variables.msg_id).not.toBe(op.variables.msg_id);
	});

	it('booleans and enum values are checked literals; optional ones are left out', () => {
		expect(setTypingIndicator({ channelId: CHANNEL, typing: true }).document).toContain('typing: true)');
		expect(setTypingIndicator({ channelId: CHANNEL, typing: false, backoff: true }).document).toContain('typing: false, backoff: true)');
		expect(transferToDepartment({ channelId: CHANNEL, departmentId: 'D' }).document).not.toContain('leave');
		expect(inviteAgent({ channelId: CHANNEL, agentId: 'A', leave: true }).document).toContain(
			'inviteAgent(agent_id: $agent_id, channel_id: $channel_id, leave: true)',
		);
		expect(updateAgentStatus({ status: 'AWAY' }).document).toBe(
			'mutation UpdateAgentStatus { updateAgentStatus(status: AWAY) { node { id display_name } } }',
		);
	});

	it('structured arguments are expanded into one scalar variable per leaf', () => {
		const op = sendQuickReplies({
			channelId: CHANNEL,
			message: HOSTILE,
			quickReplies: [{ text: HOSTILE, value: 'v"1' }, { text: 'Two' }],
		});
		expect(op.document).toBe(
			'mutation SendQuickReplies($channel_id: ID!, $msg: String!, $qr0_text: String!, $qr0_value: String!, $qr1_text: String!, $qr1_value: String!, $fallback_msg: String!, $fallback_option0: String!, $fallback_option1: String!) ' +
				'{ sendQuickReplies(channel_id: $channel_id, msg: $msg, quick_replies: [{text: $qr0_text, action: {value: $qr0_value}}, {text: $qr1_text, action: {value: $qr1_value}}], ' +
				'fallback: {msg: $fallback_msg, options: [$fallback_option0, $fallback_option1]}) { success } }',
		);
		expect(op.variables).toEqual({
			channel_id: CHANNEL,
			msg: HOSTILE,
			qr0_text: HOSTILE,
			qr0_value: 'v"1',
			qr1_text: 'Two',
			qr1_value: 'Two',
			fallback_msg: HOSTILE,
			fallback_option0: HOSTILE,
			fallback_option1: 'Two',
		});
		expect(op.idempotent).toBe(false);
	});

	it('no user string ever appears inside any document', () => {
		const ops = [
			sendMessage({ channelId: HOSTILE, message: HOSTILE, msgId: HOSTILE }),
			sendButtonTemplate({ channelId: HOSTILE, message: HOSTILE, buttons: [{ text: HOSTILE, action: 'reply', value: HOSTILE }] }),
			sendPanelTemplate({ channelId: HOSTILE, panel: { heading: HOSTILE, paragraph: HOSTILE }, fallback: { message: HOSTILE, options: [HOSTILE] } }),
			sendPanelTemplateCarousel({ channelId: HOSTILE, items: [{ panel: { heading: HOSTILE } }, { panel: { heading: HOSTILE }, buttons: [{ text: HOSTILE, action: 'reply', value: HOSTILE }] }] }),
			sendListTemplate({ channelId: HOSTILE, items: [{ heading: HOSTILE }, { heading: HOSTILE, paragraph: HOSTILE }] }),
			transferToDepartment({ channelId: HOSTILE, departmentId: HOSTILE }),
			inviteAgent({ channelId: HOSTILE, agentId: HOSTILE }),
		];
		for (const op of ops) {
			expect(op.document).not.toContain('quote');
			expect(op.document).not.toContain('🎉');
			expect(Object.values(op.variables)).toContain(HOSTILE);
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
		expect(op.variables.fallback_msg).toBe('Pick one');
		expect([op.variables.fallback_option0, op.variables.fallback_option1]).toEqual(['Yes', 'Docs: https://example.com/docs']);
		expect(op.document).toContain('{text: $b0_text, action: {type: QUICK_REPLY_ACTION, value: $b0_value}}');
		expect(op.document).toContain('{text: $b1_text, action: {type: LINK_ACTION, value: $b1_value}}');
	});

	it('panel, carousel and list: a plain-text rendering of the cards', () => {
		const panel = sendPanelTemplate({ channelId: CHANNEL, panel: { heading: 'Shoes', paragraph: 'Red', linkUrl: 'https://example.com/s' } });
		expect(panel.variables.fallback_msg).toBe('Shoes - Red - https://example.com/s');
		expect(panel.document).toContain('panel: {heading: $panel_heading, paragraph: $panel_paragraph, action: {value: $panel_link}}');
		expect(panel.document).not.toContain('buttons');

		const carousel = sendPanelTemplateCarousel({
			channelId: CHANNEL,
			items: [{ panel: { heading: 'A' } }, { panel: { heading: 'B', paragraph: 'b' }, buttons: [{ text: 'Buy', action: 'reply', value: 'buy B' }] }],
		});
		expect(carousel.variables.fallback_msg).toBe('1. A\n2. B - b');
		expect(carousel.variables.fallback_option0).toBe('Buy');

		const list = sendListTemplate({ channelId: CHANNEL, items: [{ heading: 'One' }, { heading: 'Two' }] });
		expect(list.variables.fallback_msg).toBe('1. One\n2. Two');
		expect(list.document).toContain('fallback: {msg: $fallback_msg})');
	});

	it('a caller-given fallback is sent as given', () => {
		const op = sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: [{ text: 'x' }], fallback: { message: 'plain' } });
		expect(op.variables.fallback_msg).toBe('plain');
		expect(op.variables).not.toHaveProperty('fallback_option0');
	});
});

describe('input validation happens before anything is sent', () => {
	const qr = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `Option ${i}` }));
	const button = { text: 'B', action: 'reply' as const, value: 'b' };

	it('quick replies: 1 to 11', () => {
		expect(sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: qr(11) }).variables.qr10_text).toBe('Option 10');
		const tooMany = invalid(() => sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: qr(12) }));
		expect(tooMany.field).toBe('quickReplies');
		expect(tooMany.message).toBe("sendQuickReplies: quickReplies must have 1 to 11 entries (Zendesk's limit), got 12");
		expect(invalid(() => sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: [] })).field).toBe('quickReplies');
		expect(invalid(() => sendQuickReplies({ channelId: CHANNEL, message: 'm', quickReplies: [{ text: ' ' }] })).field).toBe('quickReplies[0].text');
	});

	it('button template: 1 to 3 buttons; a link button needs an http(s) URL', () => {
		expect(invalid(() => sendButtonTemplate({ channelId: CHANNEL, message: 'm', buttons: [] })).field).toBe('buttons');
		expect(invalid(() => sendButtonTemplate({ channelId: CHANNEL, message: 'm', buttons: [button, button, button, button] })).field).toBe('buttons');
		const link = invalid(() => sendButtonTemplate({ channelId: CHANNEL, message: 'm', buttons: [{ text: 'x', action: 'link', value: 'javascript:alert(1)' }] }));
		expect(link.field).toBe('buttons[0].value');
		expect(link.message).toContain('http(s) URL');
		const action = invalid(() => sendButtonTemplate({ channelId: CHANNEL, message: 'm', buttons: [{ text: 'x', action: 'jump' as never, value: 'v' }] }));
		expect(action.field).toBe('buttons[0].action');
	});

	it('carousel: 2 to 10 items; list: 2 to 4 items and at most 1 button', () => {
		const item = { panel: { heading: 'h' } };
		expect(invalid(() => sendPanelTemplateCarousel({ channelId: CHANNEL, items: [item] })).field).toBe('items');
		expect(invalid(() => sendPanelTemplateCarousel({ channelId: CHANNEL, items: Array(11).fill(item) })).field).toBe('items');
		expect(sendPanelTemplateCarousel({ channelId: CHANNEL, items: Array(10).fill(item) }).variables.i9_heading).toBe('h');
		const row = { heading: 'r' };
		expect(invalid(() => sendListTemplate({ channelId: CHANNEL, items: [row] })).field).toBe('items');
		expect(invalid(() => sendListTemplate({ channelId: CHANNEL, items: [row, row, row, row, row] })).field).toBe('items');
		const twoButtons = invalid(() => sendListTemplate({ channelId: CHANNEL, items: [row, row], buttons: [button, button] }));
		expect(twoButtons.field).toBe('buttons');
		expect(twoButtons.message).toBe("sendListTemplate: buttons must have at most 1 entry (Zendesk's limit), got 2");
		expect(invalid(() => sendPanelTemplate({ channelId: CHANNEL, panel: { heading: 'h', imageUrl: 'not a url' } })).field).toBe('panel.imageUrl');
	});

	it('tags: letters, digits, - and _ only', () => {
		const op = addTags({ channelId: CHANNEL, tags: ['vip', 'order-42', 'a_b', 'vip'] });
		expect(op.document).toBe(
			'mutation AddTags($channel_id: ID!, $tag0: String!, $tag1: String!, $tag2: String!) { addTags(channel_id: $channel_id, tags: [$tag0, $tag1, $tag2]) { success } }',
		);
		for (const bad of ['two words', 'é', 'a,b', '']) {
			const error = invalid(() => addTags({ channelId: CHANNEL, tags: ['ok', bad] }));
			expect(error.field).toBe('tags[1]');
			expect(error.message).toContain('letters, digits, - and _');
		}
		const none = invalid(() => addTags({ channelId: CHANNEL, tags: [] }));
		expect(none.field).toBe('tags');
		expect(none.message).toBe("addTags: tags must have at least 1 entry, got 0");
	});

	it('required fields, types, unknown fields and enum values', () => {
		expect(invalid(() => sendMessage({ channelId: '', message: 'm' })).field).toBe('channelId');
		const missing = invalid(() => sendMessage({ channelId: CHANNEL } as never));
		expect(missing.field).toBe('message');
		expect(missing.message).toBe('sendMessage: message is required');
		expect(invalid(() => sendMessage({ channelId: CHANNEL, message: 42 } as never)).message).toBe('sendMessage: message must be a string');
		const typo = invalid(() => sendMessage({ channelId: CHANNEL, message: 'm', mesage: 'x' } as never));
		expect(typo.message).toBe('sendMessage: unknown field(s) mesage');
		expect(invalid(() => setTypingIndicator({ channelId: CHANNEL } as never)).field).toBe('typing');
		expect(invalid(() => updateAgentStatus({ status: 'OFFLINE' as never })).message).toBe(
			'updateAgentStatus: status must be one of ONLINE, AWAY, INVISIBLE',
		);
		expect(invalid(() => chatActivitySubscription({ types: ['MEMBER_DANCE' as never] })).field).toBe('types[0]');
	});
});

describe('results and events', () => {
	it('a query answer with the wrong shape is a ProtocolError naming the operation', () => {
		const op = departments();
		expect(op.parse({ departments: { edges: [{ node: { id: 'D', name: 'Sales', status: 'ONLINE' } }] } })).toEqual([
			{ id: 'D', raw_id: null, name: 'Sales', status: 'ONLINE' },
		]);
		expect(op.parse({ departments: { edges: [{ node: { id: 'D', raw_id: '2001', name: 'Sales', status: 'ONLINE' } }] } })).toEqual([
			{ id: 'D', raw_id: '2001', name: 'Sales', status: 'ONLINE' },
		]);
		expect(() => op.parse({ departments: { edges: [{ node: { name: 'x' } }] } })).toThrow(ProtocolError);
		expect(() => op.parse(undefined)).toThrow('unexpected answer to departments');
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
		expect(activity.document).toContain('chatActivity(filter: {chat_activity_types: [MEMBER_JOIN]})');
		expect(chatActivitySubscription().document).toContain('[MEMBER_JOIN, MEMBER_LEAVE]');
	});
});
