import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SIM_SUNSHINE, type Simulator } from '../../simulator';

/** Test helpers for the Sunshine Conversations simulator: auth headers, an API caller, a webhook receiver. */

export function basicAuth(
	keyId: string = SIM_SUNSHINE.keyId,
	secret: string = SIM_SUNSHINE.keySecret,
): string {
	return `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;
}

/** An HS256 JWT signed with node:crypto, as the spec's "JWTs" section describes. */
export function signJwt(
	header: Record<string, unknown>,
	payload: Record<string, unknown>,
	secret: string,
): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const unsigned = `${encode(header)}.${encode(payload)}`;
	return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export function appJwt(
	payload: Record<string, unknown> = { scope: 'app' },
	keyId: string = SIM_SUNSHINE.keyId,
	secret: string = SIM_SUNSHINE.keySecret,
): string {
	return `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT', kid: keyId }, payload, secret)}`;
}

export interface ApiAnswer {
	status: number;
	body: any;
	headers: Headers;
}

/** Calls /sc/v2/apps/{appId}/… of a running simulator. */
export class SunshineApi {
	constructor(
		private readonly sim: Simulator,
		/** null sends no Authorization header. */
		private readonly authorization: string | null = basicAuth(),
		private readonly appId: string = SIM_SUNSHINE.appId,
	) {}

	get base(): string {
		return `${this.sim.urls.sunshine}/v2/apps/${this.appId}`;
	}

	withAuth(authorization: string | null): SunshineApi {
		return new SunshineApi(this.sim, authorization, this.appId);
	}

	forApp(appId: string): SunshineApi {
		return new SunshineApi(this.sim, this.authorization, appId);
	}

	async request(
		method: string,
		path: string,
		body?: unknown,
		extraHeaders: Record<string, string> = {},
	): Promise<ApiAnswer> {
		const headers: Record<string, string> = { ...extraHeaders };
		if (this.authorization) headers.authorization = this.authorization;
		let payload: string | undefined;
		if (body !== undefined) {
			payload = typeof body === 'string' ? body : JSON.stringify(body);
			headers['content-type'] ??= 'application/json';
		}
		const res = await fetch(`${this.base}${path}`, { method, headers, body: payload });
		const text = await res.text();
		return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
	}

	get = (path: string) => this.request('GET', path);
	post = (path: string, body?: unknown) => this.request('POST', path, body);
	patch = (path: string, body?: unknown) => this.request('PATCH', path, body);
	delete = (path: string) => this.request('DELETE', path);
}

export interface ReceivedWebhook {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: any;
}

/**
 * A real HTTP server that webhooks are delivered to. It answers each request with the next queued
 * status (200 when the queue is empty), or never answers while `hang` is set.
 */
export class WebhookReceiver {
	readonly requests: ReceivedWebhook[] = [];
	hang = false;
	private readonly statuses: number[] = [];
	private server: Server | undefined;
	private waiters: Array<() => void> = [];

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				this.requests.push({
					method: req.method ?? '',
					url: req.url ?? '',
					headers: req.headers,
					body: text ? JSON.parse(text) : undefined,
				});
				for (const wake of this.waiters.splice(0)) wake();
				if (this.hang) return;
				res.writeHead(this.statuses.shift() ?? 200, { 'content-type': 'text/plain' });
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
		return this;
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/webhook`;
	}

	/** The next answers, in order (each used once). */
	answerWith(...statuses: number[]): void {
		this.statuses.push(...statuses);
	}

	/** Resolves once `count` requests have arrived (fails the test after a few seconds). */
	async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedWebhook[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.requests.length < count) {
			if (Date.now() > deadline)
				throw new Error(`expected ${count} webhook requests, got ${this.requests.length}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, 50);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		return this.requests;
	}

	/** The events received so far, flattened, optionally of one type. */
	events(type?: string): any[] {
		return this.requests.flatMap((r) => r.body.events).filter((e: any) => !type || e.type === type);
	}

	clear(): void {
		this.requests.length = 0;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()));
	}
}

/** A 24-hex id that names nothing. */
export const UNKNOWN_ID = '0123456789abcdef01234567';
