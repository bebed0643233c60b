import { AbortedError, InvalidInputError, type ZendeskError } from '../shared';
import type { Operation } from './operation';
import { messageSubscription, type ChatMessageEvent } from './operations/subscriptions';
import type { ConversationsTransport } from './transport';

/**
 * Send a message, then wait for the visitor's next message in the same chat: the core of Zendesk
 * Chat › Message › Send and Wait for Reply.
 *
 * The wait listens on the session's `message` subscription, the one the Chat Trigger uses (the
 * session multiplexes sinks, so no second session and no second server subscription). It
 * subscribes before it sends, so a reply written the instant the message arrives is not missed,
 * and it counts only a visitor's message of that chat that comes after the sent message: the sent
 * message's own echo on the subscription marks that point (by msg_id when the send carries one,
 * else by its text), or the send's answer when the echo has not come by then.
 */
export interface ReplyWaitInput<R> {
	/** The chat (channel) the message goes to and the reply must come from. */
	channelId: string;
	/** The send: a sendMessage or structured-message operation for `channelId`. */
	send: Operation<R>;
	/** The text the visitor sees first, to recognise the echo of a send without a msg_id (structured messages). */
	text: string;
	/** How long to wait for the reply once the message is sent. */
	timeoutMs: number;
	signal?: AbortSignal;
	/**
	 * A problem that does not end the wait: in queue mode, the agent's session moved to another n8n
	 * process and the wait goes on there (messages written during the switch may be missed).
	 */
	onNotice?(error: ZendeskError): void;
}

export type ReplyWaitResult<R> =
	| { sent: R; reply: ChatMessageEvent; receivedAt: number }
	| { sent: R; reply: undefined };

/** How much longer than the wait a relayed subscription may live (the send, the Redis hops). */
const SEND_ALLOWANCE_MS = 60_000;

/**
 * Sends `input.send` on `transport` and waits up to `timeoutMs` for the visitor's reply. The
 * subscription is ended on every path (reply, timeout, error, abort); the timer never outlives the wait.
 * @throws the send's error, a subscription that could not start or ended with an error, or
 *   AbortedError when `signal` aborts (at once, whatever is in flight).
 */
export async function sendAndWaitForReply<R>(
	transport: ConversationsTransport,
	input: ReplyWaitInput<R>,
): Promise<ReplyWaitResult<R>> {
	const { channelId, send, text, signal } = input;
	if (typeof channelId !== 'string' || channelId === '')
		throw new InvalidInputError('channelId', 'the channel id is required');
	if (!Number.isFinite(input.timeoutMs) || input.timeoutMs <= 0)
		throw new InvalidInputError(
			'timeoutMs',
			'the timeout must be a positive number of milliseconds',
		);
	if (signal?.aborted) throw new AbortedError('conversations');

	const msgId = send.delivery?.msgId;
	const isOurs = (event: ChatMessageEvent) =>
		msgId !== undefined ? event.msg_id === msgId : (event.content ?? '') === text;
	let sentSeen = false;
	let settle: (
		outcome: { reply: ChatMessageEvent; receivedAt: number } | { error: ZendeskError },
	) => void = () => undefined;
	const settled = new Promise<
		{ reply: ChatMessageEvent; receivedAt: number } | { error: ZendeskError }
	>((resolve) => (settle = resolve));

	const handle = transport.subscribe(
		messageSubscription(),
		{
			next: (event) => {
				if (event.channel?.id !== channelId) return;
				const sender = event.from?.__typename;
				if (sender === 'Visitor') {
					// A visitor's message before the sent one answers something else.
					if (sentSeen) settle({ reply: event, receivedAt: Date.now() });
					return;
				}
				if (!sentSeen && isOurs(event)) sentSeen = true;
			},
			error: (error) => input.onNotice?.(error),
			end: (error) => {
				if (error) settle({ error });
			},
		},
		{ transient: true, maxMs: input.timeoutMs + SEND_ALLOWANCE_MS },
	);
	let timer: NodeJS.Timeout | undefined;
	let onAbort: (() => void) | undefined;
	try {
		const aborted = new Promise<never>((_, reject) => {
			onAbort = () => reject(new AbortedError('conversations'));
			signal?.addEventListener('abort', onAbort, { once: true });
		});
		aborted.catch(() => undefined);
		const failed = settled.then((outcome) =>
			'error' in outcome ? Promise.reject(outcome.error) : new Promise<never>(() => undefined),
		);
		failed.catch(() => undefined);
		await Promise.race([handle.ready, aborted, failed]);
		const sent = await Promise.race([transport.request(send, { signal }), aborted, failed]);
		// The send was answered: whatever the visitor writes from now on comes after it.
		sentSeen = true;
		const timedOut = new Promise<undefined>((resolve) => {
			timer = setTimeout(() => resolve(undefined), input.timeoutMs);
		});
		const outcome = await Promise.race([settled, timedOut, aborted]);
		if (outcome === undefined) return { sent, reply: undefined };
		if ('error' in outcome) throw outcome.error;
		return { sent, reply: outcome.reply, receivedAt: outcome.receivedAt };
	} finally {
		clearTimeout(timer);
		if (onAbort) signal?.removeEventListener('abort', onAbort);
		await handle.unsubscribe().catch(() => undefined);
	}
}
