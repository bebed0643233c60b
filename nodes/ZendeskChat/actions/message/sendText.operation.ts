import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendMessage } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField, textList, textParameter } from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';

const properties: INodeProperties[] = [
	channelIdField,
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

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendText'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, resources: ExecutionResources): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as { msgId?: string | number; answerOptions?: unknown };
	const answers = textList(options.answerOptions ?? '') as string[];
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(
			() =>
				sendMessage({
					channelId,
					message: textParameter(this, 'text', itemIndex) as string,
					msgId: options.msgId === undefined ? undefined : String(options.msgId),
					// None given: no options argument at all, a plain text message.
					options: Array.isArray(answers) && answers.length === 0 ? undefined : answers,
				}),
			{
				// Name the answer that is wrong, not just its position.
				path: (field) => {
					if (field === 'options') return 'Answer Options';
					const index = /^options\[(\d+)\]$/.exec(field);
					return index ? `Answer Options › ${JSON.stringify(answers[Number(index[1])])}` : undefined;
				},
			},
		),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel), msgId: result.msgId, ...(answers.length > 0 ? { answerOptions: answers } : {}) };
}
