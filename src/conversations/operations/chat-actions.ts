import { z } from 'zod';

import { DocumentVariables, type Operation } from '../operation';
import { actionMutation, booleanLiteral, type ActionResult } from './action';
import { flag, list, parseInput, relayId } from './validate';

export interface TransferToDepartmentInput {
	channelId: string;
	/** A department's Relay id from the `departments` query (REST department ids do not work here). */
	departmentId: string;
	/** Leave the chat after the transfer. */
	leave?: boolean;
}

const transferInput = z
	.object({ channelId: relayId('channelId'), departmentId: relayId('departmentId'), leave: flag('leave') })
	.strict();

/** `transferToDepartment(channel_id, department_id, leave)`. */
export function transferToDepartment(input: TransferToDepartmentInput): Operation<ActionResult> {
	const valid = parseInput('transferToDepartment', transferInput, input);
	const v = new DocumentVariables();
	let args = `channel_id: ${v.bind('channel_id', 'ID!', valid.channelId)}, department_id: ${v.bind('department_id', 'ID!', valid.departmentId)}`;
	if (valid.leave !== undefined) args += `, leave: ${booleanLiteral(valid.leave)}`;
	// Not repeated after a dropped connection: with leave, a second transfer would act on a chat the agent left.
	return actionMutation('TransferToDepartment', 'transferToDepartment', v, args, false);
}

export interface InviteAgentInput {
	channelId: string;
	/** The invited agent's Relay id from the `agents` query. */
	agentId: string;
	/** Leave the chat once the invitation is sent (a handoff). */
	leave?: boolean;
}

const inviteInput = z.object({ channelId: relayId('channelId'), agentId: relayId('agentId'), leave: flag('leave') }).strict();

/** `inviteAgent(agent_id, channel_id, leave)`: hands the chat to a human agent. */
export function inviteAgent(input: InviteAgentInput): Operation<ActionResult> {
	const valid = parseInput('inviteAgent', inviteInput, input);
	const v = new DocumentVariables();
	let args = `agent_id: ${v.bind('agent_id', 'ID!', valid.agentId)}, channel_id: ${v.bind('channel_id', 'ID!', valid.channelId)}`;
	if (valid.leave !== undefined) args += `, leave: ${booleanLiteral(valid.leave)}`;
	return actionMutation('InviteAgent', 'inviteAgent', v, args, false);
}

const channelOnly = z.object({ channelId: relayId('channelId') }).strict();

/** `listenVisitorChannel(channel_id)`: keep receiving a chat's messages after handing it off. */
export function listenVisitorChannel(input: { channelId: string }): Operation<ActionResult> {
	const valid = parseInput('listenVisitorChannel', channelOnly, input);
	const v = new DocumentVariables();
	return actionMutation('ListenVisitorChannel', 'listenVisitorChannel', v, `channel_id: ${v.bind('channel_id', 'ID!', valid.channelId)}`, true);
}

/** Changelog 24 August 2018: "only allows alphanumeric characters, hyphens (-), and underscores (_) for tags". */
const TAG = /^[A-Za-z0-9_-]+$/;

export interface AddTagsInput {
	channelId: string;
	tags: string[];
}

const addTagsInput = z
	.object({
		channelId: relayId('channelId'),
		tags: list(
			z.string({ invalid_type_error: 'a tag must be a string' }).refine((t) => TAG.test(t), {
				message: 'a tag may only contain letters, digits, - and _ (no spaces); e.g. vip_customer',
			}),
			'tags',
			1,
			Number.MAX_SAFE_INTEGER,
		),
	})
	.strict();

/** `addTags(channel_id, tags)`. Tags are checked against the documented alphabet first. */
export function addTags(input: AddTagsInput): Operation<ActionResult> {
	const valid = parseInput('addTags', addTagsInput, input);
	const v = new DocumentVariables();
	const channel = v.bind('channel_id', 'ID!', valid.channelId);
	const tags = [...new Set(valid.tags)].map((tag, i) => v.bind(`tag${i}`, 'String!', tag));
	const args = `channel_id: ${channel}, tags: [${tags.join(', ')}]`;
	return actionMutation('AddTags', 'addTags', v, args, true);
}
