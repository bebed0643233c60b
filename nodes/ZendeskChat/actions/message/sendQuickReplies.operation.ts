import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendQuickReplies, type QuickReply } from '../../../../src/conversations';
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
import { entriesOf, inputModeOf, labelsFor } from './common';

const properties: INodeProperties[] = [
	channelIdField,
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
		description: "1 to 11 reply chips (Zendesk's limit); picking one sends it as the visitor's reply",
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

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendQuickReplies'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, resources: ExecutionResources): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	const quickReplies =
		mode === 'json'
			? jsonParameter(this, 'quickRepliesJson', 'Quick Replies (JSON)', itemIndex)
			: entriesOf(this, 'quickReplies', 'reply', itemIndex).map((reply) => compact({ text: reply.text, value: reply.value }));
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(
			() =>
				sendQuickReplies({
					channelId,
					message: textParameter(this, 'text', itemIndex) as string,
					quickReplies: quickReplies as QuickReply[],
					fallback: fallbackOption(this, itemIndex),
				}),
			labelsFor(mode),
		),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel) };
}
