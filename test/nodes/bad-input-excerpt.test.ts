/**
 * A 100 KB bad value does not come back as a 100 KB error stored with the execution: through
 * n8n-core's engine, the error of a Zendesk Chat tag and of a Zendesk Messaging text (and a ticket
 * tag of Escalate to Agent's core) quotes at most a marked excerpt and says how long the value is.
 */
import { startSimulator, type Simulator } from '../../simulator';
import { errorOf as harnessErrorOf } from '../helpers/n8n/harness';
import { errorOf as chatErrorOf, liveHarness, run, startChat } from './ZendeskChat/live/helpers';
import {
	messagingHarness,
	NODE_NAME as MESSAGING,
	runNode,
	unique,
} from './ZendeskMessaging/helpers';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator();
});

afterAll(() => sim.close());

/** 100,002 characters with spaces: a tag may not hold a space. */
const HUGE_TAG = 'a b'.repeat(33_334);

function expectShort(
	error: { message: string; description?: string | null },
	length: number,
): void {
	expect(error.message.length).toBeLessThan(300);
	expect((error.description ?? '').length).toBeLessThan(300);
	expect(`${error.message} ${error.description ?? ''}`).toContain(`${length}`);
}

describe('a 100 KB bad value', () => {
	it('as a Zendesk Chat tag (Live Chat › Add Tags): a marked excerpt and the length, nothing sent', async () => {
		const { channelId } = startChat(sim);
		const error = chatErrorOf(
			await run(liveHarness(sim), {
				resource: 'liveChat',
				operation: 'addTags',
				channelId,
				tags: `vip, ${HUGE_TAG}`,
			}),
		);
		expectShort(error, 100_002);
		expect(error.message).toBe(
			`Tags › "${HUGE_TAG.slice(0, 60)}…" (100002 characters): a tag may only contain letters, digits, - and _ (no spaces); e.g. vip_customer`,
		);
		expect(error.description).toBe(
			`Field: Tags › "${HUGE_TAG.slice(0, 60)}…" (100002 characters).`,
		);
		expect(sim.world.listChats().some((chat) => chat.tags.includes('vip'))).toBe(false);
	});

	it('as a Zendesk Messaging text (Message › Send Text): the length, not the text', async () => {
		const served = sim.faults.served.sunshine;
		const error = harnessErrorOf(
			await runNode(messagingHarness(sim), {
				resource: 'message',
				operation: 'sendText',
				userExternalId: unique('huge'),
				text: 'x'.repeat(100_000),
			}),
			MESSAGING,
		);
		expectShort(error, 100_000);
		expect(error.message).toBe(
			'Text is 100000 characters long; the limit is 4096 (spec: maxLength 4096)',
		);
		expect(sim.faults.served.sunshine).toBe(served);
	});

	it('as a Zendesk Messaging ticket tag (Escalate to Agent): a marked excerpt and the length', async () => {
		const error = harnessErrorOf(
			await runNode(messagingHarness(sim), {
				resource: 'conversation',
				operation: 'escalate',
				userExternalId: unique('huge'),
				summary: 'Needs a human',
				ticketFields: { tags: `vip,${HUGE_TAG}` },
			}),
			MESSAGING,
		);
		expectShort(error, 100_002);
	});
});
