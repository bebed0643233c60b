import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import { postActivity } from './activity';

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['typingStart'] } },
	conversationLocator,
);

/** Shows the customer that the bot is typing (until Typing Stop or the next message) (typing:start activity). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	return await postActivity(this, itemIndex, context, 'typing:start');
}
