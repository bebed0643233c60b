import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	sendQuickReplies,
	type ActionResult,
	type QuickReply,
} from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import {
	build,
	channelIdField,
	compact,
	fallbackOption,
	structuredMessageOptions,
	inputModeField,
	jsonParameter,
	textParameter,
} from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';
import { entriesOf, inputModeOf, labelsFor, type PreparedSend } from './common';

/** The fields of a quick-replies message, without the channel (Send and Wait for Reply shows them too). */
export const quickRepliesFields: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: 'The question or message shown above the reply chips',
	},
	inputModeField,
	{
		displayName: 'Quick Replies',
		name: 'quickReplies',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Quick Reply',
		default: {},
		description:
			"1 to 11 reply chips (Zendesk's limit); picking one sends it as the visitor's reply",
		displayOptions: { show: { inputMode: ['fields'] } },
		options: [
			{
				displayName: 'Reply',
				name: 'reply',
				values: [
					{
						displayName: 'Text',
						name: 'text',
						type: 'string',
						default: '',
						description: 'The label on the chip',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'What the visitor sends by picking it. Leave empty to send the label.',
					},
				],
			},
		],
	},
	{
		displayName: 'Quick Replies (JSON)',
		name: 'quickRepliesJson',
		type: 'json',
		default: '[\n  { "text": "Yes" },\n  { "text": "No", "value": "no_thanks" }\n]',
		description: '1 to 11 reply chips: a JSON array of objects with text and, optionally, value',
		displayOptions: { show: { inputMode: ['json'] } },
	},
	structuredMessageOptions,
];

const properties: INodeProperties[] = [channelIdField, ...quickRepliesFields];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendQuickReplies'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const prepared = await prepareQuickReplies(this, itemIndex, resources);
	const session = await resources.session();
	return prepared.output(await session.request(prepared.operation));
}

/** Checks the item's fields and builds the send (no request but a chat id's lookup). */
export async function prepareQuickReplies(
	ctx: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<PreparedSend<ActionResult>> {
	const mode = inputModeOf(ctx, itemIndex);
	const quickReplies =
		mode === 'json'
			? jsonParameter(ctx, 'quickRepliesJson', 'Quick Replies (JSON)', itemIndex)
			: entriesOf(ctx, 'quickReplies', 'reply', itemIndex).map((reply) =>
					compact({ text: reply.text, value: reply.value }),
				);
	const text = textParameter(ctx, 'text', itemIndex) as string;
	const { operation, ...channel } = await withChannel(ctx, itemIndex, resources, (channelId) =>
		build(
			() =>
				sendQuickReplies({
					channelId,
					message: text,
					quickReplies: quickReplies as QuickReply[],
					fallback: fallbackOption(ctx, itemIndex),
				}),
			labelsFor(mode),
		),
	);
	return {
		operation,
		channel,
		text,
		output: (result) => ({ success: result.success, ...channelOutput(channel) }),
	};
}
