import { SIM_BOT_AGENT_ID, SIM_DEPARTMENTS, SIM_HUMAN_AGENT_ID, SIM_TOKENS } from '../defaults';
import type { ChatWorld } from './chat-world';

/** The default account: a bot agent, a human agent, three departments and four tokens. */
export function seedChatWorld(world: ChatWorld): void {
	world.addAgent({
		id: SIM_BOT_AGENT_ID,
		displayName: 'Ada Bot',
		email: 'bot@sim.example.com',
		status: 'OFFLINE',
	});
	world.addAgent({
		id: SIM_HUMAN_AGENT_ID,
		displayName: 'Grace Hopper',
		email: 'grace@sim.example.com',
		status: 'ONLINE',
	});
	world.addDepartment({
		id: SIM_DEPARTMENTS.sales,
		name: 'Sales',
		description: 'New customers',
		status: 'ONLINE',
		members: [SIM_BOT_AGENT_ID, SIM_HUMAN_AGENT_ID],
	});
	world.addDepartment({
		id: SIM_DEPARTMENTS.support,
		name: 'Support',
		description: 'Existing customers',
		status: 'ONLINE',
		members: [SIM_HUMAN_AGENT_ID],
	});
	world.addDepartment({
		id: SIM_DEPARTMENTS.billing,
		name: 'Billing',
		description: 'Invoices and payments',
		status: 'OFFLINE',
		members: [],
	});
	world.addToken({ accessToken: SIM_TOKENS.bot, agentId: SIM_BOT_AGENT_ID });
	world.addToken({ accessToken: SIM_TOKENS.human, agentId: SIM_HUMAN_AGENT_ID });
	world.addToken({ accessToken: SIM_TOKENS.readOnly, agentId: SIM_BOT_AGENT_ID, scopes: ['read'] });
	world.addToken({ accessToken: SIM_TOKENS.revoked, agentId: SIM_BOT_AGENT_ID, revoked: true });
}
