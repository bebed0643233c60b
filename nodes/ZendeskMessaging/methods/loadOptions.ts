import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { AGENT_WORKSPACE_TYPE } from '../../../src/messaging';
import { messagingConnection } from '../../shared/connection';
import { toNodeError } from '../../shared/errors';

/** The app's switchboard integrations (the bot, the agent workspace, …), the agent workspace first. */
export async function getSwitchboardIntegrations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { client } = await messagingConnection(this);
	try {
		const found: Array<INodePropertyOptions & { workspace: boolean }> = [];
		for (const switchboard of await client.listSwitchboards()) {
			for (const integration of await client.listSwitchboardIntegrations(switchboard.id)) {
				const workspace = integration.integrationType === AGENT_WORKSPACE_TYPE;
				found.push({
					name: workspace ? `${integration.name} (Zendesk Agent Workspace)` : integration.name,
					value: integration.name,
					description: `Type ${integration.integrationType}`,
					workspace,
				});
			}
		}
		found.sort((a, b) => Number(b.workspace) - Number(a.workspace) || a.name.localeCompare(b.name));
		return found.map(({ name, value, description }) => ({ name, value, description }));
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	} finally {
		await client.close();
	}
}
