import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { requiredText } from '../../helpers/restInput';
import { labelled } from '../../../shared/fieldLabels';
import type { ExecutionResources } from '../ExecutionResources';
import { CHAT_ID_LABELS, chatIdField } from './common';

const properties: INodeProperties[] = [chatIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const id = requiredText(this, itemIndex, 'chatId', 'Chat ID');
	const rest = await resources.rest();
	return (await labelled(CHAT_ID_LABELS, () => rest.getChat(id))) as IDataObject;
}
