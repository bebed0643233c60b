/**
 * Conversation › Get through n8n-core's engine, and its "If the User Has No Conversation" option:
 * an escalation bridge asks "was this chat escalated?" without an error as control flow.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../simulator';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { messagingHarness, NODE_NAME, runNode, unique } from './helpers';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

const get = (parameters: IDataObject): IDataObject => ({
	resource: 'conversation',
	operation: 'get',
	conversationBy: 'userExternalId',
	...parameters,
});

/** A user with one conversation, made through the node. */
async function userWithConversation(): Promise<{ externalId: string; conversationId: string }> {
	const externalId = unique('get');
	await runNode(messagingHarness(sim), { resource: 'user', operation: 'create', externalId });
	const [created] = outputOf(
		await runNode(messagingHarness(sim), {
			resource: 'conversation',
			operation: 'create',
			userExternalId: externalId,
			additionalFields: {},
		}),
		NODE_NAME,
	);
	return { externalId, conversationId: created.id as string };
}

describe('Conversation › Get by user external ID', () => {
	it('gets the latest conversation of the user, with the option set or not', async () => {
		const { externalId, conversationId } = await userWithConversation();
		for (const options of [{}, { ifNone: 'fail' }, { ifNone: 'nothing' }]) {
			const [conversation] = outputOf(
				await runNode(messagingHarness(sim), get({ userExternalId: externalId, options })),
				NODE_NAME,
			);
			expect(conversation).toMatchObject({ id: conversationId, type: 'personal' });
		}
	});

	it('fails for an unknown user by default, with the user_not_found of Zendesk', async () => {
		const error = errorOf(
			await runNode(messagingHarness(sim), get({ userExternalId: unique('nobody') })),
			NODE_NAME,
		);
		expect(error.message).toMatch(/user_not_found/);
	});

	it('outputs nothing for an unknown user, and for a user without a conversation, with Output Nothing', async () => {
		const run = await runNode(
			messagingHarness(sim),
			get({ userExternalId: unique('nobody'), options: { ifNone: 'nothing' } }),
		);
		expect(run.data.resultData.error).toBeUndefined();
		expect(outputOf(run, NODE_NAME)).toEqual([]);

		const externalId = unique('lonely');
		await runNode(messagingHarness(sim), { resource: 'user', operation: 'create', externalId });
		expect(
			outputOf(
				await runNode(
					messagingHarness(sim),
					get({ userExternalId: externalId, options: { ifNone: 'nothing' } }),
				),
				NODE_NAME,
			),
		).toEqual([]);
	});

	it('with Always Output Data, the next node gets one empty item instead of an error', async () => {
		const run = await runNode(
			messagingHarness(sim),
			get({ userExternalId: unique('nobody'), options: { ifNone: 'nothing' } }),
			undefined,
			{ alwaysOutputData: true },
		);
		expect(run.data.resultData.error).toBeUndefined();
		expect(outputOf(run, NODE_NAME)).toEqual([{}]);
	});

	it('still fails when the app itself is not found (a wrong credential is not "no conversation")', async () => {
		const harness = messagingHarness(sim, { appId: 'ffffffffffffffffffffffff' });
		const error = errorOf(
			await runNode(harness, get({ userExternalId: unique('x'), options: { ifNone: 'nothing' } })),
			NODE_NAME,
		);
		expect(error.message).toMatch(/app_not_found/);
	});
});
