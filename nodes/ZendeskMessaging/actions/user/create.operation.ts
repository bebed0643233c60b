import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	MAX_EXTERNAL_ID_LENGTH,
	requireString,
	type CreateUserInput,
	type UserProfile,
} from '../../../../src/messaging';
import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { nodeError } from '../../helpers/errors';
import { metadataParameter, optionalText, stringParameter } from '../../helpers/parameters';
import type { OperationContext } from '../../helpers/types';
import { PROFILE_KEYS, profileOptions } from './profileFields';

const properties: INodeProperties[] = [
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'chat-session-42',
		description:
			'Your own unique ID for the user (1–1024 characters), by which it is found again later',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
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
				description: 'Flat metadata stored with the user, e.g. {"plan": "pro"} (at most 4 KB)',
			},
			{
				displayName: 'Signed Up At',
				name: 'signedUpAt',
				type: 'dateTime',
				default: '',
				description: 'When the user signed up with you',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Return Existing User',
				name: 'returnExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether to return the user who already has this external ID instead of failing',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	properties,
);

const LABELS = {
	externalId: 'External ID',
	'profile.givenName': 'First Name',
	'profile.surname': 'Last Name',
	'profile.email': 'Email',
	'profile.avatarUrl': 'Avatar URL',
	'profile.locale': 'Locale',
	signedUpAt: 'Signed Up At',
	metadata: 'Metadata',
};

/** Creates a Zendesk Messaging user (or, when asked, returns the one with this external ID). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ messaging, signal }: OperationContext,
): Promise<IDataObject> {
	try {
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const input: CreateUserInput & { externalId: string } = {
			externalId: requireString(
				'externalId',
				stringParameter(this, 'externalId', itemIndex),
				MAX_EXTERNAL_ID_LENGTH,
			),
		};
		const profile: UserProfile = {};
		for (const key of PROFILE_KEYS) {
			const value = optionalText(fields[key]);
			if (value !== undefined) profile[key] = value;
		}
		if (Object.keys(profile).length > 0) input.profile = profile;
		const signedUpAt = optionalText(fields.signedUpAt);
		if (signedUpAt !== undefined) input.signedUpAt = signedUpAt;
		const metadata = metadataParameter(this, 'additionalFields.metadata', 'Metadata', itemIndex);
		if (metadata) input.metadata = metadata;

		const client = await messaging.get();
		if (options.returnExisting === true) {
			const { user, created } = await client.findOrCreateUser(input, { signal });
			return { ...user, created };
		}
		return (await client.createUser(input, { signal })) as IDataObject;
	} catch (error) {
		throw nodeError(this, error, itemIndex, LABELS);
	}
}
