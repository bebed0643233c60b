import { z } from 'zod';

import { DocumentVariables, type Operation, parseWith } from '../operation';
import { parseInput } from './validate';

/** ONLINE is in the official sample; AWAY and INVISIBLE are the Chat agent statuses (unverified here). */
export const AGENT_STATUSES = ['ONLINE', 'AWAY', 'INVISIBLE'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export interface UpdatedAgent {
	id: string;
	display_name: string | null;
}

const statusInput = z
	.object({
		status: z.enum(AGENT_STATUSES, {
			errorMap: () => ({ message: `status must be one of ${AGENT_STATUSES.join(', ')}` }),
		}),
	})
	.strict();

const answer = z.object({
	updateAgentStatus: z.object({ node: z.object({ id: z.string(), display_name: z.string().nullish() }).nullable() }),
});

/**
 * `updateAgentStatus(status)`: puts the API agent online so visitors can reach it. The status is an
 * enum value checked against a fixed list and written as a literal (enum values need no variable type).
 */
export function updateAgentStatus(input: { status: AgentStatus }): Operation<UpdatedAgent | null> {
	const valid = parseInput('updateAgentStatus', statusInput, input);
	const v = new DocumentVariables();
	return {
		kind: 'mutation',
		name: 'UpdateAgentStatus',
		document: `mutation UpdateAgentStatus${v.declaration()} { updateAgentStatus(status: ${valid.status}) { node { id display_name } } }`,
		variables: v.values,
		idempotent: true,
		parse: parseWith('updateAgentStatus', answer, (data) => {
			const node = data.updateAgentStatus.node;
			return node ? { id: node.id, display_name: node.display_name ?? null } : null;
		}),
	};
}
