import WebSocket from 'ws';

import { SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';

/**
 * A client written from the getting-started doc's sample code alone (plain `ws` and global `fetch`,
 * the frames exactly as the doc shows them, string-interpolated queries and all) runs against the
 * simulator: start session, subscribe to messages, hear a visitor's "Hi", echo it back.
 */
describe('conversations: the getting-started sample as a raw client', () => {
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(() => sim.close());

	const REQUEST_ID = { MESSAGE_SUBSCRIPTION: 1, UPDATE_AGENT_STATUS: 2, SEND_MESSAGE: 3 };
	const TYPE = { VISITOR: 'Visitor' };

	async function startAgentSession(accessToken: string): Promise<any> {
		const query = `mutation {  startAgentSession(access_token: "${accessToken}") {    websocket_url    session_id    client_id  }}`;
		const res = await fetch(sim.urls.conversationsHttp, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ query }),
		});
		return res.json();
	}

	async function controlApi(path: string, body: unknown): Promise<any> {
		const res = await fetch(`${sim.urls.control}/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return ((await res.json()) as any).result;
	}

	async function waitFor<T>(
		check: () => T | undefined | Promise<T | undefined>,
		what: string,
		timeoutMs = 3000,
	): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await check();
			if (value !== undefined) return value;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await new Promise((r) => setTimeout(r, 10));
		}
	}

	it('starts a session, hears "Hi" from a visitor and echoes it back', async () => {
		const session = await startAgentSession(SIM_TOKENS.bot);
		const webSocket = new WebSocket(session.data.startAgentSession.websocket_url);
		const log: string[] = [];
		const responses: any[] = [];
		let messageSubscriptionId: string | undefined;

		webSocket.on('message', function (message) {
			const data = JSON.parse(message.toString());
			if (data.id !== undefined) responses.push(data);

			// Listen to successful message subscription request
			if (data.id === REQUEST_ID.MESSAGE_SUBSCRIPTION) {
				messageSubscriptionId = data.payload.data.subscription_id;
			}

			// Listen to chat messages from the visitor
			if (
				data.sig === 'DATA' &&
				data.subscription_id === messageSubscriptionId &&
				data.payload.data
			) {
				const chatMessage = data.payload.data.message.node;
				const sender = chatMessage.from;

				if (sender.__typename === TYPE.VISITOR) {
					log.push(`[message] Received: '${chatMessage.content}' from: '${sender.display_name}'`);

					const sendMessageQuery = {
						payload: {
							query: `mutation {
            sendMessage(channel_id: "${chatMessage.channel.id}", msg: "${chatMessage.content}") {
              success
            }
          }`,
						},
						type: 'request',
						id: REQUEST_ID.SEND_MESSAGE,
					};
					webSocket.send(JSON.stringify(sendMessageQuery));
				}
			}
		});

		await new Promise<void>((resolve, reject) => {
			webSocket.on('open', () => resolve());
			webSocket.on('error', reject);
		});

		const messageSubscriptionQuery = {
			payload: {
				query: `subscription {
      message {
        node {
          id
          content
          channel {
            id
          }
          from {
            __typename
            display_name
          }
        }
      }
    }`,
			},
			type: 'request',
			id: REQUEST_ID.MESSAGE_SUBSCRIPTION,
		};
		webSocket.send(JSON.stringify(messageSubscriptionQuery));

		const updateAgentStatusQuery = {
			payload: {
				query: `mutation {
      updateAgentStatus(status: ONLINE) {
        node {
          id
        }
      }
    }`,
			},
			type: 'request',
			id: REQUEST_ID.UPDATE_AGENT_STATUS,
		};
		webSocket.send(JSON.stringify(updateAgentStatusQuery));

		await waitFor(() => messageSubscriptionId, 'the subscription ack');
		const statusAnswer = await waitFor(
			() => responses.find((r) => r.id === REQUEST_ID.UPDATE_AGENT_STATUS),
			'the status answer',
		);
		expect(statusAnswer).toEqual({
			payload: { data: { updateAgentStatus: { node: { id: expect.any(String) } } } },
			id: 2,
		});

		// "Type 'Hi' to initiate a chat" — the visitor, scripted through the control API.
		const chat = await controlApi('world/startChat', {
			visitor: { name: 'Visitor 12345678' },
			message: 'Hi',
		});

		const sendAnswer = await waitFor(
			() => responses.find((r) => r.id === REQUEST_ID.SEND_MESSAGE),
			'the sendMessage answer',
		);
		expect(sendAnswer).toEqual({ payload: { data: { sendMessage: { success: true } } }, id: 3 });
		expect(log).toEqual(["[message] Received: 'Hi' from: 'Visitor 12345678'"]);
		const delivered = await controlApi('world/deliveredToVisitor', { chatId: chat.id });
		expect(delivered).toEqual([expect.objectContaining({ text: 'Hi', agentId: 1001 })]);
		expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['Hi']);
		expect(sim.world.agents.get(1001)!.status).toBe('ONLINE');

		// The sample's interpolation breaks on a quote: the echo is refused, nothing reaches the visitor.
		sim.world.visitorSays(chat.id, 'I said "hi"');
		const broken = await waitFor(
			() => responses.filter((r) => r.id === REQUEST_ID.SEND_MESSAGE)[1],
			'the second sendMessage answer',
		);
		expect(broken).toEqual({
			errorCode: 400,
			payload: {
				errors: [
					{
						name: 'GRAPHQL_EXEC_ERROR',
						message: expect.stringMatching(/^Syntax Error/),
						UUID: expect.any(String),
					},
				],
			},
			id: 3,
		});
		expect(sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual(['Hi']);

		webSocket.close();
		await new Promise((r) => webSocket.once('close', r));
	});

	it('carries hostile strings sent as variables byte for byte, both ways', async () => {
		sim.conversations.control.resetLimits();
		const session = await startAgentSession(SIM_TOKENS.bot);
		const webSocket = new WebSocket(session.data.startAgentSession.websocket_url);
		const frames: any[] = [];
		webSocket.on('message', (m) => frames.push(JSON.parse(m.toString())));
		await new Promise((resolve) => webSocket.once('open', resolve));

		const hostile = [
			'He said "hello" and left',
			'C:\\Users\\ada\\ and a trailing backslash \\',
			'"){ success } } mutation { stopAgentSession { success',
			'line one\nline two\r\nline three\ttabbed',
			'emoji 🦄 👩‍💻 and accents éàü and RTL مرحبا',
			'nul \u0000 and line separator \u2028 and paragraph \u2029',
			'${chatMessage.content} `backticks` {{braces}}',
			'x'.repeat(100 * 1024 - 7) + '🦄 end',
		];

		let id = 0;
		const request = async (query: string, variables: Record<string, unknown>) => {
			const requestId = `r${++id}`;
			webSocket.send(
				JSON.stringify({ type: 'request', id: requestId, payload: { query, variables } }),
			);
			return waitFor(() => frames.find((f) => f.id === requestId), `answer ${requestId}`);
		};

		const ack = await request(
			'subscription { message { node { content from { __typename } } } }',
			{},
		);
		const subscriptionId = ack.payload.data.subscription_id;
		const chat = sim.world.startChat();
		const channelId = Buffer.from(
			JSON.stringify([
				['localId', chat.id],
				['type', 'CHANNEL'],
			]),
		).toString('base64');

		for (const text of hostile) {
			const answer = await request(
				'mutation($channel_id: ID!, $msg: String!) { sendMessage(channel_id: $channel_id, msg: $msg) { success } }',
				{ channel_id: channelId, msg: text },
			);
			expect(answer).toEqual({
				payload: { data: { sendMessage: { success: true } } },
				id: `r${id}`,
			});
			sim.world.visitorSays(chat.id, text);
		}
		const delivered = sim.world.requireChat(chat.id).delivered.map((d) => d.text);
		expect(delivered).toHaveLength(hostile.length);
		delivered.forEach((text, i) =>
			expect(Buffer.from(text, 'utf8').equals(Buffer.from(hostile[i], 'utf8'))).toBe(true),
		);
		expect(delivered).toEqual(hostile);

		const data = await waitFor(() => {
			const got = frames.filter((f) => f.sig === 'DATA' && f.subscription_id === subscriptionId);
			return got.length >= hostile.length * 2 ? got : undefined;
		}, 'every DATA frame');
		expect(
			data.map((f) => [
				f.payload.data.message.node.from.__typename,
				f.payload.data.message.node.content,
			]),
		).toEqual(
			hostile.flatMap((text) => [
				['Agent', text],
				['Visitor', text],
			]),
		);
		expect(sim.world.requireChat(chat.id).history.some((h) => h.msg === 'line one')).toBe(false);
		expect(sim.conversations.control.sessions()).toHaveLength(1);

		webSocket.close();
		await new Promise((r) => webSocket.once('close', r));
	});
});
