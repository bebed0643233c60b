import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	MAX_EXTERNAL_ID_LENGTH,
	requireId,
	validateMetadata,
	type UpdateUserInput,
	type UserProfileUpdate,
} from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { invalidParameter, nodeError } from '../../helpers/errors';
import { metadataParameter, optionalText, stringParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { PROFILE_KEYS, profileOptions } from './profileFields';
import { userGetByFields } from './get.operation';

const properties: INodeProperties[] = [
	...userGetByFields,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...profileOptions,
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'json',
				default: '{}',
				description:
					'Flat metadata, e.g. {"plan": "pro"} (at most 4 KB); it replaces the user\'s metadata as a whole',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['update'] } },
	properties,
);

const LABELS = {
	userId: 'User ID',
	externalId: 'External ID',
	userIdOrExternalId: 'User',
	'profile.givenName': 'Update Fields › First Name',
	'profile.surname': 'Update Fields › Last Name',
	'profile.email': 'Update Fields › Email',
	'profile.avatarUrl': 'Update Fields › Avatar URL',
	'profile.locale': 'Update Fields › Locale',
	metadata: 'Update Fields › Metadata',
};

/** Changes the user's profile fields given (the others stay) or replaces their metadata. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const field =
			this.getNodeParameter('getBy', itemIndex, 'externalId') === 'userId'
				? 'userId'
				: 'externalId';
		const id = requireId(field, stringParameter(this, field, itemIndex), MAX_EXTERNAL_ID_LENGTH);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const changes: UpdateUserInput = {};
		const profile: UserProfileUpdate = {};
		for (const key of PROFILE_KEYS) {
			const value = optionalText(fields[key]);
			if (value !== undefined) profile[key] = value;
		}
		if (Object.keys(profile).length > 0) changes.profile = profile;
		const metadata = validateMetadata(
			'metadata',
			metadataParameter(this, 'updateFields.metadata', 'Update Fields › Metadata', itemIndex),
		);
		if (metadata) changes.metadata = metadata;
		if (Object.keys(changes).length === 0) {
			throw invalidParameter(
				this,
				'Update Fields',
				'is empty',
				itemIndex,
				'Add at least one field to change: First Name, Last Name, Email, Avatar URL, Locale or Metadata.',
			);
		}
		const client = await messaging.get();
		return (await client.updateUser(id, changes, { signal })) as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, LABELS);
	}
}
