import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import {
	AGENT_WORKSPACE_TYPE,
	type SwitchboardIntegrationDescription,
} from '../../../src/messaging';
import { messagingConnection } from '../../shared/connection';
import { toNodeError } from '../../shared/errors';

/** The app's switchboard integrations, described from `describeSwitchboard()`. */
async function switchboardIntegrations(
	ctx: ILoadOptionsFunctions,
): Promise<SwitchboardIntegrationDescription[]> {
	const { client } = await messagingConnection(ctx);
	try {
		return (await client.describeSwitchboard())?.integrations ?? [];
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	} finally {
		await client.close();
	}
}

/** One option per integration, the agent workspace first: its name, type, and its place in the handoff chain. */
function asOptions(integrations: SwitchboardIntegrationDescription[]): INodePropertyOptions[] {
	const workspace = (i: SwitchboardIntegrationDescription) =>
		i.integrationType === AGENT_WORKSPACE_TYPE;
	return [...integrations]
		.sort((a, b) => Number(workspace(b)) - Number(workspace(a)) || a.name.localeCompare(b.name))
		.map((integration) => {
			const notes = [`Type ${integration.integrationType}`];
			if (integration.isDefault) notes.push('gets new conversations');
			if (integration.next) notes.push(`its next is ${integration.next}`);
			return {
				name: workspace(integration)
					? `${integration.name} (Zendesk Agent Workspace)`
					: integration.name,
				value: integration.name,
				description: notes.join('; '),
			};
		});
}

/** The app's switchboard integrations (the bot, the agent workspace, …), the agent workspace first. */
export async function getSwitchboardIntegrations(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return asOptions(await switchboardIntegrations(this));
}

/** Where Pass Control and Offer Control can send a conversation: "next", then every switchboard integration. */
export async function getControlTargets(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return [
		{
			name: 'Next (the Integration After the One in Control)',
			value: 'next',
			description: "The one set as the current integration's next in the switchboard",
		},
		...asOptions(await switchboardIntegrations(this)),
	];
}
