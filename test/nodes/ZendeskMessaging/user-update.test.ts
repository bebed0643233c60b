/**
 * User › Update through n8n-core's engine: only the profile fields given change, the metadata is
 * replaced; bad input is refused before any request.
 */
import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { itemsOf, messagingHarness, NODE_NAME, runNode, unique, withoutRequests } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const user = (operation: string, parameters: Record<string, unknown>) => ({
	resource: 'user',
	operation,
	...parameters,
});

describe('User › Update', () => {
	it('changes the profile fields given, keeps the others, and replaces the metadata; by external ID or user ID', async () => {
		const externalId = unique('update');
		const harness = messagingHarness(sim);
		const [created] = outputOf(
			await runNode(
				harness,
				user('create', {
					externalId,
					additionalFields: {
						givenName: 'Grace',
						surname: 'Hopper',
						metadata: '{"plan": "free", "seats": 1}',
					},
				}),
			),
			NODE_NAME,
		);
		const [updated] = outputOf(
			await runNode(
				harness,
				user('update', {
					externalId,
					updateFields: {
						email: 'grace@example.com',
						locale: 'en-US',
						metadata: '{"plan": "pro"}',
					},
				}),
			),
			NODE_NAME,
		);
		expect(updated).toMatchObject({
			id: created.id,
			externalId,
			profile: {
				givenName: 'Grace',
				surname: 'Hopper',
				email: 'grace@example.com',
				locale: 'en-US',
			},
			metadata: { plan: 'pro' },
		});
		const [byId] = outputOf(
			await runNode(
				harness,
				user('update', {
					getBy: 'userId',
					userId: created.id,
					updateFields: { givenName: 'Amazing Grace' },
				}),
			),
			NODE_NAME,
		);
		expect(byId.profile).toMatchObject({ givenName: 'Amazing Grace', surname: 'Hopper' });
		const [fetched] = outputOf(await runNode(harness, user('get', { externalId })), NODE_NAME);
		expect(fetched).toEqual(byId);
	});

	it('refuses an update without fields or with an email that is not one, before any request', async () => {
		const none = await withoutRequests(sim, () =>
			runNode(messagingHarness(sim), user('update', { externalId: 'x', updateFields: {} })),
		);
		expect(errorOf(none, NODE_NAME)).toMatchObject({
			name: 'NodeOperationError',
			message: 'Update Fields: is empty',
			description:
				'Field: Update Fields. Add at least one field to change: First Name, Last Name, Email, Avatar URL, Locale or Metadata.',
		});
		const email = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				user('update', { externalId: 'x', updateFields: { email: 'grace' } }),
			),
		);
		expect(errorOf(email, NODE_NAME)).toMatchObject({
			message: 'Update Fields › Email: profile.email is not an email address',
			description: 'Field: Update Fields › Email (profile.email).',
		});
		const metadata = await withoutRequests(sim, () =>
			runNode(
				messagingHarness(sim),
				user('update', { externalId: 'x', updateFields: { metadata: '{"a": {"b": 1}}' } }),
			),
		);
		expect(errorOf(metadata, NODE_NAME).message).toBe(
			'Update Fields › Metadata: metadata.a is an object; metadata values must be strings, numbers or booleans',
		);
	});

	it('with Continue On Fail, an unknown user becomes an error item and the others are updated', async () => {
		const known = unique('known');
		outputOf(
			await runNode(messagingHarness(sim), user('create', { externalId: known })),
			NODE_NAME,
		);
		const items = itemsOf(
			await runNode(
				messagingHarness(sim),
				user('update', { externalId: '={{ $json.id }}', updateFields: { givenName: 'Ada' } }),
				[{ json: { id: unique('missing') } }, { json: { id: known } }],
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
		expect(items[1].json).toMatchObject({ externalId: known, profile: { givenName: 'Ada' } });
	});
});
