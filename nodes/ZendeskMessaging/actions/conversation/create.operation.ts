import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CreateConversationInput } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { nodeError } from '../../helpers/errors';
import { metadataParameter, optionalText, userRefParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { conversationFields, userLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	...userLocator,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: conversationFields,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['create'] } },
	properties,
);

const LABELS = {
	userExternalId: 'User External ID',
	userId: 'User ID',
	displayName: 'Display Name',
	description: 'Description',
	iconUrl: 'Icon URL',
	metadata: 'Metadata',
};

/** A new personal conversation for the user (who must exist), with optional display name, description, icon and metadata. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const input: CreateConversationInput = { ...userRefParameter(this, itemIndex) };
		for (const key of ['displayName', 'description', 'iconUrl'] as const) {
			const value = optionalText(fields[key]);
			if (value !== undefined) input[key] = value;
		}
		const metadata = metadataParameter(this, 'additionalFields.metadata', 'Metadata', itemIndex);
		if (metadata) input.metadata = metadata;
		const client = await messaging.get();
		return (await client.createConversation(input, { signal })) as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, LABELS);
	}
}
