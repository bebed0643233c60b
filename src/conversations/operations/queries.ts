import { z } from 'zod';

import { type Operation, parseWith } from '../operation';

/**
 * The read queries the nodes need (NOTES.md section 1). Results are Relay connections; these
 * return the nodes. The connection arguments (first/after) are not in the public references, so
 * no page arguments are sent: a query returns what the API returns for its default page.
 */

export interface Department {
	/** Relay id, for transferToDepartment. */
	id: string;
	/** The Chat REST API's numeric id, as a string (changelog 7 April 2020: "Exposed raw_id field of ... Department"). */
	raw_id: string | null;
	name: string | null;
	/** ONLINE, OFFLINE or AWAY (changelog 7 January 2019). */
	status: string | null;
}

export interface Agent {
	/** Relay id, for inviteAgent. */
	id: string;
	/** The Chat REST API's numeric id, as a string (changelog 7 April 2020). */
	raw_id: string | null;
	name: string | null;
	display_name: string | null;
	status: string | null;
}

export interface ChannelAgent {
	id: string;
	status: string | null;
	display_name: string | null;
}

export interface Channel {
	id: string;
	/** The Chat REST API's chat id (changelog 7 April 2020: raw_id of VisitorChannel); null for other channels. */
	raw_id: string | null;
	agents: ChannelAgent[];
}

const str = z
	.string()
	.nullish()
	.transform((s) => s ?? null);

function connection<T extends z.ZodTypeAny>(node: T) {
	return z.object({ edges: z.array(z.object({ node })) });
}

const departmentNode = z.object({ id: z.string(), raw_id: str, name: str, status: str });
const agentNode = z.object({
	id: z.string(),
	raw_id: str,
	name: str,
	display_name: str,
	status: str,
});
const channelAgentNode = z.object({ id: z.string(), status: str, display_name: str });
const channelNode = z.object({
	id: z.string(),
	raw_id: str.optional().transform((s) => s ?? null),
	agents: connection(channelAgentNode).nullish(),
});

/**
 * `departments { edges { node { id raw_id name status } } }`: where a chat can be transferred.
 * `raw_id` maps a REST department id (which transferToDepartment refuses) to its Relay id.
 */
export function departments(): Operation<Department[]> {
	return {
		kind: 'query',
		name: 'Departments',
		document: 'query Departments { departments { edges { node { id raw_id name status } } } }',
		variables: {},
		idempotent: true,
		parse: parseWith('departments', z.object({ departments: connection(departmentNode) }), (d) =>
			d.departments.edges.map((e) => e.node),
		),
	};
}

/** `agents { edges { node { id raw_id name display_name status } } }` (changelog 28 November 2018; raw_id 7 April 2020). */
export function agents(): Operation<Agent[]> {
	return {
		kind: 'query',
		name: 'Agents',
		document: 'query Agents { agents { edges { node { id raw_id name display_name status } } } }',
		variables: {},
		idempotent: true,
		parse: parseWith('agents', z.object({ agents: connection(agentNode) }), (d) =>
			d.agents.edges.map((e) => e.node),
		),
	};
}

/**
 * `channels`: the open chats this agent sees, each with the agents in it (BFlynn) and its REST chat
 * id (`raw_id`, changelog), which turns a chat id into the channel id the mutations take.
 * `Channel.agents` takes no arguments and may be null (schema page of `Channel`).
 */
export function channels(): Operation<Channel[]> {
	return {
		kind: 'query',
		name: 'Channels',
		document:
			'query Channels { channels { edges { node { id ... on VisitorChannel { raw_id } agents { edges { node { id status display_name } } } } } } }',
		variables: {},
		idempotent: true,
		parse: parseWith('channels', z.object({ channels: connection(channelNode) }), (d) =>
			d.channels.edges.map((e) => ({
				id: e.node.id,
				raw_id: e.node.raw_id,
				agents: (e.node.agents?.edges ?? []).map((a) => a.node),
			})),
		),
	};
}
