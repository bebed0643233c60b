import { createHmac } from 'node:crypto';

import {
	createAuthorizer,
	createEchoFilter,
	conversationMessagePayload,
	EventDeduplicator,
	parseWebhookEnvelope,
	passControlPayload,
	releaseControlPayload,
	signAppJwt,
	sunshineErrorCode,
	ticketMetadata,
	verifyApiKey,
	verifyWebhookRequest,
} from '../../src/messaging';
import { parseRetryAfter } from '../../src/shared/retry-after';
import { toHttpError } from '../../src/messaging/api-error';
import { retryDelayMs, type RetryPolicy } from '../../src/messaging/retry-policy';
import { requireId, requireText, validateMetadata } from '../../src/messaging/validate';
import {
	ConnectionError,
	HttpError,
	InvalidInputError,
	ProtocolError,
	TimeoutError,
} from '../../src/shared';

function decodeJwt(token: string) {
	const [h, p, s] = token.split('.');
	return {
		header: JSON.parse(Buffer.from(h, 'base64url').toString()),
		payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
		signingInput: `${h}.${p}`,
		signature: s,
	};
}

function expectInvalid(fn: () => unknown, field: string): InvalidInputError {
	let caught: unknown;
	try {
		fn();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(InvalidInputError);
	expect((caught as InvalidInputError).field).toBe(field);
	return caught as InvalidInputError;
}

describe('input validation', () => {
	it('counts message text in characters (code points), up to 4096', () => {
		const emoji = '😀'; // 2 UTF-16 units, 1 character
		expect(requireText('text', emoji.repeat(4096))).toHaveLength(8192);
		expect(requireText('text', 'a'.repeat(4096))).toHaveLength(4096);
		const error = expectInvalid(() => requireText('text', 'a'.repeat(4097)), 'text');
		expect(error.message).toBe(
			'text is 4097 characters long; Sunshine Conversations accepts at most 4096',
		);
		expectInvalid(() => requireText('text', emoji.repeat(4097)), 'text');
		expectInvalid(() => requireText('text', ''), 'text');
		expectInvalid(() => requireText('text', 42), 'text');
	});

	it('accepts flat metadata up to 4 KB and names the offending key otherwise', () => {
		expect(validateMetadata('metadata', { a: 'x', b: 1, c: true })).toEqual({
			a: 'x',
			b: 1,
			c: true,
		});
		expect(validateMetadata('metadata', undefined)).toBeUndefined();
		expectInvalid(() => validateMetadata('metadata', { order: { id: 1 } }), 'metadata.order');
		expectInvalid(() => validateMetadata('metadata', { list: [1] }), 'metadata.list');
		expectInvalid(() => validateMetadata('metadata', { n: null }), 'metadata.n');
		expectInvalid(() => validateMetadata('metadata', { n: Number.NaN }), 'metadata.n');
		expectInvalid(() => validateMetadata('metadata', [1]), 'metadata');
		expectInvalid(() => validateMetadata('metadata', new Date()), 'metadata');
		// {"k":"…"} is 8 bytes of JSON around the value.
		expect(validateMetadata('metadata', { k: 'v'.repeat(4096 - 8) })).toBeDefined();
		const error = expectInvalid(
			() => validateMetadata('metadata', { k: 'v'.repeat(4096 - 7) }),
			'metadata',
		);
		expect(error.message).toBe('metadata is 4097 bytes as JSON; the limit is 4096');
		// Multi-byte characters count as their UTF-8 bytes.
		expectInvalid(() => validateMetadata('metadata', { k: 'é'.repeat(2045) }), 'metadata');
	});

	it('refuses ids that URL parsers would collapse', () => {
		expect(requireId('id', '../x')).toBe('../x');
		expectInvalid(() => requireId('id', '..'), 'id');
		expectInvalid(() => requireId('id', '.'), 'id');
		expectInvalid(() => requireId('id', ''), 'id');
	});
});

describe('JWT', () => {
	it('signs HS256 with kid = key id and scope app, verifiable with the secret', () => {
		const token = signAppJwt({
			keyId: 'app_123',
			keySecret: 's3cret',
			issuedAt: 1000,
			expiresAt: 1600,
		});
		const { header, payload, signingInput, signature } = decodeJwt(token);
		expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'app_123' });
		expect(payload).toEqual({ scope: 'app', iat: 1000, exp: 1600 });
		expect(signature).toBe(createHmac('sha256', 's3cret').update(signingInput).digest('base64url'));
	});

	it('is cached until a minute before expiry, then minted again', () => {
		let now = 1_700_000_000_000;
		const auth = createAuthorizer(
			{ type: 'jwt', keyId: 'k', keySecret: 's', ttlSeconds: 600 },
			() => now,
		);
		const first = auth.header();
		expect(first.startsWith('Bearer ')).toBe(true);
		expect(decodeJwt(first.slice(7)).payload).toEqual({
			scope: 'app',
			iat: 1_700_000_000,
			exp: 1_700_000_600,
		});
		now += 539_000;
		expect(auth.header()).toBe(first);
		now += 1_000; // 60 s before exp
		const second = auth.header();
		expect(second).not.toBe(first);
		expect(decodeJwt(second.slice(7)).payload.exp).toBe(1_700_000_540 + 600);
	});

	it('basic auth is key id and secret, base64', () => {
		const auth = createAuthorizer({ type: 'basic', keyId: 'app_1', keySecret: 'pä:ss' });
		expect(auth.header()).toBe(`Basic ${Buffer.from('app_1:pä:ss').toString('base64')}`);
		expect(JSON.stringify(auth)).not.toContain('pä:ss');
	});

	it('rejects incomplete keys and out-of-range lifetimes', () => {
		expectInvalid(
			() => createAuthorizer({ type: 'basic', keyId: '', keySecret: 's' }),
			'auth.keyId',
		);
		expectInvalid(
			() => createAuthorizer({ type: 'jwt', keyId: 'k', keySecret: '' }),
			'auth.keySecret',
		);
		expectInvalid(
			() => createAuthorizer({ type: 'jwt', keyId: 'k', keySecret: 's', ttlSeconds: 7200 }),
			'auth.ttlSeconds',
		);
		expectInvalid(
			() => createAuthorizer({ type: 'oauth', keyId: 'k', keySecret: 's' } as never),
			'auth.type',
		);
	});
});

describe('errors and retries', () => {
	it('puts the documented code and title into the message', () => {
		const error = toHttpError(
			409,
			'{"errors":[{"code":"conflict","title":"User already exists"}]}',
			{},
			'POST /users',
			undefined,
		);
		expect(error).toBeInstanceOf(HttpError);
		expect(error.api).toBe('messaging');
		expect(error.statusCode).toBe(409);
		expect(error.retryable).toBe(false);
		expect(error.message).toBe(
			'Sunshine Conversations POST /users failed with 409 (conflict: User already exists). The resource already exists.',
		);
		expect(sunshineErrorCode(error)).toBe('conflict');
	});

	it('keeps a non-JSON body as text', () => {
		const error = toHttpError(502, '<html>bad gateway</html>', {}, 'GET /switchboards', undefined);
		expect(error.body).toBe('<html>bad gateway</html>');
		expect(error.retryable).toBe(true);
		expect(error.message).toBe(
			'Sunshine Conversations GET /switchboards failed with 502 (no error details). Zendesk had a problem; retrying later may help.',
		);
		expect(sunshineErrorCode(error)).toBeUndefined();
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(['7'])).toBe(7000);
		expect(
			parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
		).toBe(10_000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	it('retries 429/503 always, other 5xx and dropped connections only when safe to repeat', () => {
		const policy: RetryPolicy = {
			maxRetries: 2,
			backoff: (n) => 100 * (n + 1),
			maxRetryDelayMs: 5000,
		};
		const http = (status: number, retryAfterMs?: number) =>
			new HttpError('messaging', status, 'x', {}, {}, retryAfterMs);
		expect(retryDelayMs(http(429), 0, false, policy)).toBe(100);
		expect(retryDelayMs(http(429, 2000), 1, false, policy)).toBe(2000);
		expect(retryDelayMs(http(429, 9000), 0, true, policy)).toBeUndefined();
		expect(retryDelayMs(http(429), 2, true, policy)).toBeUndefined();
		expect(retryDelayMs(http(503), 0, false, policy)).toBe(100);
		expect(retryDelayMs(http(500), 0, false, policy)).toBeUndefined();
		expect(retryDelayMs(http(500), 1, true, policy)).toBe(200);
		expect(retryDelayMs(http(404), 0, true, policy)).toBeUndefined();
		expect(retryDelayMs(new ConnectionError('messaging', 'reset'), 0, true, policy)).toBe(100);
		expect(
			retryDelayMs(new ConnectionError('messaging', 'reset'), 0, false, policy),
		).toBeUndefined();
		expect(retryDelayMs(new TimeoutError('messaging', 'slow'), 0, true, policy)).toBe(100);
		expect(retryDelayMs(new ProtocolError('messaging', 'bad'), 0, true, policy)).toBeUndefined();
	});
});

describe('ticketMetadata', () => {
	it('maps ticket fields to dataCapture keys, tags comma-separated', () => {
		expect(
			ticketMetadata({
				tags: ['vip', 'from_bot'],
				groupId: 360001,
				assigneeId: '12',
				organizationId: 9,
				brandId: '900000000000000000',
				priority: 'urgent',
				requesterName: 'Zoë "Z" O\'Neil',
				requesterEmail: 'zoe@example.com',
				customFields: { '360012345678': 'premium', '42': true },
			}),
		).toEqual({
			'dataCapture.systemField.tags': 'vip,from_bot',
			'dataCapture.systemField.group_id': '360001',
			'dataCapture.systemField.assignee_id': '12',
			'dataCapture.systemField.organization_id': '9',
			'dataCapture.systemField.brand_id': '900000000000000000',
			'dataCapture.systemField.priority': 'urgent',
			'dataCapture.systemField.requester.name': 'Zoë "Z" O\'Neil',
			'dataCapture.systemField.requester.email': 'zoe@example.com',
			'dataCapture.ticketField.42': true,
			'dataCapture.ticketField.360012345678': 'premium',
		});
		expect(ticketMetadata(undefined)).toEqual({});
	});

	it('rejects tags that would break the comma-separated list, and bad ids', () => {
		expectInvalid(() => ticketMetadata({ tags: ['a,b'] }), 'ticket.tags[0]');
		expectInvalid(() => ticketMetadata({ tags: ['ok', 'two words'] }), 'ticket.tags[1]');
		expectInvalid(() => ticketMetadata({ groupId: -1 }), 'ticket.groupId');
		expectInvalid(() => ticketMetadata({ groupId: '12a' }), 'ticket.groupId');
		expectInvalid(() => ticketMetadata({ priority: 'asap' as never }), 'ticket.priority');
		expectInvalid(
			() => ticketMetadata({ customFields: { name: 'x' } }),
			'ticket.customFields.name',
		);
		expectInvalid(() => ticketMetadata({ requesterEmail: 'nope' }), 'ticket.requesterEmail');
	});
});

// openapi.yaml components.examples.conversationMessageEvent and switchboardReleaseControlEvent.
const specMessageEvent = {
	app: { id: '5ebee0975ac5304b664a12fa' },
	webhook: { id: '5f4eaef81e3dcc117c7ba48a', version: 'v2' },
	events: [
		{
			id: '5f74a0d52b5315fc007e798a',
			createdAt: '2020-09-30T15:14:29.834Z',
			type: 'conversation:message',
			payload: {
				conversation: {
					id: 'f52b01137aa6c250bc7251fa',
					type: 'personal',
					activeSwitchboardIntegration: {
						id: '5eecde2dcdbffb08f5c3ed37',
						name: 'bot',
						integrationId: '5f11a650e4e987667c2051d1',
						integrationType: 'custom',
					},
				},
				message: {
					id: '5f74c7d84a146f3abd72af1d',
					received: '2020-09-30T18:00:56.820Z',
					author: {
						userId: '26508c10541a4b0ff472e5e2',
						avatarUrl: 'https://s3.amazonaws.com/avatar.jpg',
						displayName: 'Steve Rogers',
						type: 'user',
						user: { id: '26508c10541a4b0ff472e5e2', externalId: '912382197', authenticated: true },
					},
					content: { type: 'text', text: 'hello' },
					source: {
						integrationId: '5ec69c6e12dda33be985cb1a',
						originalMessageId: '374',
						originalMessageTimestamp: '2020-09-30T18:00:56.000Z',
						type: 'telegram',
					},
				},
			},
		},
	],
};

const specReleaseEvent = {
	app: { id: '5ebee0975ac5304b664a12fa' },
	webhook: { id: '5f4eaef81e3dcc117c7ba48a', version: 'v2' },
	events: [
		{
			id: '5f74a0d52b5315fc007e798a',
			createdAt: '2020-09-30T15:14:29.834Z',
			type: 'switchboard:releaseControl',
			payload: { conversation: { id: 'f52b01137aa6c250bc7251fa', type: 'personal' } },
		},
	],
};

describe('webhook envelope', () => {
	it('parses the spec example of conversation:message from text, bytes or an object', () => {
		for (const body of [
			JSON.stringify(specMessageEvent),
			Buffer.from(JSON.stringify(specMessageEvent)),
			specMessageEvent,
		]) {
			const envelope = parseWebhookEnvelope(body);
			expect(envelope.app.id).toBe('5ebee0975ac5304b664a12fa');
			expect(envelope.webhook).toEqual({ id: '5f4eaef81e3dcc117c7ba48a', version: 'v2' });
			const payload = conversationMessagePayload(envelope.events[0]);
			expect(payload?.message.content).toEqual({ type: 'text', text: 'hello' });
			expect(payload?.message.author.user).toEqual({
				id: '26508c10541a4b0ff472e5e2',
				externalId: '912382197',
				authenticated: true,
			});
			expect(payload?.conversation.activeSwitchboardIntegration?.name).toBe('bot');
			expect(releaseControlPayload(envelope.events[0])).toBeUndefined();
		}
	});

	it('parses switchboard:releaseControl without an active integration, with or without a reason', () => {
		const envelope = parseWebhookEnvelope(specReleaseEvent);
		expect(releaseControlPayload(envelope.events[0])).toEqual({
			conversation: { id: 'f52b01137aa6c250bc7251fa', type: 'personal' },
		});
		const withReason = structuredClone(specReleaseEvent);
		(withReason.events[0].payload as Record<string, unknown>).reason = 'ticketClosed';
		expect(releaseControlPayload(parseWebhookEnvelope(withReason).events[0])?.reason).toBe(
			'ticketClosed',
		);
		expect(conversationMessagePayload(envelope.events[0])).toBeUndefined();
		expect(passControlPayload(envelope.events[0])).toBeUndefined();
	});

	it('keeps events of unknown types, and every event of a batch', () => {
		const body = structuredClone(specMessageEvent) as { events: unknown[] };
		body.events.push({
			id: 'e2',
			createdAt: '2030-01-01T00:00:00.000Z',
			type: 'conversation:brandNew',
			payload: { anything: [1, 2] },
		});
		const envelope = parseWebhookEnvelope(body);
		expect(envelope.events.map((e) => e.type)).toEqual([
			'conversation:message',
			'conversation:brandNew',
		]);
		expect(envelope.events[1].payload).toEqual({ anything: [1, 2] });
	});

	it('rejects what is not an envelope, and a known event with a broken payload', () => {
		expect(() => parseWebhookEnvelope('{not json')).toThrow(ProtocolError);
		expect(() => parseWebhookEnvelope({ app: { id: 'a' }, events: [] })).toThrow(
			'the webhook body is not a Sunshine Conversations envelope: webhook: Required',
		);
		expect(() => parseWebhookEnvelope({ ...specMessageEvent, events: [{ type: 'x' }] })).toThrow(
			ProtocolError,
		);
		const broken = parseWebhookEnvelope({
			...specMessageEvent,
			events: [
				{
					id: 'e',
					createdAt: 'now',
					type: 'conversation:message',
					payload: { conversation: { id: 'c', type: 'personal' } },
				},
			],
		});
		expect(() => conversationMessagePayload(broken.events[0])).toThrow(
			'webhook event e (conversation:message) has an unexpected payload: message: Required',
		);
	});
});

describe('verifyApiKey', () => {
	it('accepts exactly the secret', () => {
		expect(
			verifyApiKey('8564b3e6a8b20a4bdb68b05ce9bc5936', '8564b3e6a8b20a4bdb68b05ce9bc5936'),
		).toBe(true);
		expect(verifyApiKey(['s3cr€t'], 's3cr€t')).toBe(true);
	});

	it('is false, never throwing, for anything else', () => {
		const secret = 'the-secret';
		for (const received of [
			undefined,
			null,
			'',
			'the-secre',
			'the-secret ',
			'THE-SECRET',
			['the-secret', 'the-secret'],
			[],
			42,
			{},
			Symbol('x'),
		]) {
			expect(verifyApiKey(received, secret)).toBe(false);
		}
		expect(verifyApiKey('', '')).toBe(false);
		expect(verifyApiKey('x', undefined)).toBe(false);
	});

	it('finds the header in any letter case, once', () => {
		expect(verifyWebhookRequest({ 'x-api-key': 'k' }, 'k')).toBe(true);
		expect(verifyWebhookRequest({ 'X-API-Key': 'k' }, 'k')).toBe(true);
		expect(verifyWebhookRequest({ 'x-api-key': 'k', 'X-Api-Key': 'k' }, 'k')).toBe(false);
		expect(verifyWebhookRequest({}, 'k')).toBe(false);
		expect(verifyWebhookRequest(undefined, 'k')).toBe(false);
	});
});

describe('EventDeduplicator', () => {
	it('passes an id once within 15 minutes, again after', () => {
		let now = 0;
		const dedupe = new EventDeduplicator({ now: () => now });
		expect(dedupe.firstSeen('e1')).toBe(true);
		now = 14 * 60_000;
		expect(dedupe.firstSeen('e1')).toBe(false);
		expect(dedupe.firstSeen('e2')).toBe(true);
		now = 15 * 60_000;
		expect(dedupe.firstSeen('e1')).toBe(true);
		expect(dedupe.size).toBe(2);
	});

	it('stays within maxEntries, dropping the oldest', () => {
		const dedupe = new EventDeduplicator({ maxEntries: 3, now: () => 0 });
		for (const id of ['a', 'b', 'c', 'd']) expect(dedupe.firstSeen(id)).toBe(true);
		expect(dedupe.size).toBe(3);
		expect(dedupe.firstSeen('a')).toBe(true);
		expect(dedupe.firstSeen('d')).toBe(false);
	});

	it('forget lets a failed event be processed again', () => {
		const dedupe = new EventDeduplicator();
		dedupe.firstSeen('x');
		dedupe.forget('x');
		expect(dedupe.firstSeen('x')).toBe(true);
	});
});

describe('echo filter', () => {
	const isEcho = createEchoFilter({ integrationIds: ['ours'], originTag: 'wf-1' });

	it('drops messages from our integration or carrying our tag', () => {
		expect(isEcho({ author: { type: 'user' }, source: { integrationId: 'ours' } })).toBe(true);
		expect(
			isEcho({
				author: { type: 'business' },
				source: { type: 'api:conversations' },
				metadata: { 'n8n.origin': 'wf-1' },
			}),
		).toBe(true);
	});

	it('keeps user messages, agent replies and other bots', () => {
		expect(isEcho({ author: { type: 'user' }, source: { integrationId: 'web' } })).toBe(false);
		expect(
			isEcho({
				author: { type: 'business' },
				source: { integrationId: 'agent-ws' },
				metadata: { '__zendesk_msg.agent.id': '1' },
			}),
		).toBe(false);
		expect(isEcho({ author: { type: 'business' }, metadata: { 'n8n.origin': 'wf-2' } })).toBe(
			false,
		);
		// A user cannot spoof the tag into being filtered: only business messages carry it.
		expect(isEcho({ author: { type: 'user' }, metadata: { 'n8n.origin': 'wf-1' } })).toBe(false);
		expect(createEchoFilter({})({ author: { type: 'business' }, source: {} })).toBe(false);
	});
});

describe('parseWebhookEnvelope without createdAt', () => {
	it('accepts an event without createdAt (the spec example conversationReferralEvent has none)', () => {
		const envelope = parseWebhookEnvelope(
			JSON.stringify({
				app: { id: 'a' },
				webhook: { id: 'w', version: 'v2' },
				events: [{ id: 'e1', type: 'conversation:referral', payload: {} }],
			}),
		);
		expect(envelope.events).toEqual([{ id: 'e1', type: 'conversation:referral', payload: {} }]);
	});
});
