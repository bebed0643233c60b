/**
 * Message › Send Text (with actions), Send Carousel, Send List, Send Image, Send File, Send
 * Location Request, Send Form and Delete, through n8n-core's engine against the simulator: each
 * message is stored with the content the fields (or the JSON) describe, as the business, stamped
 * with the origin tag.
 */
import type { IDataObject } from 'n8n-workflow';

import { MESSAGING_ORIGIN_TAG } from '../../../nodes/shared/messagingOrigin';
import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { itemsOf, messagingHarness, NODE_NAME, runNode, unique } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const message = (operation: string, parameters: IDataObject): IDataObject => ({
	resource: 'message',
	operation,
	...parameters,
});

/** A customer who wrote in the Web Widget: their user and personal conversation exist. */
function customer(prefix = 'customer'): { userExternalId: string; conversationId: string } {
	const userExternalId = unique(prefix);
	const { conversationId } = sim.sunshine.control.userSays({
		userExternalId,
		text: 'Hi, I need help',
	});
	return { userExternalId, conversationId };
}

/** The last message stored in the conversation. */
const lastStored = (conversationId: string) =>
	sim.sunshine.control.messages({ conversationId }).at(-1) as IDataObject;

/** Sends with the node and returns its one output item, after checking the simulator stored the same message. */
async function send(operation: string, parameters: IDataObject): Promise<IDataObject> {
	const [out] = outputOf(
		await runNode(messagingHarness(sim), message(operation, parameters)),
		NODE_NAME,
	);
	const stored = lastStored(out.conversationId as string);
	expect(stored.id).toBe(out.id);
	expect(stored.content).toEqual(out.content);
	expect(stored.author).toMatchObject({ type: 'business' });
	expect(stored.metadata).toMatchObject({ 'n8n.origin': MESSAGING_ORIGIN_TAG });
	return out;
}

describe('Send Text', () => {
	it('sends quick replies and buttons defined with fields: a payload left empty is the text, a webview falls back to its URL', async () => {
		const { userExternalId, conversationId } = customer();
		const out = await send('sendText', {
			userExternalId,
			text: 'What can I do for you?',
			actions: {
				action: [
					{
						type: 'reply',
						text: 'Track my order',
						payload: '',
						iconUrl: 'https://example.com/truck.png',
					},
					{ type: 'postback', text: 'Talk to a human', payload: 'HUMAN' },
					{ type: 'link', text: 'FAQ', uri: 'https://example.com/faq' },
					{
						type: 'webview',
						text: 'Pick a slot',
						uri: 'https://example.com/slots',
						size: 'compact',
					},
				],
			},
			displayName: 'Support Bot',
			options: { blockChatInput: true, ai: true },
		});
		expect(out.conversationId).toBe(conversationId);
		expect(out.content).toEqual({
			type: 'text',
			text: 'What can I do for you?',
			blockChatInput: true,
			actions: [
				{
					type: 'reply',
					text: 'Track my order',
					payload: 'Track my order',
					iconUrl: 'https://example.com/truck.png',
				},
				{ type: 'postback', text: 'Talk to a human', payload: 'HUMAN' },
				{ type: 'link', text: 'FAQ', uri: 'https://example.com/faq' },
				{
					type: 'webview',
					text: 'Pick a slot',
					uri: 'https://example.com/slots',
					fallback: 'https://example.com/slots',
					size: 'compact',
				},
			],
		});
		expect(out.author).toMatchObject({
			type: 'business',
			displayName: 'Support Bot',
			subtypes: ['AI'],
		});
	});

	it('takes the actions as JSON, typed or from an expression, and sends plain text without any', async () => {
		const { conversationId } = customer();
		const actions = [
			{ type: 'reply', text: 'Yes', payload: 'YES' },
			{ type: 'locationRequest', text: 'Share my location' },
		];
		const run = await runNode(
			messagingHarness(sim),
			message('sendText', {
				conversationBy: 'conversationId',
				conversationId,
				text: '={{ $json.text }}',
				inputMode: 'json',
				actionsJson: '={{ $json.actions }}',
			}),
			[
				{ json: { text: 'From an expression?', actions } },
				{ json: { text: 'No actions', actions: [] } },
			],
		);
		const items = itemsOf(run);
		expect(items.map((item) => item.json.content)).toEqual([
			{ type: 'text', text: 'From an expression?', actions },
			{ type: 'text', text: 'No actions' },
		]);
		const typed = await send('sendText', {
			conversationBy: 'conversationId',
			conversationId,
			text: 'Typed?',
			inputMode: 'json',
			actionsJson: JSON.stringify(actions),
		});
		expect(typed.content).toEqual({ type: 'text', text: 'Typed?', actions });
	});
});

describe('Send Carousel and Send List', () => {
	const items = {
		item: [
			{
				title: 'Basic',
				description: '$9 a month',
				mediaUrl: 'https://example.com/basic.png',
				altText: 'The basic plan',
				buttons: { button: [{ type: 'postback', text: 'Choose', payload: 'BASIC' }] },
			},
			{
				title: 'Pro',
				buttons: {
					button: [
						{ type: 'link', text: 'Details', uri: 'https://example.com/pro' },
						{ type: 'postback', text: 'Choose', payload: '' },
					],
				},
			},
		],
	};
	const asContent = [
		{
			title: 'Basic',
			description: '$9 a month',
			mediaUrl: 'https://example.com/basic.png',
			altText: 'The basic plan',
			actions: [{ type: 'postback', text: 'Choose', payload: 'BASIC' }],
		},
		{
			title: 'Pro',
			actions: [
				{ type: 'link', text: 'Details', uri: 'https://example.com/pro' },
				{ type: 'postback', text: 'Choose', payload: 'Choose' },
			],
		},
	];

	const fallback = '1. Basic\n$9 a month\n\n2. Pro\nDetails: https://example.com/pro';

	it('sends a carousel of cards defined with fields, with square images', async () => {
		const { userExternalId } = customer();
		const out = await send('sendCarousel', {
			userExternalId,
			items,
			options: { imageAspectRatio: 'square' },
		});
		// Zendesk writes the plain-text fallback itself (spec: carouselMessage.text is readOnly).
		expect(out.content).toEqual({
			type: 'carousel',
			items: asContent,
			displaySettings: { imageAspectRatio: 'square' },
			text: fallback,
		});
	});

	it('sends a carousel given as JSON', async () => {
		const { userExternalId } = customer();
		const out = await send('sendCarousel', {
			userExternalId,
			inputMode: 'json',
			itemsJson: JSON.stringify(asContent),
		});
		expect(out.content).toEqual({ type: 'carousel', items: asContent, text: fallback });
	});

	it('sends a list with buttons under the whole list, from fields and from JSON', async () => {
		const { userExternalId, conversationId } = customer();
		const listButtons = { button: [{ type: 'postback', text: 'More plans', payload: 'MORE' }] };
		const out = await send('sendList', {
			userExternalId,
			items,
			listButtons,
			displayName: 'Plans',
		});
		expect(out.content).toEqual({
			type: 'list',
			items: asContent,
			actions: [{ type: 'postback', text: 'More plans', payload: 'MORE' }],
			text: expect.stringContaining('1. Basic'),
		});
		const json = await send('sendList', {
			conversationBy: 'conversationId',
			conversationId,
			inputMode: 'json',
			itemsJson: JSON.stringify(asContent),
			listButtonsJson: '',
		});
		expect(json.content).toEqual({
			type: 'list',
			items: asContent,
			text: expect.stringContaining('1. Basic'),
		});
	});
});

describe('Send Image, Send File, Send Location Request, Send Form', () => {
	it('sends an image and a file from their URLs, with a caption and alt text', async () => {
		const { userExternalId } = customer();
		const image = await send('sendImage', {
			userExternalId,
			mediaUrl: 'https://example.com/receipt.png',
			text: 'Your receipt',
			options: { altText: 'Receipt 42' },
		});
		expect(image.content).toEqual({
			type: 'image',
			mediaUrl: 'https://example.com/receipt.png',
			text: 'Your receipt',
			altText: 'Receipt 42',
		});
		const file = await send('sendFile', {
			userExternalId,
			mediaUrl: 'https://example.com/invoice.pdf',
		});
		// Without alt text, Zendesk uses the file name.
		expect(file.content).toEqual({
			type: 'file',
			mediaUrl: 'https://example.com/invoice.pdf',
			altText: 'invoice.pdf',
		});
	});

	it('asks for the location with a text and a share-location button', async () => {
		const { userExternalId } = customer();
		const out = await send('sendLocationRequest', {
			userExternalId,
			text: 'Where should we deliver?',
		});
		expect(out.content).toEqual({
			type: 'text',
			text: 'Where should we deliver?',
			actions: [{ type: 'locationRequest', text: 'Share location' }],
		});
		const named = await send('sendLocationRequest', {
			userExternalId,
			text: 'Where are you?',
			options: { buttonText: 'Send my location' },
		});
		expect((named.content as IDataObject).actions).toEqual([
			{ type: 'locationRequest', text: 'Send my location' },
		]);
	});

	it('sends a form with text, email and select fields, from fields and from JSON', async () => {
		const { userExternalId } = customer();
		const fields = [
			{ type: 'text', name: 'full_name', label: 'Your name?', placeholder: 'Grace Hopper' },
			{ type: 'email', name: 'email', label: 'Your email?' },
			{
				type: 'select',
				name: 'size',
				label: 'Size?',
				options: [
					{ name: 's', label: 'Small' },
					{ name: 'l', label: 'Large' },
				],
			},
		];
		const out = await send('sendForm', {
			userExternalId,
			fields: {
				field: [
					{ type: 'text', name: 'full_name', label: 'Your name?', placeholder: 'Grace Hopper' },
					{ type: 'email', name: 'email', label: 'Your email?', placeholder: '' },
					{
						type: 'select',
						name: 'size',
						label: 'Size?',
						selectOptions: {
							option: [
								{ label: 'Small', name: 's' },
								{ label: 'Large', name: 'l' },
							],
						},
					},
				],
			},
			options: { formText: 'Please fill in this form' },
		});
		expect(out.content).toMatchObject({
			type: 'form',
			fields: fields.map((field) => expect.objectContaining(field)),
			text: 'Please fill in this form',
		});
		const json = await send('sendForm', {
			userExternalId,
			inputMode: 'json',
			fieldsJson: JSON.stringify(fields),
		});
		expect(json.content).toMatchObject({
			type: 'form',
			fields: fields.map((field) => expect.objectContaining(field)),
		});
	});
});

describe('Delete', () => {
	it('deletes a message the bot sent, by its ID', async () => {
		const { userExternalId, conversationId } = customer();
		const sent = await send('sendText', { userExternalId, text: 'Oops, wrong customer' });
		const [out] = outputOf(
			await runNode(
				messagingHarness(sim),
				message('delete', { userExternalId, messageId: sent.id }),
			),
			NODE_NAME,
		);
		expect(out).toEqual({ conversationId, messageId: sent.id, deleted: true });
		expect(sim.sunshine.control.messages({ conversationId }).map((m) => m.id)).not.toContain(
			sent.id,
		);

		const again = errorOf(
			await runNode(
				messagingHarness(sim),
				message('delete', { userExternalId, messageId: sent.id }),
			),
			NODE_NAME,
		) as Error & { httpCode?: string };
		expect(again.name).toBe('NodeApiError');
		expect(again.httpCode).toBe('404');
	});
});

describe('Continue On Fail', () => {
	it('turns a carousel that breaks a limit into an error item, before any request, and sends the others', async () => {
		const { conversationId } = customer();
		const before = sim.sunshine.control.messages({ conversationId }).length;
		const card = (title: string) => ({
			title,
			actions: [{ type: 'postback', text: 'Pick', payload: title }],
		});
		const run = await runNode(
			messagingHarness(sim),
			message('sendCarousel', {
				conversationBy: 'conversationId',
				conversationId,
				inputMode: 'json',
				itemsJson: '={{ $json.cards }}',
			}),
			[
				{ json: { cards: [card('a')] } },
				{ json: { cards: Array.from({ length: 11 }, (_, i) => card(`c${i}`)) } },
				{ json: { cards: [card('b'), card('c')] } },
			],
			{ onError: 'continueRegularOutput' },
		);
		const items = itemsOf(run);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json).toEqual({
			error:
				'Items (JSON): a carousel has 1 to 10 items (spec: carouselMessage.items minItems 1, maxItems 10), got 11',
			description: 'Field: Items (JSON) (content.items). Send at most 10.',
		});
		expect([items[0].json.content, items[2].json.content]).toEqual([
			{ type: 'carousel', items: [card('a')], text: '1. a' },
			{ type: 'carousel', items: [card('b'), card('c')], text: '1. b\n\n2. c' },
		]);
		expect(sim.sunshine.control.messages({ conversationId })).toHaveLength(before + 2);
	});
});
