import {
	AbortedError,
	chatEndpoints,
	credentialKey,
	exponentialBackoff,
	GraphqlError,
	HttpError,
	InvalidInputError,
	messagingBaseUrl,
	RateLimiter,
	sleep,
	ZendeskError,
} from '../../src/shared';

describe('RateLimiter', () => {
	it('lets `limit` through at once, then waits for the window to slide', async () => {
		const limiter = new RateLimiter([{ limit: 3, windowMs: 200 }]);
		const started = Date.now();
		const times: number[] = [];
		await Promise.all(
			Array.from({ length: 5 }, () =>
				limiter.acquire().then(() => times.push(Date.now() - started)),
			),
		);
		expect(times.slice(0, 3).every((t) => t < 100)).toBe(true);
		expect(times.slice(3).every((t) => t >= 190)).toBe(true);
	});

	it('applies every limit at once (1 per 50 ms and 2 per 10 s)', async () => {
		let now = 0;
		const limiter = new RateLimiter(
			[
				{ limit: 1, windowMs: 50 },
				{ limit: 2, windowMs: 10_000 },
			],
			undefined,
			() => now,
		);
		await limiter.acquire();
		expect(limiter.delayMs()).toBe(50);
		now = 50;
		await limiter.acquire();
		now = 120;
		expect(limiter.delayMs()).toBe(10_000 - 120);
	});

	it('stops waiting when aborted, and the next caller is still served', async () => {
		const limiter = new RateLimiter([{ limit: 1, windowMs: 150 }]);
		await limiter.acquire();
		const controller = new AbortController();
		const aborted = limiter.acquire(controller.signal);
		controller.abort();
		await expect(aborted).rejects.toBeInstanceOf(AbortedError);
		await expect(limiter.acquire()).resolves.toBeUndefined();
	});

	it('penalize blocks every window for the Retry-After time', () => {
		let now = 1000;
		const limiter = new RateLimiter([{ limit: 10, windowMs: 1000 }], undefined, () => now);
		limiter.penalize(3000);
		expect(limiter.delayMs()).toBe(3000);
		now = 4000;
		expect(limiter.delayMs()).toBe(0);
	});
});

describe('exponentialBackoff', () => {
	it('doubles up to the cap, with jitter in the upper half', () => {
		const low = exponentialBackoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
		const high = exponentialBackoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
		expect([0, 1, 2, 3, 4, 10].map(low)).toEqual([50, 100, 200, 400, 500, 500]);
		expect([0, 1, 2, 3, 4].map(high)).toEqual([100, 200, 400, 800, 1000]);
	});
});

describe('errors', () => {
	it('carry a code, a retryable flag and survive instanceof across copies', () => {
		const http = new HttpError('rest', 429, 'Too Many Requests', {}, {}, 2000);
		expect(http).toBeInstanceOf(ZendeskError);
		expect(http).toBeInstanceOf(HttpError);
		expect(http).not.toBeInstanceOf(GraphqlError);
		expect(http.retryable).toBe(true);
		expect(new HttpError('rest', 404, 'Not Found', {}).retryable).toBe(false);
		expect(new GraphqlError('RATE_LIMITED', 'slow down', 'u-1').retryable).toBe(true);
		expect(new GraphqlError('MAX_SUB', 'too many', 'u-2').retryable).toBe(false);
		const input = new InvalidInputError('tags', 'a tag may only hold letters, digits, - and _');
		expect(input.code).toBe('ZCHAT_ERR_INVALID_INPUT');
		// A plain object carrying the brand (as a second copy of this module would create) passes too.
		const foreign = Object.assign(Object.create(Error.prototype), { code: 'ZCHAT_ERR_HTTP' });
		Object.defineProperty(foreign, Symbol.for('n8n-nodes-zendesk-chat.ZendeskError'), {
			value: true,
		});
		expect(foreign).toBeInstanceOf(HttpError);
	});
});

describe('credentialKey and sleep', () => {
	it('hashes credentials; never returns the token', () => {
		const key = credentialKey('https://sim', 'secret-token');
		expect(key).toMatch(/^[0-9a-f]{32}$/);
		expect(key).not.toContain('secret');
		expect(credentialKey('a', 'bc')).not.toBe(credentialKey('ab', 'c'));
	});

	it('sleep rejects at once on an aborted signal', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(sleep(10_000, controller.signal)).rejects.toBeInstanceOf(AbortedError);
	});
});

describe('endpoints', () => {
	it('derives every Chat API from the subdomain, the legacy host or a custom origin', () => {
		expect(chatEndpoints({ subdomain: 'Acme' })).toEqual({
			conversationsHttpUrl: 'https://chat-api.zopim.com/graphql/request',
			streamingUrl: 'wss://rtm.zopim.com/stream',
			restBaseUrl: 'https://acme.zendesk.com/api/v2/chat',
		});
		expect(chatEndpoints({ subdomain: 'acme.zendesk.com' }).restBaseUrl).toBe(
			'https://acme.zendesk.com/api/v2/chat',
		);
		expect(chatEndpoints({ host: 'zopim' }).restBaseUrl).toBe('https://www.zopim.com/api/v2');
		expect(chatEndpoints({ host: 'custom', customBaseUrl: 'http://127.0.0.1:4010/' })).toEqual({
			conversationsHttpUrl: 'http://127.0.0.1:4010/graphql/request',
			streamingUrl: 'ws://127.0.0.1:4010/stream',
			restBaseUrl: 'http://127.0.0.1:4010/api/v2/chat',
		});
	});

	it('derives the Sunshine Conversations base for each host', () => {
		expect(messagingBaseUrl({ subdomain: 'acme' })).toBe('https://acme.zendesk.com/sc');
		expect(messagingBaseUrl({ host: 'smoochEu' })).toBe('https://api.eu-1.smooch.io');
		expect(
			messagingBaseUrl({ host: 'custom', customBaseUrl: 'https://proxy.example.com/zd' }),
		).toBe('https://proxy.example.com/zd/sc');
	});

	it('names the field to fix for a bad subdomain or base URL', () => {
		expect(() => chatEndpoints({ subdomain: 'acme corp' })).toThrow(
			expect.objectContaining({ field: 'subdomain' }),
		);
		expect(() => chatEndpoints({ subdomain: '' })).toThrow(
			expect.objectContaining({ field: 'subdomain' }),
		);
		expect(() => chatEndpoints({ host: 'custom', customBaseUrl: 'ftp://x' })).toThrow(
			expect.objectContaining({ field: 'customBaseUrl' }),
		);
		expect(() => messagingBaseUrl({ host: 'custom', customBaseUrl: 'not a url' })).toThrow(
			expect.objectContaining({ field: 'customBaseUrl' }),
		);
	});
});

describe('RateLimiter fast path', () => {
	it('counts at once when there is room and nobody waits, and keeps FIFO order once callers queue', async () => {
		let now = 0;
		const limiter = new RateLimiter([{ limit: 2, windowMs: 100 }], undefined, () => now);
		const first = limiter.acquire();
		await first;
		await limiter.acquire();
		expect(limiter.delayMs()).toBe(100);
		const order: string[] = [];
		const queued = limiter.acquire().then(() => order.push('queued'));
		now = 100;
		// The window has room again, but a caller arriving while another waits goes behind it.
		const late = limiter.acquire().then(() => order.push('late'));
		await Promise.all([queued, late]);
		expect(order).toEqual(['queued', 'late']);
		expect(limiter.delayMs()).toBe(100);
	});
});
