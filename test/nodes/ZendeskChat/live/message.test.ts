import { startSimulator, SIM_BOT_AGENT_ID, type Simulator } from '../../../../simulator';
import { closeSharedSessionPool } from '../../../../src/conversations';
import type { N8nHarness } from '../../../helpers/n8n/harness';
import { delivered, errorOf, inputs, itemsOf, liveHarness, run, startChat } from './helpers';

/**
 * The Message resource through n8n's engine against the simulator over real sockets: what the
 * visitor's widget received (text and the structured payload exactly as the API got it), and every
 * bad input refused with its text before a session is even started.
 */

let sim: Simulator;
let harness: N8nHarness;

beforeAll(async () => {
	sim = await startSimulator();
	harness = liveHarness(sim);
});

afterAll(async () => {
	await closeSharedSessionPool();
	expect(sim.conversations.control.sessions()).toEqual([]);
	await sim.close();
});

const last = (chatId: string) => delivered(sim, chatId).at(-1)!;

/** Strings that break a GraphQL document built by interpolation, and a few that stress JSON. */
const HOSTILE = [
	'say "hello"',
	'C:\\path\\to\\file \\" \\\\',
	'"){ success } } mutation { stopAgentSession { success } } #',
	'line 1\nline 2\r\nline 3\ttabbed',
	'🎉 family 👩‍👩‍👧 flag 🇮🇪 and a U+2028\u2028separator',
	'{{ $json.text }} ${not} `template`',
];

describe('Send Text', () => {
	it('delivers the text as the agent, with a random msg_id when none is given', async () => {
		const { chat, channelId } = startChat(sim);
		const items = itemsOf(
			await run(harness, {
				resource: 'message',
				operation: 'sendText',
				channelId,
				text: 'Hello! How can I help?',
			}),
		);
		expect(items).toHaveLength(1);
		const msgId = items[0].json.msgId as string;
		expect(msgId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(items[0]).toEqual({
			json: { success: true, channelId, msgId },
			pairedItem: { item: 0 },
		});
		expect(delivered(sim, chat.id)).toEqual([
			expect.objectContaining({
				agentId: SIM_BOT_AGENT_ID,
				text: 'Hello! How can I help?',
				msgId,
				structured: undefined,
			}),
		]);
	});

	it('sends the client message id given in the options', async () => {
		const { chat, channelId } = startChat(sim);
		const items = itemsOf(
			await run(harness, {
				resource: 'message',
				operation: 'sendText',
				channelId,
				text: 'Order shipped',
				options: { msgId: 'order-42-shipped' },
			}),
		);
		expect(items[0].json).toEqual({ success: true, channelId, msgId: 'order-42-shipped' });
		expect(last(chat.id)).toMatchObject({ text: 'Order shipped', msgId: 'order-42-shipped' });
	});

	it('delivers hostile text and msg ids byte for byte, one item each, paired in order', async () => {
		const { chat, channelId } = startChat(sim);
		const before = delivered(sim, chat.id).length;
		const items = itemsOf(
			await run(
				harness,
				{
					resource: 'message',
					operation: 'sendText',
					channelId,
					text: '={{ $json.text }}',
					options: { msgId: '={{ $json.text }}' },
				},
				{ items: inputs(...HOSTILE.map((text) => ({ text }))) },
			),
		);
		expect(items.map((i) => i.pairedItem)).toEqual(HOSTILE.map((_, item) => ({ item })));
		expect(items.map((i) => i.json.msgId)).toEqual(HOSTILE);
		const got = delivered(sim, chat.id).slice(before);
		expect(got.map((d) => d.text)).toEqual(HOSTILE);
		expect(got.map((d) => d.msgId)).toEqual(HOSTILE);
	});
});

describe('Send Quick Replies', () => {
	it('sends the chips from the fields; a chip without a value replies with its label; the fallback lists the choices', async () => {
		const { chat, channelId } = startChat(sim);
		const items = itemsOf(
			await run(harness, {
				resource: 'message',
				operation: 'sendQuickReplies',
				channelId,
				text: 'Did that answer your question?',
				quickReplies: { reply: [{ text: 'Yes' }, { text: 'No', value: 'no_thanks' }] },
			}),
		);
		expect(items).toEqual([{ json: { success: true, channelId }, pairedItem: { item: 0 } }]);
		expect(last(chat.id)).toMatchObject({
			text: 'Did that answer your question?',
			structured: {
				kind: 'quick_replies',
				args: {
					channel_id: channelId,
					msg: 'Did that answer your question?',
					quick_replies: [
						{ text: 'Yes', action: { value: 'Yes' } },
						{ text: 'No', action: { value: 'no_thanks' } },
					],
					fallback: { msg: 'Did that answer your question?', options: ['Yes', 'No'] },
				},
			},
		});
	});

	it('takes the chips as JSON text, or as a list from an expression, and the fallback text given', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendQuickReplies',
			channelId,
			text: 'Size?',
			inputMode: 'json',
			quickRepliesJson: '[{"text": "S"}, {"text": "M", "value": "medium"}]',
			options: { fallbackText: 'Reply S or M' },
		});
		expect(last(chat.id).structured?.args).toEqual({
			channel_id: channelId,
			msg: 'Size?',
			quick_replies: [
				{ text: 'S', action: { value: 'S' } },
				{ text: 'M', action: { value: 'medium' } },
			],
			fallback: { msg: 'Reply S or M' },
		});
		await run(
			harness,
			{
				resource: 'message',
				operation: 'sendQuickReplies',
				channelId,
				text: 'Colour?',
				inputMode: 'json',
				quickRepliesJson: '={{ $json.replies }}',
			},
			{ items: inputs({ replies: [{ text: 'Red' }, { text: 'Blue' }] }) },
		);
		expect(last(chat.id).structured?.args.quick_replies).toEqual([
			{ text: 'Red', action: { value: 'Red' } },
			{ text: 'Blue', action: { value: 'Blue' } },
		]);
	});

	it('delivers hostile labels, values and text byte for byte', async () => {
		const { chat, channelId } = startChat(sim);
		const text = HOSTILE.join(' | ');
		await run(
			harness,
			{
				resource: 'message',
				operation: 'sendQuickReplies',
				channelId,
				text: '={{ $json.text }}',
				inputMode: 'json',
				quickRepliesJson: '={{ $json.replies }}',
			},
			{ items: inputs({ text, replies: HOSTILE.map((h) => ({ text: h, value: h })) }) },
		);
		const args = last(chat.id).structured!.args as {
			msg: string;
			quick_replies: Array<{ text: string; action: { value: string } }>;
		};
		expect(args.msg).toBe(text);
		expect(args.quick_replies.map((q) => q.text)).toEqual(HOSTILE);
		expect(args.quick_replies.map((q) => q.action.value)).toEqual(HOSTILE);
	});
});

describe('Send Buttons', () => {
	it('sends reply and link buttons from the fields (a reply button without a value replies with its text)', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendButtons',
			channelId,
			text: 'What next?',
			buttons: {
				button: [
					{ text: 'Talk to a human', actionType: 'reply', value: '' },
					{ text: 'Track order', actionType: 'link', value: 'https://example.com/orders?id=42' },
				],
			},
		});
		expect(last(chat.id)).toMatchObject({
			text: 'What next?',
			structured: {
				kind: 'buttons',
				args: {
					channel_id: channelId,
					msg: 'What next?',
					buttons: [
						{
							text: 'Talk to a human',
							action: { type: 'QUICK_REPLY_ACTION', value: 'Talk to a human' },
						},
						{
							text: 'Track order',
							action: { type: 'LINK_ACTION', value: 'https://example.com/orders?id=42' },
						},
					],
					fallback: {
						msg: 'What next?',
						options: ['Talk to a human', 'Track order: https://example.com/orders?id=42'],
					},
				},
			},
		});
	});

	it('takes the buttons as JSON', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendButtons',
			channelId,
			text: 'Pick one',
			inputMode: 'json',
			buttonsJson: '[{"text": "A", "action": "reply", "value": "a"}]',
		});
		expect(last(chat.id).structured?.args.buttons).toEqual([
			{ text: 'A', action: { type: 'QUICK_REPLY_ACTION', value: 'a' } },
		]);
	});
});

describe('Send Panel', () => {
	it('sends one card with its image, link and buttons; the fallback describes it', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendPanel',
			channelId,
			heading: 'Pro plan',
			paragraph: '$29 a month',
			imageUrl: 'https://example.com/pro.png',
			linkUrl: 'https://example.com/pro',
			buttons: { button: [{ text: 'Choose', actionType: 'reply', value: 'pro' }] },
		});
		expect(last(chat.id)).toMatchObject({
			structured: {
				kind: 'panel',
				args: {
					channel_id: channelId,
					panel: {
						heading: 'Pro plan',
						paragraph: '$29 a month',
						image_url: 'https://example.com/pro.png',
						action: { value: 'https://example.com/pro' },
					},
					buttons: [{ text: 'Choose', action: { type: 'QUICK_REPLY_ACTION', value: 'pro' } }],
					fallback: {
						msg: 'Pro plan - $29 a month - https://example.com/pro',
						options: ['Choose'],
					},
				},
			},
		});
	});

	it('sends a card with a heading only (no buttons, no empty optional fields)', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendPanel',
			channelId,
			heading: 'Just a heading',
		});
		expect(last(chat.id).structured?.args).toEqual({
			channel_id: channelId,
			panel: { heading: 'Just a heading' },
			fallback: { msg: 'Just a heading' },
		});
	});
});

describe('Send Carousel', () => {
	it('sends the cards from the fields, each with its own buttons', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendCarousel',
			channelId,
			items: {
				item: [
					{
						heading: 'Basic',
						paragraph: '$9',
						buttons: { button: [{ text: 'Choose', actionType: 'reply', value: 'basic' }] },
					},
					{
						heading: 'Pro',
						imageUrl: 'https://example.com/pro.png',
						linkUrl: 'https://example.com/pro',
					},
				],
			},
		});
		expect(last(chat.id).structured).toEqual({
			kind: 'carousel',
			args: {
				channel_id: channelId,
				items: [
					{
						panel: { heading: 'Basic', paragraph: '$9' },
						buttons: [{ text: 'Choose', action: { type: 'QUICK_REPLY_ACTION', value: 'basic' } }],
					},
					{
						panel: {
							heading: 'Pro',
							image_url: 'https://example.com/pro.png',
							action: { value: 'https://example.com/pro' },
						},
					},
				],
				fallback: { msg: '1. Basic - $9\n2. Pro - https://example.com/pro', options: ['Choose'] },
			},
		});
	});

	it('takes the cards as JSON, flat or as the API nests them', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendCarousel',
			channelId,
			inputMode: 'json',
			itemsJson: JSON.stringify([
				{
					heading: 'One',
					buttons: [{ text: 'Go', action: 'link', value: 'https://example.com/1' }],
				},
				{ panel: { heading: 'Two', paragraph: 'second' } },
			]),
			options: { fallbackText: 'One or two?' },
		});
		expect(last(chat.id).structured?.args).toEqual({
			channel_id: channelId,
			items: [
				{
					panel: { heading: 'One' },
					buttons: [
						{ text: 'Go', action: { type: 'LINK_ACTION', value: 'https://example.com/1' } },
					],
				},
				{ panel: { heading: 'Two', paragraph: 'second' } },
			],
			fallback: { msg: 'One or two?' },
		});
	});
});

describe('Send List', () => {
	it('sends the rows and the one button from the fields', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendList',
			channelId,
			items: {
				item: [
					{ heading: 'Order #1001', paragraph: 'Shipped' },
					{ heading: 'Order #1002', linkUrl: 'https://example.com/o/1002' },
				],
			},
			buttons: {
				button: [{ text: 'All orders', actionType: 'link', value: 'https://example.com/orders' }],
			},
		});
		expect(last(chat.id).structured).toEqual({
			kind: 'list',
			args: {
				channel_id: channelId,
				items: [
					{ heading: 'Order #1001', paragraph: 'Shipped' },
					{ heading: 'Order #1002', action: { value: 'https://example.com/o/1002' } },
				],
				buttons: [
					{
						text: 'All orders',
						action: { type: 'LINK_ACTION', value: 'https://example.com/orders' },
					},
				],
				fallback: {
					msg: '1. Order #1001 - Shipped\n2. Order #1002 - https://example.com/o/1002',
					options: ['All orders: https://example.com/orders'],
				},
			},
		});
	});

	it('takes the rows as JSON, with no buttons when the buttons JSON is left empty', async () => {
		const { chat, channelId } = startChat(sim);
		await run(harness, {
			resource: 'message',
			operation: 'sendList',
			channelId,
			inputMode: 'json',
			itemsJson: '[{"heading": "A"}, {"heading": "B", "imageUrl": "https://example.com/b.png"}]',
			buttonsJson: '',
		});
		expect(last(chat.id).structured?.args).toEqual({
			channel_id: channelId,
			items: [{ heading: 'A' }, { heading: 'B', image_url: 'https://example.com/b.png' }],
			fallback: { msg: '1. A\n2. B' },
		});
	});
});

describe('bad input is refused with a clear error, before any session is started', () => {
	let channelId: string;
	let chatId: string;

	beforeAll(async () => {
		// No session in the pool: a request sent would need one, and starting one is counted.
		await closeSharedSessionPool();
		({
			channelId,
			chat: { id: chatId },
		} = startChat(sim));
	});

	const button = (n: number) => ({ text: `B${n}`, actionType: 'reply', value: `b${n}` });
	const card = (n: number) => ({ heading: `Card ${n}` });

	it.each([
		[
			'an empty text (from an expression)',
			{ operation: 'sendText', text: '={{ $json.reply }}' },
			'Text must not be empty',
			'Field: Text. Type the text, or map it with an expression such as {{ $json.reply }}.',
		],
		[
			'a missing channel id',
			{ operation: 'sendText', channelId: '={{ $json.channel }}', text: 'hi' },
			'Channel ID must not be empty',
			'Field: Channel ID. Map the chat: a Zendesk Chat Trigger item carries its channel ID as channelId (Live Chat › Get Many too) and its chat ID as chatId; either works.',
		],
		[
			'12 quick replies',
			{
				operation: 'sendQuickReplies',
				text: 'Pick',
				quickReplies: { reply: Array.from({ length: 12 }, (_, i) => ({ text: `Q${i}` })) },
			},
			"Quick Replies must have 1 to 11 entries (Zendesk's limit), got 12",
			'Field: Quick Replies.',
		],
		[
			'no quick replies',
			{ operation: 'sendQuickReplies', text: 'Pick' },
			"Quick Replies must have 1 to 11 entries (Zendesk's limit), got 0",
			'Field: Quick Replies.',
		],
		[
			'a quick reply without a label',
			{
				operation: 'sendQuickReplies',
				text: 'Pick',
				quickReplies: { reply: [{ text: 'Yes' }, { text: '', value: 'x' }] },
			},
			'Quick Replies › Reply 2 › Text is required',
			'Field: Quick Replies › Reply 2 › Text.',
		],
		[
			'12 quick replies as JSON',
			{
				operation: 'sendQuickReplies',
				text: 'Pick',
				inputMode: 'json',
				quickRepliesJson: JSON.stringify(Array.from({ length: 12 }, (_, i) => ({ text: `Q${i}` }))),
			},
			"Quick Replies (JSON) must have 1 to 11 entries (Zendesk's limit), got 12",
			'Field: Quick Replies (JSON).',
		],
		[
			'an unknown key in the JSON',
			{
				operation: 'sendQuickReplies',
				text: 'Pick',
				inputMode: 'json',
				quickRepliesJson: '[{"text": "Yes", "label": "oops"}]',
			},
			'Quick Replies (JSON) › Reply 1: unknown field(s) label',
			'Field: Quick Replies (JSON) › Reply 1. remove the unknown field(s); check the spelling of the field names',
		],
		[
			'JSON that is not a list',
			{
				operation: 'sendQuickReplies',
				text: 'Pick',
				inputMode: 'json',
				quickRepliesJson: '{"text": "Yes"}',
			},
			'Quick Replies (JSON) must be a list',
			'Field: Quick Replies (JSON).',
		],
		[
			'4 buttons',
			{ operation: 'sendButtons', text: 'Pick', buttons: { button: [1, 2, 3, 4].map(button) } },
			"Buttons must have 1 to 3 entries (Zendesk's limit), got 4",
			'Field: Buttons.',
		],
		[
			'a link button without a URL',
			{
				operation: 'sendButtons',
				text: 'Pick',
				buttons: { button: [{ text: 'Site', actionType: 'link', value: 'example.com' }] },
			},
			'Buttons › Button 1 › Value: a link button needs an absolute http(s) URL as its value',
			'Field: Buttons › Button 1 › Value.',
		],
		[
			'a panel image that is not a URL',
			{ operation: 'sendPanel', heading: 'H', imageUrl: 'pro.png' },
			'Image URL must be an absolute http(s) URL, e.g. https://example.com/page',
			'Field: Image URL.',
		],
		[
			'a panel without a heading (from an expression)',
			{ operation: 'sendPanel', heading: '={{ $json.title }}' },
			'Heading is required',
			'Field: Heading.',
		],
		[
			'1 carousel item',
			{ operation: 'sendCarousel', items: { item: [card(1)] } },
			"Items must have 2 to 10 entries (Zendesk's limit), got 1",
			'Field: Items.',
		],
		[
			'4 buttons on a carousel card',
			{
				operation: 'sendCarousel',
				items: { item: [{ ...card(1), buttons: { button: [1, 2, 3, 4].map(button) } }, card(2)] },
			},
			"Items › Item 1 › Buttons must have at most 3 entries (Zendesk's limit), got 4",
			'Field: Items › Item 1 › Buttons.',
		],
		[
			'a carousel card without a heading, as JSON',
			{
				operation: 'sendCarousel',
				inputMode: 'json',
				itemsJson: '[{"heading": "A"}, {"paragraph": "no heading"}]',
			},
			'Items (JSON) › Item 2 › Heading is required',
			'Field: Items (JSON) › Item 2 › Heading.',
		],
		[
			'5 list items',
			{ operation: 'sendList', items: { item: [1, 2, 3, 4, 5].map(card) } },
			"Items must have 2 to 4 entries (Zendesk's limit), got 5",
			'Field: Items.',
		],
		[
			'2 buttons under a list',
			{
				operation: 'sendList',
				items: { item: [card(1), card(2)] },
				buttons: { button: [button(1), button(2)] },
			},
			"Buttons must have at most 1 entry (Zendesk's limit), got 2",
			'Field: Buttons.',
		],
	])('%s', async (_what, parameters, message, description) => {
		const starts = sim.conversations.control.sessionStarts().total;
		const result = await run(
			harness,
			{ resource: 'message', channelId, ...parameters },
			{ items: inputs({ reply: '', channel: '', title: '' }) },
		);
		expect(errorOf(result)).toEqual({
			name: 'NodeOperationError',
			message,
			description,
			itemIndex: 0,
		});
		expect(sim.conversations.control.sessionStarts().total).toBe(starts);
		expect(sim.conversations.control.sessions()).toEqual([]);
		expect(delivered(sim, chatId)).toEqual([]);
	});

	it('invalid JSON, naming the field', async () => {
		const result = await run(harness, {
			resource: 'message',
			operation: 'sendButtons',
			channelId,
			text: 'Pick',
			inputMode: 'json',
			buttonsJson: '[{"text": "A",}]',
		});
		const error = errorOf(result);
		expect(error.message.startsWith('Buttons (JSON) is not valid JSON: ')).toBe(true);
		expect(error.description).toBe(
			'Field: Buttons (JSON). Check the quotes, commas and brackets (an n8n expression such as {{ $json.buttons }} can give an array directly).',
		);
		expect(sim.conversations.control.sessions()).toEqual([]);
	});

	it('an empty required JSON field', async () => {
		const result = await run(harness, {
			resource: 'message',
			operation: 'sendCarousel',
			channelId,
			inputMode: 'json',
			itemsJson: '  ',
		});
		expect(errorOf(result)).toMatchObject({
			message: 'Items (JSON) is empty',
			description:
				'Field: Items (JSON). Give a JSON array, e.g. [{"text": "Yes"}, {"text": "No"}].',
		});
	});
});
