import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { chatTranscriptLines } from '../../../../src/rest/chat-transcript';
import { formatTranscript } from '../../../../src/shared/transcript';
import { transcriptFields, transcriptParameters } from '../../../shared/transcriptFields';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { requiredText } from '../../helpers/restInput';
import { labelled } from '../../../shared/fieldLabels';
import type { ExecutionResources } from '../ExecutionResources';
import { CHAT_ID_LABELS, chatIdField } from './common';

const properties: INodeProperties[] = [chatIdField, ...transcriptFields];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['getTranscript'] } },
	properties,
);

/** The chat's history (`GET /chats/{id}`) as one readable text, with its messages as data beside it. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const id = requiredText(this, itemIndex, 'chatId', 'Chat ID');
	const { format, includeEvents, maxLength } = transcriptParameters(this, itemIndex);
	const rest = await resources.rest();
	const chat = await labelled(CHAT_ID_LABELS, () => rest.getChat(id));
	const { transcript, lines, truncated } = formatTranscript(
		chatTranscriptLines(chat, { includeEvents }),
		{ format, maxLength },
	);
	return {
		chatId: chat.id,
		transcript,
		format,
		messages: lines,
		truncated,
	} as unknown as IDataObject;
}
