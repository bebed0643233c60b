import { SIM_BOT_AGENT_ID } from '../../../simulator';
import { encodeRelayId } from '../../../simulator/conversations';
import { closeSharedSessionPool } from '../../../src/conversations';
import { outputOf } from '../../helpers/n8n/harness';
import { ChatTriggerFixture, DOWNSTREAM, leasesOf, sleep, TRIGGER, waitFor } from './fixture';

let fx: ChatTriggerFixture;
const items = ChatTriggerFixture.firstItems;
const summary = (trigger: Parameters<typeof items>[0]) =>
	items(trigger).map(
		(i) =>
			`${i.type} ${(i.member as { type: string }).type} ${(i.member as { name: string }).name}`,
	);

beforeAll(async () => {
	fx = await ChatTriggerFixture.start();
});

afterEach(() => fx.closeAll());

afterAll(async () => {
	await fx.shutdown();
	await closeSharedSessionPool();
});

describe('Chat Activity', () => {
	it('emits members joining and leaving, with the channel and the member', async () => {
		const trigger = await fx.activate({ event: 'chatActivity' });
		const chat = fx.sim.world.startChat({ visitor: { name: 'Luna' } });
		fx.sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
		fx.sim.world.agentLeaves(chat.id, SIM_BOT_AGENT_ID);
		fx.sim.world.endChat(chat.id);
		await trigger.waitForEmits(4);
		expect(summary(trigger)).toEqual([
			'memberJoin visitor Luna',
			'memberJoin agent Ada Bot',
			'memberLeave agent Ada Bot',
			'memberLeave visitor Luna',
		]);
		const join = chat.history.find(
			(h) => h.type === 'chat.memberjoin' && h.agentId === SIM_BOT_AGENT_ID,
		)!;
		expect(items(trigger)[1]).toEqual({
			event: 'chatActivity',
			type: 'memberJoin',
			activityId: encodeRelayId('CHAT_LOG', join.id),
			channelId: encodeRelayId('CHANNEL', chat.id),
			member: { type: 'agent', id: encodeRelayId('AGENT', SIM_BOT_AGENT_ID), name: 'Ada Bot' },
			receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		const run = await trigger.emits[1].run;
		expect(outputOf(run, DOWNSTREAM)).toHaveLength(1);
	});

	it('Activities: only the chosen types (the subscription asks for them alone)', async () => {
		const trigger = await fx.activate({ event: 'chatActivity', activityTypes: ['MEMBER_LEAVE'] });
		const chat = fx.sim.world.startChat({ visitor: { name: 'Neville' } });
		fx.sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
		fx.sim.world.endChat(chat.id);
		await trigger.waitForEmits(2);
		await sleep(100);
		expect(summary(trigger)).toEqual(['memberLeave visitor Neville', 'memberLeave agent Ada Bot']);
		const subscriptions = fx.sim.conversations.control.sessions().flatMap((s) => s.subscriptions);
		expect(subscriptions.filter((s) => s.field === 'chatActivity')).toHaveLength(1);
	});

	it('Member filter: agents only', async () => {
		const trigger = await fx.activate({
			event: 'chatActivity',
			activityFilters: { member: 'agent' },
		});
		const chat = fx.sim.world.startChat({ visitor: { name: 'Ginny' } });
		fx.sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
		fx.sim.world.endChat(chat.id);
		await trigger.waitForEmits(2);
		await sleep(100);
		expect(summary(trigger)).toEqual(['memberJoin agent Ada Bot', 'memberLeave agent Ada Bot']);
	});

	it('Member filter: visitors only', async () => {
		const trigger = await fx.activate({
			event: 'chatActivity',
			activityFilters: { member: 'visitor' },
		});
		const chat = fx.sim.world.startChat({ visitor: { name: 'Draco' } });
		fx.sim.world.agentJoins(chat.id, SIM_BOT_AGENT_ID);
		fx.sim.world.endChat(chat.id);
		await trigger.waitForEmits(2);
		await sleep(100);
		expect(summary(trigger)).toEqual(['memberJoin visitor Draco', 'memberLeave visitor Draco']);
	});

	it('manual mode returns the first activity', async () => {
		const before = fx.serverSubscriptions('chatActivity');
		const running = fx.harness.run({
			...fx.workflow({ event: 'chatActivity' }),
			startNode: TRIGGER,
			mode: 'manual',
		});
		await waitFor(
			() => fx.serverSubscriptions('chatActivity') === before + 1,
			'the trigger to subscribe',
		);
		fx.sim.world.startChat({ visitor: { name: 'Cho' } });
		const output = outputOf(await running, TRIGGER);
		expect(output).toEqual([
			expect.objectContaining({
				type: 'memberJoin',
				member: expect.objectContaining({ name: 'Cho', type: 'visitor' }),
			}),
		]);
		await waitFor(() => leasesOf(fx.key()) === 0, 'the lease to be released');
	});
});
