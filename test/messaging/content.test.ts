import {
	buildContent,
	ORIGIN_METADATA_KEY,
	type BusinessContent,
	type MessageItem,
	type MessagingClient,
} from '../../src/messaging';
import { InvalidInputError } from '../../src/shared';
import { startSimulator, type Simulator } from '../../simulator';
import { refusedBeforeSending, simClient, unique } from './sim-client';

/**
 * Every content type the business can post (src/messaging/content), against the simulator: valid
 * content arrives and lists back as sent; every limit of the spec is refused before any request,
 * naming the field by its path.
 */
let sim: Simulator;
let client: MessagingClient;
let conversationId: string;

beforeAll(async () => {
	sim = await startSimulator();
	client = simClient(sim, { originTag: 'content-test' });
	const user = await client.createUser({ externalId: unique('content') });
	conversationId = (await client.createConversation({ userId: user.id })).id;
});

afterAll(async () => {
	await client.close();
	await sim.close();
});

const card = (title: string, extra: Partial<MessageItem> = {}): MessageItem => ({
	title,
	actions: [{ type: 'postback', text: 'Select', payload: title.toUpperCase() }],
	...extra,
});

/** The spec's own examples (components/examples text, carousel, file, form, image, list, location) and more. */
const VALID: Array<[string, BusinessContent]> = [
	['plain text', { type: 'text', text: 'Hello!' }],
	[
		'text with one action of each type',
		{
			type: 'text',
			text: 'What next?',
			actions: [
				{ type: 'reply', text: 'Yes', payload: 'YES', iconUrl: 'https://example.org/yes.png' },
				{ type: 'postback', text: 'Tell me more', payload: 'MORE', metadata: { step: 2 } },
				{ type: 'link', text: 'Docs', uri: 'https://example.org/docs', default: false },
				{ type: 'link', text: 'Call us', uri: 'tel:+15145550100' },
				{
					type: 'webview',
					text: 'Open',
					uri: 'https://example.org/app',
					fallback: 'https://example.org/app-lite',
					size: 'tall',
					openOnReceive: true,
				},
				{ type: 'locationRequest', text: 'Share location' },
				{ type: 'buy', text: 'Buy vinegar', amount: 8000, currency: 'cad' },
			],
		},
	],
	[
		'quick replies only, no text',
		{
			type: 'text',
			actions: [
				{ type: 'reply', text: 'Small', payload: 'S' },
				{ type: 'reply', text: 'Large', payload: 'L' },
			],
		},
	],
	[
		'markdown with its plain-text version',
		{ type: 'text', text: 'Hello, world', markdownText: '**Hello**, world', blockChatInput: true },
	],
	[
		'carousel (spec example)',
		{
			type: 'carousel',
			items: [
				{
					title: 'Tacos',
					description: 'Get your tacos today!',
					mediaUrl: 'https://example.org/image.jpg',
					altText: 'A giant taco',
					size: 'compact',
					actions: [
						{ type: 'postback', text: 'Select', payload: 'TACOS' },
						{ type: 'link', text: 'More info', uri: 'https://example.org' },
					],
				},
				card('Ramen', { mediaUrl: 'https://example.org/ramen.jpg', mediaType: 'image/jpeg' }),
			],
			displaySettings: { imageAspectRatio: 'square' },
		},
	],
	['carousel of one item (spec minItems 1)', { type: 'carousel', items: [card('Solo')] }],
	[
		'carousel of ten items with three actions each',
		{
			type: 'carousel',
			items: Array.from({ length: 10 }, (_, i) =>
				card(`Item ${i}`, {
					actions: [
						{ type: 'postback', text: 'Pick', payload: `P${i}` },
						{ type: 'link', text: 'See', uri: `https://example.org/${i}` },
						{
							type: 'webview',
							text: 'Peek',
							uri: `https://example.org/w/${i}`,
							fallback: `https://example.org/f/${i}`,
							extraChannelOptions: {
								messenger: { messenger_extensions: true, webview_share_button: 'hide' },
							},
						},
					],
				}),
			),
		},
	],
	[
		'list with list actions',
		{
			type: 'list',
			items: [
				card('Tacos', { description: 'Get your tacos today!', size: 'large' }),
				card('Ramen'),
			],
			actions: [{ type: 'postback', text: 'More', payload: 'MORE' }],
		},
	],
	[
		'image with text and a reply',
		{
			type: 'image',
			mediaUrl: 'https://example.org/image.jpg',
			altText: 'A wonderful image',
			text: 'Hello!',
			actions: [{ type: 'reply', text: 'Nice', payload: 'NICE' }],
		},
	],
	[
		'file (spec example)',
		{
			type: 'file',
			mediaUrl: 'https://example.org/FAQ.pdf',
			altText: 'FAQ.pdf',
			text: "Here's our FAQ!",
		},
	],
	[
		'form (spec example) with a select',
		{
			type: 'form',
			blockChatInput: true,
			fields: [
				{
					type: 'text',
					name: 'full_name',
					label: 'Your name?',
					placeholder: 'Type your name...',
					minSize: 1,
					maxSize: 30,
				},
				{
					type: 'email',
					name: 'email_address',
					label: 'Your email?',
					placeholder: 'email@example.com',
				},
				{
					type: 'select',
					name: 'size',
					label: 'Size?',
					options: [
						{ name: 's', label: 'Small' },
						{ name: 'l', label: 'Large' },
					],
				},
				{ type: 'text', name: 'age', label: 'Age?', format: 'integer' },
			],
		},
	],
	[
		'location (spec example)',
		{
			type: 'location',
			coordinates: { lat: 45.5261583, long: -73.595346 },
			location: { address: '5333 avenue Casgrain', name: 'Zendesk Montréal' },
		},
	],
];

describe('valid content arrives and lists back as sent', () => {
	it.each(VALID)('%s', async (_, content) => {
		const body = buildContent(content);
		const message = await client.postBusinessContent(conversationId, {
			content,
			displayName: 'Bot',
		});
		expect(message.author).toMatchObject({ type: 'business', displayName: 'Bot' });
		const listed = (await client.listMessages(conversationId)).items.find(
			(m) => m.id === message.id,
		);
		// Zendesk adds readOnly fields (a carousel's text fallback, a form's `submitted`, markdown turned into htmlText).
		expect(listed?.content).toMatchObject(withoutWriteOnly(body));
		expect(listed?.metadata).toEqual({ [ORIGIN_METADATA_KEY]: 'content-test' });
	});

	it('a location request is a text message with one locationRequest action', async () => {
		const content: BusinessContent = { type: 'locationRequest', text: 'Where are you?' };
		expect(buildContent(content)).toEqual({
			type: 'text',
			text: 'Where are you?',
			actions: [{ type: 'locationRequest', text: 'Share location' }],
		});
		expect(
			buildContent({
				type: 'locationRequest',
				text: 'Where?',
				buttonText: 'Send my location',
				blockChatInput: true,
			}),
		).toEqual({
			type: 'text',
			text: 'Where?',
			actions: [{ type: 'locationRequest', text: 'Send my location' }],
			blockChatInput: true,
		});
		const message = await client.postBusinessContent(conversationId, { content });
		const listed = (await client.listMessages(conversationId)).items.find(
			(m) => m.id === message.id,
		);
		expect(listed?.content).toEqual({
			type: 'text',
			text: 'Where are you?',
			actions: [{ type: 'locationRequest', text: 'Share location' }],
		});
	});

	it('AI content carries the AI subtype, and metadata is kept beside the origin tag', async () => {
		const message = await client.postBusinessContent(conversationId, {
			content: { type: 'image', mediaUrl: 'https://example.org/chart.png' },
			ai: true,
			avatarUrl: 'https://example.org/bot.png',
			metadata: { step: 'chart' },
		});
		expect(message.author).toMatchObject({
			type: 'business',
			subtypes: ['AI'],
			avatarUrl: 'https://example.org/bot.png',
		});
		expect(message.metadata).toEqual({ step: 'chart', [ORIGIN_METADATA_KEY]: 'content-test' });
	});

	it('builds exactly the spec body: fields in, unknown and fallbackText out, currency in lowercase', () => {
		expect(
			buildContent({
				type: 'carousel',
				fallbackText: '1. Tacos',
				items: [
					{ title: 'Tacos', actions: [{ type: 'buy', text: 'Buy', amount: 999, currency: 'USD' }] },
				],
			}),
		).toEqual({
			type: 'carousel',
			items: [
				{ title: 'Tacos', actions: [{ type: 'buy', text: 'Buy', amount: 999, currency: 'usd' }] },
			],
		});
		expect(
			buildContent({ type: 'list', fallbackText: 'Our menu', items: [card('Tacos')] }),
		).toEqual({
			type: 'list',
			items: [
				{ title: 'Tacos', actions: [{ type: 'postback', text: 'Select', payload: 'TACOS' }] },
			],
		});
		expect(buildContent({ type: 'text', text: 'a', htmlText: '<b>a</b>' })).toEqual({
			type: 'text',
			text: 'a',
			htmlText: '<b>a</b>',
		});
	});
});

/** markdownText is writeOnly (spec): Zendesk answers with htmlText instead. */
function withoutWriteOnly(body: Record<string, unknown>): Record<string, unknown> {
	const { markdownText: _, ...rest } = body;
	return rest;
}

const fields = (n: number) =>
	Array.from({ length: n }, (_, i) => ({
		type: 'text' as const,
		name: `f${i}`,
		label: `Field ${i}`,
	}));
const options = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ name: `o${i}`, label: `Option ${i}` }));
const long = (n: number) => 'x'.repeat(n);

/** [what, content, field path, message pattern]. */
const REFUSED: Array<[string, unknown, string, RegExp]> = [
	['no content', undefined, 'content', /content must be an object/],
	[
		'an unknown type',
		{ type: 'template', template: {} },
		'content.type',
		/content.type must be one of text, carousel, list, image, file, form, locationRequest, location, got "template"/,
	],
	[
		'a misspelt field',
		{ type: 'text', txt: 'Hi' },
		'content.txt',
		/content.txt is not a field of a text message/,
	],
	[
		'text with neither text nor actions',
		{ type: 'text' },
		'content.text',
		/must be a non-empty string unless actions, markdownText or htmlText/,
	],
	[
		'text over 4096 characters',
		{ type: 'text', text: long(4097) },
		'content.text',
		/4097 characters long; the limit is 4096 \(spec: maxLength 4096\)/,
	],
	[
		'markdownText over 4096',
		{ type: 'text', markdownText: long(4097) },
		'content.markdownText',
		/limit is 4096/,
	],
	[
		'markdownText and htmlText together',
		{ type: 'text', markdownText: '*a*', htmlText: '<i>a</i>' },
		'content.htmlText',
		/not both/,
	],
	[
		'actions that are not a list',
		{ type: 'text', text: 'a', actions: { type: 'reply' } },
		'content.actions',
		/must be a list of actions/,
	],
	[
		'a share action (not in the spec)',
		{ type: 'text', text: 'a', actions: [{ type: 'share', text: 'Share' }] },
		'content.actions[0].type',
		/must be one of reply, postback, link, webview, locationRequest, buy, got "share"/,
	],
	[
		'a reply without payload',
		{ type: 'text', text: 'a', actions: [{ type: 'reply', text: 'Yes' }] },
		'content.actions[0].payload',
		/non-empty string/,
	],
	[
		'a button without text',
		{ type: 'text', text: 'a', actions: [{ type: 'postback', text: '', payload: 'P' }] },
		'content.actions[0].text',
		/non-empty string, got an empty string/,
	],
	[
		'a reply icon that is not http(s)',
		{
			type: 'text',
			text: 'a',
			actions: [{ type: 'reply', text: 'Y', payload: 'Y', iconUrl: 'file:///etc/passwd' }],
		},
		'content.actions[0].iconUrl',
		/must be an http or https URL, got file/,
	],
	[
		'a javascript: link',
		{
			type: 'text',
			text: 'a',
			actions: [
				{ type: 'link', text: 'ok', uri: 'https://example.org' },
				{ type: 'link', text: 'x', uri: 'javascript:alert(1)' },
			],
		},
		'content.actions[1].uri',
		/must be an http, https, mailto or tel URL, got javascript/,
	],
	[
		'a relative link',
		{ type: 'text', text: 'a', actions: [{ type: 'link', text: 'x', uri: '/docs' }] },
		'content.actions[0].uri',
		/not an absolute URL/,
	],
	[
		'a webview without fallback',
		{
			type: 'text',
			text: 'a',
			actions: [{ type: 'webview', text: 'Open', uri: 'https://example.org' }],
		},
		'content.actions[0].fallback',
		/non-empty string, got nothing/,
	],
	[
		'a webview size outside the spec',
		{
			type: 'text',
			text: 'a',
			actions: [
				{
					type: 'webview',
					text: 'Open',
					uri: 'https://e.org',
					fallback: 'https://e.org',
					size: 'huge',
				},
			],
		},
		'content.actions[0].size',
		/compact, tall, full \(spec: webview.size\), got "huge"/,
	],
	[
		'two actions opening on receive',
		{
			type: 'carousel',
			items: [
				card('A', {
					actions: [
						{
							type: 'webview',
							text: 'o',
							uri: 'https://e.org/1',
							fallback: 'https://e.org',
							openOnReceive: true,
						},
					],
				}),
				card('B', {
					actions: [
						{
							type: 'webview',
							text: 'o',
							uri: 'https://e.org/2',
							fallback: 'https://e.org',
							openOnReceive: true,
						},
					],
				}),
			],
		},
		'content.items[1].actions[0].openOnReceive',
		/only one action per message can open on receive \(spec: webview.openOnReceive\), and content.items\[0\].actions\[0\].openOnReceive already does/,
	],
	[
		'a buy amount that is not whole cents',
		{ type: 'text', text: 'a', actions: [{ type: 'buy', text: 'Buy', amount: 9.99 }] },
		'content.actions[0].amount',
		/whole number of cents \(9.99 is 999\)/,
	],
	[
		'a buy currency that is not ISO 4217',
		{
			type: 'text',
			text: 'a',
			actions: [{ type: 'buy', text: 'Buy', amount: 999, currency: 'dollars' }],
		},
		'content.actions[0].currency',
		/three-letter ISO 4217/,
	],
	[
		'nested action metadata',
		{
			type: 'text',
			text: 'a',
			actions: [{ type: 'postback', text: 'P', payload: 'P', metadata: { a: { b: 1 } } }],
		},
		'content.actions[0].metadata.a',
		/metadata values must be strings, numbers or booleans/,
	],
	[
		'unknown extraChannelOptions',
		{
			type: 'text',
			text: 'a',
			actions: [
				{ type: 'link', text: 'l', uri: 'https://e.org', extraChannelOptions: { whatsapp: {} } },
			],
		},
		'content.actions[0].extraChannelOptions.whatsapp',
		/not a field of extraChannelOptions/,
	],
	[
		'a carousel without items',
		{ type: 'carousel', items: [] },
		'content.items',
		/a carousel has 1 to 10 items \(spec: carouselMessage.items minItems 1, maxItems 10\), got 0/,
	],
	[
		'a carousel of 11 items',
		{ type: 'carousel', items: Array.from({ length: 11 }, (_, i) => card(`c${i}`)) },
		'content.items',
		/a carousel has 1 to 10 items \(spec: carouselMessage.items minItems 1, maxItems 10\), got 11/,
	],
	[
		'a carousel item with 4 actions',
		{
			type: 'carousel',
			items: [
				card('a'),
				card('b'),
				card('c'),
				card('d', {
					actions: [1, 2, 3, 4].map((n) => ({
						type: 'postback' as const,
						text: `${n}`,
						payload: `${n}`,
					})),
				}),
			],
		},
		'content.items[3].actions',
		/^a carousel item has 1 to 3 actions \(spec: item.actions minItems 1, maxItems 3\), got 4$/,
	],
	[
		'a carousel item without actions',
		{ type: 'carousel', items: [card('a', { actions: [] })] },
		'content.items[0].actions',
		/1 to 3 actions .*got 0/,
	],
	[
		'a reply in a carousel item',
		{
			type: 'carousel',
			items: [card('a', { actions: [{ type: 'reply', text: 'r', payload: 'r' } as never] })],
		},
		'content.items[0].actions[0].type',
		/a carousel item cannot carry a reply action \(spec: actionSubset is postback, link, webview, buy\)/,
	],
	[
		'an item title of 129 characters',
		{ type: 'carousel', items: [card(long(129))] },
		'content.items[0].title',
		/129 characters long; the limit is 128 \(spec: item.title minLength 1, maxLength 128\)/,
	],
	[
		'an item description of 129',
		{ type: 'list', items: [card('a', { description: long(129) })] },
		'content.items[0].description',
		/item.description maxLength 128/,
	],
	[
		'an item altText of 129',
		{ type: 'carousel', items: [card('a', { altText: long(129) })] },
		'content.items[0].altText',
		/item.altText maxLength 128/,
	],
	[
		'an item mediaType of 129',
		{ type: 'carousel', items: [card('a', { mediaType: long(129) })] },
		'content.items[0].mediaType',
		/item.mediaType maxLength 128/,
	],
	[
		'an item image on ftp',
		{ type: 'carousel', items: [card('a'), card('b', { mediaUrl: 'ftp://example.org/a.png' })] },
		'content.items[1].mediaUrl',
		/an http or https URL, got ftp/,
	],
	[
		'an item mediaUrl over 2048',
		{ type: 'carousel', items: [card('a', { mediaUrl: `https://e.org/${long(2040)}` })] },
		'content.items[0].mediaUrl',
		/limit is 2048/,
	],
	[
		'an item size outside the spec',
		{ type: 'carousel', items: [card('a', { size: 'huge' as never })] },
		'content.items[0].size',
		/compact, large \(spec: item.size\)/,
	],
	[
		'a misspelt item field',
		{ type: 'carousel', items: [{ titel: 'a', actions: [] }] },
		'content.items[0].titel',
		/not a field of a carousel item/,
	],
	[
		'a carousel aspect ratio outside the spec',
		{ type: 'carousel', items: [card('a')], displaySettings: { imageAspectRatio: 'round' } },
		'content.displaySettings.imageAspectRatio',
		/horizontal, square/,
	],
	[
		'a fallbackText over 4096',
		{ type: 'carousel', items: [card('a')], fallbackText: long(4097) },
		'content.fallbackText',
		/limit is 4096/,
	],
	[
		'a list of 11 items',
		{ type: 'list', items: Array.from({ length: 11 }, (_, i) => card(`l${i}`)) },
		'content.items',
		/a list has 1 to 10 items \(spec: listMessage.items minItems 1, maxItems 10\), got 11/,
	],
	[
		'a list with 11 actions',
		{
			type: 'list',
			items: [card('a')],
			actions: Array.from({ length: 11 }, (_, i) => ({
				type: 'postback',
				text: `${i}`,
				payload: `${i}`,
			})),
		},
		'content.actions',
		/a list message has 1 to 10 actions \(spec: listMessage.actions minItems 1, maxItems 10\), got 11/,
	],
	[
		'a list with an empty actions list',
		{ type: 'list', items: [card('a')], actions: [] },
		'content.actions',
		/1 to 10 actions .*got 0/,
	],
	[
		'a location request on a list',
		{ type: 'list', items: [card('a')], actions: [{ type: 'locationRequest', text: 'Where?' }] },
		'content.actions[0].type',
		/a list message cannot carry a locationRequest action/,
	],
	[
		'an image without mediaUrl',
		{ type: 'image', text: 'Look' },
		'content.mediaUrl',
		/non-empty string, got nothing/,
	],
	[
		'an image altText of 129',
		{ type: 'image', mediaUrl: 'https://e.org/a.png', altText: long(129) },
		'content.altText',
		/imageMessage.altText maxLength 128/,
	],
	[
		'a file with actions',
		{ type: 'file', mediaUrl: 'https://e.org/a.pdf', actions: [] },
		'content.actions',
		/content.actions is not a field of a file message/,
	],
	[
		'a form without fields',
		{ type: 'form', fields: [] },
		'content.fields',
		/a form has 1 to 20 fields \(spec: formMessage.fields minItems 1, maxItems 20\), got 0/,
	],
	['a form of 21 fields', { type: 'form', fields: fields(21) }, 'content.fields', /got 21/],
	[
		'a form field type outside the spec',
		{ type: 'form', fields: [{ type: 'number', name: 'n', label: 'N' }] },
		'content.fields[0].type',
		/text, email, select \(spec: field.type\), got "number"/,
	],
	[
		'two form fields with one name',
		{
			type: 'form',
			fields: [
				{ type: 'text', name: 'a', label: 'A' },
				{ type: 'email', name: 'a', label: 'B' },
			],
		},
		'content.fields[1].name',
		/used twice; names are unique in a form/,
	],
	[
		'a field label of 129',
		{ type: 'form', fields: [{ type: 'text', name: 'a', label: long(129) }] },
		'content.fields[0].label',
		/field.label minLength 1, maxLength 128/,
	],
	[
		'a field without name',
		{ type: 'form', fields: [{ type: 'text', label: 'A' }] },
		'content.fields[0].name',
		/non-empty string, got nothing/,
	],
	[
		'a placeholder of 129',
		{ type: 'form', fields: [{ type: 'text', name: 'a', label: 'A', placeholder: long(129) }] },
		'content.fields[0].placeholder',
		/maxLength 128/,
	],
	[
		'a select without options',
		{ type: 'form', fields: [{ type: 'select', name: 's', label: 'S' }] },
		'content.fields[0].options',
		/must be a list of options, got nothing/,
	],
	[
		'a select of 201 options',
		{ type: 'form', fields: [{ type: 'select', name: 's', label: 'S', options: options(201) }] },
		'content.fields[0].options',
		/a select field has 1 to 200 options \(spec: formOptions maxItems 200\), got 201/,
	],
	[
		'two options with one name',
		{
			type: 'form',
			fields: [
				{
					type: 'select',
					name: 's',
					label: 'S',
					options: [
						{ name: 'a', label: 'A' },
						{ name: 'a', label: 'B' },
					],
				},
			],
		},
		'content.fields[0].options[1].name',
		/unique in a field/,
	],
	[
		'options on a text field',
		{ type: 'form', fields: [{ type: 'text', name: 't', label: 'T', options: options(1) }] },
		'content.fields[0].options',
		/applies to select fields only/,
	],
	[
		'maxSize on an email field',
		{ type: 'form', fields: [{ type: 'email', name: 'e', label: 'E', maxSize: 10 }] },
		'content.fields[0].maxSize',
		/applies to text fields only/,
	],
	[
		'a minSize of 0',
		{ type: 'form', fields: [{ type: 'text', name: 't', label: 'T', minSize: 0 }] },
		'content.fields[0].minSize',
		/from 1 to 256/,
	],
	[
		'a maxSize of 257',
		{ type: 'form', fields: [{ type: 'text', name: 't', label: 'T', maxSize: 257 }] },
		'content.fields[0].maxSize',
		/from 1 to 256/,
	],
	[
		'minSize above maxSize',
		{ type: 'form', fields: [{ type: 'text', name: 't', label: 'T', minSize: 20, maxSize: 10 }] },
		'content.fields[0].minSize',
		/more than maxSize \(10\)/,
	],
	[
		'minSize above the default maxSize',
		{ type: 'form', fields: [{ type: 'text', name: 't', label: 'T', minSize: 200 }] },
		'content.fields[0].minSize',
		/more than maxSize \(the default 128\)/,
	],
	[
		'a location request without text',
		{ type: 'locationRequest', text: '' },
		'content.text',
		/non-empty string/,
	],
	[
		'a latitude of 91',
		{ type: 'location', coordinates: { lat: 91, long: 0 } },
		'content.coordinates.lat',
		/from -90 to 90/,
	],
];

describe('every limit is refused before any request, naming the field', () => {
	it.each(REFUSED)('%s', async (_, content, field, message) => {
		const error = await refusedBeforeSending(sim, () =>
			client.postBusinessContent(conversationId, { content: content as BusinessContent }),
		);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
		// buildContent says the same without a client.
		const direct = (() => {
			try {
				buildContent(content as BusinessContent);
			} catch (e) {
				return e as InvalidInputError;
			}
			return undefined;
		})();
		expect(direct).toBeInstanceOf(InvalidInputError);
		expect(direct?.field).toBe(field);
	});

	it('a bad author is refused before the content is sent', async () => {
		const error = await refusedBeforeSending(sim, () =>
			client.postBusinessContent(conversationId, {
				content: { type: 'text', text: 'a' },
				avatarUrl: 'not a url',
			}),
		);
		expect(error.field).toBe('author.avatarUrl');
		const ai = await refusedBeforeSending(sim, () =>
			client.postBusinessContent(conversationId, {
				content: { type: 'text', text: 'a' },
				ai: 'yes' as never,
			}),
		);
		expect(ai.field).toBe('ai');
	});

	it('the exact message of the brief’s example', async () => {
		const content = {
			type: 'carousel',
			items: [
				card('a'),
				card('b'),
				card('c'),
				card('d', {
					actions: [1, 2, 3, 4].map((n) => ({
						type: 'postback' as const,
						text: `${n}`,
						payload: `${n}`,
					})),
				}),
			],
		};
		const error = await refusedBeforeSending(sim, () =>
			client.postBusinessContent(conversationId, { content: content as BusinessContent }),
		);
		expect(error.message).toBe(
			'a carousel item has 1 to 3 actions (spec: item.actions minItems 1, maxItems 3), got 4',
		);
		expect(error.hint).toBe('Send at most 3.');
	});
});

describe('postBusinessMessage goes through postBusinessContent', () => {
	it('posts text as before, and refuses what postBusinessContent refuses', async () => {
		const message = await client.postBusinessMessage(conversationId, {
			text: 'Plain',
			displayName: 'Bot',
			ai: true,
			metadata: { n: 1 },
		});
		expect(message.content).toEqual({ type: 'text', text: 'Plain' });
		expect(message.author).toMatchObject({
			type: 'business',
			displayName: 'Bot',
			subtypes: ['AI'],
		});
		expect(message.metadata).toEqual({ n: 1, [ORIGIN_METADATA_KEY]: 'content-test' });
		const error = await refusedBeforeSending(sim, () =>
			client.postBusinessMessage(conversationId, { text: '' }),
		);
		expect(error.field).toBe('content.text');
	});
});
