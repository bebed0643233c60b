import { ManualClock, SIM_TOKENS, type Simulator } from '../../simulator';
import { WsProbe } from '../helpers/ws-probe';

/**
 * Helpers shared by the conversations-*.test.ts files. Relay ids are built here from NOTES.md's
 * description (base64 of `[["localId","…"],["type","…"]]`), not with the simulator's own code.
 */
export function relayId(type: string, localId: string | number): string {
	return Buffer.from(
		JSON.stringify([
			['localId', String(localId)],
			['type', type],
		]),
	).toString('base64');
}

export function decodeId(id: string): unknown {
	return JSON.parse(Buffer.from(id, 'base64').toString('utf8'));
}

export const UUID = expect.stringMatching(
	/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
);

export const START_MUTATION =
	'mutation($access_token: String!) { startAgentSession(access_token: $access_token) { websocket_url session_id client_id } }';

export interface HttpAnswer {
	status: number;
	headers: Headers;
	body: any;
}

/** POSTs to /graphql/request; `body` is sent as is when it is a string. */
export async function postGraphql(
	sim: Simulator,
	body: unknown,
	method = 'POST',
): Promise<HttpAnswer> {
	const res = await fetch(sim.urls.conversationsHttp, {
		method,
		headers: { 'content-type': 'application/json' },
		body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export function startSessionHttp(
	sim: Simulator,
	token: string = SIM_TOKENS.bot,
): Promise<HttpAnswer> {
	return postGraphql(sim, { query: START_MUTATION, variables: { access_token: token } });
}

export async function control(
	sim: Simulator,
	operation: string,
	args: unknown = {},
): Promise<{ status: number; body: any }> {
	const res = await fetch(`${sim.urls.control}/conversations/${operation}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(args),
	});
	return { status: res.status, body: await res.json() };
}

export interface OpenSession {
	probe: WsProbe;
	websocketUrl: string;
	sessionId: string;
	clientId: string;
}

/**
 * Starts a session (moving a manual clock past the 1-per-second limit first) and connects to it.
 */
export async function openSession(
	sim: Simulator,
	clock: ManualClock | undefined,
	token: string = SIM_TOKENS.bot,
): Promise<OpenSession> {
	clock?.advance(1000);
	const answer = await startSessionHttp(sim, token);
	if (answer.status !== 200)
		throw new Error(`startAgentSession failed: ${answer.status} ${JSON.stringify(answer.body)}`);
	const {
		websocket_url: websocketUrl,
		session_id: sessionId,
		client_id: clientId,
	} = answer.body.data.startAgentSession;
	const probe = await WsProbe.open(websocketUrl);
	return { probe, websocketUrl, sessionId, clientId };
}

let nextId = 1;

/** Sends a `request` frame and waits for the frame that echoes its id. */
export async function gql(
	probe: WsProbe,
	query: string,
	variables?: Record<string, unknown>,
	extra: { operationName?: string; id?: number | string } = {},
): Promise<any> {
	const id = extra.id ?? nextId++;
	const payload: Record<string, unknown> = { query };
	if (variables !== undefined) payload.variables = variables;
	if (extra.operationName !== undefined) payload.operationName = extra.operationName;
	return probe.request({ type: 'request', id, payload }, (f) => f.id === id);
}

/** Subscribes and returns the subscription_id of the ack. */
export async function subscribe(
	probe: WsProbe,
	query: string,
	variables?: Record<string, unknown>,
): Promise<string> {
	const ack = await gql(probe, query, variables);
	if (!ack.payload?.data?.subscription_id)
		throw new Error(`subscription refused: ${JSON.stringify(ack)}`);
	return ack.payload.data.subscription_id;
}

export function dataFrames(probe: WsProbe, subscriptionId: string): any[] {
	return probe.frames.filter((f: any) => f.sig === 'DATA' && f.subscription_id === subscriptionId);
}

/** Waits until `count` DATA frames of the subscription have arrived. */
export async function waitForData(
	probe: WsProbe,
	subscriptionId: string,
	count: number,
	timeoutMs = 2000,
): Promise<any[]> {
	const deadline = Date.now() + timeoutMs;
	while (dataFrames(probe, subscriptionId).length < count) {
		if (Date.now() > deadline) {
			throw new Error(
				`expected ${count} DATA frames of ${subscriptionId}, got ${JSON.stringify(dataFrames(probe, subscriptionId))}`,
			);
		}
		await new Promise((r) => setTimeout(r, 10));
	}
	return dataFrames(probe, subscriptionId);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
