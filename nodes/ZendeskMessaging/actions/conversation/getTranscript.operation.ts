import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { allMessages, messageTranscriptLines } from '../../../../src/messaging/transcript';
import { formatTranscript } from '../../../../src/shared/transcript';
import { transcriptFields, transcriptParameters } from '../../../shared/transcriptFields';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { findConversation } from '../../helpers/conversation';
import { nodeError } from '../../helpers/errors';
import type { OperationContext } from '../../helpers/types';
import { conversationLabels, conversationLocator } from '../common.descriptions';

const properties: INodeProperties[] = [...conversationLocator, ...transcriptFields];

export const description = updateDisplayOptions(
	{ show: { resource: ['conversation'], operation: ['getTranscript'] } },
	properties,
);

/**
 * Every message of the conversation, through every page, oldest first, as one readable text:
 * the customer, human agents and the bot told apart.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	const { format, includeEvents, maxLength } = transcriptParameters(this, itemIndex);
	try {
		const client = await messaging.get();
		const conversation = await findConversation(this, client, itemIndex, { signal });
		const messages = await allMessages(client, conversation.id, { signal });
		const { transcript, lines, truncated } = formatTranscript(
			messageTranscriptLines(messages, { includeEvents }),
			{ format, maxLength },
		);
		return {
			conversationId: conversation.id,
			transcript,
			format,
			messages: lines,
			truncated,
		} as unknown as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, conversationLabels);
	}
}
