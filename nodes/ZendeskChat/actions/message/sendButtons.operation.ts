import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendButtonTemplate, type Button } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import {
	build,
	channelIdField,
	fallbackOption,
	structuredMessageOptions,
	inputModeField,
	textParameter,
} from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';
import { buttonFields, inputModeOf, labelsFor, readButtons } from './common';

const properties: INodeProperties[] = [
	channelIdField,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: 'The message shown above the buttons',
	},
	inputModeField,
	...buttonFields('1 to 3 buttons'),
	structuredMessageOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendButtons'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	const buttons = readButtons(this, itemIndex, mode);
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(
			() =>
				sendButtonTemplate({
					channelId,
					message: textParameter(this, 'text', itemIndex) as string,
					buttons: buttons as Button[],
					fallback: fallbackOption(this, itemIndex),
				}),
			labelsFor(mode),
		),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel) };
}
