import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ActivityType } from '../../../../src/messaging';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels } from '../common.descriptions';

/** Posts one activity as the business into the item's conversation; the output says which. */
export async function postActivity(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
	type: ActivityType,
): Promise<IDataObject> {
	try {
		const client = await messaging.get();
		const conversation = await findConversation(ctx, client, itemIndex, { signal });
		await client.postActivity(conversation.id, { type }, { signal });
		return { conversationId: conversation.id, activity: type };
	} catch (error) {
		throw nodeError(ctx, error, itemIndex, conversationLabels);
	}
}
