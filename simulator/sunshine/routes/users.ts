import type { SunshineApp } from '../app';
import { SunshineError, badRequest } from '../errors';
import { newId } from '../ids';
import { presentUser, presentUserTruncated } from '../present';
import { ANY_SCOPE, created, ok, type Route } from '../router';
import type { ProfileRecord, UserRecord } from '../types';
import {
	Issues,
	booleanField,
	isObject,
	metadataField,
	objectBody,
	stringField,
	uriField,
	type Json,
} from '../validate';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Users (openapi.yaml tag Users): create, list by email identity, get, update, delete. */
export function userRoutes(app: SunshineApp): Route[] {
	const { store } = app;
	return [
		{
			method: 'POST',
			path: 'users',
			scopes: ANY_SCOPE,
			handle: ({ body }) => {
				const input = objectBody(body);
				const issues = new Issues();
				const externalId = stringField(input, 'externalId', '', issues, { min: 1, max: 1024 });
				const fields = userFields(input, issues);
				issues.throwIfAny();
				// openapi.yaml CreateUser 409 example.
				if (typeof externalId === 'string' && store.userByExternalId(externalId)) {
					throw new SunshineError(409, 'conflict', 'User already exists');
				}
				const profile = fields.profile ?? {};
				// Zendesk fills the locale from the account (openapi.yaml createUser example). (unverified)
				if (!profile.locale)
					Object.assign(profile, { locale: 'en', localeOrigin: 'zendeskAccount' });
				const user: UserRecord = {
					id: newId(),
					signedUpAt: fields.signedUpAt ?? app.now(),
					profile,
					metadata: fields.metadata ?? {},
					identities: [],
				};
				if (typeof externalId === 'string') user.externalId = externalId;
				if (fields.toBeRetained !== undefined) user.toBeRetained = fields.toBeRetained;
				store.users.set(user.id, user);
				return created({ user: presentUser(user) });
			},
		},
		{
			method: 'GET',
			path: 'users',
			scopes: ANY_SCOPE,
			handle: ({ query }) => {
				// openapi.yaml ListUsers: "The `identities.email` filter parameter is required, and it will
				// match users based on emails found in the `identities` array ... not ... `profile.email`."
				const email = query.get('filter[identities.email]');
				if (!email) throw badRequest('filter[identities.email] is required');
				const wanted = email.toLowerCase();
				const users = [...store.users.values()].filter((u) =>
					u.identities.some((i) => i.type === 'email' && i.value.toLowerCase() === wanted),
				);
				return ok({ users: users.map(presentUser) });
			},
		},
		{
			method: 'GET',
			path: 'users/:user',
			scopes: ANY_SCOPE,
			handle: ({ params }) => ok({ user: presentUser(store.requireUser(params.user)) }),
		},
		{
			method: 'PATCH',
			path: 'users/:user',
			scopes: ANY_SCOPE,
			handle: ({ params, body }) => {
				const user = store.requireUser(params.user);
				const input = objectBody(body);
				const issues = new Issues();
				const fields = userFields(input, issues);
				issues.throwIfAny();
				if (fields.signedUpAt !== undefined) user.signedUpAt = fields.signedUpAt;
				if (fields.toBeRetained !== undefined) user.toBeRetained = fields.toBeRetained;
				// Given profile fields replace those fields; null clears one. (unverified: merge rules)
				if (fields.profile) {
					for (const [key, value] of Object.entries(fields.profile)) {
						if (value === null) delete user.profile[key as keyof ProfileRecord];
						else Object.assign(user.profile, { [key]: value });
					}
				}
				if (fields.metadata !== undefined) user.metadata = fields.metadata ?? {};
				return ok({ user: presentUser(user) });
			},
		},
		{
			method: 'DELETE',
			path: 'users/:user',
			scopes: ANY_SCOPE,
			handle: ({ params }) => {
				const user = store.requireUser(params.user);
				// "Delete a user, its clients and its conversation history" (openapi.yaml DeleteUser).
				for (const conversation of store.conversationsOf(user.id)) {
					if (conversation.type === 'personal') store.conversations.delete(conversation.id);
					else
						conversation.participants = conversation.participants.filter(
							(p) => p.userId !== user.id,
						);
				}
				store.users.delete(user.id);
				const truncated = presentUserTruncated(user);
				app.events.publish('user:remove', () => ({ user: { ...truncated } }));
				return ok({});
			},
		},
	];
}

interface UserFields {
	signedUpAt?: string;
	toBeRetained?: boolean;
	profile?: ProfileRecord;
	metadata?: Record<string, string | number | boolean> | null;
}

/** openapi.yaml userCreateBody / userUpdateBody (less externalId) and `profile`. */
function userFields(input: Json, issues: Issues): UserFields {
	const out: UserFields = {};
	const signedUpAt = stringField(input, 'signedUpAt', '', issues, {
		pattern: ISO_TIME,
		patternHint: 'must be ISO 8601 time, YYYY-MM-DDThh:mm:ss.sssZ',
	});
	if (typeof signedUpAt === 'string' && ISO_TIME.test(signedUpAt)) {
		const time = Date.parse(signedUpAt);
		if (Number.isNaN(time)) issues.add('signedUpAt is not a valid date');
		else out.signedUpAt = new Date(time).toISOString();
	}
	out.toBeRetained = booleanField(input, 'toBeRetained', '', issues);
	const metadata = metadataField(input, 'metadata', '', issues);
	if (metadata !== undefined) out.metadata = metadata;
	if (input.profile !== undefined) {
		if (!isObject(input.profile)) issues.add('profile must be an object');
		else {
			const p = input.profile;
			const profile: ProfileRecord = {};
			const keep = (key: keyof ProfileRecord, value: string | null | undefined) => {
				if (value !== undefined) Object.assign(profile, { [key]: value });
			};
			keep(
				'givenName',
				stringField(p, 'givenName', 'profile', issues, { min: 1, max: 128, nullable: true }),
			);
			keep(
				'surname',
				stringField(p, 'surname', 'profile', issues, { min: 1, max: 128, nullable: true }),
			);
			keep(
				'email',
				stringField(p, 'email', 'profile', issues, {
					min: 1,
					max: 128,
					nullable: true,
					pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
					patternHint: 'must be an email address',
				}),
			);
			keep(
				'avatarUrl',
				uriField(p, 'avatarUrl', 'profile', issues, { min: 1, max: 2048, nullable: true }),
			);
			keep(
				'locale',
				stringField(p, 'locale', 'profile', issues, { min: 1, max: 64, nullable: true }),
			);
			out.profile = profile;
		}
	}
	return out;
}
