/**
 * The demo until the n8n nodes exist: starts the Zendesk simulator, plays one chat against it with
 * a raw Chat Conversations API client (the protocol exactly as Zendesk's getting-started guide shows
 * it, with user text passed as GraphQL variables) and prints the transcript. The simulator then
 * stays up for you to explore until Ctrl-C (`--once` exits after the chat, for CI).
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

import { SIM_TOKENS, startSimulator, type Simulator } from '../simulator';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.ZENDESK_SIM_PORT ?? '4010' },
		once: { type: 'boolean', default: false },
	},
});

const START_SESSION = `mutation($access_token: String!) {
  startAgentSession(access_token: $access_token) { websocket_url session_id client_id }
}`;
const SUBSCRIBE_MESSAGES = `subscription {
  message { node { id content channel { id } from { __typename display_name } } }
}`;
const GO_ONLINE = `mutation { updateAgentStatus(status: ONLINE) { node { id } } }`;
const SEND_MESSAGE = `mutation($channel_id: ID!, $msg: String!) {
  sendMessage(channel_id: $channel_id, msg: $msg) { success }
}`;
const SEND_QUICK_REPLIES = `mutation($channel_id: ID!, $msg: String!, $quick_replies: [QuickReplyInput!]!, $fallback: FallbackInput!) {
  sendQuickReplies(channel_id: $channel_id, msg: $msg, quick_replies: $quick_replies, fallback: $fallback) { success }
}`;

function say(who: string, text: string): void {
	console.log(`${new Date().toISOString().slice(11, 19)}  ${who.padEnd(22)} ${text}`);
}

async function playChat(sim: Simulator): Promise<void> {
	const res = await fetch(sim.urls.conversationsHttp, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ query: START_SESSION, variables: { access_token: SIM_TOKENS.bot } }),
	});
	const started = (await res.json()) as any;
	const session = started?.data?.startAgentSession;
	if (!session) throw new Error(`startAgentSession failed: ${JSON.stringify(started)}`);
	say('bot', `agent session ${session.session_id} started`);

	const ws = new WebSocket(session.websocket_url);
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	let nextId = 1;
	const pending = new Map<number, (frame: any) => void>();
	const request = (query: string, variables?: Record<string, unknown>) =>
		new Promise<any>((resolve) => {
			const id = nextId++;
			pending.set(id, resolve);
			ws.send(JSON.stringify({ type: 'request', id, payload: { query, variables } }));
		});

	const subscription: { id?: string } = {};
	const answered = new Promise<void>((resolve) => {
		ws.on('message', (data) => {
			const frame = JSON.parse(data.toString());
			if (frame.id !== undefined && pending.has(frame.id)) {
				pending.get(frame.id)!(frame);
				pending.delete(frame.id);
				return;
			}
			if (frame.sig !== 'DATA' || frame.subscription_id !== subscription.id) return;
			const node = frame.payload?.data?.message?.node;
			if (node?.from?.__typename !== 'Visitor') return;
			say(`visitor (${node.from.display_name})`, node.content);
			void (async () => {
				const reply = `Hi! Thanks for writing "${node.content}". What can I help you with?`;
				await request(SEND_MESSAGE, { channel_id: node.channel.id, msg: reply });
				const options = ['Pricing', 'Talk to a human'];
				await request(SEND_QUICK_REPLIES, {
					channel_id: node.channel.id,
					msg: 'Pick one:',
					quick_replies: options.map((text) => ({ text, action: { value: text } })),
					fallback: { msg: 'Pick one:', options },
				});
				resolve();
			})();
		});
	});

	await request(GO_ONLINE);
	const ack = await request(SUBSCRIBE_MESSAGES);
	subscription.id = ack.payload?.data?.subscription_id;
	if (!subscription.id) throw new Error(`subscription failed: ${JSON.stringify(ack)}`);
	say('bot', `online, subscribed to messages (${subscription.id})`);

	const chat = sim.world.startChat({ visitor: { name: 'Harry', email: 'harry@example.com' }, message: 'Hi, is anyone there? "quotes" too' });
	await answered;
	for (const delivered of sim.world.requireChat(chat.id).delivered) {
		const extra = delivered.structured ? ` [${delivered.structured.kind}]` : '';
		say('widget received', `${delivered.text}${extra}`);
	}
	ws.close();
}

async function main(): Promise<void> {
	const sim = await startSimulator({ port: Number(values.port) });
	console.log(`Zendesk simulator on ${sim.urls.base} (control API: ${sim.urls.control})\n`);
	await playChat(sim);
	if (values.once) {
		await sim.close();
		return;
	}
	console.log(`\nThe simulator stays up on ${sim.urls.base}: try \`curl ${sim.urls.control}\`. Ctrl-C stops it.`);
	const stop = () => void sim.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
