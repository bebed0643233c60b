/**
 * Conversation › Get Many, Create, Update, List Participants, Pass Control, Offer Control, Accept
 * Control and User › Get Many Conversations, through n8n-core's engine: the simulator's
 * conversations and switchboard state show the effect; lists honour Return All and Limit across
 * pages; bad input is refused before any request.
 */
import type { IDataObject } from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';

import { SIM_SUNSHINE, startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import {
	itemsOf,
	messagingHarness,
	messagingNode,
	NODE_NAME,
	runNode,
	unique,
	withoutRequests,
} from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const conversation = (operation: string, parameters: IDataObject): IDataObject => ({
	resource: 'conversation',
	operation,
	...parameters,
});
const user = (operation: string, parameters: IDataObject): IDataObject => ({
	resource: 'user',
	operation,
	...parameters,
});

/** A user made with User › Create, and its ID. */
async function newUser(prefix: string): Promise<{ externalId: string; id: string }> {
	const externalId = unique(prefix);
	const [created] = outputOf(
		await runNode(messagingHarness(sim), user('create', { externalId })),
		NODE_NAME,
	);
	return { externalId, id: created.id as string };
}

/** The Sunshine API as a test sets up what the node cannot make (an sdkGroup conversation). */
async function sunshine(method: string, path: string, body?: unknown): Promise<IDataObject> {
	const auth = Buffer.from(`${SIM_SUNSHINE.keyId}:${SIM_SUNSHINE.keySecret}`).toString('base64');
	const res = await fetch(`${sim.urls.sunshine}/v2/apps/${SIM_SUNSHINE.appId}/${path}`, {
		method,
		headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	expect(res.ok).toBe(true);
	return (await res.json()) as IDataObject;
}

describe('Create, Get Many and User › Get Many Conversations', () => {
	it('creates conversations for a user by external ID or user ID, with their fields', async () => {
		const { externalId, id } = await newUser('create');
		const [byExternal] = outputOf(
			await runNode(
				messagingHarness(sim),
				conversation('create', {
					userExternalId: externalId,
					additionalFields: {
						displayName: 'Order 42',
						description: 'Refund request',
						iconUrl: 'https://example.com/i.png',
						metadata: '{"orderId": "42"}',
					},
				}),
			),
			NODE_NAME,
		);
		expect(byExternal).toMatchObject({
			type: 'personal',
			displayName: 'Order 42',
			description: 'Refund request',
			iconUrl: 'https://example.com/i.png',
			metadata: { orderId: '42' },
		});
		const [byId] = outputOf(
			await runNode(
				messagingHarness(sim),
				conversation('create', { userBy: 'userId', userId: id }),
			),
			NODE_NAME,
		);
		const stored = sim.sunshine.control.conversation({ id: byId.id as string });
		expect(stored.participants).toEqual([expect.objectContaining({ userId: id })]);
		expect(sim.sunshine.control.conversation({ id: byExternal.id as string }).participants).toEqual(
			[expect.objectContaining({ userId: id, userExternalId: externalId })],
		);
	});

	it('lists every conversation of a user across pages with Return All, or up to Limit, from either resource', async () => {
		const { externalId, id } = await newUser('many');
		const made = itemsOf(
			await runNode(
				messagingHarness(sim),
				conversation('create', {
					userExternalId: externalId,
					additionalFields: { displayName: '={{ "Conversation " + $json.n }}' },
				}),
				Array.from({ length: 105 }, (_, n) => ({ json: { n } })),
			),
		).map((item) => item.json.id as string);
		expect(made).toHaveLength(105);

		const all = itemsOf(
			await runNode(
				messagingHarness(sim),
				conversation('getAll', { userExternalId: externalId, returnAll: true }),
			),
		);
		expect(all.map((item) => item.json.id).sort()).toEqual([...made].sort());
		expect(
			all.every(
				(item) => item.pairedItem !== undefined && (item.pairedItem as { item: number }).item === 0,
			),
		).toBe(true);

		const limited = itemsOf(
			await runNode(
				messagingHarness(sim),
				conversation('getAll', { userBy: 'userId', userId: id, limit: 101 }),
			),
		);
		expect(limited).toHaveLength(101);
		expect(new Set(limited.map((item) => item.json.id)).size).toBe(101);

		const fromUser = itemsOf(
			await runNode(
				messagingHarness(sim),
				user('getConversations', { userExternalId: externalId, limit: 3 }),
			),
		);
		expect(fromUser).toHaveLength(3);
		expect(made).toEqual(expect.arrayContaining(fromUser.map((item) => item.json.id)));
	});

	it('refuses an empty user or a bad limit before any request, and reports an unknown user', async () => {
		const empty = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				conversation('getAll', { userExternalId: '={{ $json.id }}' }),
				[{ json: { id: '' } }],
			),
		);
		expect(errorOf(empty, NODE_NAME)).toMatchObject({
			message: 'User External ID: userExternalId must be a non-empty string, got an empty string',
			description: 'Field: User External ID (userExternalId).',
		});
		const limit = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				user('getConversations', { userExternalId: 'x', limit: '={{ $json.n }}' }),
				[{ json: { n: 0 } }],
			),
		);
		expect(errorOf(limit, NODE_NAME)).toMatchObject({
			message: 'Limit: must be a whole number of at least 1, got 0',
			description: 'Field: Limit. Set Limit to 1 or more, or turn on Return All.',
		});
		const icon = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				conversation('create', { userExternalId: 'x', additionalFields: { iconUrl: 'icon.png' } }),
			),
		);
		expect(errorOf(icon, NODE_NAME).message).toBe('Icon URL: iconUrl is not a valid URL');
		const unknown = errorOf(
			await runNode(
				messagingHarness(sim),
				conversation('create', { userExternalId: unique('nobody') }),
			),
			NODE_NAME,
		) as Error & { httpCode?: string };
		expect(unknown.name).toBe('NodeApiError');
		expect(unknown.httpCode).toBe('404');
	});
});

describe('Update', () => {
	it("changes the conversation's fields and replaces its metadata", async () => {
		const userExternalId = unique('update');
		const { conversationId } = sim.sunshine.control.userSays({ userExternalId, text: 'Hi' });
		const [out] = outputOf(
			await runNode(
				messagingHarness(sim),
				conversation('update', {
					userExternalId,
					updateFields: { displayName: 'Refund', metadata: '{"stage": "refund"}' },
				}),
			),
			NODE_NAME,
		);
		expect(out).toMatchObject({
			id: conversationId,
			displayName: 'Refund',
			metadata: { stage: 'refund' },
		});
		expect(sim.sunshine.control.conversation({ id: conversationId }).conversation).toMatchObject({
			displayName: 'Refund',
			metadata: { stage: 'refund' },
		});
	});

	it('refuses an update without fields, and a description over 100 characters, before any request', async () => {
		const none = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				conversation('update', { userExternalId: 'x', updateFields: {} }),
			),
		);
		expect(errorOf(none, NODE_NAME)).toMatchObject({
			message: 'Update Fields: is empty',
			description:
				'Field: Update Fields. Add at least one field to change: Display Name, Description, Icon URL or Metadata.',
		});
		const conversationId = sim.sunshine.control.userSays({
			userExternalId: unique('long'),
			text: 'Hi',
		}).conversationId;
		const long = errorOf(
			await withoutRequests(sim, () =>
				runNode(
					messagingHarness(sim),
					conversation('update', {
						conversationBy: 'conversationId',
						conversationId,
						updateFields: { description: 'd'.repeat(101) },
					}),
				),
			),
			NODE_NAME,
		);
		expect({ message: long.message, description: long.description }).toEqual({
			message: 'Update Fields › Description: description is 101 characters long; the limit is 100',
			description: 'Field: Update Fields › Description (description). Shorten it.',
		});
		expect(
			sim.sunshine.control.conversation({ id: conversationId }).conversation.description,
		).toBeUndefined();
	});
});

describe('List Participants', () => {
	it('lists the users of a group conversation, all of them or up to Limit', async () => {
		const users = await Promise.all(Array.from({ length: 6 }, (_, i) => newUser(`member${i}`)));
		const { conversation: group } = (await sunshine('POST', 'conversations', {
			type: 'sdkGroup',
			participants: users.map((u) => ({ userId: u.id, subscribeSDKClient: false })),
		})) as { conversation: { id: string } };
		const all = itemsOf(
			await runNode(
				messagingHarness(sim),
				conversation('listParticipants', {
					conversationBy: 'conversationId',
					conversationId: group.id,
					returnAll: true,
				}),
			),
		);
		expect(all.map((item) => item.json.userId).sort()).toEqual(users.map((u) => u.id).sort());
		expect(all.every((item) => item.json.conversationId === group.id)).toBe(true);
		const some = itemsOf(
			await runNode(
				messagingHarness(sim),
				conversation('listParticipants', {
					conversationBy: 'conversationId',
					conversationId: group.id,
					limit: 4,
				}),
			),
		);
		expect(some).toHaveLength(4);
	});
});

describe('Pass Control, Offer Control, Accept Control', () => {
	const state = (id: string) => sim.sunshine.control.conversation({ id }).switchboard;

	it('passes control to the agent workspace and back to the bot with "next", with metadata', async () => {
		const userExternalId = unique('pass');
		const { conversationId } = sim.sunshine.control.userSays({
			userExternalId,
			text: 'A human please',
		});
		expect(state(conversationId).active).toBe('bot');
		const [out] = outputOf(
			await runNode(
				messagingHarness(sim),
				conversation('passControl', {
					userExternalId,
					switchboardIntegration: 'zd-agentWorkspace',
					options: { metadata: '{"reason": "asked"}' },
				}),
			),
			NODE_NAME,
		);
		expect(out).toEqual({ conversationId, controlPassedTo: 'zd-agentWorkspace' });
		expect(state(conversationId).active).toBe('zd-agentWorkspace');
		expect(sim.sunshine.control.tickets({ conversationId })).toEqual([
			expect.objectContaining({ via: 'passControl', metadata: { reason: 'asked' } }),
		]);

		outputOf(
			await runNode(
				messagingHarness(sim),
				conversation('passControl', { userExternalId, switchboardIntegration: 'next' }),
			),
			NODE_NAME,
		);
		expect(state(conversationId).active).toBe('bot');
	});

	it('offers control (the bot keeps it until the offer is accepted), then accepts it', async () => {
		const userExternalId = unique('offer');
		const { conversationId } = sim.sunshine.control.userSays({ userExternalId, text: 'Hello' });
		const [offered] = outputOf(
			await runNode(
				messagingHarness(sim),
				conversation('offerControl', {
					userExternalId,
					switchboardIntegration: 'zd-agentWorkspace',
				}),
			),
			NODE_NAME,
		);
		expect(offered).toEqual({ conversationId, controlOfferedTo: 'zd-agentWorkspace' });
		expect(state(conversationId)).toEqual({ active: 'bot', pending: 'zd-agentWorkspace' });

		const [accepted] = outputOf(
			await runNode(messagingHarness(sim), conversation('acceptControl', { userExternalId })),
			NODE_NAME,
		);
		expect(accepted).toEqual({ conversationId, controlAccepted: true });
		expect(state(conversationId)).toEqual({ active: 'zd-agentWorkspace', pending: null });
	});

	it('reports accepting without an offer as the API refusal, and refuses an empty integration before any request', async () => {
		const userExternalId = unique('no-offer');
		sim.sunshine.control.userSays({ userExternalId, text: 'Hello' });
		const refused = errorOf(
			await runNode(messagingHarness(sim), conversation('acceptControl', { userExternalId })),
			NODE_NAME,
		);
		expect(refused.name).toBe('NodeApiError');
		expect(refused.message).toBe(
			'Sunshine Conversations POST /conversations/{conversationId}/acceptControl failed with 400 (bad_request: There is no pendingSwitchboardIntegration). Check the request fields named above.',
		);

		const empty = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				conversation('passControl', { userExternalId, switchboardIntegration: '={{ $json.to }}' }),
				[{ json: { to: '' } }],
			),
		);
		expect(errorOf(empty, NODE_NAME)).toMatchObject({
			message:
				'Switchboard Integration: switchboardIntegration must be a non-empty string, got an empty string',
			description: 'Field: Switchboard Integration (switchboardIntegration).',
		});
	});

	it('offers "next" and every switchboard integration in the picker', async () => {
		const harness = messagingHarness(sim);
		const node = messagingNode(conversation('passControl', { userExternalId: 'x' }));
		const workflow = harness.workflow({ nodes: [node] });
		const context = new LoadOptionsContext(
			workflow,
			node,
			harness.additionalData('manual', workflow),
			'switchboardIntegration',
		);
		const nodeType = harness.nodeTypes.getByNameAndVersion(node.type, 1) as {
			methods: { loadOptions: Record<string, (this: unknown) => Promise<unknown>> };
		};
		expect(await nodeType.methods.loadOptions.getControlTargets.call(context)).toEqual([
			{
				name: 'Next (the Integration After the One in Control)',
				value: 'next',
				description: "The one set as the current integration's next in the switchboard",
			},
			{
				name: 'zd-agentWorkspace (Zendesk Agent Workspace)',
				value: 'zd-agentWorkspace',
				description: 'Type zd:agentWorkspace; its next is bot',
			},
			{
				name: 'bot',
				value: 'bot',
				description: 'Type custom; gets new conversations; its next is zd-agentWorkspace',
			},
		]);
	});
});
