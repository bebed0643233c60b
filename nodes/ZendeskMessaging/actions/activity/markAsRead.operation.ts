import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import { postActivity } from './activity';

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['markAsRead'] } },
	conversationLocator,
);

/** Marks the conversation as read by the business (the customer sees their messages were read) (conversation:read activity). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	return await postActivity(this, itemIndex, context, 'conversation:read');
}
