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
		options: [
			metadataOption(
				'Metadata',
				'Flat metadata handed over with control, e.g. {"reason": "asked for a human"} (at most 4 KB)',
			),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['passControl'] } },
	properties,
);

/** Gives control of the conversation to a switchboard integration at once (whoever had it loses it). */
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
		await client.passControl(
			conversation.id,
			{ switchboardIntegration: target, ...(metadata ? { metadata } : {}) },
			{ signal },
		);
		return { conversationId: conversation.id, controlPassedTo: target };
	} catch (error) {
		throw nodeError(this, error, itemIndex, controlLabels);
	}
}
