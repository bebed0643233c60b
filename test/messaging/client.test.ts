import {
	MessagingClient,
	sunshineErrorCode,
	type MessagingClientOptions,
} from '../../src/messaging';
import {
	AbortedError,
	ClosedError,
	HttpError,
	InvalidInputError,
	TimeoutError,
	messagingBaseUrl,
} from '../../src/shared';
import { startSimulator, SIM_SUNSHINE, type Simulator } from '../../simulator';

let sim: Simulator;
let client: MessagingClient;
const extra: MessagingClient[] = [];

function newClient(options: Partial<MessagingClientOptions> = {}): MessagingClient {
	const c = new MessagingClient({
		baseUrl: sim.urls.sunshine,
		appId: SIM_SUNSHINE.appId,
		auth: { type: 'basic', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
		// Retries in tests wait 1 ms, not half a second.
		backoff: () => 1,
		...options,
	});
	extra.push(c);
	return c;
}

async function caught(promise: Promise<unknown>): Promise<Error> {
	const outcome = await promise.then(
		() => undefined,
		(error: Error) => error,
	);
	if (!outcome) throw new Error('expected a rejection');
	return outcome;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now()}-${++counter}`;

beforeAll(async () => {
	sim = await startSimulator();
	client = newClient();
});

afterEach(() => sim.faults.reset());

afterAll(async () => {
	await Promise.all(extra.map((c) => c.close()));
	await sim.close();
});

describe('users', () => {
	it('creates a user and gets it by id and by external id', async () => {
		const externalId = unique('user');
		const user = await client.createUser({
			externalId,
			signedUpAt: new Date('2024-02-03T04:05:06.789Z'),
			profile: { givenName: 'Ada', surname: 'Lovelace', email: 'ada@example.com', locale: 'en-GB' },
			metadata: { plan: 'pro', seats: 3, trial: false },
		});
		expect(user.externalId).toBe(externalId);
		expect(user.signedUpAt).toBe('2024-02-03T04:05:06.789Z');
		expect(user.profile).toMatchObject({
			givenName: 'Ada',
			surname: 'Lovelace',
			email: 'ada@example.com',
			locale: 'en-GB',
		});
		expect(user.metadata).toEqual({ plan: 'pro', seats: 3, trial: false });
		expect((await client.getUser(user.id)).id).toBe(user.id);
		expect((await client.getUser(externalId)).id).toBe(user.id);
	});

	it('a taken external id is a 409 conflict; findOrCreateUser returns the existing user', async () => {
		const externalId = unique('dup');
		const first = await client.createUser({ externalId });
		const error = await caught(client.createUser({ externalId }));
		expect(error).toBeInstanceOf(HttpError);
		expect((error as HttpError).statusCode).toBe(409);
		expect(sunshineErrorCode(error)).toBe('conflict');
		expect(error.message).toMatch(
			/^Sunshine Conversations POST \/users failed with 409 \(conflict: .+\)\. The resource already exists\.$/,
		);

		const found = await client.findOrCreateUser({ externalId });
		expect(found).toEqual({ user: expect.objectContaining({ id: first.id }), created: false });
		const fresh = await client.findOrCreateUser({ externalId: unique('fresh') });
		expect(fresh.created).toBe(true);
	});

	it('two concurrent findOrCreateUser calls end with one user', async () => {
		const externalId = unique('race');
		const [a, b] = await Promise.all([
			client.findOrCreateUser({ externalId }),
			client.findOrCreateUser({ externalId }),
		]);
		expect(a.user.id).toBe(b.user.id);
		expect([a.created, b.created].sort()).toEqual([false, true]);
	});

	it('an unknown user is a typed 404', async () => {
		const error = (await caught(client.getUser('nobody-here'))) as HttpError;
		expect(error).toBeInstanceOf(HttpError);
		expect(error.api).toBe('messaging');
		expect(error.statusCode).toBe(404);
		expect(sunshineErrorCode(error)).toBe('user_not_found');
		expect(error.message).toContain('404 (user_not_found: User not found)');
	});
});

describe('conversations', () => {
	it('creates a personal conversation, gets it, and lists a user’s conversations page by page', async () => {
		const user = await client.createUser({ externalId: unique('conv') });
		const created = [];
		for (let i = 0; i < 3; i++) {
			created.push(
				await client.createConversation({
					userId: user.id,
					displayName: `Conv ${i}`,
					metadata: { i },
				}),
			);
		}
		expect(created[0]).toMatchObject({
			type: 'personal',
			displayName: 'Conv 0',
			metadata: { i: 0 },
		});
		expect((await client.getConversation(created[1].id)).id).toBe(created[1].id);

		const first = await client.listConversations({ userId: user.id, pageSize: 2 });
		expect(first.items).toHaveLength(2);
		expect(first.hasMore).toBe(true);
		expect(typeof first.afterCursor).toBe('string');
		const second = await client.listConversations({
			userId: user.id,
			pageSize: 2,
			after: first.afterCursor,
		});
		expect(second.hasMore).toBe(false);

		const all = [];
		for await (const c of client.conversations({
			userExternalId: user.externalId as string,
			pageSize: 1,
		}))
			all.push(c.id);
		expect(all.sort()).toEqual(created.map((c) => c.id).sort());
	});

	it('an unknown conversation is conversation_not_found', async () => {
		const error = await caught(client.getConversation('5f0000000000000000000000'));
		expect((error as HttpError).statusCode).toBe(404);
		expect(sunshineErrorCode(error)).toBe('conversation_not_found');
	});
});

describe('messages and activity', () => {
	let conversationId: string;
	let userId: string;
	let externalId: string;

	beforeAll(async () => {
		externalId = unique('msg');
		userId = (await client.createUser({ externalId })).id;
		conversationId = (await client.createConversation({ userId })).id;
	});

	it('posts as the business and as the user, and lists them', async () => {
		const business = await client.postBusinessMessage(conversationId, {
			text: 'Hello from the bot',
			displayName: 'Bot',
			ai: true,
			metadata: { step: 1 },
		});
		expect(business.author).toMatchObject({
			type: 'business',
			displayName: 'Bot',
			subtypes: ['AI'],
		});
		expect(business.content).toEqual({ type: 'text', text: 'Hello from the bot' });
		expect(business.metadata).toEqual({ step: 1 });
		const fromUser = await client.postUserMessage(conversationId, {
			userExternalId: externalId,
			text: 'Hi, I am the user',
		});
		expect(fromUser.author).toMatchObject({ type: 'user', userId });

		const page = await client.listMessages(conversationId);
		expect(page.items.map((m) => m.id)).toEqual([business.id, fromUser.id]);
		expect(page.hasMore).toBe(false);
	});

	it('posts other content types as given', async () => {
		const [message] = await client.postMessage(conversationId, {
			author: { type: 'business' },
			content: {
				type: 'text',
				text: 'Pick one',
				actions: [{ type: 'reply', text: 'Yes', payload: 'YES' }],
			},
		});
		expect(message.content).toMatchObject({
			type: 'text',
			text: 'Pick one',
			actions: [{ type: 'reply', text: 'Yes', payload: 'YES' }],
		});
	});

	it('refuses text over 4096 characters before sending anything', async () => {
		const before = sim.sunshine.control.messages({ conversationId }).length;
		const error = await caught(
			client.postBusinessMessage(conversationId, { text: 'x'.repeat(4097) }),
		);
		expect(error).toBeInstanceOf(InvalidInputError);
		expect((error as InvalidInputError).field).toBe('content.text');
		expect(sim.sunshine.control.messages({ conversationId })).toHaveLength(before);
		// 4096 is fine.
		await client.postBusinessMessage(conversationId, { text: 'y'.repeat(4096) });
		expect(sim.sunshine.control.messages({ conversationId })).toHaveLength(before + 1);
	});

	it('pages backwards through a long history and returns the recent messages in order', async () => {
		const conv = (await client.createConversation({ userId })).id;
		sim.sunshine.control.fillMessages({ conversationId: conv, count: 250, text: 'm' });
		const pages = [];
		for await (const page of client.messagePages(conv))
			pages.push(page.items.map((m) => (m.content as { text: string }).text));
		expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
		expect(pages[0][0]).toBe('m 151');
		expect(pages[0][99]).toBe('m 250');
		expect(pages[2][0]).toBe('m 1');
		const recent = await client.recentMessages(conv, 150);
		expect(recent.map((m) => (m.content as { text: string }).text)).toEqual(
			Array.from({ length: 150 }, (_, i) => `m ${i + 101}`),
		);
	});

	it('posts typing and read activity', async () => {
		await expect(
			client.postActivity(conversationId, { type: 'typing:start' }),
		).resolves.toBeUndefined();
		await expect(
			client.postActivity(conversationId, {
				type: 'conversation:read',
				author: { type: 'user', userId },
			}),
		).resolves.toBeUndefined();
		const error = await caught(
			client.postActivity(conversationId, {
				type: 'typing:start',
				author: { type: 'user', userId },
			}),
		);
		expect((error as InvalidInputError).field).toBe('type');
	});
});

describe('switchboard', () => {
	it('lists the switchboard and finds the agent workspace', async () => {
		const switchboards = await client.listSwitchboards();
		expect(switchboards).toHaveLength(1);
		const integrations = await client.listSwitchboardIntegrations(switchboards[0].id);
		expect(integrations.map((i) => i.name)).toEqual(
			expect.arrayContaining(['bot', 'zd-agentWorkspace']),
		);
		const workspace = await client.findAgentWorkspace();
		expect(workspace?.switchboard.id).toBe(switchboards[0].id);
		expect(workspace?.switchboardIntegration).toMatchObject({
			name: 'zd-agentWorkspace',
			integrationType: 'zd:agentWorkspace',
		});
	});

	it('passes, offers, accepts and releases control', async () => {
		const user = await client.createUser({ externalId: unique('sb') });
		const conv = await client.createConversation({ userId: user.id });
		await client.postBusinessMessage(conv.id, { text: 'Handing over' });
		const state = () => sim.sunshine.control.conversation({ id: conv.id }).switchboard;

		await client.passControl(conv.id, {
			switchboardIntegration: 'zd-agentWorkspace',
			metadata: { first_message_id: (await client.listMessages(conv.id)).items[0].id },
		});
		expect(state()).toEqual({ active: 'zd-agentWorkspace', pending: null });
		await client.offerControl(conv.id, { switchboardIntegration: 'bot' });
		expect(state()).toEqual({ active: 'zd-agentWorkspace', pending: 'bot' });
		await client.acceptControl(conv.id);
		expect(state()).toEqual({ active: 'bot', pending: null });
		await client.releaseControl(conv.id, { metadata: { reason: 'done' } });
		expect(state().active).toBeNull();
		expect((await client.getConversation(conv.id)).activeSwitchboardIntegration ?? null).toBeNull();
	});

	it('names the target by id, by integrationType or as "next"', async () => {
		const workspace = await client.findAgentWorkspace();
		const bot = (
			await client.listSwitchboardIntegrations(workspace?.switchboard.id as string)
		).find((i) => i.name === 'bot');
		const user = await client.createUser({ externalId: unique('sb-ref') });
		const conv = await client.createConversation({ userId: user.id });
		await client.postBusinessMessage(conv.id, { text: 'hello' });
		const active = () => sim.sunshine.control.conversation({ id: conv.id }).switchboard.active;

		await client.passControl(conv.id, { switchboardIntegration: bot?.id as string });
		expect(active()).toBe('bot');
		// The bot's next switchboard integration is the agent workspace.
		expect(bot?.nextSwitchboardIntegrationId).toBe(workspace?.switchboardIntegration.id);
		await client.passControl(conv.id, { switchboardIntegration: 'next' });
		expect(active()).toBe('zd-agentWorkspace');
		await client.passControl(conv.id, { switchboardIntegration: 'custom' });
		expect(active()).toBe('bot');
		await client.passControl(conv.id, { switchboardIntegration: 'zd:agentWorkspace' });
		expect(active()).toBe('zd-agentWorkspace');
	});

	it('an unknown switchboard integration is a 4xx with the server’s words', async () => {
		const user = await client.createUser({ externalId: unique('sb-bad') });
		const conv = await client.createConversation({ userId: user.id });
		const error = (await caught(
			client.passControl(conv.id, { switchboardIntegration: 'no-such-integration' }),
		)) as HttpError;
		expect(error).toBeInstanceOf(HttpError);
		expect(error.statusCode).toBeGreaterThanOrEqual(400);
		expect(error.statusCode).toBeLessThan(500);
		expect(error.message).toContain(`failed with ${error.statusCode} (`);
		expect(sunshineErrorCode(error)).toEqual(expect.any(String));
	});

	it('refuses nested or oversized metadata before sending', async () => {
		const served = sim.faults.served.sunshine;
		const bad = await caught(
			client.passControl('c1', {
				switchboardIntegration: 'next',
				metadata: { nested: { a: 1 } } as never,
			}),
		);
		expect((bad as InvalidInputError).field).toBe('metadata.nested');
		const big = await caught(client.releaseControl('c1', { metadata: { k: 'v'.repeat(5000) } }));
		expect((big as InvalidInputError).field).toBe('metadata');
		expect(sim.faults.served.sunshine).toBe(served);
	});
});

describe('authentication', () => {
	it('works with an app-scope JWT', async () => {
		const jwtClient = newClient({
			auth: { type: 'jwt', keyId: SIM_SUNSHINE.keyId, keySecret: SIM_SUNSHINE.keySecret },
		});
		const user = await jwtClient.createUser({ externalId: unique('jwt') });
		expect((await jwtClient.getUser(user.id)).id).toBe(user.id);
	});

	it('a wrong secret is a 401 with the documented code, for basic and JWT alike', async () => {
		for (const type of ['basic', 'jwt'] as const) {
			const bad = newClient({ auth: { type, keyId: SIM_SUNSHINE.keyId, keySecret: 'wrong' } });
			const error = (await caught(bad.listSwitchboards())) as HttpError;
			expect(error.statusCode).toBe(401);
			expect(error.retryable).toBe(false);
			expect(sunshineErrorCode(error)).toBe('unauthorized');
			expect(error.message).toContain('Check the key id and secret');
			expect(error.message).not.toContain('wrong');
		}
	});

	it('a wrong app id is app_not_found', async () => {
		const other = newClient({ appId: '000000000000000000000000' });
		const error = await caught(other.listSwitchboards());
		expect(sunshineErrorCode(error)).toBe('app_not_found');
	});

	it('builds the base URL the credential names', () => {
		expect(messagingBaseUrl({ subdomain: 'acme' })).toBe('https://acme.zendesk.com/sc');
		expect(messagingBaseUrl({ host: 'custom', customBaseUrl: sim.urls.base })).toBe(
			sim.urls.sunshine,
		);
	});
});

describe('retries', () => {
	it('retries 429 and honours Retry-After, then succeeds', async () => {
		const served = sim.faults.served.sunshine;
		sim.faults.failNextHttp({ api: 'sunshine', status: 429, retryAfter: 0, count: 2 });
		await expect(client.listSwitchboards()).resolves.toHaveLength(1);
		expect(sim.faults.served.sunshine - served).toBe(2);
	});

	it('gives up after maxRetries and throws the last 429, retryable', async () => {
		const limited = newClient({ maxRetries: 2 });
		const served = sim.faults.served.sunshine;
		sim.faults.failNextHttp({ api: 'sunshine', status: 429, retryAfter: 0, count: 5 });
		const error = (await caught(limited.listSwitchboards())) as HttpError;
		expect(error.statusCode).toBe(429);
		expect(error.retryable).toBe(true);
		expect(error.retryAfterMs).toBe(0);
		expect(sim.faults.served.sunshine - served).toBe(3);
	});

	it('does not wait for a Retry-After beyond maxRetryDelayMs', async () => {
		const served = sim.faults.served.sunshine;
		sim.faults.failNextHttp({ api: 'sunshine', status: 429, retryAfter: 120 });
		const error = (await caught(client.listSwitchboards())) as HttpError;
		expect(error.retryAfterMs).toBe(120_000);
		expect(sim.faults.served.sunshine - served).toBe(1);
	});

	it('does not repeat a message post after a 500 (it may be stored), but does after a 503', async () => {
		const user = await client.createUser({ externalId: unique('retry') });
		const conv = await client.createConversation({ userId: user.id });
		sim.faults.failNextHttp({ api: 'sunshine', status: 500 });
		const error = (await caught(
			client.postBusinessMessage(conv.id, { text: 'once' }),
		)) as HttpError;
		expect(error.statusCode).toBe(500);
		// The injected fault answers in the documented {errors: [{code, title}]} shape.
		expect(sunshineErrorCode(error)).toBe('uncategorized_error');
		expect(error.message).toBe(
			'Sunshine Conversations POST /conversations/{conversationId}/messages failed with 500 (uncategorized_error: injected fault: HTTP 500). Zendesk had a problem; retrying later may help.',
		);
		sim.faults.failNextHttp({ api: 'sunshine', status: 503 });
		await client.postBusinessMessage(conv.id, { text: 'twice' });
		expect(
			sim.sunshine.control
				.messages({ conversationId: conv.id })
				.map((m) => (m as { content: { text: string } }).content.text),
		).toEqual(['twice']);
		// A GET is retried after a 500.
		sim.faults.failNextHttp({ api: 'sunshine', status: 500 });
		await expect(client.getConversation(conv.id)).resolves.toMatchObject({ id: conv.id });
	});

	it('uses the error body the server sent', async () => {
		sim.faults.failNextHttp({
			api: 'sunshine',
			status: 400,
			body: {
				errors: [
					{ code: 'bad_request', title: 'one' },
					{ code: 'bad_request', title: 'two' },
				],
			},
		});
		const error = await caught(client.listSwitchboards());
		expect(error.message).toBe(
			'Sunshine Conversations GET /switchboards failed with 400 (bad_request: one; bad_request: two). Check the request fields named above.',
		);
	});
});

describe('hostile strings', () => {
	const hostile = `quote" apos' back\\slash /slash ?q=1&x=2 #frag %41 %2F <script>alert(1)</script> \u0000 \u2028 \r\n tab\t é 日本 🧨 \u202eRTL`;

	it('travel byte for byte in ids, paths, bodies and metadata', async () => {
		const externalId = `ext/${hostile}`;
		const user = await client.createUser({
			externalId,
			profile: { givenName: hostile },
			metadata: { [hostile]: hostile },
		});
		expect(user.externalId).toBe(externalId);
		const fetched = await client.getUser(externalId);
		expect(fetched.id).toBe(user.id);
		expect(fetched.externalId).toBe(externalId);
		expect(fetched.profile?.givenName).toBe(hostile);
		expect(fetched.metadata).toEqual({ [hostile]: hostile });

		const conv = await client.createConversation({
			userExternalId: externalId,
			displayName: hostile.slice(0, 100),
		});
		const message = await client.postUserMessage(conv.id, {
			userExternalId: externalId,
			text: hostile,
			metadata: { note: hostile },
		});
		const listed = (await client.listMessages(conv.id)).items[0];
		expect(listed.id).toBe(message.id);
		expect(listed.content.text).toBe(hostile);
		expect(Buffer.from(listed.content.text as string).equals(Buffer.from(hostile))).toBe(true);
		expect(listed.metadata).toEqual({ note: hostile });

		const conversations = await client.listConversations({ userExternalId: externalId });
		expect(conversations.items.map((c) => c.id)).toEqual([conv.id]);
	});

	it('"." and ".." cannot be used as ids', async () => {
		expect(((await caught(client.getUser('..'))) as InvalidInputError).field).toBe(
			'userIdOrExternalId',
		);
		expect(((await caught(client.getConversation('.'))) as InvalidInputError).field).toBe(
			'conversationId',
		);
	});
});

/**
 * The simulator's injected delay is a plain timer that closing it does not cancel; tests that use
 * one wait it out, so no timer outlives the suite.
 */
const waitOutDelay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('abort, timeouts and closing', () => {
	it('an abort stops a request in flight', async () => {
		sim.faults.setDelay({ api: 'sunshine', ms: 400 });
		const controller = new AbortController();
		const pending = caught(client.listSwitchboards({ signal: controller.signal }));
		setTimeout(() => controller.abort(), 50);
		const error = await pending;
		expect(error).toBeInstanceOf(AbortedError);
		expect((error as AbortedError).api).toBe('messaging');
		await waitOutDelay(400);
	});

	it('an aborted signal sends nothing', async () => {
		const served = sim.faults.served.sunshine;
		sim.faults.failNextHttp({ api: 'sunshine', status: 500 });
		const error = await caught(client.listSwitchboards({ signal: AbortSignal.abort() }));
		expect(error).toBeInstanceOf(AbortedError);
		expect(sim.faults.served.sunshine).toBe(served);
	});

	it('an abort during a retry wait stops the wait', async () => {
		// Within the call's 60 s time limit: a longer wait would not be started at all.
		const waiting = newClient({ backoff: () => 30_000 });
		sim.faults.failNextHttp({ api: 'sunshine', status: 503 });
		const controller = new AbortController();
		const pending = caught(waiting.listSwitchboards({ signal: controller.signal }));
		setTimeout(() => controller.abort(), 100);
		expect(await pending).toBeInstanceOf(AbortedError);
	});

	it('a slow answer is a TimeoutError', async () => {
		// undici's header timer ticks about every half second, so the delay is well past that.
		const impatient = newClient({ timeoutMs: 100, maxRetries: 0 });
		sim.faults.setDelay({ api: 'sunshine', ms: 1500 });
		const error = await caught(impatient.listSwitchboards());
		expect(error).toBeInstanceOf(TimeoutError);
		expect(error.message).toBe(
			'Sunshine Conversations GET /switchboards did not answer within 100 ms',
		);
		await waitOutDelay(1500);
	});

	it('clients on one base URL share a pool; closing one leaves the other working', async () => {
		const a = newClient();
		const b = newClient();
		await Promise.all([a.listSwitchboards(), b.listSwitchboards()]);
		await a.close();
		await a.close();
		expect(await caught(a.listSwitchboards())).toBeInstanceOf(ClosedError);
		await expect(b.listSwitchboards()).resolves.toHaveLength(1);
	});

	it('closing every client leaves no socket open on the server', async () => {
		await Promise.all(extra.map((c) => c.close()));
		expect(await caught(client.getUser('x'))).toBeInstanceOf(ClosedError);
		// The server notices the client's FIN a moment later; wait for it, bounded.
		let open = -1;
		for (let i = 0; i < 100 && open !== 0; i++) {
			await new Promise((resolve) => setTimeout(resolve, 20));
			open = sim.dropAllSockets();
		}
		expect(open).toBe(0);
	});
});

describe('constructor checks', () => {
	it('names the bad option', () => {
		const base = {
			baseUrl: 'https://acme.zendesk.com/sc',
			appId: 'a',
			auth: { type: 'basic' as const, keyId: 'k', keySecret: 's' },
		};
		const field = (options: unknown) => {
			try {
				new MessagingClient(options as MessagingClientOptions);
			} catch (error) {
				return (error as InvalidInputError).field;
			}
			return 'no error';
		};
		expect(field({ ...base, baseUrl: 'not a url' })).toBe('baseUrl');
		expect(field({ ...base, baseUrl: 'ftp://x/sc' })).toBe('baseUrl');
		expect(field({ ...base, appId: '' })).toBe('appId');
		expect(field({ ...base, maxRetries: -1 })).toBe('maxRetries');
		expect(field({ ...base, auth: { type: 'basic', keyId: 'k' } })).toBe('auth.keySecret');
	});
});
