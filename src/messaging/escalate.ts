import { InvalidInputError } from '../shared/errors';
import { formatTranscript } from '../shared/transcript';
import type { MessagingClient } from './client';
import {
	AGENT_WORKSPACE_NAME,
	MAX_EXTERNAL_ID_LENGTH,
	MAX_SWITCHBOARD_INTEGRATION_NAME_LENGTH,
	MAX_TEXT_LENGTH,
} from './constants';
import type { Conversation, Message, User } from './schemas';
import { ticketMetadata, type TicketFields } from './ticket-metadata';
import { allMessages, messageTranscriptLines } from './transcript';
import type { CallOptions, CreateUserInput, UserRef } from './types';
import {
	isPlainObject,
	optionalBoolean,
	optionalString,
	requireId,
	requireString,
	requireText,
	requireVisibleText,
	validateMetadata,
	type Metadata,
} from './validate';

/** One line of the bot-side history, posted as a business message after the summary. */
export interface TranscriptEntry {
	text: string;
	/** Shown as the author name, e.g. "Customer" or "Bot". */
	displayName?: string;
}

export interface EscalationOptions {
	/** The end user; found by externalId, or created with this profile and metadata. */
	user: CreateUserInput & { externalId: string };
	/** Reuse this conversation instead of creating one. */
	conversationId?: string;
	/**
	 * Without `conversationId`: reuse the user's most recently updated personal conversation, if
	 * any, instead of creating a new one. @default false
	 */
	reuseLatestConversation?: boolean;
	/** The first message the agent reads: what the customer needs (seeds: "Sends the summary as the first message"). */
	summary: string;
	/** Earlier messages, posted in order after the summary. */
	transcript?: TranscriptEntry[];
	/** Author name of the summary. @default undefined (the app's name) */
	businessDisplayName?: string;
	/** Ticket fields, sent as dataCapture.* metadata. */
	ticket?: TicketFields;
	/** More flat pass-control metadata (merged after the ticket fields). */
	metadata?: Metadata;
	/**
	 * Metadata of the conversation itself: set when it is created, merged into a reused one. It comes
	 * back on every webhook event of the conversation (openapi.yaml conversationTruncated.metadata),
	 * so a workflow can tell the conversations it escalated from all others of the app.
	 */
	conversationMetadata?: Metadata;
	/** Where control goes: a switchboard integration id, name or type. @default "zd-agentWorkspace" */
	switchboardIntegration?: string;
	/**
	 * When an existing conversation is reused: append its messages so far, as a text transcript, to
	 * the summary, keeping the latest lines that fit in one message (4096 characters). The agent
	 * then reads what happened before the handoff in the ticket's first message, which is where
	 * `first_message_id` starts the ticket. @default false
	 */
	appendTranscript?: boolean;
}

export interface EscalationResult {
	user: User;
	userCreated: boolean;
	conversation: Conversation;
	conversationCreated: boolean;
	/** The messages posted: the summary first, then the transcript. */
	messages: Message[];
	/** Sent as metadata.first_message_id so the ticket holds the whole history, not the last 10 messages. */
	firstMessageId: string;
	/** The metadata sent with passControl. */
	metadata: Metadata;
	/** With `appendTranscript`: how many lines of the conversation were appended to the summary, and whether earlier ones were left out. */
	appendedTranscript?: { lines: number; truncated: boolean };
}

/** A stand-in for the first message id while checking the metadata size before anything is sent. */
const PLACEHOLDER_MESSAGE_ID = 'x'.repeat(64);

/**
 * The documented handoff (NOTES.md "Zendesk handoff specifics", the Botpress HITL flow and
 * seeds/messaging-escalation-connector.txt): find or create the user, create or reuse the
 * conversation, post the summary (and transcript) as the business, then pass control to the agent
 * workspace with the ticket metadata and `first_message_id` = the summary, so the ticket shows
 * every message posted rather than only the last 10. A message goes first because passing control
 * on an empty conversation is refused (Botpress).
 *
 * All input is checked before the first request. If a later step fails, the error is thrown and the
 * steps already done stay done (a user, a conversation, messages): calling again with the same
 * externalId and `conversationId` continues from there.
 */
export async function escalate(
	client: MessagingClient,
	input: EscalationOptions,
	options: CallOptions = {},
): Promise<EscalationResult> {
	const plan = planEscalation(input);

	const { user, created: userCreated } = await client.findOrCreateUser(input.user, options);

	let conversation: Conversation | undefined;
	let conversationCreated = false;
	if (plan.conversationId !== undefined) {
		conversation = await client.getConversation(plan.conversationId, options);
	} else if (plan.reuseLatest) {
		conversation = await latestPersonalConversation(client, { userId: user.id }, options);
	}
	if (!conversation) {
		conversation = await client.createConversation(
			{
				userId: user.id,
				...(plan.conversationMetadata ? { metadata: plan.conversationMetadata } : {}),
			},
			options,
		);
		conversationCreated = true;
	} else if (
		plan.conversationMetadata &&
		!holdsAll(conversation.metadata, plan.conversationMetadata)
	) {
		const merged = { ...(conversation.metadata ?? {}), ...plan.conversationMetadata } as Metadata;
		conversation = await client.updateConversation(conversation.id, { metadata: merged }, options);
	}

	let summary = plan.summary;
	let appendedTranscript: EscalationResult['appendedTranscript'];
	if (plan.appendTranscript && !conversationCreated) {
		({ summary, appended: appendedTranscript } = await withTranscript(
			client,
			conversation.id,
			plan.summary,
			options,
		));
	}

	const messages: Message[] = [];
	messages.push(
		await client.postBusinessMessage(
			conversation.id,
			{ text: summary, displayName: plan.businessDisplayName },
			options,
		),
	);
	for (const entry of plan.transcript) {
		messages.push(
			await client.postBusinessMessage(
				conversation.id,
				{ text: entry.text, displayName: entry.displayName },
				options,
			),
		);
	}

	const firstMessageId = messages[0].id;
	const metadata = validateMetadata('metadata', {
		...plan.metadata,
		first_message_id: firstMessageId,
	}) as Metadata;
	await client.passControl(
		conversation.id,
		{ switchboardIntegration: plan.switchboardIntegration, metadata },
		options,
	);

	return {
		user,
		userCreated,
		conversation,
		conversationCreated,
		messages,
		firstMessageId,
		metadata,
		...(appendedTranscript ? { appendedTranscript } : {}),
	};
}

const TRANSCRIPT_HEADING = '\n\nConversation so far:\n';
/** Below this much room, a transcript would be a notice and a fragment: the summary goes alone. */
const MIN_TRANSCRIPT_ROOM = 80;

/**
 * The summary with the conversation's messages so far appended, within one message's length
 * (MAX_TEXT_LENGTH counts code points; UTF-16 units, which formatTranscript counts, are never
 * fewer, so the result always fits). Events (images, files…) are kept as short descriptions:
 * the agent should know a photo was sent.
 */
async function withTranscript(
	client: MessagingClient,
	conversationId: string,
	summary: string,
	options: CallOptions,
): Promise<{ summary: string; appended?: { lines: number; truncated: boolean } }> {
	const lines = messageTranscriptLines(await allMessages(client, conversationId, options), {
		includeEvents: true,
	});
	const room = MAX_TEXT_LENGTH - summary.length - TRANSCRIPT_HEADING.length;
	if (lines.length === 0 || room < MIN_TRANSCRIPT_ROOM) return { summary };
	const result = formatTranscript(lines, { format: 'text', maxLength: room });
	return {
		summary: `${summary}${TRANSCRIPT_HEADING}${result.transcript}`,
		appended: { lines: result.lines.length, truncated: result.truncated },
	};
}

interface EscalationPlan {
	conversationId?: string;
	conversationMetadata?: Metadata;
	reuseLatest: boolean;
	summary: string;
	transcript: TranscriptEntry[];
	businessDisplayName?: string;
	metadata: Metadata;
	switchboardIntegration: string;
	appendTranscript: boolean;
}

/** Every check, before any request: a half-done escalation is worse than none. */
function planEscalation(input: EscalationOptions): EscalationPlan {
	if (!isPlainObject(input))
		throw new InvalidInputError('escalation', 'escalate needs {user: {externalId}, summary}');
	if (!isPlainObject(input.user))
		throw new InvalidInputError('user', 'user must be {externalId, profile?, metadata?}');
	requireString('user.externalId', input.user.externalId, MAX_EXTERNAL_ID_LENGTH);
	validateMetadata('user.metadata', input.user.metadata);
	const conversationId =
		input.conversationId === undefined
			? undefined
			: requireId('conversationId', input.conversationId);
	const reuseLatest =
		optionalBoolean('reuseLatestConversation', input.reuseLatestConversation) ?? false;
	// The agent reads the summary first: a blank one would open the ticket with nothing to go on.
	const summary = requireVisibleText('summary', input.summary);
	const businessDisplayName = optionalString('businessDisplayName', input.businessDisplayName, 255);
	let transcript: TranscriptEntry[] = [];
	if (input.transcript !== undefined) {
		if (!Array.isArray(input.transcript))
			throw new InvalidInputError(
				'transcript',
				'transcript must be a list of {text, displayName?}',
			);
		transcript = input.transcript.map((entry, i) => {
			if (!isPlainObject(entry))
				throw new InvalidInputError(
					`transcript[${i}]`,
					`transcript[${i}] must be {text, displayName?}`,
				);
			return {
				text: requireText(`transcript[${i}].text`, entry.text),
				displayName: optionalString(`transcript[${i}].displayName`, entry.displayName, 255),
			};
		});
	}
	const extra = validateMetadata('metadata', input.metadata) ?? {};
	if ('first_message_id' in extra) {
		throw new InvalidInputError(
			'metadata.first_message_id',
			'first_message_id is set by escalate to the first message it posts',
		);
	}
	const metadata = { ...ticketMetadata(input.ticket), ...extra };
	validateMetadata('metadata', { ...metadata, first_message_id: PLACEHOLDER_MESSAGE_ID });
	const switchboardIntegration =
		input.switchboardIntegration === undefined
			? AGENT_WORKSPACE_NAME
			: requireString(
					'switchboardIntegration',
					input.switchboardIntegration,
					MAX_SWITCHBOARD_INTEGRATION_NAME_LENGTH,
				);
	const conversationMetadata = validateMetadata('conversationMetadata', input.conversationMetadata);
	const appendTranscript = optionalBoolean('appendTranscript', input.appendTranscript) ?? false;
	return {
		conversationId,
		...(conversationMetadata && Object.keys(conversationMetadata).length > 0
			? { conversationMetadata }
			: {}),
		reuseLatest,
		summary,
		transcript,
		businessDisplayName,
		metadata,
		switchboardIntegration,
		appendTranscript,
	};
}

/**
 * The user's most recently updated personal conversation, or undefined when the user has none:
 * what lets a stateless caller find a conversation again from the user's externalId alone.
 * @throws HttpError 404 (user_not_found) when there is no such user.
 */
export async function latestPersonalConversation(
	client: MessagingClient,
	user: UserRef,
	options: CallOptions = {},
): Promise<Conversation | undefined> {
	let latest: Conversation | undefined;
	for await (const conversation of client.conversations(user, options)) {
		if (conversation.type !== 'personal') continue;
		const time = (c: Conversation) => Date.parse(c.lastUpdatedAt ?? c.createdAt ?? '') || 0;
		if (!latest || time(conversation) > time(latest)) latest = conversation;
	}
	return latest;
}

/** Whether `metadata` already has every entry of `wanted` (then a reused conversation needs no update). */
function holdsAll(metadata: Record<string, unknown> | null | undefined, wanted: Metadata): boolean {
	return Object.entries(wanted).every(([key, value]) => metadata?.[key] === value);
}
