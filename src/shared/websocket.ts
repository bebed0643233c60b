/**
 * The one module of the package that imports ws (lint enforces it). Every WebSocket the package
 * opens (the Conversations API session, the Streaming API) is made here, so each goes through a
 * CONNECT tunnel when HTTP_PROXY / HTTPS_PROXY name a proxy for its host and NO_PROXY does not
 * exempt it (src/shared/proxy.ts).
 */
import WebSocket, { type ClientOptions } from 'ws';

import { socketAgentFor } from './proxy';

export { WebSocket };

/** Opens a client WebSocket to `url` with ws's `options`, through the proxy the environment names for it. */
export function openWebSocket(url: string, options: Omit<ClientOptions, 'agent'> = {}): WebSocket {
	return new WebSocket(url, { ...options, agent: socketAgentFor(url) });
}
