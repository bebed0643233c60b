import {
	chatActivitySubscription,
	messageSubscription,
	type SessionLease,
	type SubscriptionHandle,
} from '../../../src/conversations';
import { ChatRestClient } from '../../../src/rest';
import { raceAbort } from '../../../src/shared/abort';
import type { ChatConnection } from '../../shared/connection';
import { agentIdentity, leaseChatSession } from '../../shared/sessionPool';
import type { TriggerSettings } from '../TriggerSettings';
import { activityJob } from '../helpers/activityEvents';
import { ChatDirectory } from '../helpers/chatDirectory';
import type { EmitJob } from '../helpers/emitQueue';
import { MessageEvents } from '../helpers/messageEvents';
import { applyPresence, type PresenceChange } from './presence';
import type { EventSource, SourceHooks } from './source';

/**
 * Chat Message and Chat Activity: a lease on the agent's pooled Conversations API session (the
 * Zendesk Chat node in the same process reuses it: no second startAgentSession), the agent's
 * presence, then one subscription. The core reconnects, starts a new session after EOS and
 * re-subscribes on its own; what reaches the hooks is a failure it could not fix.
 */
export async function startConversationsSource(
	settings: TriggerSettings,
	connection: ChatConnection,
	hooks: SourceHooks,
	signal: AbortSignal,
): Promise<EventSource> {
	const { endpoints, tokens, credentialKey } = connection;
	let lease: SessionLease | undefined;
	let rest: ChatRestClient | undefined;
	let handle: SubscriptionHandle | undefined;
	let presence: PresenceChange | undefined;
	let stopping: Promise<void> | undefined;
	let started = false;
	const stop = () =>
		(stopping ??= (async () => {
			await Promise.allSettled([handle?.unsubscribe(), rest?.close(), presence?.restore()]);
			await lease?.release();
		})());

	try {
		lease = await leaseChatSession(connection, { signal, logger: hooks.logger });
		const { agentId } = await agentIdentity(connection, hooks.logger);
		presence = await applyPresence(lease.session, settings.presence, agentId, hooks, signal);
		const keyPrefix = `zendeskChatTrigger:${hooks.node.id}`;
		const sink = {
			error: (error: unknown) => hooks.eventFailed(error),
			end: (error?: unknown) => {
				if (error) hooks.fatal(error);
			},
		};
		if (settings.event === 'chatMessage') {
			if (MessageEvents.needsDirectory(settings.message)) {
				rest = new ChatRestClient({ baseUrl: endpoints.restBaseUrl, token: tokens, credentialKey });
			}
			const events = new MessageEvents(
				hooks.node,
				settings.message,
				rest && new ChatDirectory(hooks.node, rest),
				keyPrefix,
				signal,
			);
			handle = lease.session.subscribe(messageSubscription(), {
				...sink,
				next: (event) => pushJob(hooks, events.accept(event)),
			});
		} else {
			const operation = chatActivitySubscription({ types: settings.activity.types });
			handle = lease.session.subscribe(operation, {
				...sink,
				next: (event) => pushJob(hooks, activityJob(event, settings.activity, keyPrefix)),
			});
		}
		// The subscription's own wait has no signal; the trigger's teardown expects the signal's reason.
		await raceAbort(handle.ready, signal, 'conversations', (aborted) => aborted.reason);
		started = true;
	} finally {
		if (!started) await stop();
	}
	return { stop };
}

function pushJob(hooks: SourceHooks, job: EmitJob | undefined): void {
	if (job) hooks.push(job);
}
