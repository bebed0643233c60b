import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { TRANSCRIPT_FORMATS, type TranscriptFormat } from '../../src/shared/transcript';
import { quoteValue } from '../../src/shared/excerpt';
import { invalidField } from './fieldLabels';

/**
 * The fields of a Get Transcript operation, shared by Zendesk Chat and Zendesk Messaging so that
 * both transcripts are asked for, and read, the same way.
 */
export const transcriptFields: INodeProperties[] = [
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{
				name: 'Text',
				value: 'text',
				description: 'Plain text: "[2024-05-01 09:00:00 UTC] Jane (visitor): Hello"',
			},
			{
				name: 'Markdown',
				value: 'markdown',
				description:
					'A Markdown list, names in bold, with every Markdown character in the messages escaped',
			},
		],
		default: 'text',
		description: 'How the transcript reads',
	},
	{
		displayName: 'Options',
		name: 'transcriptOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include System Events',
				name: 'includeSystemEvents',
				type: 'boolean',
				default: false,
				description:
					'Whether to add lines for what was not typed text: joins, leaves, transfers, tags, ratings, images and files',
			},
			{
				displayName: 'Maximum Length',
				name: 'maxLength',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 4000,
				description:
					'At most this many characters: the latest lines are kept, and a first line says how many earlier ones were left out',
			},
		],
	},
];

export interface TranscriptParameters {
	format: TranscriptFormat;
	includeEvents: boolean;
	maxLength?: number;
}

/** The transcript fields of one item, checked before any request. */
export function transcriptParameters(
	ctx: IExecuteFunctions,
	itemIndex: number,
): TranscriptParameters {
	const format = ctx.getNodeParameter('format', itemIndex, 'text') as unknown;
	if (!TRANSCRIPT_FORMATS.includes(format as TranscriptFormat)) {
		throw invalid(
			ctx,
			itemIndex,
			'Format',
			`Format must be "text" or "markdown", got ${quoteValue(format)}`,
		);
	}
	const options = ctx.getNodeParameter('transcriptOptions', itemIndex, {}) as IDataObject;
	const result: TranscriptParameters = {
		format: format as TranscriptFormat,
		includeEvents: options.includeSystemEvents === true,
	};
	if (Object.prototype.hasOwnProperty.call(options, 'maxLength')) {
		const value = options.maxLength;
		// An expression may give a numeric text; anything else that is not a whole number above 0 is a mistake.
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
			throw invalid(
				ctx,
				itemIndex,
				'Maximum Length',
				`Maximum Length must be a positive whole number of characters, got ${quoteValue(value)}`,
			);
		}
		result.maxLength = number;
	}
	return result;
}

function invalid(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string,
	message: string,
): NodeOperationError {
	return invalidField(ctx.getNode(), label, message, { itemIndex, fix: 'Nothing was requested.' });
}
