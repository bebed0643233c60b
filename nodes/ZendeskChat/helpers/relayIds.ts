import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { agents, departments, type ConversationsTransport } from '../../../src/conversations';
import type { ExecutionResources } from '../actions/ExecutionResources';

/**
 * Departments and agents are picked by their Chat REST API id (what the editor's lists and the
 * Zendesk admin show), but the Conversations API takes only its own Relay ids ("Department ID
 * retrieved from Zendesk Chat REST API will not work", getting-started). Its `raw_id` field
 * (changelog 7 April 2020) maps one to the other; a Relay id is passed on as given.
 */

export interface ResolvedId {
	/** The Conversations API (Relay) id the mutation is sent with. */
	id: string;
	/** The Chat REST API id, when the user gave one. */
	restId: string | null;
	name: string | null;
}

interface Directory {
	list(
		session: ConversationsTransport,
	): Promise<Array<{ id: string; raw_id: string | null; name: string | null }>>;
	label: string;
	where: string;
}

const DIRECTORIES: Record<'department' | 'agent', Directory> = {
	department: {
		list: (session) => session.request(departments()),
		label: 'Department',
		where:
			'Pick it from the list, or give its numeric ID (Zendesk Chat › Settings › Departments, or Department › Get Many) or its Conversations API ID.',
	},
	agent: {
		list: async (session) =>
			(await session.request(agents())).map((a) => ({
				id: a.id,
				raw_id: a.raw_id,
				name: a.display_name ?? a.name,
			})),
		label: 'Agent',
		where:
			'Pick the agent from the list, or give their numeric ID (Agent › Get Many) or their Conversations API ID.',
	},
};

/** One query per execution and kind, however many items need it. */
const cache = new WeakMap<ExecutionResources, Map<string, ReturnType<Directory['list']>>>();

/** The value of a resource locator (From List / By ID), as text. */
export function locatorValue(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const value = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' ? value.trim() : value;
}

/**
 * The Relay id for `value`: a numeric REST id is looked up by `raw_id`; anything else is taken as a
 * Relay id. An unknown REST id fails the item, naming the field, before the mutation is sent.
 */
export async function resolveRelayId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
	kind: 'department' | 'agent',
	value: string,
): Promise<ResolvedId> {
	if (!/^\d+$/.test(value)) return { id: value, restId: null, name: null };
	const directory = DIRECTORIES[kind];
	let lists = cache.get(resources);
	if (!lists) cache.set(resources, (lists = new Map()));
	let list = lists.get(kind);
	if (!list) {
		list = resources.session().then((session) => directory.list(session));
		lists.set(kind, list);
	}
	const match = (await list).find((entry) => entry.raw_id === value);
	if (!match) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${directory.label} ${value} was not found in this Zendesk Chat account`,
			{
				itemIndex,
				description: `Field: ${directory.label}. ${directory.where}`,
				level: 'warning',
			},
		);
	}
	return { id: match.id, restId: value, name: match.name };
}

/** A resource locator over the other resources' list searches (their values are REST ids). */
export function locatorField(kind: 'department' | 'agent'): INodeProperties {
	const label = DIRECTORIES[kind].label;
	const lower = label.toLowerCase();
	return {
		displayName: label,
		name: kind,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description:
			kind === 'department'
				? 'The department to transfer the chat to'
				: 'The agent to invite into the chat',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${lower}...`,
				typeOptions: {
					searchListMethod: kind === 'department' ? 'searchDepartments' : 'searchAgents',
					searchable: true,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: kind === 'department' ? 'e.g. 2001' : 'e.g. 1002',
				hint: `The ${lower}'s numeric ID in Zendesk Chat, or its Conversations API ID`,
			},
		],
	};
}
