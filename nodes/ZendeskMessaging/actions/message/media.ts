import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { FileContent, ImageContent } from '../../../../src/messaging';
import { optionalText } from '../../helpers/parameters';
import { blockChatInputOf } from './common';

/** The Alt Text option of Send Image and Send File. */
export function altTextOption(kind: 'image' | 'file'): INodeProperties {
	return {
		displayName: 'Alt Text',
		name: 'altText',
		type: 'string',
		default: '',
		description: `The ${kind} described for screen readers (at most 128 characters)`,
	};
}

/** An image or file message from the fields: the URL, the optional caption and alt text. */
export function mediaContent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	type: 'image' | 'file',
	options: IDataObject,
): ImageContent | FileContent {
	const content: ImageContent | FileContent = {
		type,
		mediaUrl: ctx.getNodeParameter('mediaUrl', itemIndex, '') as string,
		...blockChatInputOf(options),
	};
	const text = optionalText(ctx.getNodeParameter('text', itemIndex, ''));
	if (text !== undefined) content.text = text;
	const altText = optionalText(options.altText);
	if (altText !== undefined) content.altText = altText;
	return content;
}
