import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	MAX_EXTERNAL_ID_LENGTH,
	requireString,
	requireText,
	validateMetadata,
} from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import { metadataParameter, stringParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import {
	conversationByField,
	conversationIdField,
	conversationLabels,
	metadataOption,
	userExternalIdField,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		...userExternalIdField,
		description:
			'Your own ID for the chatbot user who wrote the message (the ID given to Escalate to Agent); it also finds the conversation unless a conversation ID is given',
	},
	conversationByField,
	{ ...conversationIdField, displayOptions: { show: { conversationBy: ['conversationId'] } } },
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 2 },
		description:
			'What the customer wrote (at most 4096 characters); the agent sees it as written by the customer',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			metadataOption(
				'Metadata',
				'Flat metadata stored with the message, e.g. {"channel": "whatsapp"} (at most 4 KB)',
			),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['forwardUserMessage'] } },
	properties,
);

/** Posts what the customer wrote to the bot into the Zendesk conversation, as the customer. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		// Everything is checked before the conversation lookup, so bad input sends no request at all.
		const userExternalId = requireString(
			'userExternalId',
			stringParameter(this, 'userExternalId', itemIndex),
			MAX_EXTERNAL_ID_LENGTH,
		);
		const text = requireText('text', this.getNodeParameter('text', itemIndex, ''));
		const metadata = validateMetadata(
			'metadata',
			metadataParameter(this, 'options.metadata', 'Metadata', itemIndex),
		);
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		const message = await client.postUserMessage(
			conversation.id,
			{ userExternalId, text, ...(metadata ? { metadata } : {}) },
			{ signal },
		);
		return { ...message, conversationId: conversation.id };
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}
