import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ChatChanges } from '../../../../src/rest';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { fieldError, listValue, requiredText } from '../../helpers/restInput';
import { labelled } from '../../../shared/fieldLabels';
import type { ExecutionResources } from '../ExecutionResources';
import { chatIdField, ratingField } from './common';

const properties: INodeProperties[] = [
	chatIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: "The visitor's comment on the chat",
			},
			ratingField,
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'e.g. vip, refund',
				description:
					"Replaces the chat's tags: separated by commas, each made of letters, digits, - and _. Leave empty to remove every tag.",
			},
			{
				displayName: 'Unread',
				name: 'unread',
				type: 'boolean',
				default: false,
				description:
					'Whether the chat is marked unread (the only field an offline message has that can change)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['update'] } },
	properties,
);

const LABELS: Record<string, string> = {
	chatId: 'Chat ID',
	'changes.comment': 'Update Fields › Comment',
	'changes.rating': 'Update Fields › Rating',
	'changes.tags': 'Update Fields › Tags',
	'changes.unread': 'Update Fields › Unread',
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
): Promise<IDataObject> {
	const id = requiredText(this, itemIndex, 'chatId', 'Chat ID');
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: Record<string, unknown> = {};
	for (const key of ['comment', 'rating', 'tags', 'unread'] as const) {
		if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
		const value = fields[key];
		// An expression that gave nothing must not clear the comment or every tag.
		if (value === undefined || value === null) {
			throw fieldError(
				this,
				itemIndex,
				`${LABELS[`changes.${key}`]} has no value`,
				'Its expression gave nothing. Remove the field to leave it unchanged.',
			);
		}
		changes[key] = key === 'tags' ? listValue(value) : value;
	}
	if (Object.keys(changes).length === 0) {
		throw fieldError(
			this,
			itemIndex,
			'Update Fields is empty',
			'Add at least one field to change: Comment, Rating, Tags or Unread.',
		);
	}
	const rest = await resources.rest();
	return (await labelled(LABELS, () => rest.updateChat(id, changes as ChatChanges))) as IDataObject;
}
