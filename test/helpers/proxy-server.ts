import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** What went through the proxy: a CONNECT tunnel or a forwarded absolute-URI request, and where to. */
export interface ProxiedConnection {
	kind: 'tunnel' | 'forward';
	/** host:port asked for. */
	target: string;
	/** The Proxy-Authorization header the client sent, if any. */
	authorization?: string;
}

/**
 * A real HTTP proxy on loopback, as a corporate proxy would be: CONNECT is answered with a tunnel
 * piped to the target, and a plain request with an absolute URI (`GET http://host/path`) is
 * forwarded. Every tunnel and forwarded request is recorded with its target.
 */
export class TestProxy {
	readonly seen: ProxiedConnection[] = [];
	private readonly sockets = new Set<Socket>();

	private constructor(private readonly server: Server) {}

	static async start(): Promise<TestProxy> {
		const server = createServer();
		const proxy = new TestProxy(server);
		server.on('connection', (socket) => proxy.track(socket));
		server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) =>
			proxy.tunnel(req, client, head),
		);
		server.on('request', (req, res) => {
			const target = URL.canParse(req.url ?? '') ? new URL(req.url!) : undefined;
			if (!target) {
				res.writeHead(400).end('absolute URI expected');
				return;
			}
			proxy.seen.push({
				kind: 'forward',
				target: target.host,
				authorization: req.headers['proxy-authorization'],
			});
			const headers = { ...req.headers };
			delete headers['proxy-authorization'];
			delete headers['proxy-connection'];
			const upstream = httpRequest(
				{
					host: target.hostname,
					port: target.port,
					method: req.method,
					path: target.pathname + target.search,
					headers,
				},
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			upstream.on('error', () => res.destroy());
			req.pipe(upstream);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return proxy;
	}

	/** http://127.0.0.1:<port>, optionally with credentials in it. */
	url(credentials?: string): string {
		const { port } = this.server.address() as AddressInfo;
		return `http://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}`;
	}

	/** The targets seen, of one kind or both. */
	targets(kind?: ProxiedConnection['kind']): string[] {
		return this.seen.filter((c) => kind === undefined || c.kind === kind).map((c) => c.target);
	}

	reset(): void {
		this.seen.length = 0;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private track(socket: Socket): void {
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
		socket.on('error', () => socket.destroy());
	}

	private tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
		const target = req.url ?? '';
		this.seen.push({ kind: 'tunnel', target, authorization: req.headers['proxy-authorization'] });
		const [host, port] = [target.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(target)?.[1] ?? 443)];
		const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length > 0) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		this.track(upstream);
		this.track(client);
		upstream.on('error', () => client.destroy());
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	}
}

const PROXY_VARIABLES = [
	'HTTP_PROXY',
	'HTTPS_PROXY',
	'NO_PROXY',
	'http_proxy',
	'https_proxy',
	'no_proxy',
];

/**
 * Sets the proxy variables for this process (upper case; the lower-case ones are cleared so they do
 * not win) and returns a function that puts every one of them back as it was.
 */
export function setProxyEnvironment(values: {
	HTTP_PROXY?: string;
	HTTPS_PROXY?: string;
	NO_PROXY?: string;
}): () => void {
	const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
	for (const name of PROXY_VARIABLES) delete process.env[name];
	for (const [name, value] of Object.entries(values))
		if (value !== undefined) process.env[name] = value;
	return () => {
		for (const name of PROXY_VARIABLES) {
			if (saved[name] === undefined) delete process.env[name];
			else process.env[name] = saved[name];
		}
	};
}
