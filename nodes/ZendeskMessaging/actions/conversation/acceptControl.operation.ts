import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validateMetadata } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import { metadataParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator, metadataOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [metadataOption('Metadata', 'Flat metadata sent with the acceptance (at most 4 KB)')],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['acceptControl'] } },
	properties,
);

/** Completes an offer: the switchboard integration control was offered to (the pending one) takes the conversation. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const metadata = validateMetadata(
			'metadata',
			metadataParameter(this, 'options.metadata', 'Metadata', itemIndex),
		);
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		await client.acceptControl(conversation.id, metadata ? { metadata } : {}, { signal });
		return { conversationId: conversation.id, controlAccepted: true };
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}
