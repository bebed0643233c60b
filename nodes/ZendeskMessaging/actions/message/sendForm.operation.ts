import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import type { FormContent, FormField } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import {
	entriesOf,
	inputModeOf,
	jsonList,
	sendLabeler,
	withoutUndefined,
} from '../../helpers/content';
import { optionalText } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { conversationLocator } from '../common.descriptions';
import {
	blockChatInputOf,
	displayNameField,
	inputModeField,
	onlyFields,
	onlyJson,
	sendAsBusiness,
	sendOptions,
} from './common';

/** The fields of one form question, in the order they are filled in (the type first). */
const formFieldValues: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'An email address' },
			{ name: 'Select', value: 'select', description: 'One of the options below' },
			{ name: 'Text', value: 'text', description: 'Free text' },
		],
		default: 'text',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'full_name',
		description: 'The key of the answer in the formResponse (unique in the form)',
	},
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		default: '',
		placeholder: 'Your name?',
		description: 'The question the customer sees',
	},
	{
		displayName: 'Placeholder',
		name: 'placeholder',
		type: 'string',
		default: '',
		description: 'A hint shown in the empty field',
	},
	{
		displayName: 'Options',
		name: 'selectOptions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Option',
		default: {},
		description: 'The choices of a Select field (1 to 200)',
		displayOptions: { show: { type: ['select'] } },
		options: [
			{
				displayName: 'Option',
				name: 'option',
				values: [
					{
						displayName: 'Label',
						name: 'label',
						type: 'string',
						default: '',
						description: 'What the customer sees',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'What the answer holds (unique in the field)',
					},
				],
			},
		],
	},
];

const properties: INodeProperties[] = [
	...conversationLocator,
	inputModeField,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Field',
		default: {},
		description:
			"1 to 20 questions (Zendesk's limit); the answers come back as a formResponse message",
		displayOptions: onlyFields,
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: formFieldValues,
			},
		],
	},
	{
		displayName: 'Fields (JSON)',
		name: 'fieldsJson',
		type: 'json',
		default: '[]',
		placeholder:
			'[{"type": "text", "name": "full_name", "label": "Your name?"}, {"type": "select", "name": "size", "label": "Size?", "options": [{"name": "s", "label": "Small"}, {"name": "l", "label": "Large"}]}]',
		description:
			'1 to 20 questions: a JSON array of {"type": "text", "email" or "select", "name", "label", "placeholder"}; a select has "options" [{"name", "label"}]; a text field may have "minSize", "maxSize" and "format" ("integer" or "decimal")',
		displayOptions: onlyJson,
	},
	displayNameField,
	sendOptions([
		{
			displayName: 'Text for Social Channels',
			name: 'formText',
			type: 'string',
			default: '',
			description: "Shown above the form's link on channels that cannot show forms",
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendForm'] } },
	properties,
);

function fieldFromFields(values: IDataObject): FormField {
	const type = (values.type as FormField['type'] | undefined) ?? 'text';
	const field = withoutUndefined({
		type,
		name: optionalText(values.name),
		label: optionalText(values.label),
		placeholder: optionalText(values.placeholder),
	});
	if (type === 'select') {
		field.options = entriesOf(values.selectOptions, 'option').map((option) =>
			withoutUndefined({ name: optionalText(option.name), label: optionalText(option.label) }),
		);
	}
	return field as unknown as FormField;
}

/** A form the customer fills in (text, email and select fields); the answers come back as a formResponse message. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<IDataObject> {
	const mode = inputModeOf(this, itemIndex);
	const labeler = sendLabeler(mode, {
		top: { text: 'Text for Social Channels' },
		json: { fields: 'Fields (JSON)' },
	});
	return await sendAsBusiness(this, itemIndex, context, labeler, (options) => {
		const fields =
			mode === 'json'
				? jsonList(this, 'fieldsJson', 'Fields (JSON)', itemIndex)
				: entriesOf(this.getNodeParameter('fields', itemIndex, {}), 'field').map(fieldFromFields);
		const content: FormContent = {
			type: 'form',
			fields: fields as FormField[],
			...blockChatInputOf(options),
		};
		const text = optionalText(options.formText);
		if (text !== undefined) content.text = text;
		return content;
	});
}
