import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { channels } from '../../../src/conversations';
import { quoteValue } from '../../../src/shared/excerpt';
import type { ExecutionResources } from '../actions/ExecutionResources';

/**
 * The Channel ID field of the Message and Live Chat operations. The Conversations API takes only its
 * own (Relay) channel ids, but a workflow often holds the Chat REST API's chat id instead: the
 * trigger's `chatId`, or the `id` of Chat › Search or Get, passed on by an AI agent or any node in
 * between. The `channels` query answers each open chat's `id` and `raw_id` (the REST chat id), so a
 * chat id is turned into its channel id before the mutation is sent.
 */

/**
 * A Relay id is base64 of a JSON list (NOTES.md section 1: `W1sibG9jYWxJZCIs...XV0=`) and never has a
 * dot, a colon or a space. It is not decoded, and its form is read loosely (the URL-safe alphabet,
 * padding or none): only one real id is attested, and refusing a real one before it is sent would
 * cost more than letting Zendesk judge a wrong one.
 */
const RELAY_ID = /^[A-Za-z0-9+/_-]{8,}={0,2}$/;

/** A REST chat id: `<digits>.<digits>.<alphanumerics>` (NOTES.md section 3: `1704.2314815.QHgVx6SOrRuSx`). */
const CHAT_ID = /^\d+\.\d+\.[A-Za-z0-9]+$/;

const FIELD = 'Channel ID';

export interface ChannelRef {
	/** The channel (Relay) id the mutation is sent with. */
	channelId: string;
	/** The REST chat id, when the user gave one instead of a channel id. */
	chatId: string | null;
}

/** The channel of an operation's output: its channel id, and the chat id it was given as, if so. */
export function channelOutput(ref: ChannelRef): { channelId: string; chatId?: string } {
	return ref.chatId === null
		? { channelId: ref.channelId }
		: { channelId: ref.channelId, chatId: ref.chatId };
}

/** One `channels` query per execution, however many items give a chat id. */
const openChannels = new WeakMap<ExecutionResources, Promise<Map<string, string>>>();

function channelsByChatId(resources: ExecutionResources): Promise<Map<string, string>> {
	let known = openChannels.get(resources);
	if (!known) {
		const query = resources
			.session()
			.then((session) => session.request(channels()))
			.then(
				(open) =>
					new Map(
						open.flatMap((channel) =>
							channel.raw_id === null ? [] : [[channel.raw_id, channel.id] as const],
						),
					),
			);
		known = query;
		openChannels.set(resources, query);
		// A failed query (a dropped connection, say) is asked again by the next item, not remembered as the answer.
		query.catch(() => {
			if (openChannels.get(resources) === query) openChannels.delete(resources);
		});
	}
	return known;
}

/** The value as the error shows it: strings quoted and cut short, anything else as JSON (src/shared/excerpt.ts). */
const shown = (value: unknown): string => quoteValue(value);

/**
 * The operation for item `itemIndex`, built by `make` with the item's channel id. `make` (which calls
 * the core's builder through `build`) runs first with the value as given, so every field is checked
 * before any request; a chat id is then looked up among the open channels and `make` builds the
 * operation that is sent. An empty value goes to the core, which names the field.
 */
export async function withChannel<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	resources: ExecutionResources,
	make: (channelId: string) => T,
): Promise<ChannelRef & { operation: T }> {
	const raw = ctx.getNodeParameter('channelId', itemIndex, '') as unknown;
	const value = typeof raw === 'string' ? raw.trim() : raw;
	const empty = value === '' || value === null || value === undefined;
	const isChatId = typeof value === 'string' && CHAT_ID.test(value);
	// All digits fits the base64 alphabet, but it is a REST id (a visitor's, a ticket's), never a Relay id.
	const isRelayId = typeof value === 'string' && RELAY_ID.test(value) && !/^\d+$/.test(value);
	if (!empty && !isChatId && !isRelayId) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${FIELD} ${shown(value)} is neither a channel ID nor a chat ID`,
			{
				itemIndex,
				description:
					`Field: ${FIELD}. Give the chat's channel ID (the channelId of a Zendesk Chat Trigger item or of Live Chat › Get Many, ` +
					'e.g. W1sibG9jYWxJZCIsIjEyMyJdLFsidHlwZSIsIkNIQU5ORUwiXV0=) or its chat ID (the chatId of a Zendesk Chat Trigger item, ' +
					'or the id Chat › Search and Chat › Get give, e.g. 1704.2314815.QHgVx6SOrRuSx). Visitor IDs, ticket numbers and URLs do not work here.',
				level: 'warning',
			},
		);
	}
	const given = make(value as string);
	if (!isChatId) return { operation: given, channelId: value as string, chatId: null };
	const chatId = value as string;
	const channelId = (await channelsByChatId(resources)).get(chatId);
	if (channelId === undefined) {
		throw new NodeOperationError(ctx.getNode(), `The chat ${chatId} is not open for this agent`, {
			itemIndex,
			description:
				`Field: ${FIELD}. A chat ID was given, but that chat is not among the chats going on now that this agent can see: ` +
				'it has ended, or another agent serves it and this agent does not listen to it. ' +
				'Use the channelId of the Zendesk Chat Trigger item (a chat ID works only for a chat this agent can see now).',
			level: 'warning',
		});
	}
	return { operation: make(channelId), channelId, chatId };
}
