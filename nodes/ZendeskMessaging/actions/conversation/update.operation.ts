import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validateMetadata, type UpdateConversationInput } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { invalidParameter, nodeError } from '../../helpers/errors';
import { metadataParameter, optionalText } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import {
	conversationFields,
	conversationLabels,
	conversationLocator,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: conversationFields,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['update'] } },
	properties,
);

const LABELS = {
	...conversationLabels,
	displayName: 'Update Fields › Display Name',
	description: 'Update Fields › Description',
	iconUrl: 'Update Fields › Icon URL',
	metadata: 'Update Fields › Metadata',
};

/** Changes the conversation's display name, description, icon or metadata (the metadata is replaced as a whole). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const changes: UpdateConversationInput = {};
		for (const key of ['displayName', 'description', 'iconUrl'] as const) {
			const value = optionalText(fields[key]);
			if (value !== undefined) changes[key] = value;
		}
		const metadata = validateMetadata(
			'metadata',
			metadataParameter(this, 'updateFields.metadata', 'Update Fields › Metadata', itemIndex),
		);
		if (metadata) changes.metadata = metadata;
		if (Object.keys(changes).length === 0) {
			throw invalidParameter(
				this,
				'Update Fields',
				'is empty',
				itemIndex,
				'Add at least one field to change: Display Name, Description, Icon URL or Metadata.',
			);
		}
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		return (await client.updateConversation(conversation.id, changes, { signal })) as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, LABELS);
	}
}
