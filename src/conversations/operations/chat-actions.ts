import { z } from 'zod';

import { argumentList, listLiteral, optionalBoolean, stringLiteral } from '../literals';
import type { Operation } from '../operation';
import { actionMutation, type ActionResult } from './action';
import { flag, list, parseInput, relayId } from './validate';

export interface TransferToDepartmentInput {
	channelId: string;
	/** A department's Relay id from the `departments` query (REST department ids do not work here). */
	departmentId: string;
	/** Leave the chat after the transfer. */
	leave?: boolean;
}

const transferInput = z
	.object({
		channelId: relayId('channelId'),
		departmentId: relayId('departmentId'),
		leave: flag('leave'),
	})
	.strict();

/** `transferToDepartment(channel_id, department_id, leave)`. */
export function transferToDepartment(input: TransferToDepartmentInput): Operation<ActionResult> {
	const valid = parseInput('transferToDepartment', transferInput, input);
	const args = argumentList({
		channel_id: stringLiteral(valid.channelId),
		department_id: stringLiteral(valid.departmentId),
		leave: optionalBoolean(valid.leave),
	});
	// Not repeated after a dropped connection: with leave, a second transfer would act on a chat the agent left.
	return actionMutation('TransferToDepartment', 'transferToDepartment', args, false);
}

export interface InviteAgentInput {
	channelId: string;
	/** The invited agent's Relay id from the `agents` query. */
	agentId: string;
	/** Leave the chat once the invitation is sent (a handoff). */
	leave?: boolean;
}

const inviteInput = z
	.object({ channelId: relayId('channelId'), agentId: relayId('agentId'), leave: flag('leave') })
	.strict();

/** `inviteAgent(agent_id, channel_id, leave)`: hands the chat to a human agent. */
export function inviteAgent(input: InviteAgentInput): Operation<ActionResult> {
	const valid = parseInput('inviteAgent', inviteInput, input);
	const args = argumentList({
		agent_id: stringLiteral(valid.agentId),
		channel_id: stringLiteral(valid.channelId),
		leave: optionalBoolean(valid.leave),
	});
	return actionMutation('InviteAgent', 'inviteAgent', args, false);
}

const channelOnly = z.object({ channelId: relayId('channelId') }).strict();

/** `listenVisitorChannel(channel_id)`: keep receiving a chat's messages after handing it off. */
export function listenVisitorChannel(input: { channelId: string }): Operation<ActionResult> {
	const valid = parseInput('listenVisitorChannel', channelOnly, input);
	return actionMutation(
		'ListenVisitorChannel',
		'listenVisitorChannel',
		`channel_id: ${stringLiteral(valid.channelId)}`,
		true,
	);
}

/**
 * `leaveChannel(channel_id: ID!)` (schema page: "leave the channel if joined, or stop listening to
 * it if listening"). Not repeated after a drop: a second leave of a chat already left is refused.
 */
export function leaveChannel(input: { channelId: string }): Operation<ActionResult> {
	const valid = parseInput('leaveChannel', channelOnly, input);
	return actionMutation(
		'LeaveChannel',
		'leaveChannel',
		`channel_id: ${stringLiteral(valid.channelId)}`,
		false,
	);
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
	const args = `channel_id: ${stringLiteral(valid.channelId)}, tags: ${listLiteral([...new Set(valid.tags)].map(stringLiteral))}`;
	return actionMutation('AddTags', 'addTags', args, true);
}
