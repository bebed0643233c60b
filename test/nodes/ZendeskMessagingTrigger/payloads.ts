import { SIM_SUNSHINE } from '../../../simulator';

/**
 * Webhook bodies as the spec shapes them ("Webhook Events", conversationMessageEvent example), for
 * tests that post to the node's URL themselves.
 */
let sequence = 0;

/** A fresh event id (24 hex characters, as Zendesk's). */
export const nextId = (): string => (++sequence).toString(16).padStart(24, 'e');

export function envelope(events: unknown[], appId: string = SIM_SUNSHINE.appId) {
	return { app: { id: appId }, webhook: { id: 'whk', version: 'v2' }, events };
}

export function event(type: string, payload: Record<string, unknown> = {}, id = nextId()) {
	return { id, createdAt: '2026-01-05T09:00:00.000Z', type, payload };
}

export interface MessageOptions {
	conversation?: Record<string, unknown>;
	content?: Record<string, unknown>;
	source?: Record<string, unknown>;
	metadata?: Record<string, unknown>;
	author?: Record<string, unknown>;
	received?: string;
}

/** A user's message as the spec's conversationMessageEvent example has it. */
export function userMessage(text = 'hello', options: MessageOptions = {}, id = nextId()) {
	return event(
		'conversation:message',
		{
			conversation: { id: 'f52b01137aa6c250bc7251fa', type: 'personal', ...options.conversation },
			message: {
				id: `m${id}`,
				received: options.received ?? '2020-09-30T18:00:56.820Z',
				author: {
					userId: '26508c10541a4b0ff472e5e2',
					displayName: 'Steve Rogers',
					type: 'user',
					user: { id: '26508c10541a4b0ff472e5e2', externalId: '912382197', authenticated: true },
					...options.author,
				},
				content: options.content ?? { type: 'text', text },
				source: { integrationId: '5ec69c6e12dda33be985cb1a', type: 'telegram', ...options.source },
				...(options.metadata ? { metadata: options.metadata } : {}),
			},
		},
		id,
	);
}

/** A business message: an agent's reply, the bot's own (tagged), or one sent through an integration. */
export function businessMessage(text: string, options: MessageOptions = {}) {
	return event('conversation:message', {
		conversation: { id: 'f52b01137aa6c250bc7251fa', type: 'personal', ...options.conversation },
		message: {
			id: `m${nextId()}`,
			received: options.received ?? '2020-09-30T18:01:00.000Z',
			author: { type: 'business', displayName: 'Acme', ...options.author },
			content: options.content ?? { type: 'text', text },
			source: { type: 'api:conversations', ...options.source },
			...(options.metadata ? { metadata: options.metadata } : {}),
		},
	});
}

/** An agent's reply from the agent workspace (NOTES.md section 5, spec author.subtypes agent). */
export function agentReply(text: string, options: MessageOptions = {}) {
	return businessMessage(text, {
		...options,
		author: { displayName: 'Alex Agent', subtypes: ['agent'], ...options.author },
		source: {
			type: 'zd:agentWorkspace',
			integrationId: '5f0a1b2c3d4e5f6a7b8c9d12',
			...options.source,
		},
		metadata: { '__zendesk_msg.agent.id': '1002', ...options.metadata },
	});
}
