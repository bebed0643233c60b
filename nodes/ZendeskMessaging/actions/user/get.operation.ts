import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MAX_EXTERNAL_ID_LENGTH, requireId } from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { nodeError } from '../../helpers/errors';
import { stringParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';

/** How a user is found: your external ID, or the Zendesk user ID (Get and Update). */
export const userGetByFields: INodeProperties[] = [
	{
		displayName: 'Get By',
		name: 'getBy',
		type: 'options',
		options: [
			{ name: 'External ID', value: 'externalId', description: 'Your own ID for the user' },
			{ name: 'User ID', value: 'userId', description: 'The ID Zendesk Messaging gave the user' },
		],
		default: 'externalId',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'chat-session-42',
		displayOptions: { show: { getBy: ['externalId'] } },
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { getBy: ['userId'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	userGetByFields,
);

/** GET /users/{userIdOrExternalId}: Zendesk accepts either kind of ID in the same place. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	const byId = this.getNodeParameter('getBy', itemIndex, 'externalId') === 'userId';
	const field = byId ? 'userId' : 'externalId';
	try {
		const id = requireId(field, stringParameter(this, field, itemIndex), MAX_EXTERNAL_ID_LENGTH);
		const client = await messaging.get();
		return (await client.getUser(id, { signal })) as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, { userId: 'User ID', externalId: 'External ID' });
	}
}
