/**
 * Outbound proxies, read from the environment as n8n reads them: HTTP_PROXY, HTTPS_PROXY and
 * NO_PROXY (lower-case first, as undici and curl do). The one place that decides how the package
 * reaches a host: HTTP goes through undici's own EnvHttpProxyAgent (src/shared/http.ts), WebSockets through a CONNECT
 * tunnel (https-proxy-agent) chosen here with undici's NO_PROXY rules, so both kinds of connection
 * agree on which hosts are proxied.
 *
 * Proxy URLs may carry credentials (`http://user:secret@proxy:3128`): they are never put in a
 * message or a log line; `describeProxy` is what may be shown.
 */
import type { Agent as HttpAgent } from 'node:http';

import { HttpsProxyAgent } from 'https-proxy-agent';

const DEFAULT_PORTS: Record<string, number> = {
	'http:': 80,
	'ws:': 80,
	'https:': 443,
	'wss:': 443,
};

function env(name: string): string | undefined {
	return process.env[name.toLowerCase()] ?? process.env[name.toUpperCase()];
}

/**
 * The proxy settings now in force, as one string: the key under which long-lived dispatchers are
 * kept, so that a changed environment gets a new dispatcher instead of a stale one. Holds
 * credentials when the variables do: use it as a key only, never show it.
 */
export function proxyEnvironmentKey(): string {
	return [env('http_proxy') ?? '', env('https_proxy') ?? '', env('no_proxy') ?? ''].join('\n');
}

/**
 * The proxy `url` (http, https, ws or wss) should go through, or undefined for a direct connection:
 * HTTPS_PROXY for https/wss (falling back to HTTP_PROXY, as undici does), HTTP_PROXY for http/ws,
 * and none for a host NO_PROXY lists.
 */
export function proxyFor(url: string | URL): string | undefined {
	const target = typeof url === 'string' ? new URL(url) : url;
	const secure = target.protocol === 'https:' || target.protocol === 'wss:';
	const proxy = secure ? (env('https_proxy') ?? env('http_proxy')) : env('http_proxy');
	if (!proxy) return undefined;
	// As undici: the host keeps an IPv6 address's brackets, the port falls back to the scheme's.
	const hostname = target.host.replace(/:\d*$/, '').toLowerCase();
	const port = Number.parseInt(target.port, 10) || DEFAULT_PORTS[target.protocol] || 0;
	return bypassesProxy(hostname, port, env('no_proxy') ?? '') ? undefined : proxy;
}

/**
 * Whether NO_PROXY exempts `hostname`:`port`, by undici's EnvHttpProxyAgent rules: entries split
 * on commas or spaces; `*` alone exempts every host; `host:port` only that port; a leading `.` or
 * `*.` is dropped, and an entry matches the host itself and every subdomain of it.
 */
export function bypassesProxy(hostname: string, port: number, noProxy: string): boolean {
	if (noProxy === '*') return true;
	for (const raw of noProxy.split(/[,\s]/)) {
		if (!raw) continue;
		const parsed = /^(.+):(\d+)$/.exec(raw);
		const host = (parsed ? parsed[1] : raw).replace(/^\*?\./, '').toLowerCase();
		const entryPort = parsed ? Number.parseInt(parsed[2], 10) : 0;
		if (entryPort && entryPort !== port) continue;
		if (hostname === host || hostname.endsWith(`.${host}`)) return true;
	}
	return false;
}

/**
 * The `agent` for a WebSocket to `url` (ws's option): a CONNECT tunnel through the proxy the
 * environment names for it, or undefined for a direct connection. TLS to a wss:// host runs
 * inside the tunnel, end to end; the proxy sees only the host and port.
 */
export function socketAgentFor(url: string | URL): HttpAgent | undefined {
	const proxy = proxyFor(url);
	return proxy === undefined ? undefined : new HttpsProxyAgent(proxy);
}

/**
 * For a connection error's message: " through the proxy http://proxy:3128" when `url` goes through
 * one (so a user sees the proxy is involved), nothing otherwise. Never the proxy's credentials.
 */
export function viaProxy(url: string | URL): string {
	const proxy = proxyFor(url);
	return proxy === undefined ? '' : ` through the proxy ${describeProxy(proxy)}`;
}

/** The proxy as it may be shown: scheme, host and port, never a user name or password. */
export function describeProxy(proxy: string): string {
	if (!URL.canParse(proxy)) return '(an unreadable proxy URL)';
	const url = new URL(proxy);
	return `${url.protocol}//${url.host}`;
}
