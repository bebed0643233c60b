import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionalString, requireHttpUrl, requireText, validateMetadata, type BusinessMessageInput } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import { metadataParameter, optionalText } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator, metadataOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 2 },
		description: 'The message to send to the customer (at most 4096 characters)',
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		placeholder: 'Support Bot',
		description: "Author name shown with the message (empty: the app's name)",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Avatar URL',
				name: 'avatarUrl',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/bot.png',
				description: 'Picture shown with the message',
			},
			{
				displayName: 'Mark as AI-Generated',
				name: 'ai',
				type: 'boolean',
				default: false,
				description: 'Whether to mark the message as written by AI (Zendesk shows a disclaimer with it)',
			},
			metadataOption('Metadata', 'Flat metadata stored with the message (at most 4 KB with the origin tag)'),
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['sendAsBusiness'] } }, properties);

const LABELS = { ...conversationLabels, 'author.displayName': 'Display Name', displayName: 'Display Name', 'author.avatarUrl': 'Avatar URL', avatarUrl: 'Avatar URL' };

/**
 * Posts as the business (the bot), stamped with the origin tag: the Zendesk Messaging Trigger
 * sees the message come back through the webhook and drops it instead of answering its own bot.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, { messaging, signal }: OperationContext): Promise<IDataObject> {
	try {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		// Checked before the conversation lookup, so bad input sends no request at all.
		const input: BusinessMessageInput = { text: requireText('text', this.getNodeParameter('text', itemIndex, '')) };
		const displayName = optionalString('displayName', optionalText(this.getNodeParameter('displayName', itemIndex, '')), 255);
		if (displayName !== undefined) input.displayName = displayName;
		const avatarUrl = optionalText(options.avatarUrl);
		if (avatarUrl !== undefined) input.avatarUrl = requireHttpUrl('avatarUrl', avatarUrl);
		if (options.ai === true) input.ai = true;
		const metadata = validateMetadata('metadata', metadataParameter(this, 'options.metadata', 'Metadata', itemIndex));
		if (metadata) input.metadata = metadata;

		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		const message = await client.postBusinessMessage(conversation.id, input, { signal });
		return { ...message, conversationId: conversation.id };
	} catch (error) {
		throw nodeError(this, error, itemIndex, LABELS);
	}
}
