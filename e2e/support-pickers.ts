/**
 * The Escalate pickers in a real n8n: n8n's own Zendesk API credential (zendeskApi) pointed at the
 * simulator's Support API, and a small workflow whose Escalate node fills its ticket fields from
 * the lists. Shared by the e2e suite and `npm run screenshots`.
 */
import { SIM_SUPPORT } from '../simulator';
import { CREDENTIAL_NAMES, type Stack } from './stack';

export const SUPPORT_CREDENTIAL_NAME = 'Zendesk Support account';
export const MESSAGING_NODE_TYPE = 'n8n-nodes-zendesk-chat.zendeskMessaging';
export const PICKERS_NODE = 'Escalate';

/** One entry of a resource locator's list, as n8n's editor gets it. */
export interface ListEntry {
	name: string;
	value: string;
}

export interface ListPage {
	results: ListEntry[];
	paginationToken?: string;
}

/** Creates the credential; a URL as the subdomain sends its calls to the simulator (README, Support API credential). */
export async function createSupportCredential(stack: Stack): Promise<{ id: string; name: string }> {
	return await stack.n8n.createCredential(SUPPORT_CREDENTIAL_NAME, 'zendeskApi', {
		subdomain: stack.sim.urls.base,
		email: SIM_SUPPORT.email,
		apiToken: SIM_SUPPORT.apiToken,
	});
}

export function escalateParameters(
	ticketFields: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		resource: 'conversation',
		operation: 'escalate',
		userExternalId: 'e2e-support-picker-user',
		summary: 'Customer was charged twice for order 42 and wants a refund.',
		supportAuthentication: 'apiToken',
		ticketFields,
		options: {},
	};
}

export function pickerCredentials(
	stack: Stack,
	support: { id: string; name: string },
): Record<string, { id: string; name: string }> {
	return {
		zendeskMessagingApi: { id: stack.credentials.messaging, name: CREDENTIAL_NAMES.messaging },
		zendeskApi: { id: support.id, name: support.name },
	};
}

/** What the editor asks n8n for when a resource locator's list opens, scrolls or is searched. */
export async function listSearch(
	stack: Stack,
	support: { id: string; name: string },
	field: string,
	methodName: string,
	extra: { filter?: string; paginationToken?: string } = {},
): Promise<ListPage> {
	const answer = await stack.n8n.rest<{ data: ListPage }>(
		'POST',
		'/rest/dynamic-node-parameters/resource-locator-results',
		{
			nodeTypeAndVersion: { name: MESSAGING_NODE_TYPE, version: 1 },
			path: `parameters.ticketFields.${field}`,
			methodName,
			currentNodeParameters: escalateParameters(),
			credentials: pickerCredentials(stack, support),
			...extra,
		},
	);
	return answer.data;
}

/** A picked list entry as the editor saves it. */
export function picked(entry: ListEntry): Record<string, unknown> {
	return { __rl: true, mode: 'list', value: entry.value, cachedResultName: entry.name };
}

/** Manual Trigger → Escalate with these ticket fields, saved (not active). */
export async function importPickersWorkflow(
	stack: Stack,
	support: { id: string; name: string },
	ticketFields: Record<string, unknown>,
): Promise<string> {
	const workflow = {
		name: 'Zendesk Messaging: Escalate with Support pickers',
		nodes: [
			{
				parameters: {},
				id: 'a1b2c3d4-0000-4000-8000-000000000001',
				name: 'Run',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: escalateParameters(ticketFields),
				id: 'a1b2c3d4-0000-4000-8000-000000000002',
				name: PICKERS_NODE,
				type: MESSAGING_NODE_TYPE,
				typeVersion: 1,
				position: [260, 0],
				credentials: pickerCredentials(stack, support),
			},
		],
		connections: { Run: { main: [[{ node: PICKERS_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	return (await stack.n8n.importWorkflow(workflow)).id;
}
