/**
 * HTTP_PROXY, HTTPS_PROXY and NO_PROXY, as n8n honours them: every connection the package opens (a
 * Chat REST call, a Messaging call, startAgentSession and the session's WebSocket, the Streaming
 * API socket) goes through a real proxy on loopback when the variables name one, and none does
 * when NO_PROXY exempts the host. The simulator is the target behind the proxy.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { Agent } from 'undici';
import WebSocket, { WebSocketServer } from 'ws';

import { SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import { AgentSession, departments } from '../../src/conversations';
import { staticToken } from '../../src/shared';
import { createHttpDispatcher } from '../../src/shared/http';
import { bypassesProxy, describeProxy, proxyFor, socketAgentFor } from '../../src/shared/proxy';
import { acquireStreamingClient } from '../../src/streaming';
import { testSessionOptions } from '../conversations/helpers';
import { setProxyEnvironment, TestProxy } from '../helpers/proxy-server';
import { simClient as messagingClient } from '../messaging/sim-client';
import { simClient as restClient } from '../rest/helpers';

let sim: Simulator;
let proxy: TestProxy;
let restore: (() => void) | undefined;

beforeAll(async () => {
	sim = await startSimulator();
	proxy = await TestProxy.start();
});

afterAll(async () => {
	await proxy.close();
	await sim.close();
});

afterEach(() => {
	restore?.();
	restore = undefined;
	proxy.reset();
});

const simHost = () => `127.0.0.1:${sim.port}`;

async function restCall(): Promise<void> {
	const client = restClient(sim);
	try {
		expect((await client.listDepartments()).length).toBeGreaterThan(0);
	} finally {
		await client.close();
	}
}

async function messagingCall(): Promise<void> {
	const client = messagingClient(sim);
	try {
		expect(Array.isArray(await client.listSwitchboards())).toBe(true);
	} finally {
		await client.close();
	}
}

async function sessionCall(): Promise<void> {
	const session = new AgentSession(testSessionOptions(sim));
	try {
		await session.connect();
		expect((await session.request(departments())).length).toBeGreaterThan(0);
	} finally {
		await session.close();
	}
}

async function streamingSocket(): Promise<void> {
	const client = acquireStreamingClient({
		credentialKey: `proxy-${randomUUID()}`,
		tokens: staticToken(SIM_TOKENS.bot),
		url: sim.urls.streaming,
		backoff: () => 20,
	});
	try {
		client.subscribe({ metric: 'incoming_chats' }, {});
		await client.ready();
	} finally {
		await client.close();
	}
}

describe('with HTTP_PROXY and HTTPS_PROXY set', () => {
	beforeEach(() => {
		restore = setProxyEnvironment({
			HTTP_PROXY: proxy.url('agent:s3cret'),
			HTTPS_PROXY: proxy.url('agent:s3cret'),
		});
	});

	const basic = `Basic ${Buffer.from('agent:s3cret').toString('base64')}`;

	it.each([
		['a Chat REST call', restCall],
		['a Messaging call', messagingCall],
		['startAgentSession and the session WebSocket', sessionCall],
		['the Streaming API socket', streamingSocket],
	])(
		'%s goes through the proxy, to the simulator, with the proxy credentials',
		async (_name, call) => {
			await call();
			expect(proxy.seen.length).toBeGreaterThan(0);
			expect(new Set(proxy.targets())).toEqual(new Set([simHost()]));
			expect(proxy.seen.every((c) => c.authorization === basic)).toBe(true);
		},
	);

	it('startAgentSession and its WebSocket each open a tunnel', async () => {
		await sessionCall();
		// One for the HTTP start (its own dispatcher), at least one for the WebSocket.
		expect(proxy.targets('tunnel').length).toBeGreaterThanOrEqual(2);
	});

	it('reads the lower-case variables too, and they win over the upper-case ones (as undici and curl)', async () => {
		process.env.http_proxy = 'http://127.0.0.1:9'; // nothing listens on the discard port
		process.env.no_proxy = '127.0.0.1';
		await restCall();
		expect(proxy.seen).toEqual([]);
	});
});

describe('a proxy that cannot be reached', () => {
	it('fails the call with a connection error that names the proxy, without its credentials', async () => {
		// Port 9 (discard): nothing listens there on loopback.
		restore = setProxyEnvironment({
			HTTP_PROXY: 'http://agent:s3cret@127.0.0.1:9',
			HTTPS_PROXY: 'http://agent:s3cret@127.0.0.1:9',
		});
		for (const call of [restCall, messagingCall]) {
			const error = (await call().then(
				() => undefined,
				(e: unknown) => e,
			)) as Error & { description?: string };
			expect(error).toBeInstanceOf(Error);
			expect(error.name).toMatch(/Connection/);
			expect(error.message).toContain('through the proxy http://127.0.0.1:9');
			expect(`${error.message} ${error.description ?? ''} ${JSON.stringify(error)}`).not.toContain(
				's3cret',
			);
		}
	});
});

describe('with NO_PROXY naming the simulator host', () => {
	it.each([
		['its address', () => 'example.com, 127.0.0.1'],
		['its address and port', () => `example.com,${simHost()}`],
		['*', () => '*'],
	])('no connection goes through the proxy (NO_PROXY: %s)', async (_name, noProxy) => {
		restore = setProxyEnvironment({
			HTTP_PROXY: proxy.url(),
			HTTPS_PROXY: proxy.url(),
			NO_PROXY: noProxy(),
		});
		await restCall();
		await messagingCall();
		await sessionCall();
		await streamingSocket();
		expect(proxy.seen).toEqual([]);
	});
});

describe('TLS inside the tunnel (wss:// and https://, as Zendesk is reached)', () => {
	let ca: Buffer;
	let server: Server;
	let sockets: WebSocketServer;
	let origin: string;

	beforeAll(async () => {
		// A self-signed certificate for localhost, for tests only (made once with openssl req -x509
		// -days 36500 -subj /CN=localhost -addext subjectAltName=DNS:localhost), as the simulator has no TLS.
		ca = readFileSync(join(__dirname, '..', 'fixtures', 'tls', 'localhost-cert.pem'));
		server = createHttpsServer(
			{
				key: readFileSync(join(__dirname, '..', 'fixtures', 'tls', 'localhost-key.pem')),
				cert: ca,
			},
			(_req, res) => res.end('over tls'),
		);
		sockets = new WebSocketServer({ server });
		sockets.on('connection', (socket) => socket.send('hello'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `localhost:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		sockets.close();
		await new Promise((resolve) => server.close(resolve));
	});

	beforeEach(() => {
		restore = setProxyEnvironment({ HTTPS_PROXY: proxy.url('agent:s3cret') });
	});

	it('a wss:// socket gets a CONNECT tunnel through HTTPS_PROXY, with TLS to the host inside it', async () => {
		const url = `wss://${origin}/stream`;
		const ws = new WebSocket(url, { agent: socketAgentFor(url), ca });
		try {
			const first = await new Promise<string>((resolve, reject) => {
				ws.once('message', (data: Buffer) => resolve(data.toString()));
				ws.once('error', reject);
			});
			expect(first).toBe('hello');
			expect(proxy.seen).toEqual([
				{
					kind: 'tunnel',
					target: origin,
					authorization: `Basic ${Buffer.from('agent:s3cret').toString('base64')}`,
				},
			]);
		} finally {
			ws.terminate();
		}
	});

	it('an https:// request goes through the same tunnel (undici EnvHttpProxyAgent)', async () => {
		// The certificate for the host behind the tunnel is ProxyAgent's requestTls (connect is for direct connections).
		const dispatcher = createHttpDispatcher({
			connect: { ca },
			requestTls: { ca },
		} as Agent.Options);
		try {
			const response = await dispatcher.request({
				origin: `https://${origin}`,
				path: '/',
				method: 'GET',
			});
			expect(await response.body.text()).toBe('over tls');
			expect(proxy.targets('tunnel')).toEqual([origin]);
		} finally {
			await dispatcher.close();
		}
	});
});

describe('which URLs are proxied (undici EnvHttpProxyAgent rules)', () => {
	it('takes HTTPS_PROXY for https and wss, falling back to HTTP_PROXY; HTTP_PROXY for http and ws', () => {
		restore = setProxyEnvironment({ HTTP_PROXY: 'http://plain:1', HTTPS_PROXY: 'http://secure:2' });
		expect(proxyFor('https://x.zendesk.com/api')).toBe('http://secure:2');
		expect(proxyFor('wss://rtm.zopim.com/stream')).toBe('http://secure:2');
		expect(proxyFor('http://x.example/')).toBe('http://plain:1');
		expect(proxyFor('ws://x.example/')).toBe('http://plain:1');
		restore();
		restore = setProxyEnvironment({ HTTP_PROXY: 'http://plain:1' });
		expect(proxyFor('wss://rtm.zopim.com/stream')).toBe('http://plain:1');
		restore();
		restore = setProxyEnvironment({});
		expect(proxyFor('wss://rtm.zopim.com/stream')).toBeUndefined();
	});

	it.each([
		['zendesk.com', 'zendesk.com', 443, true],
		['zendesk.com', 'acme.zendesk.com', 443, true],
		['.zendesk.com', 'acme.zendesk.com', 443, true],
		['*.zendesk.com', 'acme.zendesk.com', 443, true],
		['.zendesk.com', 'zendesk.com', 443, true],
		['zendesk.com', 'notzendesk.com', 443, false],
		['zendesk.com:443', 'acme.zendesk.com', 443, true],
		['zendesk.com:8443', 'acme.zendesk.com', 443, false],
		['ZENDESK.COM', 'acme.zendesk.com', 443, true],
		['*', 'anything.example', 80, true],
		['a.example, zendesk.com', 'acme.zendesk.com', 443, true],
		['a.example zendesk.com', 'acme.zendesk.com', 443, true],
		['', 'acme.zendesk.com', 443, false],
	])('NO_PROXY=%j exempts %s:%d: %s', (noProxy, host, port, exempt) => {
		expect(bypassesProxy(host, port, noProxy)).toBe(exempt);
	});

	it('applies the scheme default port to NO_PROXY entries with a port', () => {
		restore = setProxyEnvironment({ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'rtm.zopim.com:443' });
		expect(proxyFor('wss://rtm.zopim.com/stream')).toBeUndefined();
		expect(proxyFor('wss://rtm.zopim.com:8443/stream')).toBe('http://p:1');
	});

	it('shows a proxy without its credentials', () => {
		expect(describeProxy('http://user:secret@proxy.corp:3128')).toBe('http://proxy.corp:3128');
		expect(describeProxy('not a url')).not.toContain('not a url');
	});
});
