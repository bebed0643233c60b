import { ORIGIN_METADATA_KEY } from './constants';

/** The parts of a webhook message the filter looks at. */
export interface EchoCandidate {
	author?: { type?: string; [key: string]: unknown } | null;
	source?: { integrationId?: string | null; [key: string]: unknown } | null;
	metadata?: Record<string, unknown> | null;
}

export interface EchoFilterOptions {
	/** Our own integration ids (the custom integration that owns the webhook, a bot's own integration). */
	integrationIds?: Iterable<string>;
	/** The `originTag` our MessagingClient stamps on its business messages. */
	originTag?: string;
}

/**
 * Recognises the bot's own messages coming back through the webhook, which would otherwise make
 * a bot answer itself forever (NOTES.md pitfall 5): a message sent from one of our integrations
 * (`source.integrationId`), or a business message carrying our origin tag. An agent's reply is a
 * business message too, but from the agent workspace and without our tag, so it passes.
 *
 * @returns `isEcho(message)`: true to ignore the message.
 */
export function createEchoFilter(options: EchoFilterOptions): (message: EchoCandidate) => boolean {
	const ours = new Set(
		[...(options.integrationIds ?? [])].filter((id) => typeof id === 'string' && id.length > 0),
	);
	const tag = options.originTag;
	return (message) => {
		const integrationId = message?.source?.integrationId;
		if (typeof integrationId === 'string' && ours.has(integrationId)) return true;
		return (
			tag !== undefined &&
			tag.length > 0 &&
			message?.author?.type === 'business' &&
			message.metadata?.[ORIGIN_METADATA_KEY] === tag
		);
	};
}
