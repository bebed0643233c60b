import { LoadOptionsContext } from 'n8n-core';

import { MESSAGING_ORIGIN_TAG } from '../../../nodes/shared/messagingOrigin';
import { createEchoFilter } from '../../../src/messaging';
import { startSimulator, SIM_SUNSHINE, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import {
	itemsOf,
	messagingHarness,
	messagingNode,
	NODE_NAME,
	runNode,
	textOf,
	unique,
} from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const escalate = (parameters: Record<string, unknown>) => ({
	resource: 'conversation',
	operation: 'escalate',
	...parameters,
});

/** 14 lines: with the summary more than the 10 messages a ticket gets without first_message_id. */
const history = Array.from({ length: 14 }, (_, i) => ({
	role: i % 2 ? 'bot' : 'user',
	text: `${i % 2 ? 'Bot' : 'Customer'} line ${i + 1}`,
}));

describe('Escalate to Agent', () => {
	it('creates the user and conversation, posts summary and transcript, and opens a ticket with the whole history and the ticket fields', async () => {
		const externalId = unique('session');
		const run = await runNode(
			messagingHarness(sim),
			escalate({
				userExternalId: '={{ $json.sessionId }}',
				summary: '={{ $json.summary }}',
				transcriptSource: 'json',
				transcriptJson: '={{ $json.history }}',
				ticketFields: {
					tags: 'refund, from_bot',
					groupId: '360001',
					priority: 'high',
					requesterName: 'Grace Hopper',
					requesterEmail: 'grace@example.com',
					customFields: { field: [{ id: '360012345678', value: 'order-42' }] },
				},
				options: {
					botDisplayName: 'Support Bot',
					userFirstName: 'Grace',
					userEmail: 'grace@example.com',
					metadata: '{"channel": "web"}',
					conversationMetadata: '{"bridge": "zendesk-chat"}',
				},
			}),
			[
				{
					json: {
						sessionId: externalId,
						summary: 'Charged twice for order 42; wants a refund.',
						history,
					},
				},
			],
		);

		const [out] = outputOf(run, NODE_NAME);
		const messages = out.messages as Array<{
			id: string;
			author: Record<string, unknown>;
			metadata: Record<string, unknown>;
		}>;
		expect(out.userCreated).toBe(true);
		expect(out.conversationCreated).toBe(true);
		expect((out.user as { externalId: string; profile: Record<string, unknown> }).externalId).toBe(
			externalId,
		);
		expect((out.user as { profile: Record<string, unknown> }).profile).toMatchObject({
			givenName: 'Grace',
			email: 'grace@example.com',
		});
		expect(messages.map(textOf)).toEqual([
			'Charged twice for order 42; wants a refund.',
			...history.map((h) => h.text),
		]);
		expect(messages.map((m) => m.author.displayName)).toEqual([
			'Support Bot',
			...history.map((h) => (h.role === 'user' ? 'Customer' : 'Support Bot')),
		]);
		expect(
			messages.every(
				(m) => m.author.type === 'business' && m.metadata['n8n.origin'] === MESSAGING_ORIGIN_TAG,
			),
		).toBe(true);
		expect(out.firstMessageId).toBe(messages[0].id);
		expect(out.metadata).toEqual({
			'dataCapture.systemField.tags': 'refund,from_bot',
			'dataCapture.systemField.group_id': '360001',
			'dataCapture.systemField.priority': 'high',
			'dataCapture.systemField.requester.name': 'Grace Hopper',
			'dataCapture.systemField.requester.email': 'grace@example.com',
			'dataCapture.ticketField.360012345678': 'order-42',
			channel: 'web',
			first_message_id: messages[0].id,
		});

		const conversationId = (out.conversation as { id: string }).id;
		expect(out.conversationId).toBe(conversationId);
		const tickets = sim.sunshine.control.tickets({ conversationId });
		expect(tickets).toHaveLength(1);
		expect(tickets[0].status).toBe('open');
		expect(tickets[0].firstMessageId).toBe(messages[0].id);
		// All 15 messages, not the last 10: first_message_id reached Zendesk.
		expect(tickets[0].messageIds).toEqual(messages.map((m) => m.id));
		expect(tickets[0].messages.map(textOf)).toEqual(messages.map(textOf));
		expect(tickets[0].tags).toEqual(['refund', 'from_bot']);
		expect(tickets[0].systemFields).toEqual({
			group_id: '360001',
			priority: 'high',
			'requester.name': 'Grace Hopper',
			'requester.email': 'grace@example.com',
		});
		expect(tickets[0].ticketFields).toEqual({ '360012345678': 'order-42' });
		expect(sim.sunshine.control.conversation({ id: conversationId }).switchboard.active).toBe(
			SIM_SUNSHINE.agentWorkspaceName,
		);
		// Conversation Metadata is the conversation's own, apart from the handoff metadata.
		expect(sim.sunshine.control.conversation({ id: conversationId }).conversation.metadata).toEqual(
			{ bridge: 'zendesk-chat' },
		);

		// The Messaging Trigger's echo filter drops every message the escalation posted.
		const isEcho = createEchoFilter({ originTag: MESSAGING_ORIGIN_TAG });
		expect(
			sim.sunshine.control.messages({ conversationId }).every((m: unknown) => isEcho(m as never)),
		).toBe(true);
	});

	it('takes the transcript from the fixed collection, with the customer name and no bot name', async () => {
		const run = await runNode(
			messagingHarness(sim),
			escalate({
				userExternalId: unique('fields'),
				summary: 'Wants to change the delivery address',
				transcriptSource: 'fields',
				transcriptMessages: {
					message: [
						{ role: 'user', text: 'Can I change my address?' },
						{ role: 'bot', text: 'I will get you a person.' },
					],
				},
				options: { transcriptUserName: 'Ada' },
			}),
		);
		const [out] = outputOf(run, NODE_NAME);
		const messages = out.messages as Array<{ author: Record<string, unknown> }>;
		expect(messages.map(textOf)).toEqual([
			'Wants to change the delivery address',
			'Can I change my address?',
			'I will get you a person.',
		]);
		expect(messages.map((m) => m.author.displayName)).toEqual([undefined, 'Ada', undefined]);
		const [ticket] = sim.sunshine.control.tickets({
			conversationId: (out.conversation as { id: string }).id,
		});
		expect(ticket.messageIds).toHaveLength(3);
		expect(ticket.tags).toEqual([]);
	});

	it('accepts a transcript object with a messages list, typed as JSON', async () => {
		const run = await runNode(
			messagingHarness(sim),
			escalate({
				userExternalId: unique('memory'),
				summary: 'Summary',
				transcriptSource: 'json',
				transcriptJson: JSON.stringify({ messages: [{ role: 'user', text: 'Hello' }] }),
			}),
		);
		expect((outputOf(run, NODE_NAME)[0].messages as unknown[]).map(textOf)).toEqual([
			'Summary',
			'Hello',
		]);
	});

	it('reuses the user and their latest conversation by default, creates a new one or continues a given one on request', async () => {
		const harness = messagingHarness(sim);
		const externalId = unique('again');
		const first = outputOf(
			await runNode(harness, escalate({ userExternalId: externalId, summary: 'First time' })),
			NODE_NAME,
		)[0];
		const conversationId = (first.conversation as { id: string }).id;
		sim.sunshine.control.agentReleasesControl({ conversationId, reason: 'ticketClosed' });

		const second = outputOf(
			await runNode(harness, escalate({ userExternalId: externalId, summary: 'Back again' })),
			NODE_NAME,
		)[0];
		expect(second.userCreated).toBe(false);
		expect((second.user as { id: string }).id).toBe((first.user as { id: string }).id);
		expect(second.conversationCreated).toBe(false);
		expect((second.conversation as { id: string }).id).toBe(conversationId);
		const tickets = sim.sunshine.control.tickets({ conversationId });
		expect(tickets.map((t: { status: string }) => t.status)).toEqual(['closed', 'open']);
		expect(tickets[1].messageIds).toEqual([second.firstMessageId]);
		sim.sunshine.control.agentReleasesControl({ conversationId, reason: 'ticketClosed' });

		const fresh = outputOf(
			await runNode(
				harness,
				escalate({ userExternalId: externalId, summary: 'Other topic', conversationMode: 'new' }),
			),
			NODE_NAME,
		)[0];
		expect(fresh.conversationCreated).toBe(true);
		expect((fresh.conversation as { id: string }).id).not.toBe(conversationId);

		const given = outputOf(
			await runNode(
				harness,
				escalate({
					userExternalId: externalId,
					summary: 'About the first topic',
					conversationMode: 'id',
					conversationId,
				}),
			),
			NODE_NAME,
		)[0];
		expect(given.conversationCreated).toBe(false);
		expect((given.conversation as { id: string }).id).toBe(conversationId);
		expect(sim.sunshine.control.tickets({ conversationId })).toHaveLength(3);
	});

	it('pairs each output with its input item and escalates each item on its own', async () => {
		const ids = [unique('a'), unique('b'), unique('c')];
		const run = await runNode(
			messagingHarness(sim),
			escalate({
				userExternalId: '={{ $json.id }}',
				summary: '={{ "Summary for " + $json.id }}',
				ticketFields: { tags: '={{ $json.tag }}' },
			}),
			ids.map((id, i) => ({ json: { id, tag: `tag_${i}` } })),
		);
		const items = itemsOf(run);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => (item.json.user as { externalId: string }).externalId)).toEqual(ids);
		for (const [i, item] of items.entries()) {
			const [ticket] = sim.sunshine.control.tickets({
				conversationId: (item.json.conversation as { id: string }).id,
			});
			expect(ticket.tags).toEqual([`tag_${i}`]);
			expect(ticket.messages.map(textOf)).toEqual([`Summary for ${ids[i]}`]);
		}
	});

	it('with Continue On Fail, a bad item becomes an error item and the others go through', async () => {
		const ids = [unique('ok'), unique('bad'), unique('ok')];
		const run = await runNode(
			messagingHarness(sim),
			escalate({ userExternalId: '={{ $json.id }}', summary: '={{ $json.summary }}' }),
			[
				{ json: { id: ids[0], summary: 'one' } },
				{ json: { id: ids[1], summary: '' } },
				{ json: { id: ids[2], summary: 'three' } },
			],
			{ onError: 'continueRegularOutput' },
		);
		const items = itemsOf(run);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json).toEqual({
			error: 'Summary: summary must be a non-empty string, got an empty string',
			description: 'Field: Summary (summary).',
		});
		expect((items[0].json.user as { externalId: string }).externalId).toBe(ids[0]);
		expect((items[2].json.user as { externalId: string }).externalId).toBe(ids[2]);
		// Nothing was created for the bad item.
		const missing = await runNode(messagingHarness(sim), {
			resource: 'user',
			operation: 'get',
			getBy: 'externalId',
			externalId: ids[1],
		});
		expect(errorOf(missing, NODE_NAME).message).toContain('user_not_found');
	});

	it('passes control to another switchboard integration when asked (no ticket then)', async () => {
		const run = await runNode(
			messagingHarness(sim),
			escalate({
				userExternalId: unique('bot'),
				summary: 'Back to the bot',
				options: { switchboardIntegration: 'bot' },
			}),
		);
		const [out] = outputOf(run, NODE_NAME);
		const conversationId = (out.conversation as { id: string }).id;
		expect(sim.sunshine.control.conversation({ id: conversationId }).switchboard.active).toBe(
			'bot',
		);
		expect(sim.sunshine.control.tickets({ conversationId })).toHaveLength(0);
	});
});

describe('switchboard integrations list (Pass Control To)', () => {
	it('lists the app’s switchboard integrations, the agent workspace first', async () => {
		const harness = messagingHarness(sim);
		const node = messagingNode(escalate({}));
		const workflow = harness.workflow({ nodes: [node] });
		const context = new LoadOptionsContext(
			workflow,
			node,
			harness.additionalData('manual', workflow),
			'options.switchboardIntegration',
		);
		const nodeType = harness.nodeTypes.getByNameAndVersion(node.type, 1) as {
			methods: { loadOptions: Record<string, (this: unknown) => Promise<unknown>> };
		};
		const options = await nodeType.methods.loadOptions.getSwitchboardIntegrations.call(context);
		expect(options).toEqual([
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

	it('reports a wrong key as the API error', async () => {
		const harness = messagingHarness(sim, { keySecret: 'wrong-secret' });
		const node = messagingNode(escalate({}));
		const workflow = harness.workflow({ nodes: [node] });
		const context = new LoadOptionsContext(
			workflow,
			node,
			harness.additionalData('manual', workflow),
			'options.switchboardIntegration',
		);
		const nodeType = harness.nodeTypes.getByNameAndVersion(node.type, 1) as {
			methods: { loadOptions: Record<string, (this: unknown) => Promise<unknown>> };
		};
		await expect(
			nodeType.methods.loadOptions.getSwitchboardIntegrations.call(context),
		).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
		});
	});
});
