import { ManualClock, startSimulator, type Simulator } from '../../simulator';
import { SunshineApi, UNKNOWN_ID } from './sunshine-helpers';

/** Sunshine Conversations: posting every content type, validation, message pages and the size limit. */
describe('sunshine messages', () => {
	let sim: Simulator;
	let api: SunshineApi;
	let userId: string;
	let conversationId: string;
	const T0 = '2026-01-05T09:00:00.000Z';
	const avatar = 'https://www.gravatar.com/avatar/00000000000000000000000000000000.png?s=200&d=mm';

	beforeAll(async () => {
		sim = await startSimulator({ clock: new ManualClock(T0) });
		api = new SunshineApi(sim);
		userId = (
			await api.post('/users', {
				externalId: 'writer',
				profile: {
					givenName: 'Steve',
					surname: 'Rogers',
					avatarUrl: 'https://s3.amazonaws.com/avatar.jpg',
				},
			})
		).body.user.id;
		conversationId = (
			await api.post('/conversations', { type: 'personal', participants: [{ userId }] })
		).body.conversation.id;
	});
	afterAll(() => sim.close());

	const post = (body: unknown, id = conversationId) =>
		api.post(`/conversations/${id}/messages`, body);
	const errorsOf = (titles: string[]) => titles.map((title) => ({ code: 'bad_request', title }));

	it('posts a business text message: 201 {messages:[…]} in the documented shape', async () => {
		const res = await post({
			author: { type: 'business' },
			content: { type: 'text', text: 'Hello!' },
			metadata: { lang: 'en' },
		});
		expect(res.status).toBe(201);
		expect(res.body).toEqual({
			messages: [
				{
					id: expect.stringMatching(/^[0-9a-f]{24}$/),
					received: T0,
					author: { type: 'business', avatarUrl: avatar },
					content: { type: 'text', text: 'Hello!' },
					source: { type: 'api:conversations' },
					metadata: { lang: 'en' },
				},
			],
		});
	});

	it('posts user messages by userId or userExternalId, naming the author from the profile', async () => {
		for (const author of [
			{ type: 'user', userId },
			{ type: 'user', userExternalId: 'writer' },
		]) {
			const res = await post({ author, content: { type: 'text', text: 'hi' } });
			expect(res.status).toBe(201);
			expect(res.body.messages[0].author).toEqual({
				type: 'user',
				userId,
				displayName: 'Steve Rogers',
				avatarUrl: 'https://s3.amazonaws.com/avatar.jpg',
			});
		}
		const named = await post({
			author: {
				type: 'business',
				displayName: 'Ada Bot',
				avatarUrl: 'https://example.org/bot.png',
				subtypes: ['AI'],
			},
			content: { type: 'text', text: 'x' },
		});
		expect(named.body.messages[0].author).toEqual({
			type: 'business',
			displayName: 'Ada Bot',
			avatarUrl: 'https://example.org/bot.png',
			subtypes: ['AI'],
		});
	});

	it('limits text to 4096 characters', async () => {
		expect(
			(
				await post({
					author: { type: 'business' },
					content: { type: 'text', text: 'x'.repeat(4096) },
				})
			).status,
		).toBe(201);
		const res = await post({
			author: { type: 'business' },
			content: { type: 'text', text: 'x'.repeat(4097) },
		});
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			errors: errorsOf(['content.text must be at most 4096 characters long']),
		});
		// JSON Schema maxLength counts characters: 4096 emoji (8192 UTF-16 units) fit, 4097 do not.
		expect(
			(
				await post({
					author: { type: 'business' },
					content: { type: 'text', text: '😀'.repeat(4096) },
				})
			).status,
		).toBe(201);
		expect(
			(
				await post({
					author: { type: 'business' },
					content: { type: 'text', text: '😀'.repeat(4097) },
				})
			).status,
		).toBe(400);
	});

	it('validates the author', async () => {
		const text = { type: 'text', text: 'x' };
		const cases: Array<[unknown, string[]]> = [
			[{ content: text }, ['author is required and must be an object']],
			[{ author: { type: 'bot' }, content: text }, ['author.type must be one of business, user']],
			[
				{ author: { type: 'business', userId }, content: text },
				['author.userId and author.userExternalId are only supported when author.type is user'],
			],
			[
				{ author: { type: 'user' }, content: text },
				[
					'author: one of userId or userExternalId is required when author.type is user, but not both',
				],
			],
			[
				{ author: { type: 'business', subtypes: ['agent'] }, content: text },
				['author.subtypes must be ["AI"]: the other subtypes are set by Zendesk only'],
			],
			[
				{ author: { type: 'business', avatarUrl: 'not a url' }, content: text },
				['author.avatarUrl must be an absolute URI'],
			],
			[{ author: { type: 'business' } }, ['content is required and must be an object']],
		];
		for (const [body, titles] of cases) {
			const res = await post(body);
			expect({ body, status: res.status, errors: res.body.errors }).toEqual({
				body,
				status: 400,
				errors: errorsOf(titles),
			});
		}
		const ghost = await post({ author: { type: 'user', userExternalId: 'ghost' }, content: text });
		expect(ghost.status).toBe(404);
		expect(ghost.body).toEqual({ errors: [{ code: 'user_not_found', title: 'User not found' }] });
		await api.post('/users', { externalId: 'outsider' });
		const outsider = await post({
			author: { type: 'user', userExternalId: 'outsider' },
			content: text,
		});
		expect(outsider.status).toBe(400);
		expect(outsider.body.errors).toEqual(
			errorsOf(['The author is not a participant of the conversation']),
		);
	});

	it('validates metadata and destination', async () => {
		const base = { author: { type: 'business' }, content: { type: 'text', text: 'x' } };
		expect((await post({ ...base, metadata: { list: [1] } })).body.errors).toEqual(
			errorsOf(['metadata.list must be a string, a number or a boolean (metadata is flat)']),
		);
		expect((await post({ ...base, metadata: { big: 'x'.repeat(4100) } })).body.errors).toEqual(
			errorsOf(['metadata is larger than 4KB']),
		);
		expect((await post({ ...base, destination: { integrationType: 'none' } })).status).toBe(201);
		const userDestination = await post({
			author: { type: 'user', userId },
			content: { type: 'text', text: 'x' },
			destination: { integrationType: 'none' },
		});
		expect(userDestination.body.errors).toEqual(
			errorsOf(['destination only applies to business messages in personal conversations']),
		);
	});

	it('answers 404 conversation_not_found for an unknown conversation', async () => {
		const res = await post(
			{ author: { type: 'business' }, content: { type: 'text', text: 'x' } },
			UNKNOWN_ID,
		);
		expect(res.status).toBe(404);
		expect(res.body).toEqual({
			errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }],
		});
	});

	describe('content types', () => {
		const business = { type: 'business' };
		const sent = async (content: unknown, extra: Record<string, unknown> = {}) => {
			const res = await post({ author: business, content, ...extra });
			expect({ status: res.status, errors: res.body.errors }).toEqual({
				status: 201,
				errors: undefined,
			});
			return res.body.messages[0].content;
		};
		const refused = async (
			content: unknown,
			titles: string[],
			extra: Record<string, unknown> = {},
		) => {
			const res = await post({ author: business, content, ...extra });
			expect({ content, status: res.status, errors: res.body.errors }).toEqual({
				content,
				status: 400,
				errors: errorsOf(titles),
			});
		};

		it('text: needs text unless actions, htmlText or markdownText; html and markdown exclude each other', async () => {
			await refused({ type: 'text' }, [
				'content.text is required unless actions, htmlText or markdownText is provided',
			]);
			expect(await sent({ type: 'text', htmlText: '<p>Hello <b>there</b></p>' })).toEqual({
				type: 'text',
				text: 'Hello there',
				htmlText: '<p>Hello <b>there</b></p>',
			});
			expect(await sent({ type: 'text', markdownText: 'Hi <you>' })).toEqual({
				type: 'text',
				text: 'Hi <you>',
				htmlText: '<p>Hi &lt;you&gt;</p>',
			});
			await refused({ type: 'text', htmlText: '<p>a</p>', markdownText: 'a' }, [
				'content.htmlText cannot be used with content.markdownText',
			]);
			expect(
				await sent({
					type: 'text',
					text: 'Pick one',
					blockChatInput: true,
					actions: [
						{ type: 'reply', text: 'Yes', payload: 'YES' },
						{ type: 'postback', text: 'Later', payload: 'LATER', metadata: { step: 2 } },
						{ type: 'link', text: 'Docs', uri: 'https://example.org', default: false },
						{
							type: 'webview',
							text: 'Open',
							uri: 'https://example.org/w',
							fallback: 'https://example.org',
							size: 'tall',
						},
						{ type: 'buy', text: 'Buy', amount: 999, currency: 'cad' },
						{ type: 'locationRequest', text: 'Where are you?' },
					],
				}),
			).toEqual({
				type: 'text',
				text: 'Pick one',
				blockChatInput: true,
				actions: [
					{ type: 'reply', text: 'Yes', payload: 'YES' },
					{ type: 'postback', text: 'Later', payload: 'LATER', metadata: { step: 2 } },
					{ type: 'link', text: 'Docs', uri: 'https://example.org', default: false },
					{
						type: 'webview',
						text: 'Open',
						uri: 'https://example.org/w',
						fallback: 'https://example.org',
						size: 'tall',
					},
					{ type: 'buy', text: 'Buy', amount: 999, currency: 'cad' },
					{ type: 'locationRequest', text: 'Where are you?' },
				],
			});
			await refused(
				{
					type: 'text',
					actions: [
						{ type: 'postback', text: 'x' },
						{ type: 'link', text: 'y' },
						{ type: 'dance', text: 'z' },
						{ type: 'webview', text: 'w', uri: 'https://e.org' },
					],
				},
				[
					'content.actions[0].payload is required',
					'content.actions[1].uri is required',
					'content.actions[2].type must be one of buy, link, locationRequest, postback, reply, webview',
					'content.actions[3].fallback is required',
				],
			);
		});

		it('carousel: 1–10 items, each with a title and 1–3 actions; the fallback text is computed', async () => {
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
			expect(await sent({ type: 'carousel', items })).toEqual({
				type: 'carousel',
				text: '1. Tacos\nGet your tacos today!\nMore info: https://example.org\n\n2. Ramen\nGet your ramen today!\nMore info: https://example.org',
				items: items.map((item) => ({ ...item, actions: item.actions.map((a) => ({ ...a })) })),
			});
			await refused({ type: 'carousel', items: [] }, [
				'content.items must be an array of 1 to 10 items',
			]);
			await refused({ type: 'carousel', items: Array.from({ length: 11 }, () => items[0]) }, [
				'content.items must be an array of 1 to 10 items',
			]);
			await refused({ type: 'carousel', items: [{ title: '', actions: [] }] }, [
				'content.items[0].title must be at least 1 characters long',
				'content.items[0].actions must have at least 1 actions',
			]);
			await refused(
				{
					type: 'carousel',
					items: [{ title: 'A', actions: Array.from({ length: 4 }, () => items[0].actions[0]) }],
				},
				['content.items[0].actions must have at most 3 actions'],
			);
			await refused(
				{
					type: 'carousel',
					items: [{ title: 'A', actions: [{ type: 'reply', text: 'r', payload: 'p' }] }],
				},
				['content.items[0].actions[0].type must be one of buy, link, postback, webview'],
			);
		});

		it('list: items as in a carousel, plus up to 10 message actions', async () => {
			const item = {
				title: 'Tacos',
				actions: [{ text: 'Select', type: 'postback', payload: 'TACOS' }],
			};
			expect(
				await sent({
					type: 'list',
					items: [item],
					actions: [{ type: 'link', text: 'All', uri: 'https://example.org' }],
				}),
			).toEqual({
				type: 'list',
				text: '1. Tacos',
				items: [item],
				actions: [{ type: 'link', text: 'All', uri: 'https://example.org' }],
			});
			await refused({ type: 'list' }, ['content.items must be an array of 1 to 10 items']);
		});

		it('image and file: mediaUrl required, altText ≤ 128', async () => {
			expect(
				await sent({
					type: 'image',
					text: 'Hello!',
					mediaUrl: 'https://example.org/image.jpg',
					altText: 'A wonderful image',
				}),
			).toEqual({
				type: 'image',
				text: 'Hello!',
				mediaUrl: 'https://example.org/image.jpg',
				altText: 'A wonderful image',
			});
			expect(
				await sent({
					type: 'file',
					text: "Here's our FAQ!",
					mediaUrl: 'https://example.org/FAQ.pdf',
					altText: 'FAQ.pdf',
				}),
			).toEqual({
				type: 'file',
				text: "Here's our FAQ!",
				mediaUrl: 'https://example.org/FAQ.pdf',
				altText: 'FAQ.pdf',
			});
			await refused({ type: 'image' }, ['content.mediaUrl is required']);
			await refused({ type: 'file', mediaUrl: 'FAQ.pdf', altText: 'x'.repeat(129) }, [
				'content.mediaUrl must be an absolute URI',
				'content.altText must be at most 128 characters long',
			]);
		});

		it('form: 1–20 fields with unique names; select fields need options; answered with submitted false', async () => {
			// openapi.yaml examples form / form-2.
			const fields = [
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
			];
			expect(await sent({ type: 'form', blockChatInput: true, fields })).toEqual({
				type: 'form',
				submitted: false,
				blockChatInput: true,
				fields,
			});
			await refused({ type: 'form', fields: [] }, [
				'content.fields must be an array of 1 to 20 fields',
			]);
			await refused({ type: 'form', fields: [fields[0], fields[0]] }, [
				'content.fields[1].name must be unique in the form',
			]);
			await refused({ type: 'form', fields: [{ type: 'select', name: 's', label: 'Pick' }] }, [
				'content.fields[0].options must be an array of 1 to 200 options for a select field',
			]);
			await refused(
				{ type: 'form', fields: [{ type: 'date', name: 'd', label: 'When', maxSize: 300 }] },
				[
					'content.fields[0].type must be one of email, select, text',
					'content.fields[0].maxSize must be at most 256',
				],
			);
		});

		it('location: coordinates required; the fallback text is computed', async () => {
			// openapi.yaml examples location / location-2.
			expect(
				await sent({
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
			await refused({ type: 'location', coordinates: { lat: '45' } }, [
				'content.coordinates with numeric lat and long is required',
			]);
		});

		it('template: only with schema whatsapp; formResponse and unknown types are refused', async () => {
			const template = {
				namespace: 'ns',
				name: 'hello_world',
				language: { policy: 'deterministic', code: 'en_US' },
			};
			expect(await sent({ type: 'template', template }, { schema: 'whatsapp' })).toEqual({
				type: 'template',
				template,
			});
			await refused({ type: 'template', template }, [
				'content.type template requires schema "whatsapp"',
			]);
			await refused({ type: 'formResponse', fields: [] }, [
				'content.type formResponse cannot be sent via the API',
			]);
			await refused({ type: 'video' }, [
				'content.type must be one of text, carousel, file, form, image, list, location, template',
			]);
		});
	});

	describe('listing', () => {
		let id: string;
		let all: any[];

		beforeAll(async () => {
			id = (await api.post('/conversations', { type: 'personal', participants: [{ userId }] })).body
				.conversation.id;
			sim.sunshine.control.fillMessages({ conversationId: id, count: 250 });
			all = sim.sunshine.control.messages({ conversationId: id });
		});

		it('answers the most recent 100 messages first, and pages backwards with page[before]', async () => {
			const latest = await api.get(`/conversations/${id}/messages?page[size]=5`);
			expect(latest.status).toBe(200);
			expect(latest.body.messages.map((m: any) => m.id)).toEqual(all.slice(150).map((m) => m.id));
			expect(latest.body.meta).toEqual({ hasMore: true, beforeCursor: all[150].id });
			expect(latest.body.links).toEqual({
				prev: `${api.base}/conversations/${id}/messages?page[before]=${all[150].id}`,
			});
			const older = await api.get(`/conversations/${id}/messages?page[before]=${all[150].id}`);
			expect(older.body.messages.map((m: any) => m.id)).toEqual(
				all.slice(50, 150).map((m) => m.id),
			);
			expect(older.body.meta).toEqual({
				hasMore: true,
				beforeCursor: all[50].id,
				afterCursor: all[149].id,
			});
			const oldest = await api.get(`/conversations/${id}/messages?page[before]=${all[50].id}`);
			expect(oldest.body.messages).toHaveLength(50);
			expect(oldest.body.meta).toEqual({ hasMore: false, afterCursor: all[49].id });
			const forward = await api.get(`/conversations/${id}/messages?page[after]=${all[49].id}`);
			expect(forward.body.messages.map((m: any) => m.id)).toEqual(
				all.slice(50, 150).map((m) => m.id),
			);
			expect(forward.body.meta).toEqual({
				hasMore: true,
				afterCursor: all[149].id,
				beforeCursor: all[50].id,
			});
		});

		it('answers 404 not_found (Resource not found) for an unknown conversation', async () => {
			const res = await api.get(`/conversations/${UNKNOWN_ID}/messages`);
			expect(res.status).toBe(404);
			expect(res.body).toEqual({ errors: [{ code: 'not_found', title: 'Resource not found' }] });
		});

		it('deletes one message, then all of them', async () => {
			expect((await api.delete(`/conversations/${id}/messages/${all[0].id}`)).body).toEqual({});
			expect(sim.sunshine.control.messages({ conversationId: id })).toHaveLength(249);
			expect((await api.delete(`/conversations/${id}/messages/${all[0].id}`)).status).toBe(404);
			expect((await api.delete(`/conversations/${id}/messages`)).body).toEqual({});
			expect((await api.get(`/conversations/${id}/messages`)).body).toEqual({
				messages: [],
				meta: { hasMore: false },
			});
		});
	});

	it('locks a conversation at 30,000 messages (423) until messages are deleted', async () => {
		const id = (await api.post('/conversations', { type: 'personal', participants: [{ userId }] }))
			.body.conversation.id;
		sim.sunshine.control.fillMessages({ conversationId: id, count: 29_999 });
		const text = { author: { type: 'business' }, content: { type: 'text', text: 'the 30,000th' } };
		expect((await post(text, id)).status).toBe(201);
		const locked = await post(text, id);
		expect(locked.status).toBe(423);
		expect(locked.body).toEqual({
			errors: [{ code: 'locked', title: 'Message limit of 30000 per conversation reached.' }],
		});
		await api.delete(`/conversations/${id}/messages`);
		expect((await post(text, id)).status).toBe(201);
	});
});
