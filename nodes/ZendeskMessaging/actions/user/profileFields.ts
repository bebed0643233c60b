import type { INodeProperties } from 'n8n-workflow';

/** The user profile fields (spec `profile`), named as the API names them, for Create and Update. */
export const PROFILE_KEYS = ['givenName', 'surname', 'email', 'avatarUrl', 'locale'] as const;

/** The profile fields as collection options (Create's Additional Fields, Update's Update Fields). */
export const profileOptions: INodeProperties[] = [
	{
		displayName: 'Avatar URL',
		name: 'avatarUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/me.png',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{ displayName: 'First Name', name: 'givenName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'surname', type: 'string', default: '' },
	{
		displayName: 'Locale',
		name: 'locale',
		type: 'string',
		default: '',
		placeholder: 'en-US',
		description: 'BCP 47 language tag, e.g. fr-CA',
	},
];
