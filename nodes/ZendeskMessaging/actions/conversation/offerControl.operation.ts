import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireString, validateMetadata } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import { metadataParameter, stringParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import {
	controlLabels,
	conversationLocator,
	controlTargetField,
	metadataOption,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	...conversationLocator,
	controlTargetField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [metadataOption('Metadata', 'Flat metadata sent with the offer (at most 4 KB)')],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['offerControl'] } },
	properties,
);

/**
 * Offers control to a switchboard integration: the integration in control keeps it until the other
 * accepts (Accept Control), so both can act on the conversation meanwhile.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const target = requireString(
			'switchboardIntegration',
			stringParameter(this, 'switchboardIntegration', itemIndex),
			128,
		);
		const metadata = validateMetadata(
			'metadata',
			metadataParameter(this, 'options.metadata', 'Metadata', itemIndex),
		);
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		await client.offerControl(
			conversation.id,
			{ switchboardIntegration: target, ...(metadata ? { metadata } : {}) },
			{ signal },
		);
		return { conversationId: conversation.id, controlOfferedTo: target };
	} catch (error) {
		throw nodeError(this, error, itemIndex, controlLabels);
	}
}
