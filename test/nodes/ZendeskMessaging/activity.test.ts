/**
 * Activity › Typing Start, Typing Stop, Mark as Read through n8n-core's engine: each is recorded by
 * the simulator as a business activity of the conversation (found by the user's external ID or by ID).
 */
import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { itemsOf, messagingHarness, NODE_NAME, runNode, unique, withoutRequests } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const activity = (operation: string, parameters: Record<string, unknown>) => ({
	resource: 'activity',
	operation,
	...parameters,
});

function customer(): { userExternalId: string; conversationId: string } {
	const userExternalId = unique('typing');
	const { conversationId } = sim.sunshine.control.userSays({ userExternalId, text: 'Hello?' });
	return { userExternalId, conversationId };
}

describe('Activity', () => {
	it('shows and hides the typing indicator and marks the conversation read, as the business', async () => {
		const { userExternalId, conversationId } = customer();
		const harness = messagingHarness(sim);
		const outputs = [];
		for (const operation of ['typingStart', 'typingStop', 'markAsRead']) {
			outputs.push(
				outputOf(await runNode(harness, activity(operation, { userExternalId })), NODE_NAME)[0],
			);
		}
		expect(outputs).toEqual([
			{ conversationId, activity: 'typing:start' },
			{ conversationId, activity: 'typing:stop' },
			{ conversationId, activity: 'conversation:read' },
		]);
		const recorded = sim.sunshine.control.activities({ conversationId });
		expect(recorded.map((a) => [a.type, a.author.type])).toEqual([
			['typing:start', 'business'],
			['typing:stop', 'business'],
			['conversation:read', 'business'],
		]);
		// Reading as the business sets the conversation's businessLastRead.
		const { conversation } = sim.sunshine.control.conversation({ id: conversationId });
		expect(conversation.businessLastRead).toEqual(expect.any(String));
	});

	it('acts on a conversation given by ID, once per item', async () => {
		const first = customer();
		const second = customer();
		const items = itemsOf(
			await runNode(
				messagingHarness(sim),
				activity('typingStart', {
					conversationBy: 'conversationId',
					conversationId: '={{ $json.id }}',
				}),
				[{ json: { id: first.conversationId } }, { json: { id: second.conversationId } }],
			),
		);
		expect(items.map((item) => [item.json.conversationId, item.pairedItem])).toEqual([
			[first.conversationId, { item: 0 }],
			[second.conversationId, { item: 1 }],
		]);
		expect(
			sim.sunshine.control.activities({ conversationId: second.conversationId }).map((a) => a.type),
		).toEqual(['typing:start']);
	});

	it('refuses an empty conversation ID before any request, and reports an unknown conversation', async () => {
		const empty = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				activity('markAsRead', {
					conversationBy: 'conversationId',
					conversationId: '={{ $json.id }}',
				}),
				[{ json: { id: '' } }],
			),
		);
		expect(errorOf(empty, NODE_NAME).message).toBe(
			'Conversation ID: conversationId must be a non-empty string, got an empty string',
		);
		const unknown = errorOf(
			await runNode(
				messagingHarness(sim),
				activity('typingStart', {
					conversationBy: 'conversationId',
					conversationId: 'no-such-conversation',
				}),
			),
			NODE_NAME,
		) as Error & {
			httpCode?: string;
		};
		expect(unknown.name).toBe('NodeApiError');
		expect(unknown.httpCode).toBe('404');
	});

	it('with Continue On Fail, a user without a conversation becomes an error item', async () => {
		const { userExternalId, conversationId } = customer();
		const stranger = unique('stranger');
		const items = itemsOf(
			await runNode(
				messagingHarness(sim),
				activity('typingStart', { userExternalId: '={{ $json.id }}' }),
				[{ json: { id: stranger } }, { json: { id: userExternalId } }],
				{
					onError: 'continueRegularOutput',
				},
			),
		);
		expect(items[0]).toEqual({
			json: {
				error: expect.stringContaining('user_not_found'),
				description: 'Zendesk answered HTTP 404.',
			},
			pairedItem: { item: 0 },
		});
		expect(items[1].json).toEqual({ conversationId, activity: 'typing:start' });
	});
});
