import { agentIdOf, isAgentMessage } from './agent-author';
import { mediaOf, type MessageMedia } from './webhook-media';

/**
 * One Sunshine Conversations message read into the plain fields a workflow branches on: who wrote
 * it (customer, bot or human agent), its text and content, its media. One reading for the Zendesk
 * Messaging Trigger's items (a webhook's `payload.message`) and for Send and Wait for Reply's reply
 * (a List Messages message): both have the spec's `message` shape. Read loosely, never throws: the
 * message is Zendesk's, and a field missing from one message must not stop the others.
 */

type Json = Record<string, unknown>;

/** A JSON object, or undefined for anything else (arrays and null included). */
export function objectOf(value: unknown): Json | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Json)
		: undefined;
}

/** Text, a finite number as text, or null. */
export function stringOf(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** Spec `author.subtypes` (AI, activity, agent or bot), only the strings. */
export function subtypesOf(author: Json | undefined): string[] {
	return Array.isArray(author?.subtypes)
		? author.subtypes.filter((s): s is string => typeof s === 'string')
		: [];
}

/** What a message says about itself. */
export interface MessageView {
	id: string | null;
	authorType: string | null;
	authorName: string | null;
	/** Spec `author.subtypes`: AI, activity, agent or bot. */
	subtypes: string[];
	fromAgent: boolean;
	agentId: string | null;
	contentType: string | null;
	text: string | null;
	content: Json | null;
}

/** Reads a message (spec `message`); anything that is not an object gives a view of nulls. */
export function messageViewOf(value: unknown): MessageView {
	const message = objectOf(value);
	const author = objectOf(message?.author);
	const content = objectOf(message?.content);
	const metadata = objectOf(message?.metadata);
	const source = objectOf(message?.source);
	return {
		id: stringOf(message?.id),
		authorType: stringOf(author?.type),
		authorName: stringOf(author?.displayName),
		subtypes: subtypesOf(author),
		fromAgent: isAgentMessage({ author, metadata, source }),
		agentId: agentIdOf(metadata),
		contentType: stringOf(content?.type),
		text: stringOf(content?.text),
		content: content ?? null,
	};
}

/** The message fields of an item, named the same wherever a node puts out a message. */
export interface MessageFields {
	messageId: string | null;
	authorType: string | null;
	authorName: string | null;
	fromAgent: boolean;
	agentId: string | null;
	agentName: string | null;
	contentType: string | null;
	text: string | null;
	content: Json | null;
	media: MessageMedia[];
}

export function messageFields(message: MessageView): MessageFields {
	return {
		messageId: message.id,
		authorType: message.authorType,
		authorName: message.authorName,
		fromAgent: message.fromAgent,
		agentId: message.fromAgent ? message.agentId : null,
		agentName: message.fromAgent ? message.authorName : null,
		contentType: message.contentType,
		text: message.text,
		content: message.content,
		media: mediaOf(message.content),
	};
}
