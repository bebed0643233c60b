/**
 * What `PUT /chats/{id}` may change: the fields the chat object's table marks as not read-only
 * (seeds/chat-rest-api-chats.txt, "JSON format"): comment, rating, tags and unread.
 */
import { InvalidInputError, quoteValue } from '../shared';
import { hasControlCharacters } from './validate';

export interface ChatChanges {
	/** The customer comment on the chat. */
	comment?: string;
	/** The customer satisfaction rating: "good" or "bad". */
	rating?: 'good' | 'bad';
	/** Replaces the chat's tags; each is letters, digits, "-" and "_". */
	tags?: string[];
	unread?: boolean;
}

/** Zendesk Chat tags: letters, digits, "-" and "_" (ARCHITECTURE.md, "Protocol facts"). */
const TAG = /^[\p{L}\p{N}_-]{1,100}$/u;
const COMMENT_MAX = 10_000;

/** Validates the changes and returns the JSON body. @throws InvalidInputError */
export function chatChangesBody(changes: ChatChanges): Record<string, unknown> {
	if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
		throw new InvalidInputError(
			'changes',
			'the changes must be an object',
			'e.g. { tags: ["vip"] }',
		);
	}
	const body: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(changes)) {
		if (value === undefined) continue;
		switch (key) {
			case 'comment':
				if (
					typeof value !== 'string' ||
					value.length > COMMENT_MAX ||
					hasControlCharacters(value.replace(/[\n\r\t]/g, ''))
				) {
					throw new InvalidInputError(
						'changes.comment',
						`the comment must be a text of at most ${COMMENT_MAX} characters`,
					);
				}
				body.comment = value;
				break;
			case 'rating':
				if (value !== 'good' && value !== 'bad')
					throw new InvalidInputError(
						'changes.rating',
						`${quoteValue(value)} is not a rating`,
						'Use "good" or "bad".',
					);
				body.rating = value;
				break;
			case 'tags':
				if (!Array.isArray(value))
					throw new InvalidInputError('changes.tags', 'tags must be a list of texts');
				value.forEach((tag, i) => {
					if (typeof tag !== 'string' || !TAG.test(tag)) {
						throw new InvalidInputError(
							`changes.tags[${i}]`,
							`${quoteValue(tag)} is not a valid tag`,
							'Tags may only contain letters, digits, "-" and "_".',
						);
					}
				});
				body.tags = [...new Set(value as string[])];
				break;
			case 'unread':
				if (typeof value !== 'boolean')
					throw new InvalidInputError('changes.unread', 'unread must be true or false');
				body.unread = value;
				break;
			default:
				throw new InvalidInputError(
					`changes.${key}`,
					`"${key}" cannot be changed`,
					'Only comment, rating, tags and unread can be changed.',
				);
		}
	}
	if (Object.keys(body).length === 0)
		throw new InvalidInputError(
			'changes',
			'nothing to change',
			'Give at least one of comment, rating, tags, unread.',
		);
	return body;
}
