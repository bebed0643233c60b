import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import { SUNSHINE_SEED } from '../../simulator/sunshine';
import { SunshineApi, UNKNOWN_ID, WebhookReceiver } from './sunshine-helpers';

/**
 * Sunshine Conversations message content over HTTP: every content type a business may post
 * (openapi.yaml `content` and its *Message schemas), each valid one kept as sent, listed by
 * ListMessages and delivered in `conversation:message`; each malformed one refused with the
 * documented 400 `{errors:[{code, title}]}` naming the problem.
 */
describe('sunshine message content', () => {
	let sim: Simulator;
	let api: SunshineApi;
	let receiver: WebhookReceiver;
	let conversationId: string;
	const T0 = '2026-01-05T09:00:00.000Z';
	const avatar = 'https://www.gravatar.com/avatar/00000000000000000000000000000000.png?s=200&d=mm';
	const bot = {
		id: SUNSHINE_SEED.botSwitchboardIntegrationId,
		name: 'bot',
		integrationId: SUNSHINE_SEED.botIntegrationId,
		integrationType: 'custom',
	};
	const business = { type: 'business' };

	beforeAll(async () => {
		sim = await startSimulator({ clock: new ManualClock(T0) });
		api = new SunshineApi(sim);
		receiver = await new WebhookReceiver().start();
		await api.post(`/integrations/${SUNSHINE_SEED.botIntegrationId}/webhooks`, {
			target: receiver.url,
			triggers: ['conversation:message'],
		});
		const userId = (await api.post('/users', { externalId: 'content-user' })).body.user.id;
		conversationId = (
			await api.post('/conversations', { type: 'personal', participants: [{ userId }] })
		).body.conversation.id;
	});
	afterAll(async () => {
		await sim.close();
		await receiver.close();
	});
	beforeEach(async () => {
		await sim.sunshine.control.settleDeliveries();
		receiver.clear();
	});

	const post = (body: unknown, id = conversationId) =>
		api.post(`/conversations/${id}/messages`, body);
	const errorsOf = (titles: string[]) => titles.map((title) => ({ code: 'bad_request', title }));

	/** Posts, then checks the 201 body, the stored copy (ListMessages) and the webhook's copy. */
	const postedEverywhere = async (content: unknown, extra: Record<string, unknown> = {}) => {
		const res = await post({ author: business, content, ...extra });
		expect({ status: res.status, errors: res.body.errors }).toEqual({
			status: 201,
			errors: undefined,
		});
		const [message] = res.body.messages;
		expect(message).toEqual({
			id: expect.stringMatching(/^[0-9a-f]{24}$/),
			received: T0,
			author: { type: 'business', avatarUrl: avatar },
			content: expect.any(Object),
			source: { type: 'api:conversations' },
		});
		const listed = (await api.get(`/conversations/${conversationId}/messages`)).body.messages;
		expect(listed[listed.length - 1]).toEqual(message);
		await sim.sunshine.control.settleDeliveries();
		const events = receiver.events('conversation:message');
		// openapi.yaml conversationMessageEvent: {conversation (truncated), message (messageWebhook)}.
		expect(events.map((e) => e.payload)).toEqual([
			{
				conversation: { id: conversationId, type: 'personal', activeSwitchboardIntegration: bot },
				message,
			},
		]);
		receiver.clear();
		return message.content;
	};

	/** Refused with a 400 listing exactly these problems; nothing is stored or delivered. */
	const refused = async (body: Record<string, unknown>, titles: string[]) => {
		const before = sim.sunshine.control.messages({ conversationId }).length;
		const res = await post({ author: business, ...body });
		expect({ body, status: res.status, response: res.body }).toEqual({
			body,
			status: 400,
			response: { errors: errorsOf(titles) },
		});
		expect(sim.sunshine.control.messages({ conversationId })).toHaveLength(before);
	};
	const refusedContent = (content: unknown, titles: string[]) => refused({ content }, titles);

	describe('text', () => {
		it('keeps text with every action type of openapi.yaml `action`', async () => {
			const actions = [
				{ type: 'reply', text: 'Yes', payload: 'YES', iconUrl: 'https://example.org/yes.png' },
				{ type: 'postback', text: 'Later', payload: 'LATER' },
				{
					type: 'link',
					text: 'Docs',
					uri: 'https://example.org',
					default: true,
					extraChannelOptions: { messenger: { messenger_extensions: false } },
				},
				{
					type: 'webview',
					text: 'Open',
					uri: 'https://example.org/w',
					fallback: 'https://example.org',
					size: 'compact',
					openOnReceive: true,
					extraChannelOptions: { messenger: { webview_share_button: 'hide' } },
				},
				{
					type: 'buy',
					text: 'Buy vinegar',
					amount: 8000,
					currency: 'cad',
					metadata: { sku: 'v-1' },
				},
				{ type: 'locationRequest', text: 'Share your location' },
			];
			expect(
				await postedEverywhere({ type: 'text', text: 'Pick one', actions, payload: 'MENU' }),
			).toEqual({ type: 'text', text: 'Pick one', actions, payload: 'MENU' });
			// textMessage.text: "Required unless `actions`, `htmlText` or `markdownText` is provided."
			expect(await postedEverywhere({ type: 'text', actions: [actions[0]] })).toEqual({
				type: 'text',
				actions: [actions[0]],
			});
		});

		it('refuses a text message without text, and malformed actions, each problem named', async () => {
			await refusedContent({ type: 'text' }, [
				'content.text is required unless actions, htmlText or markdownText is provided',
			]);
			await refusedContent({ type: 'text', text: 'x'.repeat(4097) }, [
				'content.text must be at most 4096 characters long',
			]);
			await refusedContent(
				{
					type: 'text',
					text: 'x',
					actions: [
						// `share` was a v1 action; openapi.yaml v2 `action` has none.
						{ type: 'share', text: 'Share' },
						{ type: 'reply', text: 'No payload' },
						{ type: 'buy', text: 'Cheap', amount: 9.99 },
						{ type: 'buy', text: 'Free' },
						{ type: 'locationRequest' },
						{
							type: 'webview',
							text: 'w',
							uri: 'https://example.org',
							fallback: 'https://example.org',
							size: 'huge',
						},
						{ text: 'untyped' },
					],
				},
				[
					'content.actions[0].type must be one of buy, link, locationRequest, postback, reply, webview',
					'content.actions[1].payload is required',
					'content.actions[2].amount must be an integer',
					'content.actions[3].amount is required (an integer, in cents)',
					'content.actions[4].text is required',
					'content.actions[5].size must be one of compact, tall, full',
					'content.actions[6].type is required',
				],
			);
		});

		it('refuses two actions that open on receive, and malformed extraChannelOptions', async () => {
			const webview = {
				type: 'webview',
				text: 'w',
				uri: 'https://example.org',
				fallback: 'https://example.org',
				openOnReceive: true,
			};
			// openapi.yaml webview.openOnReceive: "Only one action per message can be set to true."
			await refusedContent({ type: 'text', text: 'x', actions: [webview, webview] }, [
				'content: only one action per message may set openOnReceive to true',
			]);
			await refusedContent(
				{
					type: 'text',
					text: 'x',
					actions: [
						{
							type: 'link',
							text: 'l',
							uri: 'https://example.org',
							extraChannelOptions: {
								messenger: { messenger_extensions: 'yes', webview_share_button: 'show' },
							},
						},
						{
							type: 'link',
							text: 'l',
							uri: 'https://example.org',
							extraChannelOptions: 'messenger',
						},
					],
				},
				[
					'content.actions[0].extraChannelOptions.messenger.messenger_extensions must be a boolean',
					'content.actions[0].extraChannelOptions.messenger.webview_share_button must be one of hide',
					'content.actions[1].extraChannelOptions must be an object',
				],
			);
		});
	});

	describe('carousel', () => {
		// openapi.yaml examples carousel (request) and carousel-2 (its fallback text).
		const items = [
			{
				title: 'Tacos',
				description: 'Get your tacos today!',
				mediaUrl: 'https://example.org/image.jpg',
				altText: 'A giant taco',
				size: 'compact',
				actions: [
					{ text: 'Select', type: 'postback', payload: 'TACOS' },
					{ text: 'More info', type: 'link', uri: 'https://example.org' },
				],
			},
			{
				title: 'Ramen',
				description: 'Get your ramen today!',
				mediaUrl: 'https://example.org/image.jpg',
				altText: 'A chicken vegetable ramen bowl',
				size: 'compact',
				actions: [
					{ text: 'Select', type: 'postback', payload: 'RAMEN' },
					{ text: 'More info', type: 'link', uri: 'https://example.org' },
				],
			},
		];

		it('keeps the spec example with its computed fallback text and display settings', async () => {
			expect(
				await postedEverywhere({
					type: 'carousel',
					items,
					displaySettings: { imageAspectRatio: 'square' },
				}),
			).toEqual({
				type: 'carousel',
				text: '1. Tacos\nGet your tacos today!\nMore info: https://example.org\n\n2. Ramen\nGet your ramen today!\nMore info: https://example.org',
				items,
				displaySettings: { imageAspectRatio: 'square' },
			});
		});

		it('refuses a malformed carousel with the documented 400', async () => {
			// carouselMessage.items: required, minItems 1, maxItems 10.
			await refusedContent({ type: 'carousel' }, [
				'content.items must be an array of 1 to 10 items',
			]);
			await refusedContent(
				{ type: 'carousel', items: Array.from({ length: 11 }, () => items[0]) },
				['content.items must be an array of 1 to 10 items'],
			);
			// item: title and actions required; actions are `actionSubset` (no reply, no locationRequest), 1–3.
			await refusedContent(
				{
					type: 'carousel',
					items: [
						{ description: 'no title, no actions' },
						{
							title: 'Replies',
							actions: [
								{ type: 'reply', text: 'r', payload: 'p' },
								{ type: 'locationRequest', text: 'where' },
							],
						},
						{ title: 'Many', actions: [...items[0].actions, ...items[1].actions] },
						{
							title: 'x'.repeat(129),
							description: 'd'.repeat(129),
							mediaUrl: 'image.jpg',
							size: 'huge',
							actions: [items[0].actions[0]],
						},
					],
					displaySettings: { imageAspectRatio: 'wide' },
				},
				[
					'content.items[0].title is required',
					'content.items[0].actions is required',
					'content.items[1].actions[0].type must be one of buy, link, postback, webview',
					'content.items[1].actions[1].type must be one of buy, link, postback, webview',
					'content.items[2].actions must have at most 3 actions',
					'content.items[3].title must be at most 128 characters long',
					'content.items[3].description must be at most 128 characters long',
					'content.items[3].mediaUrl must be an absolute URI',
					'content.items[3].size must be one of compact, large',
					'content.displaySettings.imageAspectRatio must be one of horizontal, square',
				],
			);
		});
	});

	describe('list', () => {
		const items = [
			{
				title: 'Tacos',
				description: 'Get your tacos today!',
				mediaUrl: 'https://example.org/image.jpg',
				size: 'compact',
				actions: [{ text: 'Select', type: 'postback', payload: 'TACOS' }],
			},
			{
				title: 'Ramen',
				description: 'Get your ramen today!',
				mediaUrl: 'https://example.org/image.jpg',
				size: 'large',
				actions: [{ text: 'Select', type: 'postback', payload: 'RAMEN' }],
			},
		];

		it('keeps items and message actions, with the fallback text', async () => {
			const actions = [{ type: 'link', text: 'All dishes', uri: 'https://example.org/menu' }];
			expect(
				await postedEverywhere({ type: 'list', items, actions, blockChatInput: true }),
			).toEqual({
				type: 'list',
				text: '1. Tacos\nGet your tacos today!\n\n2. Ramen\nGet your ramen today!',
				items,
				actions,
				blockChatInput: true,
			});
		});

		it('refuses a malformed list', async () => {
			await refusedContent({ type: 'list', items: [] }, [
				'content.items must be an array of 1 to 10 items',
			]);
			// listMessage.actions: `actionSubset`, minItems 1, maxItems 10.
			await refusedContent({ type: 'list', items, actions: [] }, [
				'content.actions must have at least 1 actions',
			]);
			const link = { type: 'link', text: 'l', uri: 'https://example.org' };
			await refusedContent(
				{ type: 'list', items, actions: Array.from({ length: 11 }, () => link) },
				['content.actions must have at most 10 actions'],
			);
			await refusedContent(
				{ type: 'list', items, actions: [{ type: 'reply', text: 'r', payload: 'p' }] },
				['content.actions[0].type must be one of buy, link, postback, webview'],
			);
		});
	});

	describe('image and file', () => {
		it('keeps an image with its actions (every action type, reply included) and a file', async () => {
			const image = {
				type: 'image',
				text: 'Hello!',
				mediaUrl: 'https://example.org/image.jpg',
				altText: 'A wonderful image',
				actions: [{ type: 'reply', text: 'Nice', payload: 'NICE' }],
			};
			expect(await postedEverywhere(image)).toEqual(image);
			const file = {
				type: 'file',
				text: "Here's our FAQ!",
				mediaUrl: 'https://example.org/FAQ.pdf',
				altText: 'FAQ.pdf',
				blockChatInput: false,
			};
			expect(await postedEverywhere(file)).toEqual(file);
			// imageMessage.text and fileMessage.text have no maxLength (textMessage.text has 4096).
			const caption = 'c'.repeat(5000);
			expect(
				(
					await postedEverywhere({
						type: 'image',
						mediaUrl: 'https://example.org/a.png',
						text: caption,
					})
				).text,
			).toBe(caption);
		});

		it('converts markdownText to htmlText and text on media too', async () => {
			expect(
				await postedEverywhere({
					type: 'image',
					mediaUrl: 'https://example.org/a.png',
					altText: 'A cat',
					markdownText: 'A cat',
				}),
			).toEqual({
				type: 'image',
				mediaUrl: 'https://example.org/a.png',
				altText: 'A cat',
				text: 'A cat',
				htmlText: '<p>A cat</p>',
			});
		});

		it('saves the file name as altText when none is given', async () => {
			// openapi.yaml imageMessage / fileMessage altText: "saved by default with the file name as the value".
			expect(
				await postedEverywhere({
					type: 'file',
					mediaUrl: 'https://example.org/docs/Price%20list.pdf?v=2',
				}),
			).toEqual({
				type: 'file',
				mediaUrl: 'https://example.org/docs/Price%20list.pdf?v=2',
				altText: 'Price list.pdf',
			});
			expect(
				(await postedEverywhere({ type: 'image', mediaUrl: 'https://example.org/image.jpg' }))
					.altText,
			).toBe('image.jpg');
		});

		it('refuses malformed media messages', async () => {
			await refusedContent({ type: 'image', text: 'no media' }, ['content.mediaUrl is required']);
			await refusedContent({ type: 'file', mediaUrl: 'FAQ.pdf', altText: 'a'.repeat(129) }, [
				'content.mediaUrl must be an absolute URI',
				'content.altText must be at most 128 characters long',
			]);
			await refusedContent(
				{
					type: 'image',
					mediaUrl: 'https://example.org/a.png',
					actions: [{ type: 'link', text: 'no uri' }],
				},
				['content.actions[0].uri is required'],
			);
			await refusedContent(
				{
					type: 'file',
					mediaUrl: 'https://example.org/a.pdf',
					htmlText: '<p>a</p>',
					markdownText: 'a',
				},
				['content.htmlText cannot be used with content.markdownText'],
			);
		});
	});

	describe('form', () => {
		it('keeps text, email and select fields, answered with submitted false', async () => {
			const fields = [
				{
					type: 'text',
					name: 'full_name',
					label: 'Your name?',
					placeholder: 'Type your name...',
					minSize: 1,
					maxSize: 30,
				},
				{ type: 'text', name: 'age', label: 'Your age?', format: 'integer' },
				{
					type: 'email',
					name: 'email_address',
					label: 'Your email?',
					placeholder: 'email@example.com',
				},
				{
					type: 'select',
					name: 'meal',
					label: 'Your meal?',
					options: [
						{ label: 'Tacos', name: 'tacos' },
						{ label: 'Ramen', name: 'ramen' },
					],
				},
			];
			expect(
				await postedEverywhere({
					type: 'form',
					blockChatInput: true,
					fields,
					text: 'Tell us about you',
				}),
			).toEqual({
				type: 'form',
				submitted: false,
				blockChatInput: true,
				fields,
				text: 'Tell us about you',
			});
		});

		it('refuses malformed forms', async () => {
			await refusedContent({ type: 'form' }, ['content.fields must be an array of 1 to 20 fields']);
			const field = { type: 'text', name: 'n', label: 'l' };
			await refusedContent(
				{
					type: 'form',
					fields: Array.from({ length: 21 }, (_, i) => ({ ...field, name: `n${i}` })),
				},
				['content.fields must be an array of 1 to 20 fields'],
			);
			await refusedContent(
				{
					type: 'form',
					fields: [
						{ type: 'text', name: 'n' },
						{
							type: 'text',
							name: 'age',
							label: 'Age',
							format: 'date',
							placeholder: '',
							minSize: 0,
						},
						{
							type: 'select',
							name: 'meal',
							label: 'Meal',
							options: [
								{ label: 'Tacos', name: 'tacos' },
								{ label: 'More tacos', name: 'tacos' },
							],
						},
						{
							type: 'select',
							name: 'big',
							label: 'Big',
							options: Array.from({ length: 201 }, (_, i) => ({ label: `o${i}`, name: `o${i}` })),
						},
					],
				},
				[
					'content.fields[0].label is required',
					'content.fields[1].placeholder must be at least 1 characters long',
					'content.fields[1].minSize must be at least 1',
					'content.fields[1].format must be one of integer, decimal',
					'content.fields[2].options[1].name must be unique in the field',
					'content.fields[3].options must be an array of 1 to 200 options for a select field',
				],
			);
		});
	});

	it('a form answered in the Web Widget becomes a formResponse quoting it, and the form is submitted', async () => {
		const fields = [
			{ type: 'text', name: 'full_name', label: 'Your name?', maxSize: 30 },
			{ type: 'email', name: 'email_address', label: 'Your email?' },
			{
				type: 'select',
				name: 'meal',
				label: 'Your meal?',
				options: [
					{ label: 'Tacos', name: 'tacos' },
					{ label: 'Ramen', name: 'ramen' },
				],
			},
		];
		const form = (await post({ author: business, content: { type: 'form', fields } })).body
			.messages[0];
		await sim.sunshine.control.settleDeliveries();
		receiver.clear();
		const submit = (values: unknown) =>
			fetch(`${sim.urls.control}/sunshine/userSubmitsForm`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ conversationId, messageId: form.id, values }),
			});
		const bad = await submit({
			full_name: 'x'.repeat(31),
			email_address: 'nope',
			meal: 'pizza',
			extra: 'x',
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('values.full_name must be 1 to 30 characters long');
		const res = await submit({
			full_name: 'Ada Lovelace',
			email_address: 'ada@example.org',
			meal: 'ramen',
		});
		expect(res.status).toBe(200);
		await sim.sunshine.control.settleDeliveries();
		const [event] = receiver.events('conversation:message');
		const submittedForm = { ...form, content: { ...form.content, submitted: true } };
		// openapi.yaml formResponseMessage (fields with text/email/select, textFallback) and message.quotedMessage.
		expect(event.payload.message).toEqual({
			id: expect.stringMatching(/^[0-9a-f]{24}$/),
			received: T0,
			author: {
				type: 'user',
				userId: expect.any(String),
				user: { id: expect.any(String), externalId: 'content-user', authenticated: false },
			},
			content: {
				type: 'formResponse',
				fields: [
					{ type: 'text', name: 'full_name', label: 'Your name?', text: 'Ada Lovelace' },
					{ type: 'email', name: 'email_address', label: 'Your email?', email: 'ada@example.org' },
					{
						type: 'select',
						name: 'meal',
						label: 'Your meal?',
						select: [{ label: 'Ramen', name: 'ramen' }],
					},
				],
				textFallback: 'Your name?: Ada Lovelace\nYour email?: ada@example.org\nYour meal?: Ramen',
			},
			source: { type: 'web', integrationId: SUNSHINE_SEED.webIntegrationId },
			quotedMessage: { type: 'message', message: submittedForm },
		});
		const listed = (await api.get(`/conversations/${conversationId}/messages`)).body.messages;
		expect(listed.find((m: any) => m.id === form.id)).toEqual(submittedForm);
		expect(
			(await submit({ full_name: 'Again', email_address: 'a@example.org', meal: 'tacos' })).status,
		).toBe(400);
	});

	describe('location', () => {
		it('keeps the spec example with its computed fallback text', async () => {
			expect(
				await postedEverywhere({
					type: 'location',
					coordinates: { lat: 45.5261583, long: -73.595346 },
					location: { address: '5333 avenue Casgrain', name: 'Zendesk Montréal' },
				}),
			).toEqual({
				type: 'location',
				text: 'Location shared:\nhttps://maps.google.com/maps?q=45.5261583,-73.595346',
				coordinates: { lat: 45.5261583, long: -73.595346 },
				location: { address: '5333 avenue Casgrain', name: 'Zendesk Montréal' },
			});
		});

		it('refuses a location without numeric coordinates or with a malformed location', async () => {
			await refusedContent({ type: 'location' }, [
				'content.coordinates with numeric lat and long is required',
			]);
			await refusedContent(
				{ type: 'location', coordinates: { lat: 1, long: 2 }, location: 'Montréal' },
				['content.location must be an object'],
			);
			await refusedContent(
				{ type: 'location', coordinates: { lat: 1, long: 2 }, location: { name: 42 } },
				['content.location.name must be a string'],
			);
		});
	});

	describe('template', () => {
		it("keeps the spec's WhatsApp template example", async () => {
			const template = {
				namespace: 'XXXXXXXX_XXXX_XXXX_XXXX_XXXXXXXXXXXX',
				name: 'hello_world',
				language: { policy: 'deterministic', code: 'en_US' },
				component: [{ type: 'body', parameters: [{ type: 'text', text: 'My User Name' }] }],
			};
			expect(
				await postedEverywhere({ type: 'template', template }, { schema: 'whatsapp' }),
			).toEqual({ type: 'template', template });
		});

		it('refuses a template without schema whatsapp, and other content with it', async () => {
			await refusedContent({ type: 'template', template: { name: 'x' } }, [
				'content.type template requires schema "whatsapp"',
			]);
			await refused({ schema: 'whatsapp', content: { type: 'template' } }, [
				'content.template is required and must be an object',
			]);
			await refused({ schema: 'whatsapp', content: { type: 'text', text: 'hi' } }, [
				'content.type must be template when schema is "whatsapp"',
			]);
		});
	});

	it('refuses formResponse (openapi.yaml: "cannot be sent via the API") and unknown types', async () => {
		await refusedContent(
			{ type: 'formResponse', fields: [{ type: 'text', name: 'n', label: 'l', text: 'answer' }] },
			['content.type formResponse cannot be sent via the API'],
		);
		await refusedContent({ type: 'video', mediaUrl: 'https://example.org/v.mp4' }, [
			'content.type must be one of text, carousel, file, form, image, list, location, template',
		]);
		await refusedContent('hello', ['content is required and must be an object']);
	});

	it('refuses a malformed override and author.brandId', async () => {
		const content = { type: 'text', text: 'x' };
		await refused(
			{
				content,
				override: {
					whatsapp: { payload: 'raw' },
					apple: { withCapabilities: ['LIST', 'PHOTO'] },
					line: 3,
				},
			},
			[
				'override.apple.withCapabilities must be an array of LIST, TIME, FORM, QUICK, AUTH2',
				'override.line must be an object',
				'override.whatsapp.payload must be an object',
			],
		);
		expect(
			(
				await post({
					author: business,
					content,
					override: { messenger: { payload: { text: 'raw' } } },
				})
			).status,
		).toBe(201);
		const res = await post({ author: { type: 'business', brandId: '1'.repeat(25) }, content });
		expect(res.body).toEqual({
			errors: errorsOf(['author.brandId must be at most 24 characters long']),
		});
	});

	it('lists every content type in the order posted', async () => {
		const id = (
			await api.post('/conversations', {
				type: 'personal',
				participants: [{ userExternalId: 'content-user' }],
			})
		).body.conversation.id;
		const contents = [
			{ type: 'text', text: 'one' },
			{ type: 'image', mediaUrl: 'https://example.org/a.png' },
			{ type: 'file', mediaUrl: 'https://example.org/a.pdf' },
			{ type: 'location', coordinates: { lat: 1, long: 2 } },
			{ type: 'form', fields: [{ type: 'email', name: 'e', label: 'Email' }] },
		];
		const posted: any[] = [];
		for (const content of contents)
			posted.push((await post({ author: business, content }, id)).body.messages[0]);
		const listed = await api.get(`/conversations/${id}/messages`);
		expect(listed.body).toEqual({ messages: posted, meta: { hasMore: false } });
		expect(listed.body.messages.map((m: any) => m.content.type)).toEqual([
			'text',
			'image',
			'file',
			'location',
			'form',
		]);
	});

	describe('deleting one message', () => {
		it('removes it from the conversation (200 {}), and answers 404 for an unknown message or conversation', async () => {
			const id = (
				await api.post('/conversations', {
					type: 'personal',
					participants: [{ userExternalId: 'content-user' }],
				})
			).body.conversation.id;
			const first = (await post({ author: business, content: { type: 'text', text: 'keep' } }, id))
				.body.messages[0];
			const second = (await post({ author: business, content: { type: 'text', text: 'drop' } }, id))
				.body.messages[0];
			const deleted = await api.delete(`/conversations/${id}/messages/${second.id}`);
			expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 200, body: {} });
			expect((await api.get(`/conversations/${id}/messages`)).body.messages).toEqual([first]);
			const again = await api.delete(`/conversations/${id}/messages/${second.id}`);
			expect({ status: again.status, body: again.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'message_not_found', title: 'Message not found' }] },
			});
			// openapi.yaml DeleteMessage 404 example.
			const noConversation = await api.delete(`/conversations/${UNKNOWN_ID}/messages/${first.id}`);
			expect({ status: noConversation.status, body: noConversation.body }).toEqual({
				status: 404,
				body: { errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }] },
			});
		});
	});
});
