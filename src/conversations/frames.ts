/**
 * The WebSocket frames of the Conversations API (seeds/chat-conversations-api-getting-started.txt,
 * "WebSocket request and response body structure"; overview "Managing WebSocket"):
 * - request:            {type:"request", id, payload:{query, variables, operationName}}
 * - stop subscription:  {type:"stop_subscription", id, payload:{subscription_id}}
 * - keepalive:          {sig:"PING", payload} answered by {sig:"PONG", payload} (an echo)
 * - response:           {id, payload:{data}|{errors}} (errors may add errorCode)
 * - subscription data:  {sig:"DATA", subscription_id, payload} (errors add error_code)
 * - end of service:     {sig:"EOS", reason}
 */

export interface RequestPayload {
	query: string;
	variables: Record<string, unknown>;
	operationName?: string;
}

export function encodeRequest(id: number, payload: RequestPayload): string {
	return JSON.stringify({ type: 'request', id, payload });
}

export function encodeStopSubscription(id: number, subscriptionId: string): string {
	return JSON.stringify({
		type: 'stop_subscription',
		id,
		payload: { subscription_id: subscriptionId },
	});
}

export function encodePing(payload: number): string {
	return `{"sig":"PING","payload":${payload}}`;
}

/** Any frame the server sends, as parsed; fields are checked where they are used. */
export interface ServerFrame {
	sig?: unknown;
	id?: unknown;
	subscription_id?: unknown;
	payload?: unknown;
	reason?: unknown;
	errorCode?: unknown;
	error_code?: unknown;
}

/** Parses one text frame; undefined when it is not a JSON object (a malformed frame). */
export function parseFrame(text: string): ServerFrame | undefined {
	let frame: unknown;
	try {
		frame = JSON.parse(text);
	} catch {
		return undefined;
	}
	return frame !== null && typeof frame === 'object' && !Array.isArray(frame)
		? (frame as ServerFrame)
		: undefined;
}
