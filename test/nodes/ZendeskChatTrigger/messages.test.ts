import { LoadOptionsContext } from 'n8n-core';
import { NodeApiError, type ILoadOptionsFunctions, type INodePropertyOptions } from 'n8n-workflow';

import { ZendeskChatTrigger } from '../../../nodes/ZendeskChatTrigger/ZendeskChatTrigger.node';
import { SIM_BOT_AGENT_ID, SIM_DEPARTMENTS, SIM_TOKENS } from '../../../simulator';
import { encodeRelayId } from '../../../simulator/conversations';
import { closeSharedSessionPool, sendMessage, sharedSessionPool } from '../../../src/conversations';
import { credentialKey, staticToken } from '../../../src/shared';
import { chatCredentialsFor, chatCredentialTypes } from '../../helpers/chat-credentials';
import { N8nHarness, outputOf } from '../../helpers/n8n/harness';
import {
	ACTION_TYPE,
	ChatTriggerFixture,
	DOWNSTREAM,
	downstreamLog,
	gates,
	leasesOf,
	sleep,
	TRIGGER,
	TRIGGER_TYPE,
	TRIGGER_VERSION,
	triggerNode,
	waitFor,
} from './fixture';

let fx: ChatTriggerFixture;
const items = ChatTriggerFixture.firstItems;
const texts = (trigger: Parameters<typeof items>[0]) => items(trigger).map((i) => i.text);

beforeAll(async () => {
	fx = await ChatTriggerFixture.start();
});

afterEach(async () => {
	await fx.closeAll();
	gates.clear();
	downstreamLog.length = 0;
});

afterAll(async () => {
	await fx.shutdown();
	await closeSharedSessionPool();
});

describe('Chat Message', () => {
	it('emits a visitor message with what the next node needs, and runs the workflow with it (Include Department added)', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			options: { includeDepartment: true },
		});
		const chat = fx.sim.world.startChat({
			departmentId: SIM_DEPARTMENTS.sales,
			visitor: { name: 'Harry Potter', email: 'harry@example.com', externalId: 'crm-42' },
			message: 'Where is my "order"?',
		});
		await trigger.waitForEmits(1);
		const entry = chat.history.find((h) => h.type === 'chat.msg')!;
		const [item] = items(trigger);
		expect(item).toEqual({
			event: 'chatMessage',
			channelId: encodeRelayId('CHANNEL', chat.id),
			chatId: chat.id,
			messageId: encodeRelayId('MESSAGE', entry.id),
			msgId: entry.msgId,
			text: 'Where is my "order"?',
			senderType: 'visitor',
			sender: { id: encodeRelayId('VISITOR', chat.visitor.id), name: 'Harry Potter' },
			visitor: {
				id: encodeRelayId('VISITOR', chat.visitor.id),
				name: 'Harry Potter',
				email: 'harry@example.com',
				externalId: 'crm-42',
				country: chat.visitor.countryName,
				region: chat.visitor.region,
				tags: [],
			},
			ip: chat.visitor.ip,
			userAgent: chat.visitor.userAgent,
			timestamp: new Date(entry.timestamp).toISOString(),
			receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			department: { id: SIM_DEPARTMENTS.sales, name: 'Sales' },
			departmentStatus: 'found',
		});
		expect(trigger.emits[0].items[0]).toHaveLength(1);
		const run = await trigger.emits[0].run;
		expect(outputOf(run, DOWNSTREAM)).toEqual([{ seen: item.messageId }]);
		expect(trigger.errors).toEqual([]);
		expect(trigger.failedExecutions).toEqual([]);
	});

	it("From Agents: emits the agent's messages and not the visitor's", async () => {
		const trigger = await fx.activate({ event: 'chatMessage', sender: 'agent' });
		const chat = fx.sim.world.startChat({ message: 'visitor speaks' });
		fx.sim.world.agentSays(chat.id, SIM_BOT_AGENT_ID, { text: 'agent answers' });
		fx.sim.world.visitorSays(chat.id, 'visitor again');
		fx.sim.world.agentSays(chat.id, SIM_BOT_AGENT_ID, { text: 'agent again' });
		await trigger.waitForEmits(2);
		expect(
			items(trigger).map((i) => [i.text, i.senderType, (i.sender as { name: string }).name]),
		).toEqual([
			['agent answers', 'agent', 'Ada Bot'],
			['agent again', 'agent', 'Ada Bot'],
		]);
		expect(items(trigger)[0].sender).toEqual({
			id: encodeRelayId('AGENT', SIM_BOT_AGENT_ID),
			name: 'Ada Bot',
		});
	});

	it('From Visitors and Agents: emits both, in chat order', async () => {
		const trigger = await fx.activate({ event: 'chatMessage', sender: 'both' });
		const chat = fx.sim.world.startChat({ message: 'one' });
		fx.sim.world.agentSays(chat.id, SIM_BOT_AGENT_ID, { text: 'two' });
		fx.sim.world.visitorSays(chat.id, 'three');
		await trigger.waitForEmits(3);
		expect(items(trigger).map((i) => `${i.senderType}:${i.text}`)).toEqual([
			'visitor:one',
			'agent:two',
			'visitor:three',
		]);
	});

	it('Department filter: only chats of that department, looked up once per chat', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { departmentId: String(SIM_DEPARTMENTS.sales) },
		});
		fx.sim.rest.control.clearRequestLog();
		fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.support, message: 'in support' });
		fx.sim.world.startChat({ message: 'in no department' });
		const sales = fx.sim.world.startChat({
			departmentId: SIM_DEPARTMENTS.sales,
			message: 'in sales',
		});
		fx.sim.world.visitorSays(sales.id, 'in sales again');
		await trigger.waitForEmits(2);
		expect(texts(trigger)).toEqual(['in sales', 'in sales again']);
		expect(items(trigger).map((i) => i.department)).toEqual([
			{ id: SIM_DEPARTMENTS.sales, name: 'Sales' },
			{ id: SIM_DEPARTMENTS.sales, name: 'Sales' },
		]);
		// Lookups go by `GET /chats?ids=` (several chats a request); the sales chat is in exactly one.
		const log = fx.sim.rest.control.requestLog();
		expect(log.every((r) => new URL(r.path, 'http://sim').pathname === '/api/v2/chat/chats')).toBe(
			true,
		);
		const lookups = log.filter((r) =>
			(new URL(r.path, 'http://sim').searchParams.get('ids') ?? '').split(',').includes(sales.id),
		);
		expect(lookups).toHaveLength(1);
	});

	it.each([
		['the defaults (version 1.1)', {}, TRIGGER_VERSION],
		['Include Department switched off', { options: { includeDepartment: false } }, TRIGGER_VERSION],
		['Include Department switched off in version 1', { options: { includeDepartment: false } }, 1],
	])('%s: no department, no REST request', async (_, parameters, version) => {
		const trigger = await fx.activate(
			{ event: 'chatMessage', ...parameters },
			fx.workflow({ event: 'chatMessage', ...parameters }, version),
		);
		fx.sim.rest.control.clearRequestLog();
		fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'hi' });
		await trigger.waitForEmits(1);
		expect(items(trigger)[0]).toMatchObject({ text: 'hi' });
		expect(items(trigger)[0]).not.toHaveProperty('department');
		expect(items(trigger)[0]).not.toHaveProperty('departmentStatus');
		expect(fx.sim.rest.control.requestLog()).toEqual([]);
	});

	it('version 1, as saved workflows have it: Include Department is on unless switched off', async () => {
		const parameters = { event: 'chatMessage', options: {} };
		const trigger = await fx.activate(parameters, fx.workflow(parameters, 1));
		fx.sim.world.startChat({ departmentId: SIM_DEPARTMENTS.sales, message: 'hi' });
		await trigger.waitForEmits(1);
		expect(items(trigger)[0]).toMatchObject({
			text: 'hi',
			department: { id: SIM_DEPARTMENTS.sales, name: 'Sales' },
			departmentStatus: 'found',
		});
	});

	it('Text Contains ignores case unless Case Sensitive is on', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { textContains: 'refund' },
		});
		const chat = fx.sim.world.startChat({ message: 'hello' });
		for (const text of ['I want a REFUND', 'no thanks', 'refund again'])
			fx.sim.world.visitorSays(chat.id, text);
		await trigger.waitForEmits(2);
		expect(texts(trigger)).toEqual(['I want a REFUND', 'refund again']);
		await fx.close(trigger);

		const strict = await fx.activate({
			event: 'chatMessage',
			messageFilters: { textContains: 'refund', caseSensitive: true },
		});
		for (const text of ['I want a REFUND', 'a refund, please'])
			fx.sim.world.visitorSays(chat.id, text);
		await strict.waitForEmits(1);
		await sleep(100);
		expect(texts(strict)).toEqual(['a refund, please']);
	});

	it('Text Matches (Regex)', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { textRegex: '^order\\s*#?\\d+$' },
		});
		const chat = fx.sim.world.startChat({ message: 'order #123' });
		for (const text of ['my order 5', 'ORDER 77', 'order']) fx.sim.world.visitorSays(chat.id, text);
		fx.sim.world.visitorSays(chat.id, 'order 9');
		await trigger.waitForEmits(3);
		expect(texts(trigger)).toEqual(['order #123', 'ORDER 77', 'order 9']);
	});

	it("First Message of a Chat Only: a new chat's first message, not later ones, not a chat that began earlier", async () => {
		const earlier = fx.sim.world.startChat({ message: 'earlier chat, first' });
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { firstMessageOnly: true },
		});
		fx.sim.world.visitorSays(earlier.id, 'earlier chat, second');
		const fresh = fx.sim.world.startChat({ message: 'new chat, first' });
		fx.sim.world.visitorSays(fresh.id, 'new chat, second');
		const quiet = fx.sim.world.startChat();
		fx.sim.world.visitorSays(quiet.id, 'quiet chat, first');
		fx.sim.world.visitorSays(quiet.id, 'quiet chat, second');
		await trigger.waitForEmits(2);
		await sleep(100);
		expect(texts(trigger)).toEqual(['new chat, first', 'quiet chat, first']);
		expect(items(trigger).map((i) => i.firstMessage)).toEqual([true, true]);
	});

	it('First Message of a Chat Only with a text filter: the first message, if it matches', async () => {
		const trigger = await fx.activate({
			event: 'chatMessage',
			messageFilters: { firstMessageOnly: true, textContains: 'help' },
		});
		const a = fx.sim.world.startChat({ message: 'hello' });
		fx.sim.world.visitorSays(a.id, 'help me');
		fx.sim.world.startChat({ message: 'help!' });
		await trigger.waitForEmits(1);
		await sleep(100);
		expect(texts(trigger)).toEqual(['help!']);
	});
});

describe('OAuth2', () => {
	it("gets its token through n8n's OAuth2 credential and listens", async () => {
		const harness = new N8nHarness({
			nodeTypes: { [TRIGGER_TYPE]: new ZendeskChatTrigger() },
			credentialTypes: chatCredentialTypes(),
			credentials: { zendeskChatOAuth2Api: chatCredentialsFor(fx.sim).zendeskChatOAuth2Api },
		});
		const node = {
			...triggerNode({ event: 'chatMessage', authentication: 'oAuth2' }),
			credentials: { zendeskChatOAuth2Api: { id: 'cred-oauth', name: 'chat oauth' } },
		};
		const trigger = await harness.activate({ nodes: [node], triggerNode: TRIGGER });
		try {
			expect(harness.credentialsHelper.updates).toHaveLength(1);
			fx.sim.world.startChat({ message: 'over oauth' });
			await trigger.waitForEmits(1);
			expect(items(trigger)[0]).toMatchObject({ text: 'over oauth', senderType: 'visitor' });
		} finally {
			await trigger.close();
			// The same agent as the token credential: end this session now, or the two would take turns (EOS).
			await sharedSessionPool()
				.sessionFor(credentialKey('zendeskChatOAuth2Api', fx.sim.urls.rest, 'cred-oauth'))
				?.close();
		}
	});
});

describe('Agent Presence', () => {
	const status = () => fx.sim.world.agents.get(SIM_BOT_AGENT_ID)!.status;

	it.each([
		['online', 'ONLINE'],
		['invisible', 'INVISIBLE'],
	])('%s sets the agent %s on activation', async (presence, expected) => {
		fx.sim.world.setAgentStatus(SIM_BOT_AGENT_ID, 'AWAY');
		await fx.activate({ event: 'chatMessage', presence });
		expect(status()).toBe(expected);
	});

	it('unchanged leaves the status alone', async () => {
		fx.sim.world.setAgentStatus(SIM_BOT_AGENT_ID, 'AWAY');
		await fx.activate({ event: 'chatActivity', presence: 'unchanged' });
		expect(status()).toBe('AWAY');
	});
});

describe('one session per agent', () => {
	it('a lease for the same credential while the trigger is active starts no session, and its send reaches the trigger', async () => {
		const trigger = await fx.activate({ event: 'chatMessage', sender: 'agent' });
		const chat = fx.sim.world.startChat({ message: 'hi' });
		const starts = fx.sim.conversations.control.sessionStarts().total;
		const lease = await sharedSessionPool().lease({
			key: fx.key(),
			tokenProvider: staticToken(SIM_TOKENS.bot),
			httpUrl: fx.sim.urls.conversationsHttp,
		});
		try {
			expect(leasesOf(fx.key())).toBe(2);
			await lease.session.request(
				sendMessage({
					channelId: fx.channelOf(chat.id),
					message: 'sent by an action',
					msgId: 'action-1',
				}),
			);
			await trigger.waitForEmits(1);
			expect(items(trigger)[0]).toMatchObject({
				text: 'sent by an action',
				msgId: 'action-1',
				senderType: 'agent',
			});
			expect(fx.sim.conversations.control.sessionStarts().total).toBe(starts);
			expect(fx.sim.conversations.control.sessions()).toHaveLength(1);
		} finally {
			await lease.release();
		}
	});
});

describe('with the Zendesk Chat node', () => {
	it("a workflow that answers each visitor runs the reply on the trigger's session: no second startAgentSession", async () => {
		const reply = {
			id: 'reply-1',
			name: 'Reply',
			type: ACTION_TYPE,
			typeVersion: 1,
			position: [200, 0] as [number, number],
			parameters: {
				authentication: 'accessToken',
				resource: 'message',
				operation: 'sendText',
				channelId: '={{ $json.channelId }}',
				text: '=You said: {{ $json.text }}',
			},
			credentials: { zendeskChatApi: { id: 'cred-chat', name: 'Zendesk Chat' } },
		};
		const trigger = await fx.activate(
			{},
			{
				nodes: [triggerNode({ event: 'chatMessage' }), reply],
				connections: { [TRIGGER]: { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
			},
		);
		const starts = fx.sim.conversations.control.sessionStarts().total;
		const chat = fx.sim.world.startChat({ message: 'Hi there' });
		fx.sim.world.visitorSays(chat.id, 'Are you a bot?');
		await trigger.waitForEmits(2);
		const runs = await Promise.all(trigger.emits.map((e) => e.run));
		expect(runs.map((r) => outputOf(r, 'Reply')[0])).toEqual([
			expect.objectContaining({ success: true, channelId: fx.channelOf(chat.id) }),
			expect.objectContaining({ success: true, channelId: fx.channelOf(chat.id) }),
		]);
		expect(fx.sim.world.requireChat(chat.id).delivered.map((d) => d.text)).toEqual([
			'You said: Hi there',
			'You said: Are you a bot?',
		]);
		expect(fx.sim.conversations.control.sessionStarts().total).toBe(starts);
		expect(fx.sim.conversations.control.sessions()).toHaveLength(1);
		// The replies are agent messages: a visitor-only trigger does not hear them.
		await sleep(100);
		expect(trigger.emits).toHaveLength(2);
		expect(leasesOf(fx.key())).toBe(1);
	});
});

describe('Wait for Each Execution', () => {
	function hold(text: string): () => void {
		let release!: () => void;
		gates.set(text, new Promise<void>((resolve) => (release = resolve)));
		return release;
	}

	it('on: the next execution starts only after the previous one finished, in order', async () => {
		const release = hold('one');
		const trigger = await fx.activate({
			event: 'chatMessage',
			options: { waitForExecution: true },
		});
		const chat = fx.sim.world.startChat({ message: 'one' });
		fx.sim.world.visitorSays(chat.id, 'two');
		fx.sim.world.visitorSays(chat.id, 'three');
		await trigger.waitForEmits(1);
		await sleep(300);
		expect(trigger.emits).toHaveLength(1);
		release();
		await trigger.waitForEmits(3);
		await Promise.all(trigger.emits.map((e) => e.run));
		expect(downstreamLog.map((l) => `${l.phase} ${l.text}`)).toEqual([
			'start one',
			'end one',
			'start two',
			'end two',
			'start three',
			'end three',
		]);
	});

	it('off: events start executions at once, whatever runs', async () => {
		const release = hold('one');
		const trigger = await fx.activate({ event: 'chatMessage' });
		const chat = fx.sim.world.startChat({ message: 'one' });
		fx.sim.world.visitorSays(chat.id, 'two');
		await trigger.waitForEmits(2);
		await waitFor(
			() => downstreamLog.some((l) => l.text === 'two' && l.phase === 'end'),
			'the second execution',
		);
		expect(downstreamLog.filter((l) => l.text === 'one')).toEqual([
			{ text: 'one', phase: 'start' },
		]);
		release();
		await Promise.all(trigger.emits.map((e) => e.run));
		expect(texts(trigger)).toEqual(['one', 'two']);
	});
});

describe('Listen for test event (manual mode)', () => {
	it("returns the first event as the node's output, runs the workflow with it, and lets go of the session", async () => {
		const before = fx.serverSubscriptions('message');
		const running = fx.harness.run({
			...fx.workflow({ event: 'chatMessage' }),
			startNode: TRIGGER,
			mode: 'manual',
		});
		await waitFor(
			() => fx.serverSubscriptions('message') === before + 1,
			'the trigger to subscribe',
		);
		const chat = fx.sim.world.startChat({ message: 'first' });
		fx.sim.world.visitorSays(chat.id, 'second');
		const run = await running;
		const output = outputOf(run, TRIGGER);
		expect(output).toHaveLength(1);
		expect(output[0]).toMatchObject({ event: 'chatMessage', text: 'first', chatId: chat.id });
		expect(outputOf(run, DOWNSTREAM)).toEqual([{ seen: output[0].messageId }]);
		await waitFor(
			() => leasesOf(fx.key()) === 0 && fx.serverSubscriptions('message') === before,
			'the lease to be released',
		);
	});
});

describe('Department list (loadOptions getDepartments)', () => {
	async function departments(): Promise<INodePropertyOptions[]> {
		const node = triggerNode({ event: 'chatMessage' });
		const workflow = fx.harness.workflow({ nodes: [node] });
		const context = new LoadOptionsContext(
			workflow,
			node,
			fx.harness.additionalData('manual', workflow),
			'messageFilters.departmentId',
		);
		return await new ZendeskChatTrigger().methods.loadOptions.getDepartments.call(
			context as ILoadOptionsFunctions,
		);
	}

	it("lists the account's departments by name, with the REST id as the value", async () => {
		expect(await departments()).toEqual([
			{
				name: 'Billing',
				value: String(SIM_DEPARTMENTS.billing),
				description: `ID ${SIM_DEPARTMENTS.billing}`,
			},
			{
				name: 'Sales',
				value: String(SIM_DEPARTMENTS.sales),
				description: `ID ${SIM_DEPARTMENTS.sales}`,
			},
			{
				name: 'Support',
				value: String(SIM_DEPARTMENTS.support),
				description: `ID ${SIM_DEPARTMENTS.support}`,
			},
		]);
	});

	it('reports a refused token as the API error', async () => {
		fx.useToken(SIM_TOKENS.revoked);
		try {
			const error = await departments().catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).httpCode).toBe('401');
		} finally {
			fx.useToken(SIM_TOKENS.bot);
		}
	});
});
