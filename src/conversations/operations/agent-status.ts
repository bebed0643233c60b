import { z } from 'zod';

import { GraphqlError, type ZendeskError } from '../../shared';
import { enumLiteral } from '../literals';
import { type Operation, parseWith } from '../operation';
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
	updateAgentStatus: z.object({
		node: z.object({ id: z.string(), display_name: z.string().nullish() }).nullable(),
	}),
});

/**
 * `updateAgentStatus(status)`: puts the API agent online so visitors can reach it. The status is an
 * enum value checked against a fixed list and written as a literal. Only ONLINE is seen in public
 * code (NOTES.md section 1), so a refusal of another status says so.
 */
export function updateAgentStatus(input: { status: AgentStatus }): Operation<UpdatedAgent | null> {
	const valid = parseInput('updateAgentStatus', statusInput, input);
	return {
		kind: 'mutation',
		name: 'UpdateAgentStatus',
		document: `mutation UpdateAgentStatus { updateAgentStatus(status: ${enumLiteral(valid.status)}) { node { id display_name } } }`,
		variables: {},
		idempotent: true,
		explain: (error) => explainRefusedStatus(valid.status, error),
		parse: parseWith('updateAgentStatus', answer, (data) => {
			const node = data.updateAgentStatus.node;
			return node ? { id: node.id, display_name: node.display_name ?? null } : null;
		}),
	};
}

/** A refused status other than ONLINE: name it and suggest the one status Zendesk's samples use. */
function explainRefusedStatus(status: AgentStatus, error: ZendeskError): ZendeskError {
	if (status === 'ONLINE' || !(error instanceof GraphqlError) || !REFUSALS.has(error.errorName))
		return error;
	return new GraphqlError(
		error.errorName,
		`Zendesk refused the agent status ${status} (${error.message}). Only ONLINE is confirmed to work with the Conversations API: use ONLINE`,
		error.uuid,
		error.errorCode,
	);
}

/** Errors that mean "not this value" rather than "not now" or "not you". */
const REFUSALS = new Set(['GRAPHQL_EXEC_ERROR', 'BAD_REQUEST', 'VALIDATION_ERROR']);
