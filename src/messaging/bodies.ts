import { InvalidInputError } from '../shared/errors';
import { quoteValue } from '../shared/excerpt';
import {
	ACTIVITY_TYPES,
	type ActivityInput,
	type CreateConversationInput,
	type CreateSwitchboardIntegrationInput,
	type CreateUserInput,
	type UpdateConversationInput,
	type UpdateSwitchboardInput,
	type UpdateUserInput,
	type UserProfileUpdate,
	type WebhookInput,
} from './types';
import {
	MAX_DISPLAY_NAME_LENGTH,
	MAX_EXTERNAL_ID_LENGTH,
	MAX_SWITCHBOARD_INTEGRATION_NAME_LENGTH,
	WEBHOOK_TRIGGERS,
} from './constants';
import {
	isPlainObject,
	optionalBoolean,
	optionalEnum,
	optionalString,
	requireHttpUrl,
	requireId,
	requireString,
	requireText,
	validateMetadata,
} from './validate';

/**
 * Request bodies, built from caller input and checked field by field before anything is sent.
 * Each names the spec schema it follows.
 */

export function dropUndefined<T extends Record<string, unknown>>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function userRef(input: { userId?: unknown; userExternalId?: unknown }): {
	userId?: string;
	userExternalId?: string;
} {
	const hasId = input.userId !== undefined;
	const hasExternal = input.userExternalId !== undefined;
	if (hasId === hasExternal) {
		throw new InvalidInputError(
			hasId ? 'userExternalId' : 'userId',
			'give exactly one of userId or userExternalId',
		);
	}
	return hasId
		? { userId: requireString('userId', input.userId, 256) }
		: {
				userExternalId: requireString(
					'userExternalId',
					input.userExternalId,
					MAX_EXTERNAL_ID_LENGTH,
				),
			};
}

function signedUpAt(value: unknown): string | undefined {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime()))
			throw new InvalidInputError('signedUpAt', 'signedUpAt is an invalid Date');
		return value.toISOString();
	}
	if (value === undefined) return undefined;
	const text = requireString('signedUpAt', value, 64);
	if (Number.isNaN(Date.parse(text)))
		throw new InvalidInputError(
			'signedUpAt',
			'signedUpAt must be an ISO 8601 time such as 2020-05-21T15:53:30.197Z',
		);
	return text;
}

/** Spec `profile`: each field 1–128 characters (avatarUrl a URL up to 2048, locale up to 64); null clears one in an update. */
function profileBody(value: unknown, nullable: boolean): Record<string, unknown> | undefined {
	if (value === undefined) return undefined;
	if (!isPlainObject(value)) throw new InvalidInputError('profile', 'profile must be an object');
	const p = value as UserProfileUpdate;
	const field = <T>(
		name: keyof UserProfileUpdate,
		check: (path: string, v: unknown) => T,
	): T | null | undefined => {
		const v = p[name];
		if (v === null && nullable) return null;
		return v === undefined ? undefined : check(`profile.${name}`, v);
	};
	const profile = dropUndefined({
		givenName: field('givenName', (path, v) => requireString(path, v, 128)),
		surname: field('surname', (path, v) => requireString(path, v, 128)),
		email: field('email', (path, v) => requireString(path, v, 128)),
		avatarUrl: field('avatarUrl', requireHttpUrl),
		locale: field('locale', (path, v) => requireString(path, v, 64)),
	});
	if (typeof profile.email === 'string' && !/^[^\s@]+@[^\s@]+$/.test(profile.email)) {
		throw new InvalidInputError('profile.email', 'profile.email is not an email address');
	}
	return profile;
}

/** Metadata that an update may set to null to clear it (spec `metadata`: nullable). */
function nullableMetadata(
	field: string,
	value: unknown,
): Record<string, unknown> | null | undefined {
	return value === null ? null : validateMetadata(field, value);
}

/** Spec userCreateBody. */
export function userCreateBody(
	input: CreateUserInput,
): Record<string, unknown> & { externalId?: string } {
	if (!isPlainObject(input))
		throw new InvalidInputError('user', 'createUser needs an object such as {externalId}');
	return dropUndefined({
		externalId: optionalString('externalId', input.externalId, MAX_EXTERNAL_ID_LENGTH),
		signedUpAt: signedUpAt(input.signedUpAt),
		profile: profileBody(input.profile, false),
		metadata: validateMetadata('metadata', input.metadata),
	});
}

/** Spec userUpdateBody: at least one field, since an empty update is almost surely a mistake. */
export function userUpdateBody(input: UpdateUserInput): Record<string, unknown> {
	if (!isPlainObject(input))
		throw new InvalidInputError('user', 'updateUser needs {profile?, metadata?, signedUpAt?}');
	const body = dropUndefined({
		signedUpAt: signedUpAt(input.signedUpAt),
		profile: profileBody(input.profile, true),
		metadata: nullableMetadata('metadata', input.metadata),
	});
	if (Object.keys(body).length === 0)
		throw new InvalidInputError(
			'user',
			'updateUser needs at least one of profile, metadata, signedUpAt',
		);
	return body;
}

/** Spec conversationCreateBody: a `personal` conversation with one participant. */
export function conversationCreateBody(input: CreateConversationInput): Record<string, unknown> {
	if (!isPlainObject(input))
		throw new InvalidInputError(
			'conversation',
			'createConversation needs {userId} or {userExternalId}',
		);
	const participant: Record<string, unknown> = {
		...userRef(input),
		subscribeSDKClient: optionalBoolean('subscribeSDKClient', input.subscribeSDKClient) ?? false,
	};
	return dropUndefined({
		type: 'personal',
		participants: [participant],
		displayName: optionalString('displayName', input.displayName, MAX_DISPLAY_NAME_LENGTH),
		description: optionalString('description', input.description, 100),
		iconUrl: input.iconUrl === undefined ? undefined : requireHttpUrl('iconUrl', input.iconUrl),
		metadata: validateMetadata('metadata', input.metadata),
	});
}

/** Spec conversationUpdateBody: displayName and description 1–100 characters, iconUrl a URL; each nullable. */
export function conversationUpdateBody(input: UpdateConversationInput): Record<string, unknown> {
	if (!isPlainObject(input))
		throw new InvalidInputError(
			'conversation',
			'updateConversation needs {displayName?, description?, iconUrl?, metadata?}',
		);
	const orNull = <T>(value: unknown, check: (v: unknown) => T): T | null | undefined =>
		value === null ? null : value === undefined ? undefined : check(value);
	const body = dropUndefined({
		displayName: orNull(input.displayName, (v) =>
			requireString('displayName', v, MAX_DISPLAY_NAME_LENGTH),
		),
		description: orNull(input.description, (v) => requireString('description', v, 100)),
		iconUrl: orNull(input.iconUrl, (v) => requireHttpUrl('iconUrl', v)),
		metadata: nullableMetadata('metadata', input.metadata),
	});
	if (Object.keys(body).length === 0) {
		throw new InvalidInputError(
			'conversation',
			'updateConversation needs at least one of displayName, description, iconUrl, metadata',
		);
	}
	return body;
}

export function messageAuthor(
	author: unknown,
): Record<string, unknown> & { type: 'business' | 'user' } {
	if (!isPlainObject(author))
		throw new InvalidInputError(
			'author',
			'author must be {type: "business"} or {type: "user", userId}',
		);
	const common = {
		displayName: optionalString('author.displayName', author.displayName, 255),
		avatarUrl:
			author.avatarUrl === undefined
				? undefined
				: requireHttpUrl('author.avatarUrl', author.avatarUrl),
	};
	if (author.type === 'business') {
		let subtypes: string[] | undefined;
		if (author.subtypes !== undefined) {
			// Spec: "AI" is the only subtype a request may set (activity, agent and bot appear in responses only).
			if (
				!Array.isArray(author.subtypes) ||
				author.subtypes.length !== 1 ||
				author.subtypes[0] !== 'AI'
			) {
				throw new InvalidInputError('author.subtypes', 'author.subtypes can only be ["AI"]');
			}
			subtypes = ['AI'];
		}
		return dropUndefined({ type: 'business' as const, ...common, subtypes });
	}
	if (author.type === 'user')
		return dropUndefined({ type: 'user' as const, ...userRef(author), ...common });
	throw new InvalidInputError(
		'author.type',
		`author.type must be "business" or "user", got ${quoteValue(author.type)}`,
	);
}

/** postMessage's loose check: text content is checked, other types pass through (see content/ for the strict builders). */
export function messageContent(content: unknown): Record<string, unknown> {
	if (!isPlainObject(content))
		throw new InvalidInputError(
			'content',
			'content must be an object such as {type: "text", text: "Hello"}',
		);
	requireString('content.type', content.type, 64);
	if (content.type === 'text') {
		// Text is required unless actions, htmlText or markdownText carry the message (spec: textMessage).
		const carried =
			content.actions !== undefined ||
			content.htmlText !== undefined ||
			content.markdownText !== undefined;
		if (content.text !== undefined || !carried) requireText('content.text', content.text);
		if (content.markdownText !== undefined)
			requireText('content.markdownText', content.markdownText);
		if (content.htmlText !== undefined) requireText('content.htmlText', content.htmlText);
		optionalBoolean('content.blockChatInput', content.blockChatInput);
		if (content.actions !== undefined && !Array.isArray(content.actions))
			throw new InvalidInputError('content.actions', 'content.actions must be a list');
	}
	return content;
}

/** Spec activityPost. */
export function activityBody(input: ActivityInput): Record<string, unknown> {
	if (!isPlainObject(input)) throw new InvalidInputError('activity', 'postActivity needs {type}');
	const type = optionalEnum('type', input.type, ACTIVITY_TYPES);
	if (!type)
		throw new InvalidInputError('type', `type must be one of ${ACTIVITY_TYPES.join(', ')}`);
	const rawAuthor = input.author ?? { type: 'business' as const };
	let author: Record<string, unknown>;
	if (rawAuthor.type === 'business') author = { type: 'business' };
	else if (rawAuthor.type === 'user') {
		// Spec, activityTypes: "If the author type is `user`, only `conversation:read` is supported."
		if (type !== 'conversation:read')
			throw new InvalidInputError('type', 'a user author can only send conversation:read');
		author = { type: 'user', ...userRef(rawAuthor) };
	} else throw new InvalidInputError('author.type', 'author.type must be "business" or "user"');
	return { author, type };
}

/** Spec passControlBody / offerControlBody (with a target) and acceptControlBody / releaseControlBody. */
export function controlBody(
	input: { switchboardIntegration?: unknown; metadata?: unknown },
	needsTarget: boolean,
): Record<string, unknown> {
	if (!isPlainObject(input))
		throw new InvalidInputError(
			'control',
			needsTarget ? 'pass {switchboardIntegration, metadata?}' : 'pass {metadata?}',
		);
	const metadata = validateMetadata('metadata', input.metadata);
	if (!needsTarget) return dropUndefined({ metadata });
	const target = requireString(
		'switchboardIntegration',
		input.switchboardIntegration,
		MAX_SWITCHBOARD_INTEGRATION_NAME_LENGTH,
	);
	return dropUndefined({ switchboardIntegration: target, metadata });
}

const KNOWN_TRIGGERS = new Set<string>(WEBHOOK_TRIGGERS);

/** Spec webhookCreateBody (every field) or webhookBody (an update: only the fields given). */
export function webhookBody(
	input: Partial<WebhookInput> | undefined,
	create: boolean,
	field: string,
): Record<string, unknown> {
	if (!isPlainObject(input))
		throw new InvalidInputError(field, `${field} must be {target, triggers}`);
	let triggers: string[] | undefined;
	if (input.triggers !== undefined || create) {
		if (!Array.isArray(input.triggers) || input.triggers.length === 0) {
			throw new InvalidInputError(
				`${field}.triggers`,
				`${field}.triggers must be a non-empty list`,
				'e.g. ["conversation:message", "switchboard:releaseControl"].',
			);
		}
		input.triggers.forEach((t, i) => {
			if (typeof t !== 'string' || !KNOWN_TRIGGERS.has(t)) {
				// Triggers are case sensitive; a typo would silently never fire.
				throw new InvalidInputError(
					`${field}.triggers[${i}]`,
					`${quoteValue(t)} is not a Sunshine Conversations webhook trigger`,
					`Use one of ${WEBHOOK_TRIGGERS.join(', ')}.`,
				);
			}
		});
		triggers = [...new Set(input.triggers)];
	}
	return dropUndefined({
		target:
			input.target !== undefined || create
				? requireHttpUrl(`${field}.target`, input.target)
				: undefined,
		triggers,
		includeFullUser: optionalBoolean(`${field}.includeFullUser`, input.includeFullUser),
		includeFullSource: optionalBoolean(`${field}.includeFullSource`, input.includeFullSource),
	});
}

/** Spec switchboardUpdateBody. */
export function switchboardUpdateBody(input: UpdateSwitchboardInput): Record<string, unknown> {
	if (!isPlainObject(input))
		throw new InvalidInputError(
			'switchboard',
			'updateSwitchboard needs {enabled?, defaultSwitchboardIntegrationId?}',
		);
	const body = dropUndefined({
		enabled: optionalBoolean('enabled', input.enabled),
		defaultSwitchboardIntegrationId:
			input.defaultSwitchboardIntegrationId === undefined
				? undefined
				: requireString(
						'defaultSwitchboardIntegrationId',
						input.defaultSwitchboardIntegrationId,
						256,
					),
	});
	if (Object.keys(body).length === 0)
		throw new InvalidInputError(
			'switchboard',
			'updateSwitchboard needs enabled or defaultSwitchboardIntegrationId',
		);
	return body;
}

/** Spec `name`: "Restricted to alphanumeric characters, `-` and `_`", maxLength 128. */
export function requireSwitchboardIntegrationName(field: string, value: unknown): string {
	const name = requireString(field, value, MAX_SWITCHBOARD_INTEGRATION_NAME_LENGTH);
	if (!/^[A-Za-z0-9_-]+$/.test(name)) {
		throw new InvalidInputError(
			field,
			`${field} may hold only letters, digits, "-" and "_", got ${quoteValue(name)}`,
			'e.g. "n8n-bot".',
		);
	}
	return name;
}

/** Spec switchboardIntegrationCreateBody / switchboardIntegrationUpdateBody. */
export function switchboardIntegrationBody(
	input: Partial<CreateSwitchboardIntegrationInput>,
	create: boolean,
): Record<string, unknown> {
	if (!isPlainObject(input))
		throw new InvalidInputError(
			'switchboardIntegration',
			'pass {name, integrationId or integrationType, …}',
		);
	const integrationId =
		input.integrationId === undefined
			? undefined
			: requireId('integrationId', input.integrationId, 256);
	const integrationType =
		input.integrationType === undefined
			? undefined
			: requireString('integrationType', input.integrationType, 256);
	// Create: "One of `integrationId` or `integrationType` must be provided"; update: "Can't provide both".
	if (integrationId !== undefined && integrationType !== undefined) {
		throw new InvalidInputError(
			'integrationType',
			'give integrationId (a custom integration) or integrationType (an OAuth or Zendesk one, e.g. zd:agentWorkspace), not both',
		);
	}
	if (create && integrationId === undefined && integrationType === undefined) {
		throw new InvalidInputError(
			'integrationId',
			'give integrationId (a custom integration) or integrationType (an OAuth or Zendesk one, e.g. zd:agentWorkspace)',
		);
	}
	let messageHistoryCount: number | null | undefined;
	if (input.messageHistoryCount === null) messageHistoryCount = null;
	else if (input.messageHistoryCount !== undefined) {
		const count = input.messageHistoryCount;
		// Spec messageHistoryCount: integer, minimum 1, maximum 10, nullable.
		if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10) {
			throw new InvalidInputError(
				'messageHistoryCount',
				`messageHistoryCount must be an integer from 1 to 10 or null, got ${quoteValue(count)}`,
			);
		}
		messageHistoryCount = count;
	}
	const body = dropUndefined({
		name:
			input.name !== undefined || create
				? requireSwitchboardIntegrationName('name', input.name)
				: undefined,
		integrationId,
		integrationType,
		deliverStandbyEvents: optionalBoolean('deliverStandbyEvents', input.deliverStandbyEvents),
		nextSwitchboardIntegrationId:
			input.nextSwitchboardIntegrationId === null
				? null
				: input.nextSwitchboardIntegrationId === undefined
					? undefined
					: requireId('nextSwitchboardIntegrationId', input.nextSwitchboardIntegrationId, 256),
		messageHistoryCount,
	});
	if (!create && Object.keys(body).length === 0) {
		throw new InvalidInputError(
			'switchboardIntegration',
			'updateSwitchboardIntegration needs at least one field to change',
		);
	}
	return body;
}
