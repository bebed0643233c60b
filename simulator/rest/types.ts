import type { ChatWorld } from '../world/chat-world';

/** What an endpoint handler needs from the simulator. */
export interface RestEnv {
	world: ChatWorld;
	/** http://host:port/api/v2/chat: the base of next_url, prev_url, next_page and result urls. */
	restBase(): string;
}

/** An authenticated request, routed. */
export interface RestRequest {
	method: string;
	url: URL;
	/** Decoded path segments after /api/v2/chat/. */
	segments: string[];
	/** The agent the bearer token belongs to. */
	agentId: number;
	/** The JSON body (400 on malformed JSON, 413 over 1 MB); undefined when empty. */
	readBody(): Promise<unknown>;
}

export interface RestReply {
	status: number;
	/** Absent for 204. */
	body?: unknown;
	headers?: Record<string, string>;
}

export type RestHandler = (env: RestEnv, req: RestRequest) => RestReply | Promise<RestReply>;
