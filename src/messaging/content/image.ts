import { InvalidInputError } from '../../shared/errors';
import { buildActions, MESSAGE_ACTION_TYPES, type MessageAction } from './actions';
import { at, dropUndefined, onlyKeys } from './checks';
import { MEDIA_FIELDS, mediaFields, type MediaFields } from './media';

/** An image with optional text and actions (spec: imageMessage). */
export interface ImageContent extends MediaFields {
	type: 'image';
	/** Any action type, as on a text message. */
	actions?: MessageAction[];
}

export function buildImage(
	path: string,
	content: Record<string, unknown>,
): Record<string, unknown> {
	onlyKeys(path, content, [...MEDIA_FIELDS, 'actions'], 'an image message');
	let actions: Record<string, unknown>[] | undefined;
	if (content.actions !== undefined) {
		if (!Array.isArray(content.actions))
			throw new InvalidInputError(
				at(path, 'actions'),
				`${at(path, 'actions')} must be a list of actions`,
			);
		actions = buildActions(
			at(path, 'actions'),
			content.actions,
			MESSAGE_ACTION_TYPES,
			'an image message',
		);
	}
	return dropUndefined({ type: 'image', ...mediaFields(path, content, 'image'), actions });
}
