/**
 * Every Message operation refuses bad input before any request (the core's `buildContent` checks
 * the spec's limits), and names the field as the editor shows it: "Items › Item 1 › Buttons ›
 * Button 1 › URL", or "Items (JSON) › Item 2 › Title" when the list came as JSON. The description
 * keeps the content path for JSON input.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { messagingHarness, NODE_NAME, runNode, unique, withoutRequests } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const message = (operation: string, parameters: IDataObject): IDataObject => ({
	resource: 'message',
	operation,
	userExternalId: 'validation-user',
	...parameters,
});
const postback = (text: string) => ({ type: 'postback', text, payload: text.toUpperCase() });
const button = (values: IDataObject) => ({ buttons: { button: [values] } });

/** [title, parameters, input item json, message, description] */
const CASES: Array<[string, IDataObject, IDataObject, string, string]> = [
	// Send Text
	[
		'text: an empty text without actions',
		message('sendText', { text: '={{ $json.text }}' }),
		{ text: '' },
		'Text must be a non-empty string, got an empty string',
		'Field: Text (content.text).',
	],
	[
		'text: a quick reply without a label',
		message('sendText', { text: 'Pick one', actions: { action: [{ type: 'reply', text: '' }] } }),
		{},
		'Actions › Action 1 › Text must be a non-empty string, got nothing',
		'Field: Actions › Action 1 › Text (content.actions[0].text).',
	],
	[
		'text: a link that runs script',
		message('sendText', {
			text: 'Hi',
			actions: { action: [{ type: 'link', text: 'FAQ', uri: 'javascript:alert(1)' }] },
		}),
		{},
		'Actions › Action 1 › URL must be an http, https, mailto or tel URL, got javascript',
		'Field: Actions › Action 1 › URL (content.actions[0].uri).',
	],
	[
		'text: a JSON postback without its payload',
		message('sendText', {
			text: 'Hi',
			inputMode: 'json',
			actionsJson: '[{"type": "postback", "text": "Go"}]',
		}),
		{},
		'Actions (JSON) › Action 1 › Payload must be a non-empty string: it is what the bot receives when the button is used',
		'Field: Actions (JSON) › Action 1 › Payload (content.actions[0].payload).',
	],
	[
		'text: JSON actions that are not a list',
		message('sendText', { text: 'Hi', inputMode: 'json', actionsJson: '={{ $json.actions }}' }),
		{ actions: { type: 'postback' } },
		'Actions (JSON) must be a list of actions',
		'Field: Actions (JSON) (content.actions).',
	],
	[
		'text: JSON actions that are not JSON',
		message('sendText', { text: 'Hi', inputMode: 'json', actionsJson: '[{"type": "postback",]' }),
		{},
		`Actions (JSON): not valid JSON (${jsonError('[{"type": "postback",]')})`,
		'Field: Actions (JSON). Check quotes, commas and brackets, or build the value with an expression.',
	],
	// Send Carousel
	[
		'carousel: no items',
		message('sendCarousel', {}),
		{},
		'Items: a carousel has 1 to 10 items (spec: carouselMessage.items minItems 1, maxItems 10), got 0',
		'Field: Items (content.items).',
	],
	[
		'carousel: 11 items',
		message('sendCarousel', {
			items: {
				item: Array.from({ length: 11 }, (_, i) => ({
					title: `Plan ${i}`,
					...button(postback('Pick')),
				})),
			},
		}),
		{},
		'Items: a carousel has 1 to 10 items (spec: carouselMessage.items minItems 1, maxItems 10), got 11',
		'Field: Items (content.items). Send at most 10.',
	],
	[
		'carousel: a card without buttons',
		message('sendCarousel', { items: { item: [{ title: 'Basic' }] } }),
		{},
		'Items › Item 1 › Buttons: a carousel item has 1 to 3 actions (spec: item.actions minItems 1, maxItems 3), got 0',
		'Field: Items › Item 1 › Buttons (content.items[0].actions).',
	],
	[
		'carousel: a card with 4 buttons',
		message('sendCarousel', {
			items: {
				item: [{ title: 'Basic', buttons: { button: ['a', 'b', 'c', 'd'].map(postback) } }],
			},
		}),
		{},
		'Items › Item 1 › Buttons: a carousel item has 1 to 3 actions (spec: item.actions minItems 1, maxItems 3), got 4',
		'Field: Items › Item 1 › Buttons (content.items[0].actions). Send at most 3.',
	],
	[
		'carousel: a title over 128 characters',
		message('sendCarousel', {
			items: { item: [{ title: 'x'.repeat(129), ...button(postback('Pick')) }] },
		}),
		{},
		'Items › Item 1 › Title is 129 characters long; the limit is 128 (spec: item.title minLength 1, maxLength 128)',
		'Field: Items › Item 1 › Title (content.items[0].title). Shorten it.',
	],
	[
		'carousel: a link button without its URL',
		message('sendCarousel', {
			items: { item: [{ title: 'Basic', ...button({ type: 'link', text: 'Details' }) }] },
		}),
		{},
		'Items › Item 1 › Buttons › Button 1 › URL must be a non-empty string, got nothing',
		'Field: Items › Item 1 › Buttons › Button 1 › URL (content.items[0].actions[0].uri).',
	],
	[
		'carousel: JSON with an empty title in the second card',
		message('sendCarousel', {
			inputMode: 'json',
			itemsJson: JSON.stringify([
				{ title: 'a', actions: [postback('a')] },
				{ title: '', actions: [postback('b')] },
			]),
		}),
		{},
		'Items (JSON) › Item 2 › Title must be a non-empty string, got an empty string',
		'Field: Items (JSON) › Item 2 › Title (content.items[1].title).',
	],
	[
		'carousel: JSON with a misspelt field',
		message('sendCarousel', {
			inputMode: 'json',
			itemsJson: JSON.stringify([{ titel: 'a', actions: [postback('a')] }]),
		}),
		{},
		'Items (JSON) › Item 1 › titel is not a field of a carousel item',
		'Field: Items (JSON) › Item 1 › titel (content.items[0].titel). Use title, description, mediaUrl, mediaType, altText, size, actions, metadata.',
	],
	[
		'carousel: JSON with a quick reply on a card',
		message('sendCarousel', {
			inputMode: 'json',
			itemsJson: JSON.stringify([
				{ title: 'a', actions: [{ type: 'reply', text: 'x', payload: 'y' }] },
			]),
		}),
		{},
		'Items (JSON) › Item 1 › Buttons › Button 1 › Type: a carousel item cannot carry a reply action (spec: actionSubset is postback, link, webview, buy)',
		'Field: Items (JSON) › Item 1 › Buttons › Button 1 › Type (content.items[0].actions[0].type). Put reply and locationRequest actions on a text or image message.',
	],
	// Send List
	[
		'list: 11 list buttons',
		message('sendList', {
			items: { item: [{ title: 'Order 42', ...button(postback('Track')) }] },
			listButtons: { button: Array.from({ length: 11 }, () => postback('More')) },
		}),
		{},
		'List Buttons: a list message has 1 to 10 actions (spec: listMessage.actions minItems 1, maxItems 10), got 11',
		'Field: List Buttons (content.actions). Send at most 10.',
	],
	[
		'list: a JSON quick reply under the list',
		message('sendList', {
			inputMode: 'json',
			itemsJson: JSON.stringify([{ title: 'a', actions: [postback('a')] }]),
			listButtonsJson: '[{"type": "reply", "text": "x", "payload": "y"}]',
		}),
		{},
		'List Buttons (JSON) › Button 1 › Type: a list message cannot carry a reply action (spec: actionSubset is postback, link, webview, buy)',
		'Field: List Buttons (JSON) › Button 1 › Type (content.actions[0].type). Put reply and locationRequest actions on a text or image message.',
	],
	// Send Image, Send File, Send Location Request
	[
		'image: a relative URL',
		message('sendImage', { mediaUrl: 'receipt.png' }),
		{},
		'Image URL is not an absolute URL',
		'Field: Image URL (content.mediaUrl). Use a URL such as https://example.com/page.',
	],
	[
		'image: alt text over 128 characters',
		message('sendImage', {
			mediaUrl: 'https://example.com/a.png',
			options: { altText: 'x'.repeat(129) },
		}),
		{},
		'Alt Text is 129 characters long; the limit is 128 (spec: imageMessage.altText maxLength 128)',
		'Field: Alt Text (content.altText). Shorten it.',
	],
	[
		'file: an empty URL from an expression',
		message('sendFile', { mediaUrl: '={{ $json.url }}' }),
		{ url: '' },
		'File URL must be a non-empty string, got an empty string',
		'Field: File URL (content.mediaUrl).',
	],
	[
		'location request: an empty question',
		message('sendLocationRequest', { text: '={{ $json.text }}' }),
		{ text: '' },
		'Text must be a non-empty string, got an empty string',
		'Field: Text (content.text).',
	],
	// Send Form
	[
		'form: no fields',
		message('sendForm', {}),
		{},
		'Fields: a form has 1 to 20 fields (spec: formMessage.fields minItems 1, maxItems 20), got 0',
		'Field: Fields (content.fields).',
	],
	[
		'form: a select without options',
		message('sendForm', { fields: { field: [{ type: 'select', name: 'size', label: 'Size?' }] } }),
		{},
		'Fields › Field 1 › Options: a select field has 1 to 200 options (spec: formOptions maxItems 200), got 0',
		'Field: Fields › Field 1 › Options (content.fields[0].options).',
	],
	[
		'form: two fields with one name',
		message('sendForm', {
			fields: {
				field: [
					{ type: 'text', name: 'a', label: 'A' },
					{ type: 'email', name: 'a', label: 'B' },
				],
			},
		}),
		{},
		'Fields › Field 2 › Name: field name "a" is used twice; names are unique in a form (spec: field.name)',
		'Field: Fields › Field 2 › Name (content.fields[1].name).',
	],
	[
		'form: two options with one name',
		message('sendForm', {
			fields: {
				field: [
					{
						type: 'select',
						name: 's',
						label: 'S',
						selectOptions: {
							option: [
								{ name: 'x', label: 'X' },
								{ name: 'x', label: 'Y' },
							],
						},
					},
				],
			},
		}),
		{},
		'Fields › Field 1 › Options › Option 2 › Name: option name "x" is used twice; names are unique in a field (spec: formOptions.name)',
		'Field: Fields › Field 1 › Options › Option 2 › Name (content.fields[0].options[1].name).',
	],
	[
		'form: 21 fields as JSON',
		message('sendForm', {
			inputMode: 'json',
			fieldsJson: JSON.stringify(
				Array.from({ length: 21 }, (_, i) => ({ type: 'text', name: `f${i}`, label: 'L' })),
			),
		}),
		{},
		'Fields (JSON): a form has 1 to 20 fields (spec: formMessage.fields minItems 1, maxItems 20), got 21',
		'Field: Fields (JSON) (content.fields). Send at most 20.',
	],
	// The author, shared by every Send operation
	[
		'send: a display name over 255 characters',
		message('sendImage', { mediaUrl: 'https://example.com/a.png', displayName: 'n'.repeat(256) }),
		{},
		'Display Name is 256 characters long; the limit is 255',
		'Field: Display Name (displayName). Shorten it.',
	],
	// Delete
	[
		'delete: an empty message ID',
		message('delete', { messageId: '={{ $json.id }}' }),
		{ id: '' },
		'Message ID: messageId must be a non-empty string, got an empty string',
		'Field: Message ID (messageId).',
	],
];

function jsonError(text: string): string {
	try {
		JSON.parse(text);
	} catch (error) {
		return (error as Error).message;
	}
	return '';
}

describe('bad message input is refused before any request, naming the field', () => {
	it.each(CASES)('%s', async (_title, parameters, item, text, description) => {
		const run = await withoutRequests(sim, () =>
			runNode(messagingHarness(sim), parameters, [{ json: item }]),
		);
		const error = errorOf(run, NODE_NAME);
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(text);
		expect(error.description).toBe(description);
		expect(error.context?.itemIndex).toBe(0);
	});

	it('accepts the limits themselves: 10 cards of 3 buttons, 128-character titles, 20 form fields', async () => {
		const userExternalId = unique('limits');
		sim.sunshine.control.userSays({ userExternalId, text: 'Hi' });
		const card = { title: 'x'.repeat(128), actions: ['a', 'b', 'c'].map(postback) };
		const carousel = outputOf(
			await runNode(
				messagingHarness(sim),
				message('sendCarousel', {
					userExternalId,
					inputMode: 'json',
					itemsJson: JSON.stringify(Array(10).fill(card)),
				}),
			),
			NODE_NAME,
		)[0];
		expect((carousel.content as { items: unknown[] }).items).toHaveLength(10);
		const fields = Array.from({ length: 20 }, (_, i) => ({
			type: 'text',
			name: `f${i}`,
			label: `Question ${i}`,
		}));
		const form = outputOf(
			await runNode(
				messagingHarness(sim),
				message('sendForm', {
					userExternalId,
					inputMode: 'json',
					fieldsJson: JSON.stringify(fields),
				}),
			),
			NODE_NAME,
		)[0];
		expect((form.content as { fields: unknown[] }).fields).toHaveLength(20);
	});
});
