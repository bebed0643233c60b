import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendPanelTemplate, type Button, type Panel } from '../../../../src/conversations';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { channelOutput, withChannel } from '../../helpers/channelIds';
import {
	build,
	channelIdField,
	fallbackOption,
	structuredMessageOptions,
	inputModeField,
} from '../../helpers/conversationsInput';
import type { ExecutionResources } from '../ExecutionResources';
import {
	buttonFields,
	inputModeOf,
	labelsFor,
	panelFromFields,
	panelValues,
	readButtons,
} from './common';

const properties: INodeProperties[] = [
	channelIdField,
	...panelValues().map((field) =>
		field.name === 'heading' ? { ...field, required: true } : field,
	),
	{
		...inputModeField,
		displayName: 'Define Buttons Using',
	},
	...buttonFields('Up to 3 buttons'),
	structuredMessageOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendPanel'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	const panel = panelFromFields({
		heading: this.getNodeParameter('heading', itemIndex, ''),
		paragraph: this.getNodeParameter('paragraph', itemIndex, ''),
		imageUrl: this.getNodeParameter('imageUrl', itemIndex, ''),
		linkUrl: this.getNodeParameter('linkUrl', itemIndex, ''),
	} as IDataObject);
	const buttons = readButtons(this, itemIndex, mode, true);
	const { operation, ...channel } = await withChannel(this, itemIndex, resources, (channelId) =>
		build(
			() =>
				sendPanelTemplate({
					channelId,
					panel: panel as unknown as Panel,
					buttons: buttons as Button[],
					fallback: fallbackOption(this, itemIndex),
				}),
			// The panel's fields are top-level fields of this operation.
			labelsFor(mode, {
				path: (field) =>
					field.startsWith('panel.') ? labelOfPanelField(field.slice(6)) : undefined,
			}),
		),
	);
	const session = await resources.session();
	const result = await session.request(operation);
	return { success: result.success, ...channelOutput(channel) };
}

function labelOfPanelField(name: string): string | undefined {
	return panelValues().find((field) => field.name === name)?.displayName;
}
