import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	latestPersonalConversation,
	MAX_EXTERNAL_ID_LENGTH,
	requireString,
	sunshineErrorCode,
} from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import { stringParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	...conversationLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { conversationBy: ['userExternalId'] } },
		options: [
			{
				displayName: 'If the User Has No Conversation',
				name: 'ifNone',
				type: 'options',
				options: [
					{
						name: 'Fail',
						value: 'fail',
						description: 'Stop with an error (or an error item with Continue On Fail)',
					},
					{
						name: 'Output Nothing',
						value: 'nothing',
						description:
							'Output no item for it; with the node setting Always Output Data, the next node gets one empty item instead (e.g. to ask "was this chat escalated?" without an error)',
					},
				],
				default: 'fail',
				description:
					'What to do when Zendesk has no such user, or the user has no conversation yet',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['get'] } },
	properties,
);

/** The conversation, with who has control of it (activeSwitchboardIntegration). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject | IDataObject[]> {
	try {
		const client = await messaging.get();
		const by = this.getNodeParameter('conversationBy', itemIndex, 'userExternalId') as string;
		const ifNone =
			(this.getNodeParameter('options.ifNone', itemIndex, 'fail') as string) === 'nothing';
		if (by === 'userExternalId' && ifNone) {
			const userExternalId = requireString(
				'userExternalId',
				stringParameter(this, 'userExternalId', itemIndex),
				MAX_EXTERNAL_ID_LENGTH,
			);
			const conversation = await latestPersonalConversation(
				client,
				{ userExternalId },
				{ signal },
			).catch(unlessNoSuchUser);
			return conversation ? (conversation as IDataObject) : [];
		}
		const found = await findConversation(this, client, itemIndex, { signal });
		return (found.conversation ??
			(await client.getConversation(found.id, { signal }))) as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}

/**
 * Listing the conversations of an unknown external ID is a 404 `user_not_found` (openapi.yaml
 * ListConversations): nothing, not an error. Any other 404 (`app_not_found`: a wrong credential) still fails.
 */
async function unlessNoSuchUser(error: unknown): Promise<undefined> {
	if (sunshineErrorCode(error) === 'user_not_found') return undefined;
	throw error;
}
