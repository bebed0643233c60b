import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { itemsOf, messagingHarness, NODE_NAME, runNode, unique } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const userOp = (operation: string, parameters: Record<string, unknown>) => ({
	resource: 'user',
	operation,
	...parameters,
});

describe('User', () => {
	it('Create makes a user with profile and metadata; Get finds it by external ID and by user ID', async () => {
		const externalId = unique('user');
		const harness = messagingHarness(sim);
		const [created] = outputOf(
			await runNode(
				harness,
				userOp('create', {
					externalId,
					additionalFields: {
						givenName: 'Grace',
						surname: 'Hopper',
						email: 'grace@example.com',
						locale: 'en-US',
						signedUpAt: '2024-05-21T15:53:30.197Z',
						metadata: '{"plan": "pro", "seats": 3}',
					},
				}),
			),
			NODE_NAME,
		);
		expect(created).toMatchObject({
			externalId,
			signedUpAt: '2024-05-21T15:53:30.197Z',
			profile: {
				givenName: 'Grace',
				surname: 'Hopper',
				email: 'grace@example.com',
				locale: 'en-US',
			},
			metadata: { plan: 'pro', seats: 3 },
		});
		const byExternal = outputOf(
			await runNode(harness, userOp('get', { externalId })),
			NODE_NAME,
		)[0];
		const byId = outputOf(
			await runNode(harness, userOp('get', { getBy: 'userId', userId: created.id })),
			NODE_NAME,
		)[0];
		expect(byExternal).toEqual(created);
		expect(byId).toEqual(created);
	});

	it('Create fails on a taken external ID with the API’s conflict, or returns the existing user when asked', async () => {
		const externalId = unique('taken');
		const harness = messagingHarness(sim);
		const [first] = outputOf(await runNode(harness, userOp('create', { externalId })), NODE_NAME);

		const error = errorOf(
			await runNode(harness, userOp('create', { externalId })),
			NODE_NAME,
		) as Error & { httpCode?: string; errorResponse?: { errors: Array<{ code: string }> } };
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('409');
		expect(error.message).toBe(
			'Sunshine Conversations POST /users failed with 409 (conflict: User already exists). The resource already exists.',
		);
		expect(error.errorResponse?.errors[0].code).toBe('conflict');

		const [again] = outputOf(
			await runNode(harness, userOp('create', { externalId, options: { returnExisting: true } })),
			NODE_NAME,
		);
		expect(again).toEqual({ ...first, created: false });
		const [fresh] = outputOf(
			await runNode(
				harness,
				userOp('create', { externalId: unique('fresh'), options: { returnExisting: true } }),
			),
			NODE_NAME,
		);
		expect(fresh.created).toBe(true);
	});

	it('Get pairs several items and reports an unknown user as user_not_found (or an error item with Continue On Fail)', async () => {
		const harness = messagingHarness(sim);
		const known = unique('known');
		outputOf(await runNode(harness, userOp('create', { externalId: known })), NODE_NAME);
		const missing = unique('missing');

		const stopped = errorOf(
			await runNode(harness, userOp('get', { externalId: missing })),
			NODE_NAME,
		) as Error & { httpCode?: string };
		expect(stopped.name).toBe('NodeApiError');
		expect(stopped.httpCode).toBe('404');
		expect(stopped.message).toBe(
			'Sunshine Conversations GET /users/{userIdOrExternalId} failed with 404 (user_not_found: User not found). Check the app id and the ids in the request.',
		);

		const items = itemsOf(
			await runNode(
				harness,
				userOp('get', { externalId: '={{ $json.id }}' }),
				[{ json: { id: known } }, { json: { id: missing } }, { json: { id: known } }],
				{
					onError: 'continueRegularOutput',
				},
			),
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.externalId).toBe(known);
		expect(items[1].json).toEqual({
			error: stopped.message,
			description: 'Zendesk answered HTTP 404.',
		});
		expect(items[2].json.externalId).toBe(known);
	});
});
