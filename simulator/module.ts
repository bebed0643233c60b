import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

import type { Clock } from './clock';
import type { ApiName, Faults } from './faults';
import type { SlidingWindowLimiter } from './rate-window';
import type { ChatWorld } from './world/chat-world';

/** What every simulated API is given. */
export interface SimContext {
	world: ChatWorld;
	clock: Clock;
	faults: Faults;
	/**
	 * The account's Chat REST budget, 200 requests a minute (key: the account). Streaming API
	 * connections count against it too (seeds/chat-streaming-api.txt, "Rate Limits").
	 */
	restBudget: SlidingWindowLimiter;
	/** http://host:port of the running simulator (valid once it listens). */
	baseUrl(): string;
	/** ws://host:port of the running simulator (valid once it listens). */
	wsBaseUrl(): string;
	log(message: string): void;
}

/** A control operation: takes one JSON object, returns something JSON-serialisable. */
export type ControlOperation = (args?: any) => unknown;

/**
 * One simulated API. The server routes a request to the first module whose `handles` accepts its
 * path, after applying injected HTTP faults and delays for that module's `api`.
 */
export interface SimModule {
	readonly api: ApiName;
	/** Does this path belong to this API (HTTP requests)? */
	handles(url: URL): boolean;
	handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
	/** Does this path belong to this API (WebSocket upgrades)? */
	handlesUpgrade?(url: URL): boolean;
	handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
	/** The API's own error body for an injected HTTP fault of this status (the server's default otherwise). */
	faultBody?(status: number): unknown;
	/** Operations exposed in process and over HTTP at POST /_sim/<api>/<operation>. */
	readonly control: Record<string, ControlOperation>;
	/** Closes this API's sockets and timers. */
	close(): Promise<void>;
}
