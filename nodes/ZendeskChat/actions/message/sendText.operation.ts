import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendMessage, type SendMessageResult } from '../../../../src/conversations';
import { quoteValue } from '../../../../src/shared/excerpt';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField, textList, textParameter } from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';
import type { PreparedSend } from './common';

/** The fields of a text message, without the channel (Send and Wait for Reply shows them too). */
export const textMessageFields: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'What the visitor reads. Any characters; line breaks are kept.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Answer Options',
				name: 'answerOptions',
				type: 'string',
				default: '',
				placeholder: 'e.g. Yes, No, Talk to a human',
				description:
					'Answers the visitor can pick with one click, separated by commas (or a list from an expression, e.g. when an answer holds a comma). "/" is not allowed in an answer: Zendesk splits an option at "/" into two.',
			},
			{
				displayName: 'Message ID',
				name: 'msgId',
				type: 'string',
				default: '',
				description:
					'Your own ID for this message (msg_id), e.g. the ID of the item that caused it. Zendesk returns it with the message, so a repeated send can be recognised. Leave empty for a random one.',
			},
		],
	},
];

const properties: INodeProperties[] = [channelIdField, ...textMessageFields];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendText'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const prepared = await prepareText(this, itemIndex, resources);
	const session = await resources.session();
	return prepared.output(await session.request(prepared.operation));
}

/** Checks the item's fields and builds the send (no request but a chat id's lookup). */
export async function prepareText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<PreparedSend<SendMessageResult>> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as {
		msgId?: string | number;
		answerOptions?: unknown;
	};
	const answers = textList(options.answerOptions ?? '') as string[];
	const text = textParameter(ctx, 'text', itemIndex) as string;
	const { operation, ...channel } = await withChannel(ctx, itemIndex, resources, (channelId) =>
		build(
			() =>
				sendMessage({
					channelId,
					message: text,
					msgId: options.msgId === undefined ? undefined : String(options.msgId),
					// None given: no options argument at all, a plain text message.
					options: Array.isArray(answers) && answers.length === 0 ? undefined : answers,
				}),
			{
				// Name the answer that is wrong, not just its position.
				path: (field) => {
					if (field === 'options') return 'Answer Options';
					const index = /^options\[(\d+)\]$/.exec(field);
					return index ? `Answer Options › ${quoteValue(answers[Number(index[1])])}` : undefined;
				},
			},
		),
	);
	return {
		operation,
		channel,
		text,
		output: (result) => ({
			success: result.success,
			...channelOutput(channel),
			msgId: result.msgId,
			...(answers.length > 0 ? { answerOptions: answers } : {}),
		}),
	};
}
