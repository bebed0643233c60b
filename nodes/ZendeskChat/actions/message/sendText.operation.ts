import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendMessage } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import { build, channelIdField, textParameter } from '../../helpers/conversationsInput';
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
	const options = this.getNodeParameter('options', itemIndex, {}) as { msgId?: string | number };
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(() =>
			sendMessage({
				channelId,
				message: textParameter(this, 'text', itemIndex) as string,
				msgId: options.msgId === undefined ? undefined : String(options.msgId),
			}),
		),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel), msgId: result.msgId };
}
